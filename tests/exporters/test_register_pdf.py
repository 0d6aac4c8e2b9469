"""The printed register read back: every pupil and lesson date, Cyrillic intact, page count,
page numbers, the draft / closed-period notes, permissions and typed errors."""

from __future__ import annotations

import pytest

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import NotAllowed, NotFound, WrongBand
from ejournal_tui.exporters.register_pdf import planned_pages
from ejournal_tui.services.exports import export_register
from ejournal_tui.services.exports.register_doc import build_register_doc
from tests.conftest import count_rows
from tests.exporters.helpers import Q1_DAYS, Q2_DAYS, fill_lessons, flat, pdf_pages

PUPILS_5A = ["Алексеев Антон", "Борисова Бэлла", "Волков Виктор", "Григорьева Галина", "Дмитриев Денис"]


def test_open_period_register_has_everything_and_says_draft(school, engine, tmp_path) -> None:
    fill_lessons(school, Q2_DAYS)
    out = tmp_path / "5А.pdf"
    result = export_register(school.db, school.actors["secretary"], "5A", "q2", "pdf", out)
    pages = pdf_pages(out)
    assert result.pages == len(pages)
    text = flat(" ".join(pages))
    for name in PUPILS_5A:
        assert name in text
    for day in Q2_DAYS:
        assert day.strftime("%d.%m.%Y") in text
    assert "КЛАССНЫЙ ЖУРНАЛ" in text and "Иванова Анна Петровна" in text
    assert "Русский язык" in text and "Имя существительное. Урок 1" in text and "упр. 100" in text
    for n, page in enumerate(pages, 1):
        assert "ЧЕРНОВИК" in page
        assert f"стр. {n} из {len(pages)}" in flat(page)
    assert count_rows(engine, m.AuditEvent) == 1


def test_page_count_is_as_planned(school) -> None:
    fill_lessons(school, Q2_DAYS)
    with school.uow() as uow:
        doc, _ = build_register_doc(uow, school.actors["deputy"], "5А", "Q2")
    # title, contents, per load: one marks page and one lessons page, lessons missed, pupils,
    # remarks on keeping the register, the closing page
    assert [s.title for s in doc.sheets] == ["Русский язык", "Математика",
                                             "Иностранный язык (английский) (Англ. гр. 1)"]
    assert planned_pages(doc) == 2 + 3 * 2 + 2 + 2


def test_closed_period_copy_says_so_and_lists_absences(school, tmp_path) -> None:
    fill_lessons(school, Q1_DAYS)
    out = tmp_path / "q1.pdf"
    export_register(school.db, school.actors["admin"], "5А", "Q1", "pdf", out)
    pages = pdf_pages(out)
    assert all("Копия из закрытого периода" in flat(p) and "ЧЕРНОВИК" not in p for p in pages)
    missed = flat(next(p for p in pages if "пропущенных обучающимися" in p))
    assert "октябрь" in missed and "Волков Виктор" in missed
    text = flat(" ".join(pages))
    assert "Егоров Егор (выб. 15.10)" in text  # left mid-period, still on the copy


def test_wrong_band_unknown_class_and_subject(school) -> None:
    db, actor = school.db, school.actors["deputy"]
    with pytest.raises(WrongBand) as err:
        export_register(db, actor, "10А", "Q1")
    assert "H1, H2, Y" in str(err.value)
    with pytest.raises(NotFound):
        export_register(db, actor, "7Я", "Q1")
    with pytest.raises(NotFound):
        export_register(db, actor, "5А", "Q1", subject="Астрология")


def test_only_allowed_people_export(school, tmp_path) -> None:
    with pytest.raises(NotAllowed):
        export_register(school.db, school.actors["petrov"], "5А", "Q2", out=tmp_path / "x.pdf")
    with pytest.raises(NotAllowed):  # a class leader exports their own class only
        export_register(school.db, school.actors["ivanova"], "10А", "H1", out=tmp_path / "x.pdf")
    result = export_register(school.db, school.actors["ivanova"], "5А", "Q2", out=tmp_path)
    assert result.path.parent == tmp_path and result.path.exists()

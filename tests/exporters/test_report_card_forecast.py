"""Parents' progress reports carry the forecast of the period mark (DOMAIN.md, "Informing
pupils and parents": recommended; item 4): the register's own suggestion from the period's
marks so far, the count against the minimum while it is short, the period mark itself once
given. Read back from the PDF, page by page."""

from __future__ import annotations

from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.services.exports import export_report_cards
from ejournal_tui.services.register import open_register
from tests.exporters.helpers import Q2_DAYS, fill_lessons, flat, pdf_pages

NAMES = ["Алексеев Антон", "Борисова Бэлла", "Волков Виктор", "Григорьева Галина", "Дмитриев Денис"]


def _cards(school, tmp_path, klass: str = "5А") -> dict[str, str]:  # noqa: ANN001
    result = export_report_cards(school.db, school.actors["ivanova" if klass == "5А" else "kozlova"], klass, 2,
                                 tmp_path / f"cards-{klass}.pdf")
    return {name: flat(page) for page in pdf_pages(result.path) for name in NAMES if name in flat(page)}


def _given(school, last: str, value: str) -> None:  # noqa: ANN001
    with Session(school.db.engine) as s:
        s.add(m.FinalMark(school_id=school.school_id, year_id=school.year_id, class_id=school.classes["5А"],
                          pupil_id=school.pupils[last], subject_id=school.subjects["Русский язык"], kind="period",
                          period_code="Q2", value=value, entered_by=school.staff["ivanova"]))
        s.commit()


def test_each_subject_has_the_forecast_of_the_quarter(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS)  # ten lessons: Алексеев 5 each time, Борисова 4, Волков ill
    _given(school, "Дмитриев", "3")
    cards = _cards(school, tmp_path)
    for page in cards.values():
        assert "Прогноз: II четверть" in page
        assert "Прогноз — отметка, к которой округляется средний балл всех отметок II четверти" in page
    assert "Русский язык" in cards["Алексеев Антон"] and " 5,00 5 средний 5,00" in cards["Алексеев Антон"]
    assert " 4,00 4 " in cards["Борисова Бэлла"]
    assert "Русский язык нет отметок — — нет отметок" in cards["Волков Виктор"]  # no marks, no forecast
    assert "3 выставлена" in cards["Дмитриев Денис"]  # the period mark given is shown instead


def test_a_short_count_is_said(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS[-3:])
    page = _cards(school, tmp_path)["Алексеев Антон"]
    assert " 5 средний 5,00; отметок пока 3 из 6" in page  # 5 hours a week: six marks certify the quarter


def test_the_forecast_is_the_registers_suggestion(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS[:4])
    with school.uow() as uow:
        register = open_register(uow, school.actors["ivanova"], school.loads["rus5"], "Q2")
        suggested = {p.name: register.summary[p.id].suggested for p in register.pupils}
    cards = _cards(school, tmp_path)
    for name in ("Алексеев Антон", "Борисова Бэлла"):
        assert f" {suggested[name]} средний " in cards[name] and "отметок пока 4 из 6" in cards[name]


def test_a_grade_without_marks_has_no_forecast(school, tmp_path) -> None:  # noqa: ANN001
    result = export_report_cards(school.db, school.actors["kozlova"], "1А", 2, tmp_path / "cards-1.pdf")
    assert all("Прогноз" not in flat(page) for page in pdf_pages(result.path))

"""The year's summary sheet (сводная ведомость) as the archive takes it ("The paper copy an
archive accepts", item 2), read back from the real files: who signs it and where the stamp
goes, who is on it (not a pupil gone before the year began; one who left or came during it
with the date), when it may call itself a copy of a closed year, and a spreadsheet that
prints readably — landscape, whole subjects per page, names and headers repeated, no text
under 8 pt, «ЧЕРНОВИК» on every page of a draft."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.exporters.data import DocHead, SummaryRow, SummarySubject
from ejournal_tui.exporters.form_data import SummarySheet
from ejournal_tui.exporters.summary import summary_xlsx, year_status
from ejournal_tui.exporters.xlsx import printable_units
from ejournal_tui.services import periods
from ejournal_tui.services.exports import export_summary
from tests.exporters.helpers import Q2_DAYS, fill_lessons, flat, pdf_pages

COLUMNS = ("I", "II", "III", "IV", "Год", "Экз", "Итог")


def _finals(school, year_mark: bool = True) -> None:  # noqa: ANN001
    marks = [("period", "Q1", "5"), ("period", "Q2", "4")] + ([("year", "", "5")] if year_mark else [])
    with Session(school.db.engine) as s:
        for kind, code, value in marks:
            s.add(m.FinalMark(school_id=school.school_id, year_id=school.year_id, class_id=school.classes["5А"],
                              pupil_id=school.pupils["Алексеев"], subject_id=school.subjects["Русский язык"],
                              kind=kind, period_code=code, value=value, entered_by=school.staff["ivanova"]))
        s.commit()


def _pupil(school, last: str, first: str, start: date, end: date | None) -> None:  # noqa: ANN001
    with Session(school.db.engine) as s:
        pupil = m.Pupil(school_id=school.school_id, last_name=last, first_name=first, birth_date=date(2015, 1, 1))
        s.add(pupil)
        s.flush()
        s.add(m.Membership(school_id=school.school_id, pupil_id=pupil.id, class_id=school.classes["5А"], start=start,
                           end=end))
        s.commit()


def _director(school, name: str) -> None:  # noqa: ANN001
    with Session(school.db.engine) as s:
        row = s.get(m.School, school.school_id)
        row.director = name
        s.add(row)
        s.commit()


def _close_year(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        assert periods.close_period(uow, school.actors["admin"], "Y", "5А") == ["5А"]


def _pdf(school, tmp_path, name: str = "s.pdf") -> str:  # noqa: ANN001
    result = export_summary(school.db, school.actors["secretary"], "5А", "pdf", tmp_path / name)
    return flat(" ".join(pdf_pages(result.path)))


def _sheet(school, tmp_path, name: str = "s.xlsx"):  # noqa: ANN001, ANN202 - an openpyxl worksheet
    return load_workbook(export_summary(school.db, school.actors["secretary"], "5А", "xlsx", tmp_path / name).path).active


def _texts(ws, rows: int | None = None) -> list[str]:  # noqa: ANN001
    return [str(c.value) for row in ws.iter_rows(max_row=rows) for c in row if c.value is not None]


def test_the_signature_lines_name_who_signs_and_leave_the_stamps_place(school, tmp_path) -> None:  # noqa: ANN001
    _director(school, "Директорова Дарья Дмитриевна")
    fill_lessons(school, Q2_DAYS)
    for page in pdf_pages(export_summary(school.db, school.actors["secretary"], "5А", "pdf", tmp_path / "s.pdf").path):
        text = flat(page)
        assert "Классный руководитель ______________ / Иванова А. П. /" in text
        assert "Заместитель директора по УВР ______________ / Завучева З. П. /" in text
        assert "Директор ______________ / Директорова Д. Д. /" in text
        assert "М. П." in text and "20____ г." in text
    signatures = next(t for t in _texts(_sheet(school, tmp_path)) if t.startswith("Классный руководитель"))
    assert "/ Иванова А. П. /" in signatures and "/ Директорова Д. Д. /" in signatures and "М. П." in signatures


def test_no_director_named_leaves_a_line_to_write_the_name(school, tmp_path) -> None:  # noqa: ANN001
    text = _pdf(school, tmp_path)
    assert "Директор ______________ / ____________________ /" in text and "М. П." in text


def test_who_is_on_the_sheet(school, tmp_path) -> None:  # noqa: ANN001
    _pupil(school, "Ушедшая", "Ульяна", date(2025, 9, 1), date(2026, 8, 31))  # left before the year began
    _pupil(school, "Новенький", "Никита", date(2026, 11, 9), None)  # came in November
    text = _pdf(school, tmp_path)
    assert "Ушедшая" not in text
    assert "Егоров Егор (выб. 15.10.2026)" in text  # left during the year: the date beside the name
    assert "Новенький Никита (приб. 09.11.2026)" in text
    assert "Алексеев Антон (" not in text  # a pupil there all year has nothing beside the name
    names = [r[1] for r in _sheet(school, tmp_path).iter_rows(values_only=True) if isinstance(r[0], int)]
    assert "Егоров Егор (выб. 15.10.2026)" in names and not [n for n in names if "Ушедшая" in n]
    assert len(names) == 7  # five all year, one gone in October, one come in November; nobody blank


def test_an_open_year_is_a_draft(school, tmp_path) -> None:  # noqa: ANN001
    _finals(school)
    text = _pdf(school, tmp_path)
    assert "ЧЕРНОВИК: учебный год не закрыт" in text and "Копия из закрытого периода" not in text
    ws = _sheet(school, tmp_path)
    assert "ЧЕРНОВИК: учебный год не закрыт" in _texts(ws, 3)  # under the title, over every page's columns
    assert ws.oddHeader.right.text == "ЧЕРНОВИК: учебный год не закрыт"
    assert ws.oddFooter.left.text.startswith("ЧЕРНОВИК")


def test_a_year_closed_without_its_marks_is_still_a_draft(school, tmp_path) -> None:  # noqa: ANN001
    _finals(school, year_mark=False)
    _close_year(school)
    text = _pdf(school, tmp_path)
    assert "Копия из закрытого периода" not in text
    assert "ЧЕРНОВИК: годовые отметки не выставлены" in text
    ws = _sheet(school, tmp_path)
    assert not [t for t in _texts(ws) if "Копия из закрытого периода" in t]
    assert ws.oddHeader.right.text == "ЧЕРНОВИК: годовые отметки не выставлены"


def test_a_closed_year_with_its_marks_is_a_copy(school, tmp_path) -> None:  # noqa: ANN001
    _finals(school)
    _close_year(school)
    pages = pdf_pages(export_summary(school.db, school.actors["secretary"], "5А", "pdf", tmp_path / "s.pdf").path)
    for page in pages:
        assert "Копия из закрытого периода «учебный год»" in flat(page) and "ЧЕРНОВИК" not in page
    ws = _sheet(school, tmp_path)
    assert not [t for t in _texts(ws) if "ЧЕРНОВИК" in t] and not ws.oddHeader.right.text
    assert ws.oddFooter.left.text.startswith("Копия из закрытого периода «учебный год»")


def test_the_spreadsheet_prints_readably(school, tmp_path) -> None:  # noqa: ANN001
    _finals(school)
    fill_lessons(school, Q2_DAYS)
    ws = _sheet(school, tmp_path)
    sizes = [c.font.sz for row in ws.iter_rows() for c in row if c.value is not None]
    assert min(sizes) >= 8  # it used to print at 3 pt
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9
    # four subjects and the closing columns are wider than a page at full size: cut between
    # subjects, the names repeated, rather than fit to one width at 77 %
    assert [b.id for b in ws.col_breaks.brk] == [2 + 2 * len(COLUMNS)] and ws.print_title_cols == "$A:$B"
    assert setup.scale == 100 and not ws.sheet_properties.pageSetUpPr.fitToPage
    top = next(c.row for row in ws.iter_rows() for c in row if c.value == "№")
    assert ws.print_title_rows == f"${top}:${top + 1}"
    assert round(ws.page_margins.left * 25.4) == 20
    assert all(ws.column_dimensions[c].width >= 2.8 for c in ("C", "D", "E", "F", "G", "H", "I"))
    assert ws.cell(top + 1, 3).alignment.text_rotation == 90  # the columns' titles upright, whole


def _big_class(subjects: int, closed: bool = False) -> SummarySheet:
    head = DocHead("Школа № 1", "9А", "2026/2027", "Иванова Анна Петровна", datetime(2027, 5, 30, 10), closed=closed,
                   period_code="Y")
    rows = tuple(SummaryRow(i + 1, f"Ученикова{i} Мария", tuple(("5", "4", "5", "5", "5", "", "5") for _ in
                                                                 range(subjects)), 3, 1) for i in range(30))
    subs = tuple(SummarySubject(f"Предмет {s + 1}", COLUMNS) for s in range(subjects))
    return SummarySheet(head, subs, rows, director="Директорова Дарья Дмитриевна")


@pytest.mark.parametrize("binding", [20, 40])
def test_many_subjects_print_whole_per_page_with_the_names(binding: int) -> None:
    data, _ = summary_xlsx(_big_class(15), binding)
    ws = load_workbook(io.BytesIO(data)).active
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks and ws.print_title_cols == "$A:$B"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100  # printed at full size
    assert all((b - 2) % len(COLUMNS) == 0 for b in breaks)  # a subject is never cut
    starts = [3, *(b + 1 for b in breaks)]
    ends = [*breaks, ws.max_column]
    width = ws.column_dimensions["A"].width + ws.column_dimensions["B"].width
    for a, b in zip(starts, ends, strict=True):
        from openpyxl.utils import get_column_letter

        assert width + sum(ws.column_dimensions[get_column_letter(c)].width for c in range(a, b + 1)) \
            <= printable_units(binding)
        assert ws.cell(1, a).value.startswith("Сводная ведомость")  # every page has its title
        assert any(str(ws.cell(r, a).value).startswith("Классный руководитель") for r in range(34, ws.max_row + 1))
    assert ws.oddHeader.right.text == "ЧЕРНОВИК: учебный год не закрыт"
    if binding == 20:  # thirty pupils fill the page: the last few go over with the signatures, not these alone
        last = max(r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int))
        assert [b.id for b in ws.row_breaks.brk] == [last - 4]


def test_a_narrow_sheet_is_fit_to_one_width() -> None:
    data, _ = summary_xlsx(_big_class(2), 20)
    ws = load_workbook(io.BytesIO(data)).active
    assert not ws.col_breaks.brk and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)


def test_the_status_rule() -> None:
    assert year_status(_big_class(2)).draft == "ЧЕРНОВИК: учебный год не закрыт"
    assert year_status(_big_class(2, closed=True)).copy
    empty = SummarySheet(_big_class(1, closed=True).head, (SummarySubject("Предмет", COLUMNS),),
                         (SummaryRow(1, "Ученикова Мария", (("5", "", "", "", "", "", ""),), 0, 0),))
    assert year_status(empty).draft == "ЧЕРНОВИК: годовые отметки не выставлены"
    ungraded = SummarySheet(empty.head, empty.subjects, empty.rows, graded=False)  # first grade: no marks
    assert year_status(ungraded).copy

"""The register as a spreadsheet a secretary can print and bind ("The paper copy an archive
accepts", item 1): read back with openpyxl as Excel and LibreOffice read it — the title, the
rules round every cell, widths that hold the marks and a wide wrapped topic column, the
header rows repeated on each page, A4 landscape fit to width (or cut between whole lesson
columns when one width would print too small), the binding margin, and «ЧЕРНОВИК» on a
period still open."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ejournal_tui.exporters.data import DocHead, LessonRow, MarkRow, RegisterDoc, SubjectSheet
from ejournal_tui.exporters.xlsx import printable_units, register_xlsx, sheet_title
from ejournal_tui.services.admin import set_setting
from ejournal_tui.services.exports import export_register
from tests.exporters.helpers import Q1_DAYS, Q2_DAYS, fill_lessons

MM_PER_INCH = 25.4


def _book(path: Path):  # noqa: ANN202 - an openpyxl workbook
    return load_workbook(path)


def _texts(ws) -> list[str]:  # noqa: ANN001
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _row_of(ws, text: str) -> int:  # noqa: ANN001
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


def test_each_subject_prints_its_marks_and_its_lessons(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS, topic="Имя существительное как часть речи: значение и морфологические признаки")
    result = export_register(school.db, school.actors["deputy"], "5А", "Q2", "xlsx", tmp_path / "r.xlsx")
    wb = _book(result.path)
    assert result.pages == len(wb.sheetnames)
    assert wb.sheetnames[:2] == ["Русский язык", "Русский язык (уроки)"]
    marks, lessons = wb["Русский язык"], wb["Русский язык (уроки)"]
    title = " ".join(_texts(marks)[:3])
    for part in ("Русский язык", "5А класс", "II четверть", "2026/2027", "учитель Иванова"):
        assert part in title
    # the marks grid: month over day numbers, a column per lesson, the period mark last
    top = _row_of(marks, "№")
    assert marks.cell(top, 3).value == "ноябрь" and marks.cell(top + 1, 3).value == "09"
    rows = {marks.cell(r, 2).value: r for r in range(top + 2, marks.max_row + 1)}
    assert marks.cell(rows["Алексеев Антон"], 3).value == 5  # a mark stays a number
    assert marks.cell(rows["Алексеев Антон"], 3).border.right.style == "thin"
    assert marks.cell(rows["Волков Виктор"], 3).value == "н"
    assert marks.cell(top, 3 + len(Q2_DAYS)).value == "II ч."
    # the lessons: a wide topic column that wraps, every topic whole
    head = _row_of(lessons, "Тема урока")
    assert [lessons.cell(head, c).value for c in range(1, 8)] == ["Дата", "№", "Тема урока", "Домашнее задание",
                                                                   "Замена", "Урок провёл", "Подпись"]
    assert lessons.column_dimensions["C"].width >= 30 and lessons.column_dimensions["D"].width >= 20
    first = lessons.cell(head + 1, 3)
    assert first.value.endswith("морфологические признаки. Урок 1") and first.alignment.wrap_text
    assert lessons.row_dimensions[head + 1].height >= 2 * 11  # room for the wrapped lines
    assert any("Учитель" in t and "/ Иванова А. П. /" in t for t in _texts(lessons))


def test_marks_and_names_fit_their_columns(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS)
    ws = _book(export_register(school.db, school.actors["deputy"], "5А", "Q2", "xlsx", tmp_path / "r.xlsx").path)[
        "Русский язык"]
    assert 16 <= ws.column_dimensions["B"].width <= 24
    assert all(2.8 <= ws.column_dimensions[c].width <= 4 for c in ("C", "D", "E"))
    assert ws.column_dimensions["A"].width >= 3


def test_ruled_readable_and_printable(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS)
    wb = _book(export_register(school.db, school.actors["deputy"], "5А", "Q2", "xlsx", tmp_path / "r.xlsx").path)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert ws.page_margins.left * MM_PER_INCH == 20  # the binding margin
        assert ws.print_title_rows  # the header rows on every page
        assert "стр. &P из &N" in ws.oddFooter.right.text
        top = _row_of(ws, "Дата") if ws.title.endswith("(уроки)") else _row_of(ws, "№")
        for row in ws.iter_rows(min_row=top, max_row=top + 1):
            for cell in row[:3]:
                assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", cell.coordinate
        sizes = [c.font.sz for row in ws.iter_rows() for c in row if c.value is not None]
        assert min(sizes) >= 8
    marks = wb["Русский язык"]
    top = _row_of(marks, "№")
    assert marks.print_title_rows == f"${top}:${top + 1}"
    assert marks.freeze_panes == f"C{top + 2}"


def test_an_open_period_is_a_draft_and_a_closed_one_a_copy(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q1_DAYS)
    fill_lessons(school, Q2_DAYS)
    open_ = _book(export_register(school.db, school.actors["deputy"], "5А", "Q2", "xlsx", tmp_path / "q2.xlsx").path)
    closed = _book(export_register(school.db, school.actors["deputy"], "5А", "Q1", "xlsx", tmp_path / "q1.xlsx").path)
    for ws in open_.worksheets:
        assert any(t.startswith("ЧЕРНОВИК: период не закрыт") for t in _texts(ws)[:4])
        assert ws.oddHeader.right.text == "ЧЕРНОВИК: период не закрыт"
        assert "ЧЕРНОВИК" in ws.oddFooter.left.text
        draft = next(c for row in ws.iter_rows(max_row=4) for c in row if str(c.value).startswith("ЧЕРНОВИК"))
        assert draft.font.b and draft.font.color.rgb.endswith("C00000")
    for ws in closed.worksheets:
        assert not any("ЧЕРНОВИК" in t for t in _texts(ws))
        assert not ws.oddHeader.right.text
        assert any(t.startswith("Копия из закрытого периода") for t in _texts(ws)[:4])
        assert ws.oddFooter.left.text.startswith("Копия из закрытого периода «I четверть»")


def test_the_binding_margin_is_the_schools_setting(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q2_DAYS)
    with school.uow() as uow:
        set_setting(uow, school.actors["admin"], "binding_margin_mm", "30")
    wb = _book(export_register(school.db, school.actors["deputy"], "5А", "Q2", "xlsx", tmp_path / "r.xlsx").path)
    assert {round(ws.page_margins.left * MM_PER_INCH, 3) for ws in wb.worksheets} == {30}
    assert {round(ws.page_margins.right * MM_PER_INCH, 3) for ws in wb.worksheets} == {10}


def _long_quarter(dates: int) -> RegisterDoc:
    days = tuple(date(2026, 9, 1) + timedelta(days=i) for i in range(dates))
    rows = (MarkRow(1, "=HYPERLINK(\"http://x\",\"y\")", ("5/4",) * dates, "5"),
            MarkRow(2, "Константинопольская Александра", ("н",) * dates, "н/а"))
    sheet = SubjectSheet("Русский язык", "", "Иванова Анна Петровна", 5, days, rows,
                         tuple(LessonRow(d, 1, "Тема", "упр. 1", "Иванова А. П.") for d in days))
    head = DocHead("Школа № 1", "5А", "2026/2027", "Иванова Анна Петровна", datetime(2026, 10, 1, 10),
                   period_code="Q1", period_start=days[0], period_end=days[-1])
    return RegisterDoc(head, (sheet,), (), (), ())


def test_a_long_quarter_is_cut_between_whole_lesson_columns(tmp_path) -> None:
    """Sixty lessons do not fit one page at a readable size: the sheet prints at 100 % on
    pages cut between lesson columns, each with the names and the month headers."""
    import io

    data, sheets = register_xlsx(_long_quarter(60), binding_mm=20)
    ws = load_workbook(io.BytesIO(data))["Русский язык"]
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks and ws.print_title_cols == "$A:$B"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100
    top = _row_of(ws, "№")
    starts = [3, *(b + 1 for b in breaks)]
    for col in starts:  # every page names its month
        assert ws.cell(top, col).value in ("сентябрь", "октябрь", "сен", "окт"), col
    units = [ws.column_dimensions["A"].width + ws.column_dimensions["B"].width
             + sum(ws.column_dimensions[get_column_letter(c)].width for c in range(a, b + 1))
             for a, b in zip(starts, [*breaks, ws.max_column], strict=True)]
    assert max(units) <= printable_units(20)  # no page spills a column onto another
    assert ws.cell(top + 2, 2).value.startswith("=HYPERLINK") and ws.cell(top + 2, 2).data_type == "s"
    assert ws.cell(top + 3, 2).alignment.wrap_text  # a long name wraps, whole


def test_sheet_names_stay_apart_and_readable() -> None:
    taken: set[str] = set()
    names = [sheet_title(n, taken, s) for n in ("Иностранный язык (английский) (гр. 1)",
                                              "Иностранный язык (английский) (гр. 2)") for s in ("", "(уроки)")]
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
    assert names[0].endswith("(гр. 1)") and names[1].endswith("(гр. 1) (уроки)")

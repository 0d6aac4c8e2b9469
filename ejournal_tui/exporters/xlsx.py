"""Spreadsheets (openpyxl): the register with one sheet per subject, the control data
tables, and the helpers the summary sheet shares. Every sheet is frozen below its header
and right of the names, has readable column widths, and prints landscape, fit to width."""

from __future__ import annotations

import io
import re
from typing import Any

from ejournal_tui.exporters.data import RegisterDoc, SubjectSheet, YearPlan
from ejournal_tui.exporters.pdfbase import fmt_date
from ejournal_tui.exporters.register_pdf import MONTHS

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet may read as the start of a formula


def new_workbook() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def put(ws: Any, row: int, col: int, value: object) -> Any:
    """Write a cell; text is always text. A pupil named `=HYPERLINK(…)` is stored as a string
    with Excel's quote prefix (shown as typed, never evaluated, still text when edited);
    numbers stay numbers. Every spreadsheet writer goes through here."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def save(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _BAD_TITLE.sub(" ", name).strip()[:31] or "Лист"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def style_header(ws: Any, first_row: int, last_row: int, last_col: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8E8E8")
    middle = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(1, 1).font = Font(bold=True, size=12)
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=last_col):
        for cell in row:
            cell.font, cell.fill, cell.alignment = bold, fill, middle


def setup_sheet(ws: Any, freeze: str, widths: dict[int, float], default_width: float, last_col: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = freeze
    for col in range(1, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, default_width)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:3"


def register_xlsx(doc: RegisterDoc) -> tuple[bytes, int]:
    """One sheet per subject: marks grid (month row, day row) and the lessons below it."""
    wb = new_workbook()
    taken: set[str] = set()
    for sheet in doc.sheets:
        _subject_sheet(wb.create_sheet(sheet_title(sheet.title, taken)), doc, sheet)
    if not doc.sheets:
        wb.create_sheet("Журнал").cell(1, 1, f"{doc.head.class_name}: нет предметов")
    return save(wb), len(wb.worksheets)


def _subject_sheet(ws: Any, doc: RegisterDoc, sheet: SubjectSheet) -> None:
    h = doc.head
    status = "" if h.closed else " · ЧЕРНОВИК: период не закрыт"
    put(ws,1, 1, f"{h.class_name} · {sheet.title} · {h.period_label} {h.year_label} · учитель {sheet.teacher}{status}")
    put(ws,2, 1, "№")
    put(ws,2, 2, "Фамилия, имя")
    start = 0
    for i, day in enumerate(sheet.dates):
        put(ws,3, 3 + i, f"{day:%d.%m}")
        if i == len(sheet.dates) - 1 or sheet.dates[i + 1].month != day.month:
            put(ws,2, 3 + start, MONTHS[day.month])
            if i > start:
                ws.merge_cells(start_row=2, start_column=3 + start, end_row=2, end_column=3 + i)
            start = i + 1
    mark_col = 3 + len(sheet.dates)
    put(ws,2, mark_col, sheet.mark_column)
    for r, row in enumerate(sheet.rows, start=4):
        put(ws,r, 1, row.no)
        put(ws,r, 2, row.name)
        for i, text in enumerate(row.cells):
            if text:
                put(ws,r, 3 + i, int(text) if text.isdigit() else text)
        put(ws,r, mark_col, int(row.period_mark) if row.period_mark.isdigit() else row.period_mark)
    style_header(ws, 2, 3, mark_col)
    _lessons_block(ws, sheet, 4 + len(sheet.rows) + 1)
    setup_sheet(ws, "C4", {1: 5, 2: 30, mark_col: 8}, 6, mark_col)


def _lessons_block(ws: Any, sheet: SubjectSheet, top: int) -> None:
    from openpyxl.styles import Font

    titles = ("Дата", "№ урока", "Тема урока", "Домашнее задание", "Замена", "Урок провёл")
    put(ws,top, 1, "Записи уроков").font = Font(bold=True)
    for c, title in enumerate(titles, start=2):
        put(ws,top + 1, c, title).font = Font(bold=True)
    for r, ls in enumerate(sheet.lessons, start=top + 2):
        for c, value in enumerate((fmt_date(ls.date), ls.number, ls.topic, ls.homework, ls.substitute, ls.teacher),
                                  start=2):
            put(ws,r, c, value)
    if sheet.year_plan is not None:
        _year_plan_block(ws, sheet.year_plan, top + 2 + len(sheet.lessons) + 1)


def _year_plan_block(ws: Any, plan: YearPlan, top: int) -> None:
    """The year-end figures under the lessons: labels in the wide name column, numbers in
    the next one, so that neither runs over its cell."""
    from openpyxl.styles import Font

    put(ws,top, 2, f"Итоги года на {fmt_date(plan.as_of)}").font = Font(bold=True)
    rows = [("Уроков по КТП на год", plan.planned_year)]
    if plan.planned != plan.planned_year:
        rows.append((f"По КТП к {fmt_date(plan.as_of)}", plan.planned))
    rows += [("Проведено уроков", plan.held), ("Отставание", plan.lag)]
    for r, (label, value) in enumerate(rows, start=top + 1):
        put(ws,r, 2, label)
        put(ws,r, 3, value)

"""Spreadsheets (openpyxl): the register (per subject a marks sheet and a lessons sheet), the
control data tables, and the helpers every workbook shares.

A sheet prints as it stands, as a paper copy for the archive: a title, ruled tables, text of
9 pt and headers of 8 pt, A4 landscape with the binding margin on the left, a band on every
page naming the form («ЧЕРНОВИК» while its period is open) and "стр. N из M" at the foot. A
table one page wide is fit to that width; a wider one is cut into pages between whole groups
of columns (lesson dates, subjects), its first columns (№, name) and header rows repeated on
each, because fitting it to one width would print it too small to read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ejournal_tui.exporters.data import DocHead, LessonRow, RegisterDoc, SubjectSheet, YearPlan
from ejournal_tui.exporters.layout import short_name
from ejournal_tui.exporters.pdfbase import (
    BINDING_MM,
    DRAFT,
    RIGHT_MM,
    fmt_date,
    fmt_stamp,
    status_note,
)

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet may read as the start of a formula

BODY_PT, HEAD_PT, TITLE_PT = 9.0, 8.0, 12.0
# A column-width unit prints 5.25 pt wide in Excel and up to 7 pt in LibreOffice without
# Calibri's metrics: pages are planned for the widest, so a page never spills a column.
UNIT_PT = 7.0
CHARS_PER_UNIT = 1.15  # characters of 9-pt text a width unit holds, on the safe side
LINE_PT = 11.5  # the height of a line of 9-pt text
PAGE_W_MM = 297.0  # A4 landscape
MONTHS_SHORT = ("", "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
MONTHS = ("", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь")
RED = "C00000"


# --- cells and workbooks ----------------------------------------------------------------
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


def number_or_text(value: str) -> object:
    """A mark as the register prints it: 5 as a number, "5/4", "н", "н/а" as text."""
    return int(value) if value.isdigit() else value


def save(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str, taken: set[str], suffix: str = "") -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook; a
    `suffix` ("(уроки)") is kept whole, the name shortened before it."""
    tail = f" {suffix}" if suffix else ""
    base = (_shortened(_BAD_TITLE.sub(" ", name).strip(), 31 - len(tail)) or "Лист") + tail
    title, n = base, 2
    while title.lower() in taken:
        number = f" {n}"
        title, n = base[: 31 - len(number)] + number, n + 1
    taken.add(title.lower())
    return title


def _shortened(name: str, room: int) -> str:
    """`name` in `room` characters: long words cut to three letters and a dot, from the
    first on ("Иностранный язык (английский) (гр. 1)" -> "Ино. язык (анг.) (гр. 1)"), and
    only then the end cut off."""
    original = name.split()
    words = list(original)
    for keep in (3, 2):
        for i, word in enumerate(original):
            if len(" ".join(words)) <= room:
                return " ".join(words)
            head = len(word) - len(word.lstrip("(«\""))
            letters = word[head:].rstrip(").,»\"")
            if len(letters) > keep + 1 and letters.isalpha():
                words[i] = word[:head] + letters[:keep] + "." + word[head + len(letters):]
    return " ".join(words)[:room].rstrip(" (.,-·")


def font(size: float = BODY_PT, bold: bool = False, color: str | None = None) -> Any:
    from openpyxl.styles import Font

    return Font(size=size, bold=bold, color=color)


def lines_needed(text: str, width_units: float, size: float = BODY_PT) -> int:
    """Lines `text` takes when wrapped on words in a column `width_units` wide."""
    room = max(1, int(width_units * CHARS_PER_UNIT * BODY_PT / size))
    lines, used = 1, 0
    for word in str(text).split():
        n = len(word)
        if used and used + 1 + n > room:
            lines, used = lines + 1, 0
        lines += (max(n, 1) - 1) // room  # a word longer than the line breaks inside
        used = (used + 1 + n) if used else (n % room or room)
    return lines


# --- page set-up ----------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    """What every printed page of a sheet says: the form at the top left, the draft mark at
    the top right (red), the copy's status at the foot."""

    title: str
    draft: str = ""
    note: str = ""


def head_band(head: DocHead, title: str) -> Band:
    """The band of a form of a class for a period: «ЧЕРНОВИК» while the period is open."""
    draft = "" if head.closed else f"{DRAFT}: период не закрыт"
    return Band(title, draft, status_note(head.closed, head.closed_at, head.printed_at, head.period_label))


def printable_units(binding_mm: float) -> float:
    """Column-width units of an A4 landscape page between the binding and the right margin."""
    return (PAGE_W_MM - binding_mm - RIGHT_MM) / 25.4 * 72 / UNIT_PT * 0.97


def pack(widths: Sequence[float], room: float, tail: float = 0.0) -> list[range]:
    """Indexes of column groups `widths` per page: as few pages as hold them, the widest page
    as narrow as it can be (46 dates: 23 + 23, not 36 + 10); the last page also holds `tail`
    (the columns that close the table)."""
    n = len(widths)
    if not n:
        return [range(0)]
    if sum(widths) + tail <= room:
        return [range(0, n)]

    def width(r: range) -> float:
        return sum(widths[j] for j in r)

    for pages in range(2, n + 1):
        best: tuple[tuple[float, float], list[range]] | None = None
        for last in range(1, n):  # groups on the last page, beside the tail
            chunks = [*_even(n - last, pages - 1), range(n - last, n)]
            used = [width(c) for c in chunks]
            used[-1] += tail
            key = (round(max(used), 6), max(used) - min(used))  # the widest page, then the most even
            if len(chunks) == pages and max(used) <= room and (best is None or key < best[0]):
                best = (key, chunks)
        if best is not None:
            return best[1]
    return [range(i, i + 1) for i in range(n)]


def _even(n: int, parts: int) -> list[range]:
    """0..n-1 in `parts` runs whose lengths differ by one at most (13 in 4: 4, 3, 3, 3)."""
    parts = max(1, min(parts, n))
    out, start = [], 0
    for i in range(parts):
        size = n // parts + (1 if i < n % parts else 0)
        out.append(range(start, start + size))
        start += size
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def set_print(ws: Any, band: Band, binding_mm: float, header_rows: tuple[int, int] | None,
              breaks: Sequence[int] = (), title_cols: str | None = None) -> None:
    """A4 landscape with the binding margin, header rows repeated on every page, the band
    and page numbers; one page wide (fit to width) unless `breaks` (the last column of each
    page but the last) cut it into pages, which then repeat `title_cols`."""
    from openpyxl.worksheet.pagebreak import Break

    setup = ws.page_setup
    setup.orientation, setup.paperSize = "landscape", ws.PAPERSIZE_A4
    margins = ws.page_margins
    margins.left, margins.right = binding_mm / 25.4, RIGHT_MM / 25.4
    margins.top, margins.bottom, margins.header, margins.footer = 0.6, 0.55, 0.25, 0.25
    if header_rows:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    if breaks:
        setup.scale = 100
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        for col in breaks:
            ws.col_breaks.append(Break(id=col))
        if title_cols:
            ws.print_title_cols = title_cols
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = False
    _furniture(ws, band)


def _furniture(ws: Any, band: Band) -> None:
    header, footer = ws.oddHeader, ws.oddFooter
    header.left.text, header.left.size = _escape(band.title)[:200], 8
    if band.draft:
        header.right.text, header.right.size, header.right.color = _escape(band.draft), 10, RED
        header.right.font = "Calibri,Bold"
    footer.left.text, footer.left.size = _escape(band.note)[:200], 7
    footer.right.text, footer.right.size = "стр. &P из &N", 8


def widths(ws: Any, columns: dict[int, float]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in columns.items():
        ws.column_dimensions[get_column_letter(col)].width = width


# --- blocks of cells ------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """The columns of one printed page beside the repeated ones: where its title and its
    signature lines go, so that every page carries them whole."""

    first: int
    last: int
    units: float  # width in column-width units


def spans(first_cols: int, first_units: float, groups: Sequence[tuple[int, int, float]],
          pages: Sequence[range], tail: tuple[int, float] = (0, 0.0)) -> list[Span]:
    """One span per page: the whole table when it prints one page wide, else each page's own
    columns (groups of columns `(first, last, width)` packed into `pages`, the `tail`'s
    columns and width on the last)."""
    last_col = groups[-1][1] if groups else first_cols
    if len(pages) == 1:
        return [Span(1, last_col + tail[0], first_units + sum(g[2] for g in groups) + tail[1])]
    out = []
    for k, page in enumerate(pages):
        extra = tail if k == len(pages) - 1 else (0, 0.0)
        cols = [groups[i] for i in page]
        out.append(Span(cols[0][0], cols[-1][1] + extra[0], sum(g[2] for g in cols) + extra[1]))
    return out


def titles(ws: Any, lines: Sequence[tuple[str, float, bool, str | None]], where: Sequence[Span]) -> int:
    """Title lines (text, size, bold, colour) on the first rows, over each page's columns
    (centred when the table takes several pages, the repeated columns left blank so that no
    page shows a title cut at their edge); returns the next free row."""
    from openpyxl.styles import Alignment

    align = Alignment(horizontal="left" if len(where) == 1 else "center", vertical="center", wrap_text=True)
    for r, (text, size, bold, color) in enumerate(lines, start=1):
        height = 1
        for span in where:
            cell = put(ws, r, span.first, text)
            cell.font, cell.alignment = font(size, bold, color), align
            if span.last > span.first:
                ws.merge_cells(start_row=r, start_column=span.first, end_row=r, end_column=span.last)
            height = max(height, lines_needed(text, span.units, size))
        ws.row_dimensions[r].height = height * size * 1.35 + 3
    return len(lines) + 1


def ruled(ws: Any, top: int, bottom: int, first: int, last: int, header_rows: int = 0,
          aligns: dict[int, str] | None = None, bold_cols: Sequence[int] = (), wrap: bool = True) -> None:
    """Borders round every cell of the block, headers bold on grey, body text of 9 pt
    (wrapped where the column is left-aligned, unless `wrap` is off: rows of one line)."""
    from openpyxl.styles import Alignment, Border, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="E8E8E8")
    head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_font, body_font, bold_font = font(HEAD_PT, True), font(BODY_PT), font(BODY_PT, True)
    aligned = {c: Alignment(horizontal=a, vertical="center", wrap_text=wrap and a == "left")
               for c, a in (aligns or {}).items()}
    default = Alignment(vertical="center", wrap_text=wrap)
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=first, max_col=last):
        for cell in row:
            cell.border = border
            if cell.row < top + header_rows:
                cell.font, cell.fill, cell.alignment = head_font, grey, head_align
            else:
                cell.font = bold_font if cell.column in bold_cols else body_font
                cell.alignment = aligned.get(cell.column, default)


def signature_block(ws: Any, row: int, lines: Sequence[str], where: Sequence[Span] = (Span(1, 1, 0.0),)) -> int:
    """Signature lines under a table, at the left of each page's columns, in one tall row (a
    row is never split between pages, so the lines stay together); returns the next free row."""
    from openpyxl.styles import Alignment

    text = "\n".join(lines)
    for span in where:
        cell = put(ws, row, span.first, text)
        cell.font = font(BODY_PT)
        cell.alignment = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
        if span.last > span.first:
            ws.merge_cells(start_row=row, start_column=span.first, end_row=row, end_column=span.last)
    narrowest = min((s.units for s in where if s.last > s.first), default=0.0)
    wrapped = sum(lines_needed(line, narrowest) for line in lines) if narrowest else len(lines)
    ws.row_dimensions[row].height = max(20 * len(lines), LINE_PT * 1.15 * wrapped + 14)
    return row + 1


PAGE_H_PT = 210.0 / 25.4 * 72 - (0.6 + 0.55) * 72  # A4 landscape inside the margins
SPARE_PT = 12.0  # what a page is kept short of full, for the applications' own rounding


def keep_with_table(ws: Any, header: tuple[int, int], body: tuple[int, int], tail: tuple[int, int]) -> None:
    """Rows under a table (totals, signature lines) printed on the page of its last rows:
    when they would not fit there, the page breaks a few rows earlier so that they go over
    with those rows, not alone under a repeated header. Heights are the rows' own (every row
    here has one), the page at full size: at a smaller scale it is only safer."""
    from openpyxl.worksheet.pagebreak import Break

    def height(r: int) -> float:
        return ws.row_dimensions[r].height or 15.0

    head = sum(height(r) for r in range(header[0], header[1] + 1))
    used = sum(height(r) for r in range(1, header[1] + 1))
    first_on_page = body[0]
    for r in range(body[0], body[1] + 1):
        if used + height(r) > PAGE_H_PT:
            used, first_on_page = head, r
        used += height(r)
    if used + sum(height(r) for r in range(tail[0], tail[1] + 1)) > PAGE_H_PT - SPARE_PT:
        at = max(first_on_page + 1, body[1] - 3)
        if at > body[0]:
            ws.row_breaks.append(Break(id=at - 1))


# --- a one-table sheet (the control tables) --------------------------------------------
def setup_sheet(ws: Any, freeze: str, col_widths: dict[int, float], default_width: float, last_col: int,
                band: Band | None = None, binding_mm: float = BINDING_MM, header_rows: tuple[int, int] = (1, 3)) -> None:
    """Frozen panes, column widths and the print set-up of a one-table sheet (fit to width)."""
    ws.freeze_panes = freeze
    widths(ws, {col: col_widths.get(col, default_width) for col in range(1, last_col + 1)})
    set_print(ws, band or Band(ws.title), binding_mm, header_rows)


# --- the register ---------------------------------------------------------------------
NO_W, MARK_W, MIN_NAME_W, MAX_NAME_W = 3.5, 5.5, 16.0, 22.0
LESSON_COLS = (("Дата", 10.0, "center"), ("№", 3.0, "center"), ("Тема урока", 33.0, "left"),
               ("Домашнее задание", 25.0, "left"), ("Замена", 12.0, "left"), ("Урок провёл", 14.0, "left"),
               ("Подпись", 8.0, "left"))


def register_xlsx(doc: RegisterDoc, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """Per subject two sheets, as the paper register has two sides: the marks grid (month and
    day rows over one column per lesson) and the lessons (date, topic, homework, who held it)
    with the teacher's signature line."""
    wb = new_workbook()
    taken: set[str] = set()
    for sheet in doc.sheets:
        _marks_sheet(wb.create_sheet(sheet_title(sheet.title, taken)), doc, sheet, binding_mm)
        _lessons_sheet(wb.create_sheet(sheet_title(sheet.title, taken, "(уроки)")), doc, sheet, binding_mm)
    if not doc.sheets:
        ws = wb.create_sheet("Журнал")
        put(ws, 1, 1, f"{doc.head.class_name}: нет предметов")
        set_print(ws, head_band(doc.head, _band_title(doc, "")), binding_mm, None)
    return save(wb), len(wb.worksheets)


def _band_title(doc: RegisterDoc, section: str) -> str:
    h = doc.head
    parts = [h.school, f"{h.class_name} класс", h.year_label, h.period_label, section]
    return " · ".join(p for p in parts if p)


def _title_lines(doc: RegisterDoc, sheet: SubjectSheet, what: str) -> list[tuple[str, float, bool, str | None]]:
    h = doc.head
    span = f" ({fmt_date(h.period_start)} – {fmt_date(h.period_end)})" if h.period_start else ""
    lines: list[tuple[str, float, bool, str | None]] = [
        (f"{sheet.title} · {h.class_name} класс · {h.period_label}{span} · {h.year_label} · {what}", TITLE_PT, True,
         None),
        (f"{h.school} · учитель {sheet.teacher}", BODY_PT + 1, False, None),
    ]
    if h.closed:
        closed = f" (закрыт {fmt_stamp(h.closed_at)})" if h.closed_at else ""
        lines.append((f"Копия из закрытого периода{closed}", BODY_PT + 1, False, None))
    else:
        lines.append((f"{DRAFT}: период не закрыт", BODY_PT + 2, True, RED))
    return lines


def name_width(names: Sequence[str]) -> float:
    longest = max((len(n) for n in names), default=10)
    return min(MAX_NAME_W, max(MIN_NAME_W, longest / CHARS_PER_UNIT + 1))


def _marks_sheet(ws: Any, doc: RegisterDoc, sheet: SubjectSheet, binding_mm: float) -> None:
    graded = getattr(doc, "graded", True)
    n = len(sheet.dates)
    name_w = name_width([r.name for r in sheet.rows])
    longest = max((len(c) for r in sheet.rows for c in r.cells), default=1)
    date_w = 2.8 + max(0, longest - 3) * 0.9
    mark_col = 3 + n if graded else 0
    last = mark_col or 2 + n
    tail = (1, MARK_W) if graded else (0, 0.0)
    pages = pack([date_w] * n, printable_units(binding_mm) - NO_W - name_w, tail[1])
    where = spans(2, NO_W + name_w, [(3 + i, 3 + i, date_w) for i in range(n)], pages, tail)
    what = "отметки" if graded else "посещаемость"
    top = titles(ws, _title_lines(doc, sheet, what), where)
    _marks_header(ws, sheet, top, mark_col, {3 + page[0] for page in pages if page})
    body = top + 2
    for r, row in enumerate(sheet.rows, start=body):
        put(ws, r, 1, row.no)
        put(ws, r, 2, row.name)
        ws.row_dimensions[r].height = LINE_PT * lines_needed(row.name, name_w) + 1
        for i, text in enumerate(row.cells):
            if text:
                put(ws, r, 3 + i, number_or_text(text))
        if graded and row.period_mark:
            put(ws, r, mark_col, number_or_text(row.period_mark))
    bottom = body + len(sheet.rows) - 1
    aligns = {c: "center" for c in range(3, last + 1)} | {1: "center", 2: "left"}
    ruled(ws, top, max(bottom, top + 1), 1, last, 2, aligns, (mark_col,) if graded else ())
    widths(ws, {1: NO_W, 2: name_w} | {3 + i: date_w for i in range(n)} | ({mark_col: MARK_W} if graded else {}))
    ws.freeze_panes = ws.cell(body, 3).coordinate
    breaks = [3 + page[-1] for page in pages[:-1]]
    title = _band_title(doc, f"{sheet.title}: {what}")
    set_print(ws, head_band(doc.head, title), binding_mm, (top, top + 1), breaks, "A:B")


def _marks_header(ws: Any, sheet: SubjectSheet, top: int, mark_col: int, page_starts: set[int]) -> None:
    """Month names over their days (merged, and cut again where a page begins, so each
    page names its months), a day number over each lesson's column."""
    put(ws, top, 1, "№")
    put(ws, top, 2, "Фамилия, имя обучающегося")
    for col in (1, 2):
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    start = 0
    dates = sheet.dates
    for i, day in enumerate(dates):
        put(ws, top + 1, 3 + i, f"{day:%d}")
        if i == len(dates) - 1 or dates[i + 1].month != day.month or 3 + i + 1 in page_starts:
            span = i - start + 1
            put(ws, top, 3 + start, MONTHS[day.month] if span >= 3 else MONTHS_SHORT[day.month])
            if span > 1:
                ws.merge_cells(start_row=top, start_column=3 + start, end_row=top, end_column=3 + i)
            start = i + 1
    if mark_col:
        put(ws, top, mark_col, sheet.mark_column)
        ws.merge_cells(start_row=top, start_column=mark_col, end_row=top + 1, end_column=mark_col)
    ws.row_dimensions[top].height = 2 * LINE_PT


def _lessons_sheet(ws: Any, doc: RegisterDoc, sheet: SubjectSheet, binding_mm: float) -> None:
    where = [Span(1, len(LESSON_COLS), sum(w for _, w, _ in LESSON_COLS))]
    top = titles(ws, _title_lines(doc, sheet, "записи уроков"), where)
    for c, (title, _, _) in enumerate(LESSON_COLS, start=1):
        put(ws, top, c, title)
    ws.row_dimensions[top].height = 2 * LINE_PT
    for r, ls in enumerate(sheet.lessons, start=top + 1):
        values = _lesson_values(ls)
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
        lines = max(lines_needed(str(v), w) for v, (_, w, _) in zip(values, LESSON_COLS, strict=True))
        ws.row_dimensions[r].height = LINE_PT * lines + 1
    bottom = top + len(sheet.lessons)
    ruled(ws, top, max(bottom, top + 1), 1, len(LESSON_COLS), 1, {c: a for c, (_, _, a) in enumerate(LESSON_COLS, 1)})
    widths(ws, {c: w for c, (_, w, _) in enumerate(LESSON_COLS, start=1)})
    ws.freeze_panes = ws.cell(top + 1, 1).coordinate
    row = max(bottom, top + 1) + 2
    put(ws, row, 1, f"Проведено уроков за период: {len(sheet.lessons)}").font = font(BODY_PT, True)
    if sheet.year_plan is not None:
        row = _year_plan_block(ws, sheet.year_plan, row + 1)
    short = getattr(sheet, "teacher_short", "") or short_name(sheet.teacher)
    signed = signature_block(ws, row + 1, [f"Учитель  ____________________  / {short} /      «____» ______________ 20____ г."],
                             where)
    keep_with_table(ws, (top, top), (top + 1, max(bottom, top + 1)), (max(bottom, top + 1) + 1, signed - 1))
    set_print(ws, head_band(doc.head, _band_title(doc, f"{sheet.title}: записи уроков")), binding_mm, (top, top))


def _lesson_values(ls: LessonRow) -> tuple[object, ...]:
    return (fmt_date(ls.date), ls.number, ls.topic, ls.homework, ls.substitute, ls.teacher, "")


def _year_plan_block(ws: Any, plan: YearPlan, top: int) -> int:
    """The year-end figures under the lessons (DOMAIN.md: lessons planned / held / lag): the
    label over the date, number and topic columns, the figure in the next one."""
    put(ws, top, 1, f"Итоги года на {fmt_date(plan.as_of)}").font = font(BODY_PT, True)
    rows = [("Уроков по КТП на год", plan.planned_year)]
    if plan.planned != plan.planned_year:
        rows.append((f"По КТП к {fmt_date(plan.as_of)}", plan.planned))
    rows += [("Проведено уроков", plan.held), ("Отставание", plan.lag)]
    for r, (label, value) in enumerate(rows, start=top + 1):
        put(ws, r, 1, label).font = font()
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        put(ws, r, 4, value).font = font(BODY_PT, True)
    return top + len(rows)

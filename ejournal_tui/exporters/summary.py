"""The year's summary sheet (сводная ведомость) of a class: pupils × subjects with period,
year, exam and final marks, lessons missed, the teachers' council decision, and the lines the
class leader, the deputy director and the director sign (with the stamp's place, «М. П.»).
PDF (A4 landscape, subjects spread over as many pages as they need) and XLSX (the same
pages when printed: whole subjects per page, names and headers repeated, 8–9 pt text).

The sheet is a copy of a closed year only when the year is closed for the class and its year
marks are in; otherwise every page says «ЧЕРНОВИК» and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ejournal_tui.exporters.data import SummaryDoc, SummaryRow
from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.exporters.form_data import SummarySheet, summary_sheet
from ejournal_tui.exporters.layout import short_name
from ejournal_tui.exporters.pdfbase import (
    BINDING_MM,
    DRAFT,
    Painter,
    finish,
    fmt_stamp,
    make_pdf,
    status_note,
)

TOP, BOTTOM = 14.0, 197.0  # first line under the band, last line above the footer
NO_W, NAME_W, SUB_W, ROW_H = 6.0, 56.0, 5.3, 4.8
TAIL = (("Пропущено уроков", 14.5), ("из них по болезни", 14.5), ("Решение педсовета", 34.0))
HEAD_H = (9.0, 4.5)
SIGN_H = 14.0  # two lines of signatures above the footer
ROWS_TOP = TOP + 7 + sum(HEAD_H)
ROWS_PER_PAGE = int((BOTTOM - SIGN_H - 1 - ROWS_TOP) // ROW_H)
STAMP = "М. П."
DATE_LINE = "«____» ______________ 20____ г."


@dataclass(frozen=True)
class Status:
    """What the sheet says it is: a copy of a closed year, or a draft and why."""

    copy: bool
    draft: str  # "ЧЕРНОВИК: …" for the top of every page; "" for a copy
    note: str  # the footer line: the status and when it was printed
    line: str  # the status under the title


def year_status(doc: SummarySheet) -> Status:
    """A copy of a closed year only when the year is closed and its year marks are in (a
    class without marks needs none); a year closed without them is still a draft."""
    h = doc.head
    printed = f"напечатано {fmt_stamp(h.printed_at)}"
    if not h.closed:
        reason = "учебный год не закрыт"
    elif doc.graded and not has_year_marks(doc):
        reason = "годовые отметки не выставлены"
    else:
        closed = f" (закрыт {fmt_stamp(h.closed_at)})" if h.closed_at else ""
        return Status(True, "", status_note(True, h.closed_at, h.printed_at, h.period_label),
                      f"Копия из закрытого периода «{h.period_label}»{closed}")
    draft = f"{DRAFT}: {reason}"
    return Status(False, draft, f"{draft}; {printed}", draft)


def has_year_marks(doc: SummaryDoc) -> bool:
    """Whether any pupil has a year mark in any subject."""
    for s, subject in enumerate(doc.subjects):
        if "Год" in subject.columns:
            col = subject.columns.index("Год")
            if any(row.marks[s][col] for row in doc.rows):
                return True
    return False


def signature_lines(doc: SummarySheet) -> tuple[str, str, str]:
    """Class leader, deputy director, director: role, a line to sign on, the name."""
    def who(name: str) -> str:
        return f"/ {short_name(name)} /" if name else "/ ____________________ /"

    return (f"Классный руководитель ______________ {who(doc.head.leader)}",
            f"Заместитель директора по УВР ______________ {who(doc.deputy)}",
            f"Директор ______________ {who(doc.director)}")


def balanced(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """Chunks of at most `size`, as even as possible (46 rows: 23 + 23, not 30 + 16)."""
    if not items:
        return [items]
    parts = -(-len(items) // size)
    per = -(-len(items) // parts)
    return [items[i:i + per] for i in range(0, len(items), per)]


# --- PDF --------------------------------------------------------------------------------
def _subject_pages(doc: SummaryDoc, width: float) -> list[list[int]]:
    """Subject indexes per page; the last page also carries the tail columns (or a page of its own)."""
    group = SUB_W * (len(doc.subjects[0].columns) if doc.subjects else 7)
    room = width - NO_W - NAME_W
    per_page = max(1, int(room // group))
    indexes = list(range(len(doc.subjects)))
    pages = [indexes[i:i + per_page] for i in range(0, len(indexes), per_page)] or [[]]
    tail = sum(w for _, w in TAIL)
    if pages[-1] and len(pages[-1]) * group + tail > room:
        pages.append([])
    return pages


def summary_pdf(doc: SummaryDoc, font: FontFiles, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """The PDF's bytes and page count: pages of subjects by pages of pupils, each with the
    signature lines; «ЧЕРНОВИК» and its reason on every page of a draft."""
    sheet = summary_sheet(doc)
    status = year_status(sheet)
    p = make_pdf(font, "L", binding_mm)
    h = sheet.head
    p.setup("", False, status.note, f"Сводная ведомость {h.class_name} {h.year_label}")
    subject_pages = _subject_pages(sheet, p.width)
    row_pages = balanced(sheet.rows, ROWS_PER_PAGE)
    p.total = len(subject_pages) * len(row_pages)
    band = f"{h.school} · {h.class_name} класс · {h.year_label} · Сводная ведомость"
    for i, subjects in enumerate(subject_pages):
        for rows in row_pages:
            p.page(band)
            _draft_mark(p, status.draft)
            _page(p, sheet, subjects, rows, tail=i == len(subject_pages) - 1)
    return finish(p.pdf)


def _draft_mark(p: Painter, text: str) -> None:
    """The draft mark where the band puts it on every form, with this sheet's reason."""
    if not text:
        return
    p.pdf.set_text_color(190, 0, 0)
    p.text_in(p.left + p.width * 0.55, p.pdf.t_margin, p.width * 0.45, 4, text, 9, align="R", style="B")
    p.pdf.set_text_color(0, 0, 0)


def _page(p: Painter, doc: SummarySheet, subjects: list[int], rows: Sequence[SummaryRow], tail: bool) -> None:
    h, x = doc.head, p.left
    p.text_in(x, TOP, p.width, 6, f"Сводная ведомость учёта успеваемости обучающихся {h.class_name} класса "
              f"за {h.year_label} учебный год", 10, style="B")
    y = _header(p, doc, subjects, tail)
    cols = len(doc.subjects[0].columns) if doc.subjects else 0
    widths = [NO_W, NAME_W] + [SUB_W] * (cols * len(subjects)) + ([w for _, w in TAIL] if tail else [])
    p.grid(x, y, widths, ROW_H, len(rows))
    for r, row in enumerate(rows):
        _row(p, y + r * ROW_H, row, subjects, cols, tail)
    _signatures(p, doc)


def _header(p: Painter, doc: SummarySheet, subjects: list[int], tail: bool) -> float:
    x, y0, hh = p.left, TOP + 7, sum(HEAD_H)
    cols = len(doc.subjects[0].columns) if doc.subjects else 0
    total_w = NO_W + NAME_W + len(subjects) * cols * SUB_W + (sum(w for _, w in TAIL) if tail else 0)
    p.pdf.set_fill_color(235)
    p.pdf.rect(x, y0, total_w, hh, style="DF")
    p.text_in(x, y0, NO_W, hh, "№", 7, align="C", style="B")
    p.lines_in(x + NO_W, y0, NAME_W, hh, "Фамилия, имя обучающегося", 7, style="B")
    cx = x + NO_W + NAME_W
    for s in subjects:
        subject = doc.subjects[s]
        p.lines_in(cx, y0, cols * SUB_W, HEAD_H[0], subject.name, 6.5, style="B")
        p.pdf.line(cx, y0 + HEAD_H[0], cx + cols * SUB_W, y0 + HEAD_H[0])
        for j, title in enumerate(subject.columns):
            p.text_in(cx + j * SUB_W, y0 + HEAD_H[0], SUB_W, HEAD_H[1], title, 5.5, align="C", min_size=3.5)
            if j:
                p.pdf.line(cx + j * SUB_W, y0 + HEAD_H[0], cx + j * SUB_W, y0 + hh)
        p.pdf.line(cx, y0, cx, y0 + hh)
        cx += cols * SUB_W
    if tail:
        for title, w in TAIL:
            p.pdf.line(cx, y0, cx, y0 + hh)
            p.whole_in(cx, y0, w, hh, title, 6.5, align="C", style="B", min_size=6.0)
            cx += w
    for line_x in (cx, x + NO_W, x + NO_W + NAME_W):
        p.pdf.line(line_x, y0, line_x, y0 + hh)
    return y0 + hh


def _row(p: Painter, y: float, row: SummaryRow, subjects: list[int], cols: int, tail: bool) -> None:
    x = p.left
    p.text_in(x, y, NO_W, ROW_H, str(row.no), 7, align="C")
    p.whole_in(x + NO_W, y, NAME_W, ROW_H, row.name, 7.5, min_size=5.5)
    cx = x + NO_W + NAME_W
    for s in subjects:
        for j, value in enumerate(row.marks[s]):
            p.text_in(cx + j * SUB_W, y, SUB_W, ROW_H, value, 7, align="C", style="B" if j >= cols - 3 else "",
                      min_size=4)
        cx += cols * SUB_W
    if tail:
        for (_, w), value in zip(TAIL, (str(row.missed), str(row.ill), row.decision), strict=True):
            p.whole_in(cx, y, w, ROW_H, value, 7.5, align="C", min_size=5.5)
            cx += w


def _signatures(p: Painter, doc: SummarySheet) -> None:
    """Leader and deputy on one line; the director with the stamp's place and the date on the next."""
    leader, deputy, director = signature_lines(doc)
    x, w = p.left, p.width
    y = BOTTOM - SIGN_H
    p.text_in(x, y, w * 0.5, 6, leader, 8.5)
    p.text_in(x + w * 0.5, y, w * 0.5, 6, deputy, 8.5)
    y += 7
    p.text_in(x, y, w * 0.5, 6, director, 8.5)
    stamp_x = x + min(w * 0.5 - 22, p.unit_width(director) * 8.5 + 2 * 0.8 + 8)
    p.text_in(stamp_x, y, 16, 6, STAMP, 10, style="B")
    p.text_in(x + w * 0.5, y, w * 0.5, 6, DATE_LINE, 8.5)


# --- XLSX -------------------------------------------------------------------------------
SUB_COL_W = 2.8  # width units of a mark column
XLSX_TAIL = (("Пропущено уроков", 5.0), ("из них по болезни", 5.0), ("Решение педсовета", 16.0))


def summary_xlsx(doc: SummaryDoc, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """One sheet: a two-row header (each subject over its columns), frozen header and names;
    printed as whole subjects per page with the names and the header repeated, the title
    over and the signature lines under every page's columns."""
    from ejournal_tui.exporters.xlsx import Band, new_workbook, put, save, set_print

    sheet = summary_sheet(doc)
    status = year_status(sheet)
    wb = new_workbook()
    ws = wb.create_sheet("Сводная ведомость")
    layout = _xlsx_layout(sheet, binding_mm)
    top = _xlsx_titles(ws, sheet, status, layout)
    last = _xlsx_header(ws, sheet, top)
    for r, row in enumerate(sheet.rows, start=top + 2):
        values: list[object] = [row.no, row.name]
        for marks in row.marks:
            values += [_num(v) for v in marks]
        values += [row.missed, row.ill, row.decision]
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    _xlsx_rules(ws, sheet, top, last, layout)
    h = sheet.head
    band = Band(f"{h.school} · {h.class_name} класс · {h.year_label} · Сводная ведомость", status.draft, status.note)
    set_print(ws, band, binding_mm, (top, top + 1), layout.breaks, "A:B")
    return save(wb), 1


@dataclass(frozen=True)
class _Layout:
    name_w: float
    per_subject: int  # columns of a subject
    where: list[Any]  # xlsx.Span per printed page
    breaks: list[int]  # the last column of every page but the last


def _xlsx_layout(doc: SummarySheet, binding_mm: float) -> _Layout:
    from ejournal_tui.exporters.xlsx import NO_W as X_NO_W
    from ejournal_tui.exporters.xlsx import name_width, pack, printable_units, spans

    name_w = name_width([r.name for r in doc.rows])
    per = len(doc.subjects[0].columns) if doc.subjects else 0
    tail = sum(w for _, w in XLSX_TAIL)
    groups = [(3 + s * per, 2 + (s + 1) * per, per * SUB_COL_W) for s in range(len(doc.subjects))]
    pages = pack([g[2] for g in groups], printable_units(binding_mm) - X_NO_W - name_w, tail)
    where = spans(2, X_NO_W + name_w, groups, pages, (len(XLSX_TAIL), tail))
    return _Layout(name_w, per, where, [groups[page[-1]][1] for page in pages[:-1]])


def _xlsx_titles(ws: Any, doc: SummarySheet, status: Status, layout: _Layout) -> int:
    from ejournal_tui.exporters.xlsx import BODY_PT, RED, TITLE_PT, titles

    h = doc.head
    # the school and the class leader are in every page's band and on the signature lines
    lines: list[tuple[str, float, bool, str | None]] = [
        (f"Сводная ведомость учёта успеваемости обучающихся {h.class_name} класса за {h.year_label} учебный год",
         TITLE_PT, True, None),
        (status.line, BODY_PT + 2, True, RED) if status.draft else (status.line, BODY_PT + 1, False, None),
    ]
    return titles(ws, lines, layout.where)


def _xlsx_header(ws: Any, doc: SummarySheet, top: int) -> int:
    """Subject names over their columns and the columns' titles; returns the last column."""
    from ejournal_tui.exporters.xlsx import HEAD_PT, lines_needed, put

    put(ws, top, 1, "№")
    put(ws, top, 2, "Фамилия, имя обучающегося")
    col, tallest = 3, 3
    for subject in doc.subjects:
        put(ws, top, col, subject.name)
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(subject.columns) - 1)
        tallest = max(tallest, lines_needed(subject.name, len(subject.columns) * SUB_COL_W, HEAD_PT))
        for j, title in enumerate(subject.columns):
            put(ws, top + 1, col + j, title)
        col += len(subject.columns)
    for title, _ in XLSX_TAIL:
        put(ws, top, col, title)
        col += 1
    for c in [1, 2, *range(col - len(XLSX_TAIL), col)]:
        ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
    ws.row_dimensions[top].height = tallest * HEAD_PT * 1.35 + 4
    ws.row_dimensions[top + 1].height = 26
    return col - 1


def _xlsx_rules(ws: Any, doc: SummarySheet, top: int, last: int, layout: _Layout) -> None:
    """Rules, alignment (the columns' titles upright), row heights, widths, frozen panes and
    the signature lines."""
    from openpyxl.styles import Alignment

    from ejournal_tui.exporters.xlsx import (
        LINE_PT,
        NO_W,
        keep_with_table,
        lines_needed,
        ruled,
        signature_block,
        widths,
    )

    body, bottom = top + 2, top + 1 + len(doc.rows)
    per, n = layout.per_subject, len(doc.subjects)
    year_cols = [3 + s * per + j for s in range(n) for j in range(max(0, per - 3), per)]
    aligns = {c: "center" for c in range(3, last + 1)} | {1: "center", 2: "left", last: "left"}
    ruled(ws, top, max(bottom, body), 1, last, 2, aligns, year_cols)
    upright = Alignment(text_rotation=90, horizontal="center", vertical="center", wrap_text=True)
    for c in range(3, 3 + per * n):
        ws.cell(top + 1, c).alignment = upright
    for c in (last - 2, last - 1):  # lessons missed, of which for illness: titles upright too
        ws.cell(top, c).alignment = upright
    for r, row in enumerate(doc.rows, start=body):
        lines = max(lines_needed(row.name, layout.name_w), lines_needed(row.decision, XLSX_TAIL[-1][1]))
        ws.row_dimensions[r].height = LINE_PT * lines + 1
    tail = {last - len(XLSX_TAIL) + 1 + i: w for i, (_, w) in enumerate(XLSX_TAIL)}
    widths(ws, {1: NO_W, 2: layout.name_w} | {c: SUB_COL_W for c in range(3, 3 + per * n)} | tail)
    ws.freeze_panes = ws.cell(body, 3).coordinate
    leader, deputy, director = signature_lines(doc)
    signed = signature_block(ws, max(bottom, body) + 1, [leader, deputy, f"{director}      {STAMP}      {DATE_LINE}"],
                             layout.where)
    keep_with_table(ws, (top, top + 1), (body, max(bottom, body)), (signed - 1, signed - 1))


def _num(value: str) -> object:
    return int(value) if value.isdigit() else value

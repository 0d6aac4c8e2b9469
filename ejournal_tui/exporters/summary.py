"""The year's summary sheet (сводная ведомость) of a class: pupils × subjects with period,
year, exam and final marks, lessons missed, the teachers' council decision, signature lines.
PDF (A4 landscape, subjects spread over as many pages as they need) and XLSX."""

from __future__ import annotations

from ejournal_tui.exporters.data import SummaryDoc, SummaryRow
from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.exporters.pdfbase import BINDING_MM, Painter, finish, make_pdf, status_note
from ejournal_tui.exporters.register_pdf import BOTTOM, TOP, balanced, chunks

NO_W, NAME_W, SUB_W, ROW_H = 6.0, 44.0, 5.3, 4.8
TAIL = (("Пропущено уроков", 14.5), ("из них по болезни", 14.5), ("Решение педсовета", 34.0))
HEAD_H = (9.0, 4.5)
ROWS_PER_PAGE = int((BOTTOM - TOP - 7 - sum(HEAD_H) - 10) // ROW_H)


def _subject_pages(doc: SummaryDoc, width: float) -> list[list[int]]:
    """Subject indexes per page; the last page also carries the tail columns (or a page of its own)."""
    group = SUB_W * (len(doc.subjects[0].columns) if doc.subjects else 7)
    room = width - NO_W - NAME_W
    per_page = max(1, int(room // group))
    pages = chunks(list(range(len(doc.subjects))), per_page)
    tail = sum(w for _, w in TAIL)
    if pages[-1] and len(pages[-1]) * group + tail > room:
        pages.append([])
    return pages


def summary_pdf(doc: SummaryDoc, font: FontFiles, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    p = make_pdf(font, "L", binding_mm)
    h = doc.head
    p.setup("", not h.closed, status_note(h.closed, h.closed_at, h.printed_at, h.period_label),
            f"Сводная ведомость {h.class_name} {h.year_label}")
    subject_pages = _subject_pages(doc, p.width)
    row_pages = balanced(doc.rows, ROWS_PER_PAGE)
    p.total = len(subject_pages) * len(row_pages)
    band = f"{h.school} · {h.class_name} класс · {h.year_label} · Сводная ведомость"
    for i, subjects in enumerate(subject_pages):
        for rows in row_pages:
            p.page(band)
            _page(p, doc, subjects, rows, tail=i == len(subject_pages) - 1)
    return finish(p.pdf)


def _page(p: Painter, doc: SummaryDoc, subjects: list[int], rows: tuple[SummaryRow, ...], tail: bool) -> None:
    h, x = doc.head, p.left
    p.text_in(x, TOP, p.width, 6, f"Сводная ведомость учёта успеваемости обучающихся {h.class_name} класса "
              f"за {h.year_label} учебный год", 10, style="B")
    widths = [NO_W, NAME_W]
    y0 = TOP + 7
    hh = sum(HEAD_H)
    p.pdf.set_fill_color(235)
    cols = len(doc.subjects[0].columns) if doc.subjects else 0
    total_w = NO_W + NAME_W + len(subjects) * cols * SUB_W + (sum(w for _, w in TAIL) if tail else 0)
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
        widths += [SUB_W] * cols
        p.pdf.line(cx, y0, cx, y0 + hh)
        cx += cols * SUB_W
    if tail:
        for title, w in TAIL:
            p.pdf.line(cx, y0, cx, y0 + hh)
            p.lines_in(cx, y0, w, hh, title, 6.5, max_lines=3, style="B")
            cx += w
            widths.append(w)
    p.pdf.line(cx, y0, cx, y0 + hh)
    p.pdf.line(x + NO_W, y0, x + NO_W, y0 + hh)
    p.pdf.line(x + NO_W + NAME_W, y0, x + NO_W + NAME_W, y0 + hh)
    y = y0 + hh
    p.grid(x, y, widths, ROW_H, len(rows))
    for r, row in enumerate(rows):
        _row(p, y + r * ROW_H, row, subjects, cols, tail)
    sig_y = BOTTOM - 8
    p.text_in(x, sig_y, p.width, 6, f"Классный руководитель ____________ / {h.leader} /     "
              "Заместитель директора по УВР ____________     Директор ____________     «___» ________ 20___ г.", 8)


def _row(p: Painter, y: float, row: SummaryRow, subjects: list[int], cols: int, tail: bool) -> None:
    x = p.left
    p.text_in(x, y, NO_W, ROW_H, str(row.no), 7, align="C")
    p.text_in(x + NO_W, y, NAME_W, ROW_H, row.name, 7.5)
    cx = x + NO_W + NAME_W
    for s in subjects:
        for j, value in enumerate(row.marks[s]):
            p.text_in(cx + j * SUB_W, y, SUB_W, ROW_H, value, 7, align="C", style="B" if j >= cols - 3 else "",
                      min_size=4)
        cx += cols * SUB_W
    if tail:
        for (_, w), value in zip(TAIL, (str(row.missed), str(row.ill), row.decision), strict=True):
            p.text_in(cx, y, w, ROW_H, value, 7.5, align="C")
            cx += w


def summary_xlsx(doc: SummaryDoc) -> tuple[bytes, int]:
    """One sheet: a two-row header (subject over its columns), frozen header and names."""
    from ejournal_tui.exporters.xlsx import new_workbook, put, save, setup_sheet, style_header

    wb = new_workbook()
    ws = wb.create_sheet("Сводная ведомость")
    h = doc.head
    put(ws,1, 1, f"Сводная ведомость {h.class_name} класса за {h.year_label} учебный год · {h.school}")
    put(ws,2, 1, "№")
    put(ws,2, 2, "Фамилия, имя")
    col = 3
    for subject in doc.subjects:
        put(ws,2, col, subject.name)
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(subject.columns) - 1)
        for j, title in enumerate(subject.columns):
            put(ws,3, col + j, title)
        col += len(subject.columns)
    for j, (title, _) in enumerate(TAIL):
        put(ws,2, col + j, title)
    for r, row in enumerate(doc.rows, start=4):
        values: list[object] = [row.no, row.name]
        for marks in row.marks:
            values += [_num(v) for v in marks]
        values += [row.missed, row.ill, row.decision]
        for c, value in enumerate(values, start=1):
            put(ws,r, c, value)
    style_header(ws, 2, 3, col + len(TAIL) - 1)
    setup_sheet(ws, "C4", {1: 5, 2: 28}, 5, col + len(TAIL) - 1)
    return save(wb), 1


def _num(value: str) -> object:
    return int(value) if value.isdigit() else value

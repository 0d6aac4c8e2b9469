"""The printed class register (DOMAIN.md, "Printed forms"), A4 landscape, in Russian: title
page with certification lines, contents, per subject the marks pages and the lessons pages
(each signed by the subject's teacher), the lessons-missed pages and the pupils' list (signed
by the class leader), the page of remarks on keeping the register and the closing page.

Pages are planned before anything is drawn, so the contents can name every subject's pages
and the closing page the number of sheets. Nothing is cut: a cell's text wraps inside its
cell and the row grows to its tallest cell, so planning lays every row out and long subjects
paginate by dates (columns) and by the rows' real heights, headers repeated. A grade without
marks (безотметочное обучение) gets attendance pages without a mark column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ejournal_tui.exporters.data import MissedRow, PupilInfo, RegisterDoc, SubjectSheet, YearPlan
from ejournal_tui.exporters.fonts import FontFiles, find_font
from ejournal_tui.exporters.layout import VPAD, Block, Row, cut_tall, short_name, split_by_height
from ejournal_tui.exporters.pdfbase import (
    BINDING_MM,
    Col,
    Painter,
    content_width,
    finish,
    fmt_date,
    make_pdf,
    scaled,
    status_note,
)
from ejournal_tui.exporters.register_pages import (
    BOTTOM as BOTTOM,  # the page's frame, shared with the summary sheet
)
from ejournal_tui.exporters.register_pages import (
    SIGN_Y,
    TABLE_END,
    TOP,
    Entry,
    RegisterPainter,
    closing_page,
    contents_page,
    contents_rows,
    contents_runs,
    remarks_page,
    title_page,
)

MONTHS = ("", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь")
NO_W, NAME_W, DATE_W, MARK_W = 6.0, 46.0, 5.6, 12.0
MARK_ROW_H, HEAD_H = 5.0, 4.5
MARKS_TOP = TOP + 7 + 2 * HEAD_H  # first row of a marks grid
# a mark cell: one line shrunk to MARK_MIN at most, else «оп» over «5/4» at MARK_WRAP
MARK_SIZE, MARK_MIN, MARK_WRAP = 7.5, 6.0, 6.5
EMPTY = Block((), 0.0)


def dates_per_page(width: float, graded: bool = True) -> int:
    """Lesson dates of a marks page as wide as `width` (with the period mark's column)."""
    return int((width - NO_W - NAME_W - (MARK_W if graded else 0)) // DATE_W)


DATES_PER_PAGE = dates_per_page(content_width("L"))  # with the default binding margin
PUPILS_PER_PAGE = int((TABLE_END - MARKS_TOP) // MARK_ROW_H)  # rows of one line
LESSON_COLS = (Col("Дата", 16, "C"), Col("№", 7, "C"), Col("Тема урока", 98), Col("Домашнее задание", 70),
               Col("Замена", 34), Col("Урок провёл", 32), Col("Подпись", 20))
LESSON_ROW_H = 5.2
LESSONS_TOP = TOP + 7 + 8
TOTAL_H = 5.0  # a line under the lessons table: the period's count, the year's figures
LESSONS_ROOM = TABLE_END - LESSONS_TOP - 1 - TOTAL_H  # the rows, with the period's count under them
LESSONS_PER_PAGE = int(LESSONS_ROOM // LESSON_ROW_H)  # rows of one line
# the last lessons page of a year-end register: its rows, the period's count and the year's
# figures all above the signature line
LESSONS_WITH_YEAR = int((LESSONS_ROOM - TOTAL_H) // LESSON_ROW_H)
LIST_ROW_H = 6.5
LIST_TOP = TOP + 7 + 8
MISSED_HEAD_H = 2 * HEAD_H + 1
MISSED_TOP = TOP + 7 + MISSED_HEAD_H
TEXT_SIZE, TEXT_MIN = 7.5, 6.5  # data in the tables: shrunk to TEXT_MIN at most, else wrapped

Page = Callable[[Painter], None]


@dataclass(frozen=True)
class GridRow:
    """A pupil's row of a marks grid laid out: as tall as its tallest cell over every date."""

    no: str
    name: Block
    cells: tuple[Block, ...]
    mark: Block
    height: float


def chunks(items: tuple | list, size: int) -> list:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def balanced(items: tuple | list, size: int) -> list:
    """Chunks of at most `size`, as even as possible (46 dates: 23 + 23, not 38 + 8)."""
    parts = max(1, -(-len(items) // size))
    return chunks(items, -(-len(items) // parts) if items else size)


def render_register(doc: RegisterDoc, font: FontFiles, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """The whole register as PDF bytes and its page count."""
    painter = RegisterPainter(make_pdf(font, "L", binding_mm).pdf)
    head = doc.head
    painter.setup("", not head.closed, status_note(head.closed, head.closed_at, head.printed_at, head.period_label),
                  f"Классный журнал {head.class_name} {head.year_label}")
    contents, body = _plan(painter, doc)
    painter.total = 1 + len(contents) + len(body)
    title_page(painter, doc)
    for rows in contents:
        painter.page(_band(doc, "Оглавление"))
        contents_page(painter, rows)
    for band, draw in body:
        painter.page(band)
        draw(painter)
    return finish(painter.pdf)


def planned_pages(doc: RegisterDoc, binding_mm: float = BINDING_MM, font: FontFiles | None = None) -> int:
    """Pages the register will have, without drawing it (for tests and progress)."""
    painter = RegisterPainter(make_pdf(font or find_font(), "L", binding_mm).pdf)
    contents, body = _plan(painter, doc)
    return 1 + len(contents) + len(body)


def _plan(p: Painter, doc: RegisterDoc) -> tuple[list[list[Row]], list[tuple[str, Page]]]:
    """The contents' rows page by page, and every page after them (band, drawing)."""
    sections = [(s.title, s.teacher, _subject_pages(p, doc, s)) for s in doc.sheets]
    sections += [("Сведения о пропущенных уроках", "", _missed_pages(p, doc)),
                 ("Общие сведения об обучающихся", "", _pupil_pages(p, doc)),
                 ("Замечания по ведению журнала", "", [(_band(doc, "Замечания по ведению журнала"), remarks_page)]),
                 ("Заверительная надпись", "", [(_band(doc, "Заверительная надпись"), _closing(doc))])]
    runs = contents_runs(p, [Entry(title, who, 0, 0) for title, who, _ in sections])
    first = 2 + len(runs)
    entries: list[Entry] = []
    body: list[tuple[str, Page]] = []
    for title, who, pages in sections:
        entries.append(Entry(title, who, first + len(body), first + len(body) + len(pages) - 1))
        body.extend(pages)
    rows = contents_rows(p, entries)
    return [[rows[i] for i in run] for run in runs], body


def _closing(doc: RegisterDoc) -> Page:
    def draw(p: Painter) -> None:
        closing_page(p, doc, p.total)  # single-sided: every page is a sheet

    return draw


def _band(doc: RegisterDoc, section: str) -> str:
    h = doc.head
    return f"{h.school} · {h.class_name} класс · {h.year_label} · {h.period_label} · {section}"


def _stay(name: str, joined: date | None, left: date | None) -> str:
    """The name with the pupil's coming or leaving within the period."""
    if left is not None:
        return f"{name} (выб. {fmt_date(left)})"
    if joined is not None:
        return f"{name} (приб. {fmt_date(joined)})"
    return name


def _sign(p: Painter, role: str, full_name: str, short: str = "") -> None:
    p.sign_line(p.left, SIGN_Y, role, short or (short_name(full_name) if full_name else ""))


# --- subject: marks -------------------------------------------------------------------
def _subject_pages(p: Painter, doc: RegisterDoc, sheet: SubjectSheet) -> list[tuple[str, Page]]:
    band = _band(doc, sheet.title)
    pages: list[tuple[str, Page]] = []
    grid = _grid(p, sheet, doc.graded)
    runs = split_by_height([g.height for g in grid], TABLE_END - MARKS_TOP)
    date_chunks = balanced(list(range(len(sheet.dates))), dates_per_page(p.width, doc.graded))
    for part, cols in enumerate(date_chunks):
        last = doc.graded and part == len(date_chunks) - 1
        for run in runs:
            pages.append((band, _marks_page(sheet, cols, [grid[i] for i in run], last, doc.graded,
                                            (part + 1, len(date_chunks)))))
    lesson_runs = _lesson_runs(p, sheet)
    for i, rows in enumerate(lesson_runs):
        pages.append((band, _lessons_page(sheet, rows, i == len(lesson_runs) - 1)))
    return pages


def _grid(p: Painter, sheet: SubjectSheet, graded: bool) -> list[GridRow]:
    out = []
    for row in sheet.rows:
        name = p.block(row.name, NAME_W, 8, min_size=7)
        cells = tuple(p.block(c, DATE_W, MARK_SIZE, min_size=MARK_MIN, wrap_size=MARK_WRAP) if c else EMPTY
                      for c in row.cells)
        mark = p.block(row.period_mark, MARK_W, 8.5, "B") if graded and row.period_mark else EMPTY
        tallest = max(name.height, mark.height, max((c.height for c in cells), default=0.0))
        out.append(GridRow(str(row.no), name, cells, mark, max(MARK_ROW_H, tallest + 2 * VPAD)))
    return out


def _subject_title(p: Painter, sheet: SubjectSheet, what: str) -> None:
    hours = f"{sheet.hours_per_week:g} ч. в неделю"
    p.whole_in(p.left, TOP, p.width, 6, f"{sheet.title} — {what}.  Учитель: {sheet.teacher}.  {hours}", 9.5,
               style="B")


def _marks_page(sheet: SubjectSheet, cols: list[int], rows: list[GridRow], last: bool, graded: bool,
                part: tuple[int, int]) -> Page:
    def draw(p: Painter) -> None:
        what = "отметки и посещаемость" if graded else "посещаемость (безотметочное обучение)"
        _subject_title(p, sheet, what + (f" (часть {part[0]} из {part[1]})" if part[1] > 1 else ""))
        dates = [sheet.dates[i] for i in cols]
        widths = [NO_W, NAME_W] + [DATE_W] * len(dates) + ([MARK_W] if last else [])
        _marks_header(p, TOP + 7, dates, last, sheet.mark_column)
        p.rules(p.left, MARKS_TOP, widths, [r.height for r in rows])
        y = MARKS_TOP
        for row in rows:
            _mark_row(p, y, row, cols, last)
            y += row.height
        _sign(p, "Учитель", sheet.teacher, sheet.teacher_short)

    return draw


def _marks_header(p: Painter, y: float, dates: list[date], last: bool, mark_title: str) -> None:
    pdf, x = p.pdf, p.left
    total = NO_W + NAME_W + DATE_W * len(dates) + (MARK_W if last else 0)
    pdf.set_fill_color(235)
    pdf.rect(x, y, total, 2 * HEAD_H, style="DF")
    p.text_in(x, y, NO_W, 2 * HEAD_H, "№", 7, align="C", style="B")
    p.text_in(x + NO_W, y, NAME_W, 2 * HEAD_H, "Фамилия, имя обучающегося", 7, style="B")
    cx = x + NO_W + NAME_W
    pdf.line(x + NO_W, y, x + NO_W, y + 2 * HEAD_H)
    pdf.line(cx, y, cx, y + 2 * HEAD_H)
    pdf.line(cx, y + HEAD_H, cx + DATE_W * len(dates), y + HEAD_H)
    start = 0
    for i in range(1, len(dates) + 1):  # month headings over their run of dates
        if i == len(dates) or dates[i].month != dates[start].month:
            mx = cx + start * DATE_W
            p.text_in(mx, y, DATE_W * (i - start), HEAD_H, _month_label(p, dates[start].month, DATE_W * (i - start)),
                      7, align="C", style="B")
            pdf.line(mx + DATE_W * (i - start), y, mx + DATE_W * (i - start), y + HEAD_H)
            start = i
    for i, day in enumerate(dates):
        p.text_in(cx + i * DATE_W, y + HEAD_H, DATE_W, HEAD_H, f"{day.day:02d}", 6.5, align="C")
    if last:
        mx = cx + DATE_W * len(dates)
        pdf.line(mx, y, mx, y + 2 * HEAD_H)
        p.text_in(mx, y, MARK_W, 2 * HEAD_H, mark_title, 7, align="C", style="B")


def _month_label(p: Painter, month: int, width: float) -> str:
    """The month's name over its run of dates; over a run too narrow for it, «сен» or «09»."""
    for label in (MONTHS[month], MONTHS[month][:3], f"{month:02d}"):
        if p.label_width([label], 5.5, "B") <= width:
            return label
    return f"{month:02d}"


def _mark_row(p: Painter, y: float, row: GridRow, cols: list[int], last: bool) -> None:
    x, h = p.left, row.height
    p.text_in(x, y, NO_W, h, row.no, 7, align="C")
    p.draw_block(x + NO_W, y, NAME_W, h, row.name)
    cx = x + NO_W + NAME_W
    for i in cols:
        p.draw_block(cx, y, DATE_W, h, row.cells[i], "C")
        cx += DATE_W
    if last:
        p.draw_block(cx, y, MARK_W, h, row.mark, "C")


# --- subject: lessons -----------------------------------------------------------------
def _lesson_runs(p: Painter, sheet: SubjectSheet) -> list[list[Row]]:
    """The lessons page by page. At year end the last page needs a line more under its table:
    when its rows leave no room for it, they go on over one page more."""
    cols = scaled(LESSON_COLS, p.width)
    rows = cut_tall([p.lay_row(cols, (fmt_date(ls.date), str(ls.number), ls.topic, ls.homework, ls.substitute,
                                      ls.teacher, ""), TEXT_SIZE, LESSON_ROW_H, TEXT_MIN)
                     for ls in sheet.lessons], LESSONS_ROOM - TOTAL_H)
    runs = split_by_height([r.height for r in rows], LESSONS_ROOM, balance=False)
    last = runs[-1]
    heights = [rows[i].height for i in last]
    if sheet.year_plan is not None and sum(heights) > LESSONS_ROOM - TOTAL_H + 1e-6:
        cut = last.start + len(split_by_height(heights, LESSONS_ROOM - TOTAL_H, balance=False)[0])
        runs[-1:] = [range(last.start, cut), range(cut, last.stop)]
    return [[rows[i] for i in run] for run in runs]


def _lessons_page(sheet: SubjectSheet, rows: Sequence[Row], last: bool) -> Page:
    def draw(p: Painter) -> None:
        _subject_title(p, sheet, "записи уроков")
        cols = scaled(LESSON_COLS, p.width)
        y = p.header_row(p.left, TOP + 7, cols, 8)
        y = p.draw_rows(p.left, y, cols, rows)
        if last:
            p.text_in(p.left, y + 1, 200, TOTAL_H, f"Проведено уроков за период: {len(sheet.lessons)}", 8)
            if sheet.year_plan is not None:
                p.whole_in(p.left, y + 1 + TOTAL_H, p.width, TOTAL_H, year_plan_line(sheet.year_plan), 8,
                           style="B")
        _sign(p, "Учитель", sheet.teacher, sheet.teacher_short)

    return draw


def year_plan_line(plan: YearPlan) -> str:
    """'Выполнение программы за учебный год на 26.05.2027: уроков по КТП на год — 34; проведено — 30;
    отставание — 4' (the date the figures are counted to)."""
    head = f"Выполнение программы за учебный год на {fmt_date(plan.as_of)}: "
    if not plan.planned_year:
        return f"{head}КТП не заполнен; проведено уроков — {plan.held}"
    # the plan due by the date differs from the year's while the year runs or when the
    # timetable has fewer lessons than the plan: the lag is counted against the former
    due = f", к {fmt_date(plan.as_of)} — {plan.planned}" if plan.planned != plan.planned_year else ""
    return (f"{head}уроков по КТП на год — {plan.planned_year}{due}; проведено — {plan.held}; "
            f"отставание — {plan.lag}")


# --- lessons missed and pupils' list ---------------------------------------------------
def _missed_cols(p: Painter, doc: RegisterDoc) -> tuple[float, list[Col]]:
    month_w = min(11.0, (p.width - NO_W - NAME_W - 5 * 12) / max(1, 2 * len(doc.months)))
    cols = [Col("№", NO_W, "C"), Col("", NAME_W)] + [Col("", month_w, "C")] * (2 * len(doc.months))
    return month_w, cols + [Col("", 12.0, "C")] * 5


def _missed_values(row: MissedRow) -> list[str]:
    values = [str(row.no), _stay(row.name, row.joined, row.left)]
    for missed, ill in row.per_month:
        values += [str(missed or ""), str(ill or "")]
    return values + [str(v) for v in (row.missed, row.ill, row.excused, row.unexcused, row.late)]


def _missed_pages(p: Painter, doc: RegisterDoc) -> list[tuple[str, Page]]:
    band = _band(doc, "Сведения о пропущенных уроках")
    _, cols = _missed_cols(p, doc)
    rows = cut_tall([p.lay_row(cols, _missed_values(r), TEXT_SIZE, MARK_ROW_H, TEXT_MIN) for r in doc.missed],
                    TABLE_END - MISSED_TOP)
    runs = split_by_height([r.height for r in rows], TABLE_END - MISSED_TOP, balance=False)
    return [(band, _missed_page(doc, [rows[i] for i in run])) for run in runs]


def _missed_page(doc: RegisterDoc, rows: list[Row]) -> Page:
    def draw(p: Painter) -> None:
        x, pdf = p.left, p.pdf
        month_w, cols = _missed_cols(p, doc)
        p.text_in(x, TOP, p.width, 6, "Сведения о количестве уроков, пропущенных обучающимися", 9.5, style="B")
        y0, hh = TOP + 7, MISSED_HEAD_H
        widths = [c.width for c in cols]
        pdf.set_fill_color(235)
        pdf.rect(x, y0, sum(widths), hh, style="DF")
        p.text_in(x, y0, NO_W, hh, "№", 7, align="C", style="B")
        p.text_in(x + NO_W, y0, NAME_W, hh, "Фамилия, имя обучающегося", 7, style="B")
        cx = x + NO_W + NAME_W
        for _year, month in doc.months:
            p.text_in(cx, y0, 2 * month_w, hh / 2, MONTHS[month], 7, align="C", style="B")
            p.text_in(cx, y0 + hh / 2, month_w, hh / 2, "всего", 6, align="C")
            p.text_in(cx + month_w, y0 + hh / 2, month_w, hh / 2, "по бол.", 6, align="C")
            pdf.line(cx, y0 + hh / 2, cx + 2 * month_w, y0 + hh / 2)
            pdf.line(cx + month_w, y0 + hh / 2, cx + month_w, y0 + hh)
            cx += 2 * month_w
        for title in ("Всего уроков", "по болезни", "уважит.", "неуважит.", "опоздания"):
            p.lines_in(cx, y0, 12, hh, title, 6.5, style="B")
            cx += 12
        edge = x
        for w in widths[:2] + [2 * month_w] * len(doc.months) + widths[-5:]:
            pdf.line(edge, y0, edge, y0 + hh)
            edge += w
        pdf.line(edge, y0, edge, y0 + hh)
        p.draw_rows(x, y0 + hh, cols, rows)
        _sign(p, "Классный руководитель", doc.head.leader)

    return draw


PUPIL_COLS = (Col("№", 8, "C"), Col("№ личного дела", 24, "C"), Col("Фамилия, имя, отчество", 70),
              Col("Дата рождения", 22, "C"), Col("Родители (законные представители)", 113), Col("Телефон", 40))


def _pupil_values(info: PupilInfo) -> tuple[str, ...]:
    return (str(info.no), info.file_no, _stay(info.name, info.joined, info.left), fmt_date(info.birth_date),
            info.parents, info.phone)


def _pupil_pages(p: Painter, doc: RegisterDoc) -> list[tuple[str, Page]]:
    band = _band(doc, "Список обучающихся")
    cols = scaled(PUPIL_COLS, p.width)
    rows = cut_tall([p.lay_row(cols, _pupil_values(info), TEXT_SIZE, LIST_ROW_H, TEXT_MIN) for info in doc.pupils],
                    TABLE_END - LIST_TOP)
    runs = split_by_height([r.height for r in rows], TABLE_END - LIST_TOP, balance=False)
    return [(band, _pupil_page(doc, [rows[i] for i in run])) for run in runs]


def _pupil_page(doc: RegisterDoc, rows: list[Row]) -> Page:
    def draw(p: Painter) -> None:
        cols = scaled(PUPIL_COLS, p.width)
        p.text_in(p.left, TOP, p.width, 6, "Общие сведения об обучающихся", 9.5, style="B")
        y = p.header_row(p.left, TOP + 7, cols, 8)
        p.draw_rows(p.left, y, cols, rows)
        _sign(p, "Классный руководитель", doc.head.leader)

    return draw

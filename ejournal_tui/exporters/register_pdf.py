"""The printed class register (DOMAIN.md, "Printed forms"), A4 landscape, in Russian: title
page with certification lines, contents, per subject the marks pages and the lessons pages,
the lessons-missed page and the pupils' list.

Pages are planned before anything is drawn, so the contents can name every subject's pages
and long subjects paginate by dates (columns) and pupils (rows) with their headers repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ejournal_tui.exporters.data import MarkRow, RegisterDoc, SubjectSheet, YearPlan
from ejournal_tui.exporters.fonts import FontFiles
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

MONTHS = ("", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь")
TOP = 14.0  # first line under the band
BOTTOM = 197.0  # last line above the footer
NO_W, NAME_W, DATE_W, MARK_W = 6.0, 46.0, 5.6, 12.0
MARK_ROW_H, HEAD_H = 5.0, 4.5


def dates_per_page(width: float) -> int:
    """Lesson dates of a marks page as wide as `width`."""
    return int((width - NO_W - NAME_W - MARK_W) // DATE_W)


DATES_PER_PAGE = dates_per_page(content_width("L"))  # with the default binding margin
PUPILS_PER_PAGE = int((BOTTOM - TOP - 7 - 2 * HEAD_H) // MARK_ROW_H)
LESSON_COLS = (Col("Дата", 16, "C"), Col("№", 7, "C"), Col("Тема урока", 98), Col("Домашнее задание", 70),
               Col("Замена", 34), Col("Урок провёл", 32), Col("Подпись", 20))
LESSON_ROW_H = 5.2
LESSONS_PER_PAGE = int((BOTTOM - TOP - 7 - 8 - 12) // LESSON_ROW_H)
SIGN_Y = BOTTOM - 8  # the teacher's signature line of a lessons page
TOTAL_H = 5.0  # a line under the lessons table: the period's count, the year's figures
# the last lessons page of a year-end register: its rows, the period's count and the year's
# figures all above the signature line
LESSONS_WITH_YEAR = int((SIGN_Y - (TOP + 7 + 8) - 1 - 2 * TOTAL_H) // LESSON_ROW_H)
LIST_ROW_H = 6.5
LIST_PER_PAGE = int((BOTTOM - TOP - 7 - 8) // LIST_ROW_H)
CONTENTS_PER_PAGE = int((BOTTOM - TOP - 14 - 8) // 6.0)

Page = Callable[[Painter], None]


@dataclass(frozen=True)
class Entry:
    """A line of the contents: what, whose, on which pages."""

    title: str
    teacher: str
    first: int
    last: int


def chunks(items: tuple | list, size: int) -> list:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def balanced(items: tuple | list, size: int) -> list:
    """Chunks of at most `size`, as even as possible (46 dates: 23 + 23, not 38 + 8)."""
    parts = max(1, -(-len(items) // size))
    return chunks(items, -(-len(items) // parts) if items else size)


def render_register(doc: RegisterDoc, font: FontFiles, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """The whole register as PDF bytes and its page count."""
    painter = make_pdf(font, "L", binding_mm)
    head = doc.head
    painter.setup("", not head.closed, status_note(head.closed, head.closed_at, head.printed_at, head.period_label),
                  f"Классный журнал {head.class_name} {head.year_label}")
    body: list[tuple[str, Page]] = []
    entries: list[Entry] = []
    n_contents = _contents_pages(doc)
    first_page = 2 + n_contents
    for sheet in doc.sheets:
        pages = _subject_pages(doc, sheet, painter.width)
        entries.append(Entry(sheet.title, sheet.teacher, first_page + len(body), first_page + len(body) + len(pages) - 1))
        body.extend(pages)
    extra = _missed_pages(doc) + _pupil_pages(doc)
    entries.append(Entry("Сведения о пропущенных уроках и список обучающихся", "", first_page + len(body),
                         first_page + len(body) + len(extra) - 1))
    body.extend(extra)
    painter.total = 1 + n_contents + len(body)
    _title_page(painter, doc)
    for page_entries in chunks(entries, CONTENTS_PER_PAGE):
        painter.page(_band(doc, "Оглавление"))
        _contents(painter, page_entries)
    for band, draw in body:
        painter.page(band)
        draw(painter)
    return finish(painter.pdf)


def _band(doc: RegisterDoc, section: str) -> str:
    h = doc.head
    return f"{h.school} · {h.class_name} класс · {h.year_label} · {h.period_label} · {section}"


def _contents_pages(doc: RegisterDoc) -> int:
    return len(chunks(list(range(len(doc.sheets) + 1)), CONTENTS_PER_PAGE))


# --- title and contents ---------------------------------------------------------------
def _title_page(p: Painter, doc: RegisterDoc) -> None:
    h = doc.head
    p.page(h.school)
    x, w = p.left, p.width
    p.text_in(x, 30, w, 8, h.school, 14, align="C", style="B")
    p.text_in(x, 50, w, 14, "КЛАССНЫЙ ЖУРНАЛ", 26, align="C", style="B")
    p.text_in(x, 68, w, 10, f"{h.class_name} класс", 18, align="C", style="B")
    p.text_in(x, 80, w, 8, f"{h.year_label} учебный год", 13, align="C")
    span = f" ({fmt_date(h.period_start)} – {fmt_date(h.period_end)})" if h.period_start else ""
    p.text_in(x, 89, w, 8, f"{h.period_label}{span}", 13, align="C")
    p.text_in(x, 98, w, 8, f"Классный руководитель: {h.leader or '—'}", 12, align="C")
    p.text_in(x, 110, w, 6, p.pdf.note, 9, align="C")
    y = 128
    p.text_in(x + 15, y, 200, 6, "Журнал заверен:", 10, style="B")
    for role, name in (("Классный руководитель", h.leader), ("Заместитель директора по УВР", ""),
                       ("Директор", "")):
        y += 11
        p.signature(x + 15, y, role, name)
    p.text_in(x + 15, y + 13, 120, 6, "М. П.", 10)


def _contents(p: Painter, entries: list[Entry]) -> None:
    x = p.left
    p.text_in(x, TOP, p.width, 8, "Оглавление", 12, align="C", style="B")
    cols = scaled((Col("№", 10, "C"), Col("Предмет", 130), Col("Учитель", 100), Col("Страницы", 37, "C")), p.width)
    y = p.header_row(x, TOP + 10, cols, 6)
    rows = [(str(i + 1), e.title, e.teacher, str(e.first) if e.first == e.last else f"{e.first}–{e.last}")
            for i, e in enumerate(entries)]
    p.table_rows(x, y, cols, 6.0, rows, 9)


# --- subject: marks -------------------------------------------------------------------
def _subject_pages(doc: RegisterDoc, sheet: SubjectSheet, width: float) -> list[tuple[str, Page]]:
    band = _band(doc, sheet.title)
    pages: list[tuple[str, Page]] = []
    date_chunks = balanced(list(range(len(sheet.dates))), dates_per_page(width))
    for part, cols in enumerate(date_chunks):
        last = part == len(date_chunks) - 1
        for rows in balanced(sheet.rows, PUPILS_PER_PAGE):
            pages.append((band, _marks_page(sheet, cols, rows, last, (part + 1, len(date_chunks)))))
    lesson_chunks = _lesson_chunks(sheet)
    for i, lessons in enumerate(lesson_chunks):
        pages.append((band, _lessons_page(sheet, lessons, i == len(lesson_chunks) - 1)))
    return pages


def _subject_title(p: Painter, sheet: SubjectSheet, what: str) -> None:
    hours = f"{sheet.hours_per_week:g} ч. в неделю"
    p.text_in(p.left, TOP, p.width, 6, f"{sheet.title} — {what}.  Учитель: {sheet.teacher}.  {hours}", 9.5,
              style="B")


def _marks_page(sheet: SubjectSheet, cols: list[int], rows: tuple[MarkRow, ...], last: bool,
                part: tuple[int, int]) -> Page:
    def draw(p: Painter) -> None:
        what = "отметки и посещаемость" + (f" (часть {part[0]} из {part[1]})" if part[1] > 1 else "")
        _subject_title(p, sheet, what)
        dates = [sheet.dates[i] for i in cols]
        widths = [NO_W, NAME_W] + [DATE_W] * len(dates) + ([MARK_W] if last else [])
        y0 = TOP + 7
        _marks_header(p, y0, dates, last, sheet.mark_column)
        y = y0 + 2 * HEAD_H
        p.grid(p.left, y, widths, MARK_ROW_H, len(rows))
        for r, row in enumerate(rows):
            _mark_row(p, y + r * MARK_ROW_H, row, cols, last)

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
            p.text_in(mx, y, DATE_W * (i - start), HEAD_H, MONTHS[dates[start].month], 7, align="C", style="B",
                      min_size=4)
            pdf.line(mx + DATE_W * (i - start), y, mx + DATE_W * (i - start), y + HEAD_H)
            start = i
    for i, day in enumerate(dates):
        p.text_in(cx + i * DATE_W, y + HEAD_H, DATE_W, HEAD_H, f"{day.day:02d}", 6.5, align="C")
    if last:
        mx = cx + DATE_W * len(dates)
        pdf.line(mx, y, mx, y + 2 * HEAD_H)
        p.text_in(mx, y, MARK_W, 2 * HEAD_H, mark_title, 7, align="C", style="B")


def _mark_row(p: Painter, y: float, row: MarkRow, cols: list[int], last: bool) -> None:
    x = p.left
    p.text_in(x, y, NO_W, MARK_ROW_H, str(row.no), 7, align="C")
    p.text_in(x + NO_W, y, NAME_W, MARK_ROW_H, row.name, 8)
    cx = x + NO_W + NAME_W
    for i in cols:
        p.text_in(cx, y, DATE_W, MARK_ROW_H, row.cells[i], 7.5, align="C", min_size=4)
        cx += DATE_W
    if last:
        p.text_in(cx, y, MARK_W, MARK_ROW_H, row.period_mark, 8.5, align="C", style="B")


# --- subject: lessons -----------------------------------------------------------------
def _lesson_chunks(sheet: SubjectSheet) -> list[tuple]:
    """The lessons page by page. At year end the last page needs a line more under its table:
    when its rows leave no room for it, they go on over one page more."""
    parts = chunks(sheet.lessons, LESSONS_PER_PAGE)
    last = parts[-1]
    if sheet.year_plan is not None and len(last) > LESSONS_WITH_YEAR:
        parts[-1:] = [last[:LESSONS_WITH_YEAR], last[LESSONS_WITH_YEAR:]]
    return parts


def _lessons_page(sheet: SubjectSheet, lessons: tuple, last: bool) -> Page:
    def draw(p: Painter) -> None:
        _subject_title(p, sheet, "записи уроков")
        cols = scaled(LESSON_COLS, p.width)
        y = p.header_row(p.left, TOP + 7, cols, 8)
        rows = [(fmt_date(ls.date), str(ls.number), ls.topic, ls.homework, ls.substitute, ls.teacher, "")
                for ls in lessons]
        y = p.table_rows(p.left, y, cols, LESSON_ROW_H, rows, 7.5)
        if last:
            p.text_in(p.left, y + 1, 200, TOTAL_H, f"Проведено уроков за период: {len(sheet.lessons)}", 8)
            if sheet.year_plan is not None:
                p.text_in(p.left, y + 1 + TOTAL_H, p.width, TOTAL_H, year_plan_line(sheet.year_plan), 8,
                          style="B")
        p.signature(p.left, SIGN_Y, "Учитель", sheet.teacher)

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
def _missed_pages(doc: RegisterDoc) -> list[tuple[str, Page]]:
    band = _band(doc, "Сведения о пропущенных уроках")
    return [(band, _missed_page(doc, rows)) for rows in chunks(doc.missed, PUPILS_PER_PAGE - 2)]


def _missed_page(doc: RegisterDoc, rows: tuple) -> Page:
    def draw(p: Painter) -> None:
        x, pdf = p.left, p.pdf
        month_w = min(11.0, (p.width - NO_W - NAME_W - 5 * 12) / max(1, 2 * len(doc.months)))
        p.text_in(x, TOP, p.width, 6, "Сведения о количестве уроков, пропущенных обучающимися", 9.5, style="B")
        y0, hh = TOP + 7, 2 * HEAD_H + 1
        widths = [NO_W, NAME_W] + [month_w] * (2 * len(doc.months)) + [12.0] * 5
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
        y = y0 + hh
        p.grid(x, y, widths, MARK_ROW_H, len(rows))
        for r, row in enumerate(rows):
            values = [str(row.no), row.name]
            for missed, ill in row.per_month:
                values += [str(missed or ""), str(ill or "")]
            values += [str(v) for v in (row.missed, row.ill, row.excused, row.unexcused, row.late)]
            cx = x
            for i, (w, value) in enumerate(zip(widths, values, strict=True)):
                p.text_in(cx, y + r * MARK_ROW_H, w, MARK_ROW_H, value, 7.5, align="L" if i == 1 else "C")
                cx += w

    return draw


def _pupil_pages(doc: RegisterDoc) -> list[tuple[str, Page]]:
    band = _band(doc, "Список обучающихся")
    return [(band, _pupil_page(rows)) for rows in chunks(doc.pupils, LIST_PER_PAGE)]


def _pupil_page(rows: tuple) -> Page:
    designed = (Col("№", 8, "C"), Col("№ личного дела", 24, "C"), Col("Фамилия, имя, отчество", 70),
            Col("Дата рождения", 22, "C"), Col("Родители (законные представители)", 113), Col("Телефон", 40))

    def draw(p: Painter) -> None:
        cols = scaled(designed, p.width)
        p.text_in(p.left, TOP, p.width, 6, "Общие сведения об обучающихся", 9.5, style="B")
        y = p.header_row(p.left, TOP + 7, cols, 8)
        p.grid(p.left, y, [c.width for c in cols], LIST_ROW_H, len(rows))
        for r, info in enumerate(rows):
            cy, cx = y + r * LIST_ROW_H, p.left
            values = (str(info.no), info.file_no, info.name, fmt_date(info.birth_date), info.parents, info.phone)
            for i, (col, value) in enumerate(zip(cols, values, strict=True)):
                if i == 4:
                    p.lines_in(cx, cy, col.width, LIST_ROW_H, value, 7)
                else:
                    p.text_in(cx, cy, col.width, LIST_ROW_H, value, 7.5, align=col.align)
                cx += col.width

    return draw


def planned_pages(doc: RegisterDoc, binding_mm: float = BINDING_MM) -> int:
    """Pages the register will have, without drawing it (for tests and progress)."""
    width = content_width("L", binding_mm)
    body = sum(len(_subject_pages(doc, s, width)) for s in doc.sheets)
    return 1 + _contents_pages(doc) + body + len(_missed_pages(doc)) + len(_pupil_pages(doc))

"""The registry of paper copies (реестр бумажных копий ЭЖ) as a printed, signable table:
A4 landscape, the school and the academic year at the top, one row per copy (number ·
class · period · document · sheets · printed when and by whom · the dates it was signed by
the teachers, the class leader, the deputy director and the director · handed to the archive
· note · the secretary's signature), and the keeper's signature lines under the last row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.exporters.pdfbase import (
    BINDING_MM,
    DRAFT,
    Col,
    Painter,
    finish,
    fmt_date,
    fmt_stamp,
    make_pdf,
    scaled,
)

TITLE = "Реестр бумажных копий электронного журнала"
KIND_WORDS = {"register": "Классный журнал", "summary": "Сводная ведомость"}
SIGNED = "Подписана (дата)"
COLS = (
    Col("№ п/п", 9, "C"), Col("Класс", 12, "C"), Col("Период", 22), Col("Документ", 26),
    Col("Листов", 12, "C"), Col("Напечатана", 20, "C"), Col("Кем напечатана", 30),
    Col("учителями", 19, "C"), Col("классным руководителем", 19, "C"), Col("заместителем директора", 19, "C"),
    Col("директором", 19, "C"), Col("Сдана в архив", 19, "C"), Col("Примечание", 26), Col("Подпись секретаря", 15),
)
GROUP = (7, 11)  # the columns under «Подписана (дата)»
NOTE = 12  # the note's column
TOP = 16.0  # below the page band
HEAD_H, ROW_H = 12.0, 8.0
SIGN_H = 22.0  # the keeper's signature lines under the table


@dataclass(frozen=True)
class RegistryLine:
    """One copy in the registry; dates are days, `printed_at` local time."""

    number: int
    class_name: str
    period: str  # as printed: «I четверть»
    kind: str  # register | summary
    sheets: int
    draft: bool
    printed_at: datetime | None
    printed_by: str
    teachers_signed: date | None = None
    leader_signed: date | None = None
    deputy_signed: date | None = None
    director_signed: date | None = None
    archived: date | None = None
    note: str = ""


@dataclass(frozen=True)
class RegistryDoc:
    school: str
    year_label: str  # "2026/2027"
    printed_at: datetime  # local time
    lines: tuple[RegistryLine, ...]
    keeper: str = ""  # the secretary's name for the signature line


def registry_pdf(doc: RegistryDoc, font: FontFiles, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """The registry as PDF bytes and its page count."""
    p = make_pdf(font, "L", binding_mm)
    p.setup("", False, f"Реестр на {fmt_stamp(doc.printed_at)}; записей: {len(doc.lines)}",
            f"{TITLE} {doc.year_label}")
    pages = _pages(doc.lines, p)
    p.total = len(pages)
    band = f"{doc.school} · Реестр бумажных копий ЭЖ · {doc.year_label} учебный год"
    cols = scaled(COLS, p.width)
    for i, rows in enumerate(pages):
        p.page(band)
        y = _heading(p, doc)
        if rows or i == 0:
            y = _table(p, cols, y, rows)
        if not doc.lines:
            p.text_in(p.left, y + 2, p.width, 7, "Записей в реестре за этот учебный год нет.", 10)
            y += 9
        if i == len(pages) - 1:
            _signatures(p, doc, y + 6)
    return finish(p.pdf)


def _rows_per_page(p: Painter) -> int:
    return max(1, int((p.bottom - 3 - (TOP + 20 + HEAD_H)) // ROW_H))


def _pages(lines: tuple[RegistryLine, ...], p: Painter) -> list[tuple[RegistryLine, ...]]:
    """Rows split into pages; the last page keeps room for the signatures under its rows
    (the rows that would crowd them out go on to one more page, never the signatures alone)."""
    per_page = _rows_per_page(p)
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [()]
    fit = max(0, int((per_page * ROW_H - SIGN_H) // ROW_H))
    if len(pages[-1]) > fit:
        last = pages.pop()
        pages += [last[:fit], last[fit:]] if fit else [last[:-1], last[-1:]]
    return pages


def _heading(p: Painter, doc: RegistryDoc) -> float:
    x, w = p.left, p.width
    p.text_in(x, TOP, w, 7, TITLE.upper(), 13, align="C", style="B")
    p.text_in(x, TOP + 7, w, 6, doc.school, 10, align="C")
    p.text_in(x, TOP + 13, w, 6, f"{doc.year_label} учебный год", 10, align="C")
    return TOP + 20


def _table(p: Painter, cols: tuple[Col, ...], y: float, rows: tuple[RegistryLine, ...]) -> float:
    _header(p, cols, y)
    top = y + HEAD_H
    cells = [_cells(line) for line in rows]
    bottom = p.table_rows(p.left, top, cols, ROW_H, [c[:NOTE] + [""] + c[NOTE + 1:] for c in cells], size=8.0)
    note_x = p.left + sum(c.width for c in cols[:NOTE])
    for r, row in enumerate(cells):  # a note may take two lines
        p.lines_in(note_x, top + r * ROW_H, cols[NOTE].width, ROW_H, row[NOTE], 6.5, max_lines=2)
    return bottom


def _header(p: Painter, cols: tuple[Col, ...], y: float) -> None:
    """One header row, with «Подписана (дата)» over the four signature columns."""
    pdf, x = p.pdf, p.left
    pdf.set_fill_color(235)
    pdf.rect(x, y, sum(c.width for c in cols), HEAD_H, style="DF")
    first, last = GROUP
    group_x = x + sum(c.width for c in cols[:first])
    group_w = sum(c.width for c in cols[first:last])
    half = HEAD_H / 2
    p.text_in(group_x, y, group_w, half, SIGNED, 7.5, align="C", style="B")
    pdf.line(group_x, y + half, group_x + group_w, y + half)
    cx = x
    for i, col in enumerate(cols):
        pdf.line(cx, y + (half if first < i < last else 0), cx, y + HEAD_H)
        top = half if first <= i < last else 0
        p.lines_in(cx, y + top, col.width, HEAD_H - top, col.title, 7.0, max_lines=3, style="B")
        cx += col.width
    pdf.line(cx, y, cx, y + HEAD_H)


def _cells(line: RegistryLine) -> list[str]:
    note = "; ".join(part for part in (DRAFT if line.draft else "", line.note) if part)
    return [
        str(line.number), line.class_name, line.period, KIND_WORDS.get(line.kind, line.kind), str(line.sheets),
        fmt_stamp(line.printed_at), line.printed_by, fmt_date(line.teachers_signed), fmt_date(line.leader_signed),
        fmt_date(line.deputy_signed), fmt_date(line.director_signed), fmt_date(line.archived), note, "",
    ]


def _signatures(p: Painter, doc: RegistryDoc, y: float) -> None:
    p.signature(p.left, y, "Реестр ведёт: секретарь", doc.keeper)
    p.signature(p.left, y + 9, "Проверил: директор", "")

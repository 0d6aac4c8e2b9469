"""Control reports as PDF (fpdf2, a Cyrillic TrueType font from `exporters.fonts`): the
document's title, then each table with its header repeated on every page, then the lines
for signatures. A row grows to hold its longest cell whole (what to fix, names): nothing
printed is cut. Pages are planned before drawing so the footer can say "page n of N"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ejournal_tui.exporters.control_tables import Document, Sheet
from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.exporters.layout import LEADING, PT
from ejournal_tui.exporters.pdfbase import (
    BINDING_MM,
    PAD,
    Col,
    Painter,
    finish,
    fmt_stamp,
    make_pdf,
)

ROW_H = 5.0
HEAD_H = 21.0
TITLE_H = 7.0
SIGN_H = 9.0


def document_pdf(doc: Document, font: FontFiles, printed_at: datetime,
                 binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """The PDF's bytes and its page count."""
    painter = make_pdf(font, "L", binding_mm)
    painter.setup(doc.title, False, f"{doc.subtitle} · напечатано {fmt_stamp(printed_at)}", doc.title)
    painter.total = _layout(painter, doc, draw=False)
    _layout(painter, doc, draw=True)
    return finish(painter.pdf)


def _cols(sheet: Sheet, width: float) -> list[Col]:
    rel = list(sheet.widths) or [1.0] * len(sheet.headers)
    rel += [rel[-1]] * (len(sheet.headers) - len(rel))
    scale = width / sum(rel[: len(sheet.headers)])
    return [Col(h, w * scale, "L" if i < 3 or w >= 14 else "C") for i, (h, w) in enumerate(zip(sheet.headers, rel, strict=False))]


class _Cursor:
    """Where the next line goes; starts a page (drawn or only counted) when one is full."""

    def __init__(self, p: Painter, band: str, draw: bool) -> None:
        self.p, self.band, self.draw, self.pages, self.y = p, band, draw, 0, 0.0

    def new_page(self) -> None:
        self.pages += 1
        if self.draw:
            self.p.page(self.band)
        self.y = self.p.pdf.t_margin + 6

    def need(self, h: float, on_break: Callable[[], None] | None = None) -> float:
        if self.pages == 0 or self.y + h > self.p.bottom - 2:
            self.new_page()
            if on_break:
                on_break()
        y = self.y
        self.y += h
        return y


def _layout(p: Painter, doc: Document, draw: bool) -> int:
    cur = _Cursor(p, doc.title, draw)
    y = cur.need(TITLE_H + 6)
    if draw:
        p.text_in(p.left, y, p.width, TITLE_H, doc.title, 13, align="C", style="B")
        p.text_in(p.left, y + TITLE_H, p.width, 5, doc.subtitle, 9, align="C")
    for sheet in doc.sheets:
        _table(cur, sheet)
    for role in doc.signatures:
        y = cur.need(SIGN_H)
        if draw:
            p.signature(p.left, y + 2, role, "", p.width)
    return cur.pages


def _table(cur: _Cursor, sheet: Sheet) -> None:
    p, draw = cur.p, cur.draw
    cols = _cols(sheet, p.width)

    def header() -> None:
        y = cur.need(HEAD_H)
        if draw:
            _header_row(p, y, cols)

    y = cur.need(TITLE_H + HEAD_H + ROW_H)
    cur.y = y + TITLE_H
    if draw:
        p.text_in(p.left, y + 1, p.width, TITLE_H - 1, sheet.title, 10, style="B")
    header()
    if not sheet.rows:
        y = cur.need(ROW_H)
        if draw:
            p.text_in(p.left, y, p.width, ROW_H, "нет записей", 7.5)
        return
    for row in sheet.rows:
        laid = p.lay_row(cols, [_text(v) for v in row], 7.0, ROW_H, min_size=6.0)  # grows, never cut
        y = cur.need(laid.height, header)
        if draw:
            p.draw_rows(p.left, y, cols, [laid])


def _header_row(p: Painter, y: float, cols: list[Col]) -> None:
    """Bold column titles on grey, each whole: the text columns' across, the narrow figure
    columns' turned upright (read from the bottom) so that no word is broken."""
    pdf = p.pdf
    pdf.set_fill_color(235)
    pdf.rect(p.left, y, sum(c.width for c in cols), HEAD_H, style="DF")
    x = p.left
    for col in cols:
        pdf.line(x, y, x, y + HEAD_H)
        if col.align == "C":
            _upright(p, x, y, col.width, HEAD_H, col.title, 6.5)
        else:
            p.whole_in(x, y, col.width, HEAD_H, col.title, 7.0, align="C", style="B", min_size=5.5)
        x += col.width
    pdf.line(x, y, x, y + HEAD_H)


def _upright(p: Painter, x: float, y: float, w: float, h: float, text: str, size: float) -> None:
    """`text` turned 90° in the box, its lines side by side, shrunk until they fit across."""
    while True:
        lines = p.wrap(text, h - 2 * PAD, size, "B")
        step = size * PT * LEADING
        if len(lines) * step <= w - 0.6 or size <= 4.5:
            break
        size -= 0.5
    cx, cy = x + w / 2, y + h / 2
    first = cx - step * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        lx = first + i * step
        tw = p.unit_width(line, "B") * size  # measuring sets its own size: set ours after
        p.use(size, "B")
        with p.pdf.rotation(90, lx, cy):
            p.pdf.text(lx - tw / 2, cy + 0.36 * size * PT, line)


def _text(value: Any) -> str:
    """A cell as printed: numbers with a decimal comma (33,3), nothing for None."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)

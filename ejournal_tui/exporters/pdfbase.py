"""A thin layer over fpdf2 for table-heavy printed forms.

Tables are drawn as lines plus `text()` at computed positions rather than with `cell()`:
`cell()` lays out every string through fpdf2's line machinery and does not clip, so it is
both several times slower and able to spill text into the next cell. Here every string is
measured once (widths scale with the font size, so one measurement per string serves every
size). `text_in` shrinks a string to fit and, below the smallest readable size, cuts it with
an ellipsis: for labels only. Data goes through `block` / `whole_in`, which keep every word:
shrunk a little, else wrapped onto as many lines as it needs (the row grows to the tallest
cell, see `lay_row`), never cut.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ejournal_tui.exporters.fonts import FontFiles, light
from ejournal_tui.exporters.layout import LEADING, VPAD, Block, Row

PT = 0.3528  # mm per point
MIN_SIZE = 5.0  # smallest font size printed, in points
PAD = 0.8  # mm of padding inside a cell on each side
DRAFT = "ЧЕРНОВИК"
BINDING_MM = 20  # the binding edge's margin unless the school's setting says otherwise
TOP_MM, RIGHT_MM = 8, 10  # the other margins; the binding margin does not change them
PAGE_W = {"L": 297.0, "P": 210.0}  # A4 by orientation
SHRINK = 0.85  # data is shrunk to this share of its size at most before it wraps instead
BREAK_AFTER = "/-,;:)"  # where a word too long for its cell is best broken


@dataclass(frozen=True)
class Col:
    title: str
    width: float
    align: str = "L"  # L | C | R


def fmt_date(day: Any) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def fmt_stamp(at: datetime | None) -> str:
    return at.strftime("%d.%m.%Y %H:%M") if at else ""


def content_width(orientation: str = "L", binding_mm: float = BINDING_MM) -> float:
    """Width in mm between the binding margin and the right margin of an A4 page."""
    return PAGE_W[orientation] - binding_mm - RIGHT_MM


def scaled(cols: Sequence[Col], width: float) -> tuple[Col, ...]:
    """Columns designed for one width, stretched or narrowed in proportion to fill `width`."""
    factor = width / sum(c.width for c in cols)
    return tuple(Col(c.title, c.width * factor, c.align) for c in cols)


def make_pdf(font: FontFiles, orientation: str = "L", binding_mm: float = BINDING_MM) -> Any:
    """An fpdf2 document with the font loaded and our page furniture; the binding edge (the
    left one) has `binding_mm` of margin."""
    from fpdf import FPDF

    class _Doc(FPDF):  # defined here so fpdf2 is imported only when a PDF is made
        band: str = ""
        draft: bool = False
        note: str = ""

        def header(self) -> None:
            self.draw_band()

        def footer(self) -> None:
            self.draw_footer()

    pdf = _Doc(orientation=orientation, unit="mm", format="A4")
    font = light(font)
    pdf.add_font("body", "", str(font.regular))
    pdf.add_font("body", "B", str(font.bold))
    pdf.set_auto_page_break(False)
    pdf.set_margins(binding_mm, TOP_MM, RIGHT_MM)
    pdf.set_creator("ejournal")
    return Painter.attach(pdf)


class Painter:
    """Measures, fits and draws text and grids on one fpdf2 document."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self._unit: dict[tuple[str, str], float] = {}
        self._font: tuple[str, float] | None = None
        self._blocks: dict[tuple, Block] = {}
        self.total = 0  # pages of the document, known from its plan before drawing
        pdf.painter = self
        pdf.draw_band = self.draw_band
        pdf.draw_footer = self.draw_footer

    @classmethod
    def attach(cls, pdf: Any) -> Painter:
        return cls(pdf)

    # --- page furniture -------------------------------------------------------------
    @property
    def width(self) -> float:
        return self.pdf.w - self.pdf.l_margin - self.pdf.r_margin

    @property
    def left(self) -> float:
        return self.pdf.l_margin

    @property
    def bottom(self) -> float:
        return self.pdf.h - 12  # the footer's line

    def page(self, band: str) -> None:
        """A new page whose top band says `band`."""
        self.pdf.band = band
        self.pdf.add_page()
        self._font = None  # add_page restores fpdf2's font behind our back

    def setup(self, band: str, draft: bool, note: str, title: str = "") -> None:
        pdf = self.pdf
        pdf.band, pdf.draft, pdf.note = band, draft, note
        if title:
            pdf.set_title(title)

    def draw_band(self) -> None:
        pdf = self.pdf
        self._font = None
        top = pdf.t_margin
        self.text_in(self.left, top, self.width * 0.7, 4, pdf.band, 7.5, style="B")
        if pdf.draft:
            pdf.set_text_color(190, 0, 0)
            self.text_in(self.left + self.width * 0.7, top, self.width * 0.3, 4,
                         f"{DRAFT}: период не закрыт", 9, align="R", style="B")
            pdf.set_text_color(0, 0, 0)

    def draw_footer(self) -> None:
        pdf = self.pdf
        self._font = None
        y = pdf.h - 11
        pdf.set_draw_color(120)
        pdf.line(self.left, y, self.left + self.width, y)
        pdf.set_draw_color(0)
        self.text_in(self.left, y + 0.5, self.width - 30, 4, pdf.note, 6.5)
        self.text_in(self.left + self.width - 30, y + 0.5, 30, 4,
                     f"стр. {pdf.page_no()} из {self.total}", 7.5, align="R")

    # --- text -----------------------------------------------------------------------
    def use(self, size: float, style: str = "") -> None:
        if self._font != (style, size):
            self.pdf.set_font("body", style, size)
            self._font = (style, size)

    def unit_width(self, text: str, style: str = "") -> float:
        """Width in mm of `text` at 1 pt (widths are linear in the size)."""
        key = (style, text)
        width = self._unit.get(key)
        if width is None:
            self.use(10.0, style)
            width = self.pdf.get_string_width(text) / 10.0
            self._unit[key] = width
        return width

    def fit(self, text: str, width: float, size: float, style: str = "",
            min_size: float = MIN_SIZE) -> tuple[str, float]:
        """The text and size that fit `width`: the size shrunk down to `min_size`, then the
        text cut with an ellipsis."""
        room = max(width - 2 * PAD, 0.5)
        unit = self.unit_width(text, style)
        if unit * size <= room:
            return text, size
        if unit * min_size <= room:
            return text, max(min_size, room / unit)
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.unit_width(text[:mid].rstrip() + "…", style) * min_size <= room:
                lo = mid
            else:
                hi = mid - 1
        return (text[:lo].rstrip() + "…") if lo else "", min_size

    def text_in(self, x: float, y: float, w: float, h: float, text: str, size: float,
                align: str = "L", style: str = "", min_size: float = MIN_SIZE) -> None:
        """Draw `text` on one line inside the box, fitted, vertically centred."""
        if not text:
            return
        text, size = self.fit(text, w, size, style, min_size)
        if not text:
            return
        self.use(size, style)
        tw = self.unit_width(text, style) * size
        if align == "C":
            tx = x + (w - tw) / 2
        elif align == "R":
            tx = x + w - PAD - tw
        else:
            tx = x + PAD
        self.pdf.text(tx, y + h / 2 + 0.36 * size * PT, text)

    def lines_in(self, x: float, y: float, w: float, h: float, text: str, size: float,
                 max_lines: int = 2, style: str = "") -> None:
        """Up to `max_lines` lines, split on words; the last one fitted like `text_in`."""
        words, lines, current = text.split(), [], ""
        room = w - 2 * PAD
        for word in words:
            trial = f"{current} {word}".strip()
            if current and self.unit_width(trial, style) * size > room and len(lines) < max_lines - 1:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
        step = h / len(lines)
        for i, line in enumerate(lines):
            self.text_in(x, y + i * step, w, step, line, size, style=style)

    # --- grids ----------------------------------------------------------------------
    def grid(self, x: float, y: float, widths: Sequence[float], row_h: float, rows: int) -> None:
        """The rules of a table of `rows` equal rows: one line per border, not per cell."""
        pdf = self.pdf
        total = sum(widths)
        bottom = y + row_h * rows
        for r in range(rows + 1):
            pdf.line(x, y + r * row_h, x + total, y + r * row_h)
        cx = x
        pdf.line(cx, y, cx, bottom)
        for w in widths:
            cx += w
            pdf.line(cx, y, cx, bottom)

    def header_row(self, x: float, y: float, cols: Sequence[Col], h: float, size: float = 7.0) -> float:
        """A bold header row with wrapped titles; returns its bottom."""
        pdf = self.pdf
        pdf.set_fill_color(235)
        pdf.rect(x, y, sum(c.width for c in cols), h, style="DF")
        cx = x
        for col in cols:
            pdf.line(cx, y, cx, y + h)
            self.lines_in(cx, y, col.width, h, col.title, size, style="B")
            cx += col.width
        pdf.line(cx, y, cx, y + h)
        return y + h

    def table_rows(self, x: float, y: float, cols: Sequence[Col], h: float,
                   rows: Sequence[Sequence[str]], size: float = 7.5) -> float:
        """Rows of text under a header; returns the bottom of the table."""
        self.grid(x, y, [c.width for c in cols], h, len(rows))
        for r, row in enumerate(rows):
            cx, cy = x, y + r * h
            for col, value in zip(cols, row, strict=False):
                self.text_in(cx, cy, col.width, h, value, size, align=col.align)
                cx += col.width
        return y + h * len(rows)

    def signature(self, x: float, y: float, role: str, name: str, width: float | None = None) -> None:
        """'Role ____________ / Name /   «___» __________ 20__ г.' (by default as wide as the
        page leaves from `x`)."""
        width = min(250.0, self.left + self.width - x) if width is None else width
        line = f"{role}  ______________________  / {name} /" if name else f"{role}  ______________________"
        self.text_in(x, y, width * 0.7, 6, line, 9)
        self.text_in(x + width * 0.7, y, width * 0.3, 6, "«____» ______________ 20____ г.", 9)

    # --- text kept whole ------------------------------------------------------------
    def wrap(self, text: str, room: float, size: float, style: str = "") -> list[str]:
        """Lines of `text`, each at most `room` mm wide at `size`, broken between words (and
        at the text's own line breaks); a word wider than `room` is broken inside itself.
        Widths add up (no kerning), so each word is measured once."""
        lines: list[str] = []
        space = self.unit_width(" ", style) * size
        for para in text.splitlines() or [""]:
            current: list[str] = []
            used = 0.0
            for word in para.split():
                for piece in self._pieces(word, room, size, style):
                    w = self.unit_width(piece, style) * size
                    if current and used + space + w <= room + 1e-6:
                        current.append(piece)
                        used += space + w
                        continue
                    if current:
                        lines.append(" ".join(current))
                    current, used = [piece], w
            if current:
                lines.append(" ".join(current))
        return lines or [""]

    def _pieces(self, word: str, room: float, size: float, style: str) -> Iterator[str]:
        """The word, or parts of it that each fit `room`, broken after «/», «-» and the like
        where possible, else between any two characters."""
        if self.unit_width(word, style) * size <= room + 1e-6:
            yield word
            return
        start = 0
        while start < len(word):
            used, end, best = 0.0, start, 0
            while end < len(word):
                w = self.unit_width(word[end], style) * size
                if end > start and used + w > room + 1e-6:
                    break
                used += w
                end += 1
                if word[end - 1] in BREAK_AFTER:
                    best = end
            if end < len(word) and best > start:
                end = best
            yield word[start:end]
            start = end

    def block(self, text: str, width: float, size: float, style: str = "", min_size: float | None = None,
              wrap_size: float | None = None) -> Block:
        """`text` whole in a cell `width` wide: one line at `size`, or shrunk down to
        `min_size` (by default SHRINK of `size`) when that is enough; else wrapped at
        `wrap_size` (by default `size`) onto as many lines as it needs. Never cut."""
        key = (text, width, size, style, min_size, wrap_size)
        found = self._blocks.get(key)
        if found is None:
            found = self._block(text, width, size, style, min_size, wrap_size)
            self._blocks[key] = found
        return found

    def _block(self, text: str, width: float, size: float, style: str, min_size: float | None,
               wrap_size: float | None) -> Block:
        room = max(width - 2 * PAD, 0.5)
        if "\n" not in text:
            unit = self.unit_width(text, style)
            if unit * size <= room:
                return Block((text,), size, style)
            smallest = SHRINK * size if min_size is None else min_size
            if unit * smallest <= room:
                return Block((text,), room / unit, style)
        at = size if wrap_size is None else wrap_size
        return Block(tuple(self.wrap(text, room, at, style)), at, style)

    def draw_block(self, x: float, y: float, w: float, h: float, block: Block, align: str = "L") -> None:
        """The block's lines inside the box, the group vertically centred."""
        if not block.lines or not any(block.lines):
            return
        size, style = block.size, block.style
        step = size * PT * LEADING
        top = y + (h - block.height) / 2 + step / 2 + 0.36 * size * PT
        placed = []  # measured before drawing: measuring a new string switches fpdf2's font
        for i, line in enumerate(block.lines):
            if not line:
                continue
            if align == "L":
                tx = x + PAD
            else:
                tw = self.unit_width(line, style) * size
                tx = x + (w - tw) / 2 if align == "C" else x + w - PAD - tw
            placed.append((tx, top + i * step, line))
        self.use(size, style)
        for tx, ty, line in placed:
            self.pdf.text(tx, ty, line)

    def whole_in(self, x: float, y: float, w: float, h: float, text: str, size: float, align: str = "L",
                 style: str = "", min_size: float = MIN_SIZE) -> None:
        """`text` whole inside a box of fixed height, at the largest size (down to
        `min_size`) at which it fits: on one line, or wrapped onto as many as the box holds; at
        the smallest size the lines may run over the box's height, but no word is dropped."""
        if not text:
            return
        block = self.block(text, w, size, style)
        at = size
        while block.height > h + 1e-6 and at > min_size:
            at = max(min_size, at - 0.5)
            block = self.block(text, w, at, style, min_size=at)
        self.draw_block(x, y, w, h, block, align)

    # --- tables of rows that grow ---------------------------------------------------
    def lay_row(self, cols: Sequence[Col], values: Sequence[str], size: float, min_h: float,
                min_size: float | None = None) -> Row:
        """A row of data laid out: each value whole in its column, the row as tall as its
        tallest cell needs (at least `min_h`)."""
        blocks = tuple(self.block(v, c.width, size, min_size=min_size) for c, v in zip(cols, values, strict=False))
        tallest = max((b.height for b in blocks), default=0.0)
        return Row(max(min_h, tallest + 2 * VPAD), blocks)

    def rules(self, x: float, y: float, widths: Sequence[float], heights: Sequence[float]) -> float:
        """The rules of a table whose rows have the given heights; returns its bottom."""
        pdf = self.pdf
        total = sum(widths)
        pdf.line(x, y, x + total, y)
        bottom = y
        for h in heights:
            bottom += h
            pdf.line(x, bottom, x + total, bottom)
        cx = x
        pdf.line(cx, y, cx, bottom)
        for w in widths:
            cx += w
            pdf.line(cx, y, cx, bottom)
        return bottom

    def draw_rows(self, x: float, y: float, cols: Sequence[Col], rows: Sequence[Row]) -> float:
        """Laid-out rows under a header: rules, then every cell; returns the table's bottom."""
        bottom = self.rules(x, y, [c.width for c in cols], [r.height for r in rows])
        for row in rows:
            cx = x
            for col, block in zip(cols, row.blocks, strict=False):
                self.draw_block(cx, y, col.width, row.height, block, col.align)
                cx += col.width
            y += row.height
        return bottom

    def sign_line(self, x: float, y: float, role: str, name: str, width: float | None = None,
                  size: float = 9.0, role_w: float = 0.0) -> None:
        """'Учитель: ____________ / Иванова А. П. /   Дата: «____» __________ 20____ г.' on
        one line, the name in full (a blank to write it in when there is none). With `role_w`
        the role takes that many mm, so the blanks of several lines stand one under another."""
        width = min(250.0, self.left + self.width - x) if width is None else width
        who = f"/ {name} /" if name else "/ ______________________ /"
        if role_w:
            self.whole_in(x, y, role_w, 6, f"{role}:", size)
            self.whole_in(x + role_w, y, width * 0.68 - role_w, 6, f"________________________ {who}", size)
        else:
            self.whole_in(x, y, width * 0.68, 6, f"{role}: ________________________ {who}", size)
        self.text_in(x + width * 0.68, y, width * 0.32, 6, "Дата: «____» ______________ 20____ г.", size)

    def label_width(self, labels: Sequence[str], size: float, style: str = "") -> float:
        """Width in mm of the widest label at `size`, with the cell's padding."""
        return max((self.unit_width(t, style) for t in labels), default=0.0) * size + 2 * PAD


def status_note(closed: bool, closed_at: datetime | None, printed_at: datetime, period: str) -> str:
    """The footer line: a copy printed from a closed period, or a draft."""
    if closed:
        when = f" (закрыт {fmt_stamp(closed_at)})" if closed_at else ""
        return f"Копия из закрытого периода «{period}»{when}; напечатано {fmt_stamp(printed_at)}"
    return f"{DRAFT}: период «{period}» не закрыт; напечатано {fmt_stamp(printed_at)}"


def finish(pdf: Any) -> tuple[bytes, int]:
    return bytes(pdf.output()), pdf.page_no()

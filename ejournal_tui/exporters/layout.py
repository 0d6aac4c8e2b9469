"""Text laid out for printed tables, independent of the PDF library: a cell's lines at one
size (`Block`), a row of them (`Row`), rows too tall for a page cut into rows that fit
(`cut_tall`), and rows shared out over pages by their heights (`split_by_height`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PT = 0.3528  # mm per point
LEADING = 1.18  # a wrapped line's height as a multiple of the font size
VPAD = 0.7  # mm above and below the lines of a grown row


@dataclass(frozen=True)
class Block:
    """Text laid out for a cell: every word of it, on one or more lines at one size."""

    lines: tuple[str, ...]
    size: float
    style: str = ""

    @property
    def height(self) -> float:
        """Height in mm of the lines (one line of a single-line block)."""
        return len(self.lines) * self.size * PT * LEADING


@dataclass(frozen=True)
class Row:
    """A table row laid out: its height (the tallest cell's, at least the table's row
    height) and one block per column."""

    height: float
    blocks: tuple[Block, ...]


def short_name(full: str) -> str:
    """'Иванова Анна Петровна' -> 'Иванова А. П.' (a signature's расшифровка)."""
    parts = full.split()
    if len(parts) < 2:
        return full.strip()
    return " ".join([parts[0], *(f"{p[0]}." for p in parts[1:3])])


def split_by_height(heights: Sequence[float], room: float, balance: bool = True) -> list[range]:
    """Runs of rows, in order, each run at most `room` high (a row taller than `room` gets a
    run of its own). With `balance`, as few runs as greedy filling needs, their heights as
    even as possible (46 equal rows on 40-row pages: 23 + 23, not 40 + 6)."""
    if not heights:
        return [range(0)]
    runs = _greedy(heights, room)
    if not balance or len(runs) == 1:
        return runs
    lo, hi = max(heights), room
    while hi - lo > 0.05:  # the lowest cap that still needs no more runs
        mid = (lo + hi) / 2
        if len(_greedy(heights, mid)) <= len(runs):
            hi = mid
        else:
            lo = mid
    return _greedy(heights, hi)


def _greedy(heights: Sequence[float], room: float) -> list[range]:
    runs, start, used = [], 0, 0.0
    for i, h in enumerate(heights):
        if i > start and used + h > room + 1e-6:
            runs.append(range(start, i))
            start, used = i, 0.0
        used += h
    runs.append(range(start, len(heights)))
    return runs


def cut_tall(rows: Sequence[Row], room: float) -> list[Row]:
    """The rows, each one taller than `room` (what a page holds) cut into rows that fit: its
    text goes on in the next row, on the next page; nothing is dropped."""
    out: list[Row] = []
    for row in rows:
        if row.height <= room + 1e-6:
            out.append(row)
            continue
        per = [max(1, int((room - 2 * VPAD) // (b.size * PT * LEADING))) if b.size else 1 for b in row.blocks]
        pieces = max((-(-len(b.lines) // n) for b, n in zip(row.blocks, per, strict=True)), default=1)
        for k in range(pieces):
            blocks = tuple(Block(b.lines[k * n:(k + 1) * n], b.size, b.style)
                           for b, n in zip(row.blocks, per, strict=True))
            out.append(Row(max((b.height for b in blocks), default=0.0) + 2 * VPAD, blocks))
    return out

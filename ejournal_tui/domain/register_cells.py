"""The cells and rows of a class register, as rules: where a cell is, what a person can
enter into one, how a cell reads (DOMAIN.md: "н", "н/а", a double mark "5/4") and the
figures at the end of a pupil's row (number of marks, average, suggested mark, below the
minimum). The service that reads a register, the register editor and the screen all use
these, so a cell or a row never reads one way when opened and another after an entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ejournal_tui.domain.attendance import ABSENT
from ejournal_tui.domain.marks import NUMERIC, suggest_mark
from ejournal_tui.domain.settings import RuleSettings


@dataclass(frozen=True)
class CellRef:
    """A cell: a pupil and a lesson (`lesson_id` None: the period-mark column)."""

    pupil_id: int
    lesson_id: int | None


# ---- what a key on a cell asks for ------------------------------------------------------


@dataclass(frozen=True)
class MarkTyped:
    """A mark (2–5) typed on a cell: a lesson's mark, or the period mark in its column."""

    value: str


@dataclass(frozen=True)
class AbsenceToggled:
    """«н»: absent, or present again when the pupil was marked absent."""


@dataclass(frozen=True)
class Cleared:
    """Delete: the cell's last mark, else its absence; the period mark in its column."""


@dataclass(frozen=True)
class FinalAccepted:
    """The suggested mark becomes the period mark."""


Entry = MarkTyped | AbsenceToggled | Cleared | FinalAccepted


# ---- how a cell reads -------------------------------------------------------------------


def cell_notation(status: str | None, values: Sequence[str], width: int | None = None) -> str:
    """What a cell reads: its absence and its marks, in order of entry.

    In full (`width` None, the printed register): "н", "оп" (late), "5/4", "н 5". In `width`
    characters (the screen's grid): "н5", "о", a double mark "5/4" as on paper, "54…" when
    more would not fit; the absence gives way to marks that fill the cell.
    """
    if width is None:
        code = ("н" if status == ABSENT else "оп") if status else ""
        return " ".join(part for part in (code, "/".join(values)) if part)
    code = ("н" if status == ABSENT else "о") if status else ""
    if not code and len(values) == 2 and all(len(v) == 1 for v in values):
        return "/".join(values)
    marks = "".join(values)
    text = code + marks if len(marks) < width else marks
    return text if len(text) <= width else text[: width - 1] + "…"


# ---- a pupil's row ----------------------------------------------------------------------


class RowFigures(NamedTuple):
    """The figures at the end of a pupil's row for the period."""

    marks: int
    average: float | None
    suggested: str | None
    below_minimum: bool


def row_figures(count: int, total: float, weights: float, minimum: int, settings: RuleSettings) -> RowFigures:
    """The row's figures from its numeric marks: how many, their weighted sum and weights."""
    avg = round(total / weights, 2) if weights else None
    return RowFigures(count, avg, suggest_mark(avg, settings), count < minimum)


def row_summary(marks: Iterable[tuple[str, float]], minimum: int, settings: RuleSettings) -> RowFigures:
    """The row's figures from a pupil's marks of the period as (mark, weight) pairs.

    Non-numeric marks are left out; a double mark counts as two marks; with the school's
    arithmetic average every weight is 1 (DOMAIN.md, "Counting rules")."""
    arithmetic = settings.average == "arithmetic"
    count, total, weights = 0, 0.0, 0.0
    for text, weight in marks:
        if text in NUMERIC:
            count += 1
            weight = 1.0 if arithmetic else weight
            total += int(text) * weight
            weights += weight
    return row_figures(count, total, weights, minimum, settings)

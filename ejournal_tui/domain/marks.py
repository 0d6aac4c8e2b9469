"""Marks: notation, averages, rounding to a suggested mark, minimum counts.

A cell of the register may hold "5", "4", "3", "2", several of them ("5/4" or "54"), or a
non-numeric mark: н/а (not certified), осв (exempted), зач (passed). Averages leave the
non-numeric marks out; a double mark counts as two marks (DOMAIN.md, "Counting rules").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ejournal_tui.domain.errors import InvalidMark
from ejournal_tui.domain.settings import RuleSettings

NUMERIC = ("2", "3", "4", "5")
_MARK_TEXT = {2: "2", 3: "3", 4: "4", 5: "5"}
NON_NUMERIC = ("н/а", "осв", "зач")
FINAL_VALUES = NUMERIC + NON_NUMERIC

# Latin look-alikes and typing variants people really use for the non-numeric marks.
_ALIASES = {
    "на": "н/а",
    "н\\а": "н/а",
    "h/a": "н/а",
    "n/a": "н/а",
    "na": "н/а",
    "осв.": "осв",
    "osv": "осв",
    "зач.": "зач",
    "zach": "зач",
}


@dataclass(frozen=True)
class MarkValue:
    """One mark as entered: its text and, for 2–5, its number."""

    text: str

    @property
    def numeric(self) -> int | None:
        return int(self.text) if self.text in NUMERIC else None


def parse_mark(raw: str) -> MarkValue:
    """One mark from what a person typed; raises `InvalidMark` for anything else."""
    text = (raw or "").strip().lower().replace("ё", "е")
    text = _ALIASES.get(text, text)
    if text in FINAL_VALUES:
        return MarkValue(text)
    raise InvalidMark(value=raw)


def parse_cell(raw: str) -> list[MarkValue]:
    """Marks of one cell: "5", "5/4", "5 4", "54" (two marks), "н/а"."""
    text = (raw or "").strip()
    if not text:
        return []
    for sep in ("/", " ", ","):
        parts = [p for p in text.split(sep) if p.strip()]
        if len(parts) > 1 and all(p.strip() in NUMERIC for p in parts):
            return [MarkValue(p.strip()) for p in parts]
    if len(text) > 1 and all(ch in NUMERIC for ch in text):
        return [MarkValue(ch) for ch in text]
    return [parse_mark(text)]


def weighted_average(marks: Iterable[tuple[str, float]]) -> float | None:
    """Average of (mark text, weight) pairs, non-numeric marks left out; None if no marks."""
    total = 0.0
    weights = 0.0
    for text, weight in marks:
        if text in NUMERIC and weight > 0:
            total += int(text) * weight
            weights += weight
    return round(total / weights, 2) if weights else None


def average(marks: Iterable[tuple[str, float]], settings: RuleSettings) -> float | None:
    """The school's average: weighted by kind of work, or arithmetic (every weight 1)."""
    if settings.average == "arithmetic":
        return weighted_average((text, 1.0) for text, _ in marks)
    return weighted_average(marks)


def suggest_mark(avg: float | None, settings: RuleSettings) -> str | None:
    """The mark an average rounds to with the school's thresholds; None without marks."""
    if avg is None:
        return None
    # Averages are kept to two decimals and thresholds have at most two, so compare the
    # rounded average with a small tolerance: 3.4999999 from float sums is 3.5, not below it.
    value = round(avg, 2)
    mark = 2
    for i, threshold in enumerate(settings.rounding_thresholds):
        if value >= threshold - 1e-9:
            mark = i + 3
    return _MARK_TEXT[mark]


def minimum_marks(hours_per_week: float, settings: RuleSettings) -> int:
    """Marks a pupil needs in a period to be certified, by the subject's weekly hours."""
    if hours_per_week <= 1:
        return settings.min_marks_one_hour
    return settings.min_marks_more_hours


def marks_due_by(minimum: int, elapsed: float) -> int:
    """The marks a pupil should have at a point of the period: the minimum in proportion to
    the part of the period elapsed (rounded down). A preliminary report two weeks before the
    end asks for that, not for the whole period's minimum (which flagged 29 of 30 pupils)."""
    return int(minimum * max(0.0, min(1.0, elapsed)))


def short_of_marks(marks: int, due: int, class_median: float, *, period_over: bool) -> bool:
    """A pupil's own risk of not being certified. Once the period is over: fewer marks than
    the minimum. Before: fewer than due so far, and at most half of what the class's median
    pupil has (they missed the lessons where the others were marked); when the class as a
    whole is short, it is the teacher's backlog (the control report names it), not something
    the class leader should chase pupil by pupil."""
    if period_over:
        return marks < due
    return marks < due <= class_median and marks * 2 <= class_median


def count_marks(marks: Iterable[str]) -> int:
    """Numeric marks in a list of mark texts (a double mark is two entries already)."""
    return sum(1 for m in marks if m in NUMERIC)


def grade_gets_marks(grade: int, settings: RuleSettings) -> bool:
    return grade not in settings.no_mark_grades

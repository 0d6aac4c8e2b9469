"""Year and final marks (DOMAIN.md, "Period closure" and "Counting rules").

The year mark is suggested from the period marks, the final (итоговая) mark from the year
and exam marks. Non-numeric marks: a period with н/а leaves the year to the teacher (no
suggestion) unless every period is the same non-numeric mark (all осв → осв).
"""

from __future__ import annotations

from collections.abc import Sequence

from ejournal_tui.domain.marks import NUMERIC, suggest_mark
from ejournal_tui.domain.settings import RuleSettings

KIND_PERIOD = "period"
KIND_YEAR = "year"
KIND_EXAM = "exam"
KIND_FINAL = "final"
FINAL_KINDS = (KIND_PERIOD, KIND_YEAR, KIND_EXAM, KIND_FINAL)


def _from_marks(marks: Sequence[str], settings: RuleSettings) -> str | None:
    if not marks:
        return None
    numeric = [int(m) for m in marks if m in NUMERIC]
    if len(numeric) == len(marks):
        return suggest_mark(sum(numeric) / len(numeric), settings)
    if len(set(marks)) == 1:
        return marks[0]
    return None


def suggest_year_mark(
    period_marks: Sequence[str | None], settings: RuleSettings
) -> str | None:
    """From every period's mark; None while a period has no mark or the marks are mixed."""
    if not period_marks or any(m is None for m in period_marks):
        return None
    return _from_marks([m for m in period_marks if m is not None], settings)


def suggest_final_mark(
    year_mark: str | None, exam_mark: str | None, settings: RuleSettings
) -> str | None:
    """The year mark, or the rounded mean of year and exam marks where there was an exam."""
    if year_mark is None:
        return None
    if exam_mark is None:
        return year_mark
    return _from_marks([year_mark, exam_mark], settings)


def suggest_period_mark(
    average: float | None, marks_count: int, minimum: int, settings: RuleSettings
) -> str | None:
    """The period mark from the average; н/а when the pupil has marks but too few of them is
    left to the teacher, so only a numeric suggestion is made when the minimum is met."""
    if average is None or marks_count < minimum:
        return None
    return suggest_mark(average, settings)

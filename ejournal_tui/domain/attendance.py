"""Absence counting (DOMAIN.md, "Counting rules").

Lessons missed = absences coded Б (ill), У (excused), Н (unexcused) and not yet coded;
lateness (О) is counted apart and is not a missed lesson. A full day missed = every lesson of
the pupil's class or group that day missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ABSENT = "absent"
LATE = "late"

# reason code -> category; the codes are a reference list, these are the defaults
DEFAULT_REASONS: dict[str, tuple[str, str]] = {
    "Б": ("ill", "по болезни"),
    "У": ("excused", "по уважительной причине"),
    "Н": ("unexcused", "без уважительной причины"),
    "О": ("late", "опоздание"),
}

# what people type for the codes (either keyboard layout)
_CODE_KEYS = {
    "б": "Б", ",": "Б", "b": "Б",
    "у": "У", "e": "У", "u": "У",
    "н": "Н", "y": "Н", "n": "Н",
    "о": "О", "j": "О", "o": "О",
}


def normalize_reason(raw: str) -> str | None:
    """A reason code from a key or text ('б', 'Б', ',' on a Latin layout); None if unknown."""
    text = (raw or "").strip()
    if text.upper() in DEFAULT_REASONS:
        return text.upper()
    return _CODE_KEYS.get(text.lower())


@dataclass(frozen=True)
class AbsenceEntry:
    day: date
    status: str  # ABSENT or LATE
    reason: str | None  # Б, У, Н, О or None (not yet coded)


@dataclass(frozen=True)
class AbsenceTotals:
    missed: int = 0
    ill: int = 0
    excused: int = 0
    unexcused: int = 0
    uncoded: int = 0
    late: int = 0
    full_days: int = 0


def category(entry: AbsenceEntry, reasons: dict[str, str] | None = None) -> str:
    """'ill' | 'excused' | 'unexcused' | 'uncoded' | 'late' for one entry."""
    mapping = reasons or {code: cat for code, (cat, _) in DEFAULT_REASONS.items()}
    if entry.status == LATE:
        return "late"
    if entry.reason is None:
        return "uncoded"
    return mapping.get(entry.reason, "unexcused")


def totals(
    entries: Iterable[AbsenceEntry],
    lessons_per_day: dict[date, int] | None = None,
    reasons: dict[str, str] | None = None,
) -> AbsenceTotals:
    """Totals for one pupil. `lessons_per_day` (the pupil's lessons each day) enables the
    count of full days missed."""
    counts = {"ill": 0, "excused": 0, "unexcused": 0, "uncoded": 0, "late": 0}
    missed_per_day: dict[date, int] = {}
    for entry in entries:
        cat = category(entry, reasons)
        counts[cat] += 1
        if cat != "late":
            missed_per_day[entry.day] = missed_per_day.get(entry.day, 0) + 1
    full_days = 0
    if lessons_per_day:
        full_days = sum(
            1 for day, n in missed_per_day.items() if lessons_per_day.get(day, 0) and n >= lessons_per_day[day]
        )
    missed = counts["ill"] + counts["excused"] + counts["unexcused"] + counts["uncoded"]
    return AbsenceTotals(missed=missed, full_days=full_days, **counts)

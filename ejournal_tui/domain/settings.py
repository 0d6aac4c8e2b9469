"""The school's rule settings (DOMAIN.md, "Settings and their defaults").

Every rule that differs between schools is a field here with the default first. The data
layer stores overrides per school as key/value rows; `RuleSettings.from_overrides` builds
the effective settings from them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class RuleSettings:
    """Effective rules of one school. Field docstrings are in the comments beside them."""

    # "weighted" (by kind of work) or "arithmetic"
    average: str = "weighted"
    # an average at or above threshold[i] rounds up to mark i+3 (2.5→3, 3.5→4, 4.5→5)
    rounding_thresholds: tuple[float, float, float] = (2.5, 3.5, 4.5)
    # minimum marks per period: at 1 hour a week, and at 2 or more hours a week
    min_marks_one_hour: int = 3
    min_marks_more_hours: int = 6
    # mark deadlines in days after the lesson
    oral_deadline_days: int = 1
    written_deadline_days_junior: int = 3  # grades up to written_senior_from - 1
    written_deadline_days_senior: int = 4
    written_senior_from_grade: int = 9
    # grades that get no marks at all
    no_mark_grades: tuple[int, ...] = (1,)
    # quarters up to this grade, half-years above
    quarters_up_to_grade: int = 9
    # homework may be entered until this many hours after the class's last lesson that day
    homework_hours_after_last_lesson: int = 2
    # final marks due this many days after the period ends
    final_marks_days_after_period: int = 4
    # entries for lessons older than this many days need a reason and are flagged
    backdating_days: int = 1
    # minutes of inactivity before the workstation locks itself
    idle_lock_minutes: int = 5
    # failed logins before the account is locked, and for how long
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    min_password_length: int = 8
    # TrueType font for printed forms; empty: find one on the system
    pdf_font: str = ""
    # mm of margin on the binding edge of printed forms (the left edge): room to stitch and
    # bind a copy for the archive without piercing the first column (archives ask for 20 mm)
    binding_margin_mm: int = 20
    # parents' e-mail digests (notify parents) carry the pupil's report card as a PDF
    notify_attach_card: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_overrides(cls, overrides: dict[str, str]) -> RuleSettings:
        """Defaults replaced by stored JSON-encoded values; unknown keys are kept in `extra`."""
        known = {f.name: f for f in fields(cls) if f.name != "extra"}
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, raw in overrides.items():
            value = json.loads(raw)
            if key in known:
                values[key] = tuple(value) if isinstance(value, list) else value
            else:
                extra[key] = value
        return replace(cls(), **values, extra=extra)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data

    @staticmethod
    def encode(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)


SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(RuleSettings) if f.name != "extra")

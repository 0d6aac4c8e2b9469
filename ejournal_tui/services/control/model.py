"""The control report as plain frozen rows: figures per teacher × class × subject, totals
per teacher and for the school, the items behind every figure, and the stable JSON form
documented in the README ("Control report JSON").
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

JSON_VERSION = 1

# figure -> issue code of the verdict, in the order a deputy reads them
ISSUES = (
    "not_recorded", "plan_lag", "no_topic", "no_homework", "late_lessons", "late_homework",
    "late_marks", "no_marks", "one_mark", "below_minimum",
)


@dataclass(frozen=True)
class Figures:
    """Additive counts; a row's, a teacher's and the school's figures are sums of these."""

    scheduled: int = 0  # timetable lessons due in the counted days
    held: int = 0  # lessons recorded in the register
    not_recorded: int = 0  # timetable lessons with no lesson recorded that day
    planned: int = 0  # plan (КТП) topics due in the counted days
    plan_lag: int = 0  # planned - held, when positive
    no_topic: int = 0
    no_homework: int = 0
    late_lessons: int = 0
    late_homework: int = 0
    late_marks: int = 0
    pupils: int = 0
    no_marks: int = 0
    one_mark: int = 0
    below_minimum: int = 0
    substituted: int = 0  # lessons of the load held by a substitute

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True)
class ControlItem:
    """One thing behind a figure: a lesson (date, number) or a pupil, and who answers for it."""

    issue: str  # an ISSUES code, "late_mark_<kind>", "substitution" or "uncoded_absence"
    load_id: int | None
    class_name: str
    subject: str
    responsible_id: int | None
    date: date | None = None
    number: int | None = None
    lesson_id: int | None = None
    pupil_id: int | None = None
    pupil: str = ""
    count: int = 1  # marks of a pupil, lessons missing on a day, late marks at a lesson
    due: date | None = None  # when it had to be done (or has to be, for pupils' marks)
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue, "date": _d(self.date), "number": self.number, "lesson_id": self.lesson_id,
            "pupil_id": self.pupil_id, "pupil": self.pupil, "count": self.count, "due": _d(self.due),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ControlRow:
    load_id: int
    teacher_id: int
    teacher: str
    class_id: int
    class_name: str
    grade: int
    group: str
    subject_id: int
    subject: str
    hours_per_week: float
    minimum: int | None  # marks a pupil needs by now; None where no marks are given
    figures: Figures
    late_marks_by_kind: tuple[tuple[str, int], ...] = ()
    items: tuple[ControlItem, ...] = ()

    @property
    def verdict(self) -> tuple[str, ...]:
        return verdict_of(self.figures)

    def details(self, issue: str) -> tuple[ControlItem, ...]:
        """The lessons or pupils behind one figure (drill-down)."""
        if issue == "late_marks":
            return tuple(i for i in self.items if i.issue.startswith("late_mark_"))
        return tuple(i for i in self.items if i.issue == issue)


@dataclass(frozen=True)
class TeacherTotal:
    teacher_id: int
    teacher: str
    figures: Figures
    late_marks_by_kind: tuple[tuple[str, int], ...]
    substitutions_given: int  # lessons held for absent colleagues
    uncoded_absences: int  # in the classes the teacher leads

    @property
    def verdict(self) -> tuple[str, ...]:
        extra = ("uncoded_absences",) if self.uncoded_absences else ()
        return verdict_of(self.figures) + extra


@dataclass(frozen=True)
class LeaderRow:
    class_id: int
    class_name: str
    leader_id: int | None
    leader: str
    uncoded_absences: int
    items: tuple[ControlItem, ...] = ()
    # parents informed in the last two weeks (services/control/informed.py): pupils in the
    # class, reached by e-mail, on paper only
    pupils: int = 0
    informed_email: int = 0
    informed_paper: int = 0

    @property
    def not_informed(self) -> int:
        return self.pupils - self.informed_email - self.informed_paper


@dataclass(frozen=True)
class Substitution:
    lesson_id: int
    date: date
    number: int
    class_name: str
    group: str
    subject: str
    teacher_id: int  # the load's teacher, who was absent
    teacher: str
    substitute_id: int
    substitute: str
    hours: int = 1

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "number": self.number, "class": self.class_name, "group": self.group,
                "subject": self.subject, "teacher": {"id": self.teacher_id, "name": self.teacher},
                "substitute": {"id": self.substitute_id, "name": self.substitute}, "hours": self.hours}


@dataclass(frozen=True)
class ControlReport:
    school_code: str
    school_name: str
    period: str
    kind: str  # period | month | week
    start: date
    end: date
    as_of: date
    counted_to: date
    rows: tuple[ControlRow, ...]
    teachers: tuple[TeacherTotal, ...]
    leaders: tuple[LeaderRow, ...]
    substitutions: tuple[Substitution, ...]
    totals: Figures = field(default_factory=Figures)
    late_marks_by_kind: tuple[tuple[str, int], ...] = ()

    @property
    def uncoded_absences(self) -> int:
        return sum(r.uncoded_absences for r in self.leaders)

    def row(self, load_id: int) -> ControlRow:
        return next(r for r in self.rows if r.load_id == load_id)

    def as_json(self, details: bool = False) -> dict[str, Any]:
        return {
            "report": "control", "version": JSON_VERSION,
            "school": {"code": self.school_code, "name": self.school_name},
            "period": self.period,
            "window": {"kind": self.kind, "start": _d(self.start), "end": _d(self.end), "as_of": _d(self.as_of),
                       "counted_to": _d(self.counted_to)},
            "rows": [_row_json(r, details) for r in self.rows],
            "teachers": [_teacher_json(t) for t in self.teachers],
            "class_leaders": [_leader_json(r, details) for r in self.leaders],
            "substitutions": [s.as_json() for s in self.substitutions],
            "totals": {**figures_json(self.totals, self.late_marks_by_kind),
                       "substitutions": len(self.substitutions), "uncoded_absences": self.uncoded_absences},
        }


def verdict_of(f: Figures) -> tuple[str, ...]:
    return tuple(code for code in ISSUES if getattr(f, code))


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


def figures_json(f: Figures, by_kind: tuple[tuple[str, int], ...]) -> dict[str, Any]:
    return {
        "timetable": {"scheduled": f.scheduled, "held": f.held, "not_recorded": f.not_recorded},
        "plan": {"planned": f.planned, "held": f.held, "lag": f.plan_lag},
        "no_topic": f.no_topic,
        "no_homework": f.no_homework,
        "late": {"lessons": f.late_lessons, "homework": f.late_homework, "marks": f.late_marks,
                 "marks_by_kind": dict(by_kind)},
        "pupils": {"total": f.pupils, "no_marks": f.no_marks, "one_mark": f.one_mark,
                   "below_minimum": f.below_minimum},
        "substituted": f.substituted,
    }


def _row_json(r: ControlRow, details: bool) -> dict[str, Any]:
    out = {
        "load_id": r.load_id, "teacher": {"id": r.teacher_id, "name": r.teacher}, "class": r.class_name,
        "group": r.group, "subject": r.subject, "hours_per_week": r.hours_per_week, "minimum": r.minimum,
        **figures_json(r.figures, r.late_marks_by_kind), "verdict": list(r.verdict),
    }
    if details:
        out["items"] = [i.as_json() for i in r.items]
    return out


def _teacher_json(t: TeacherTotal) -> dict[str, Any]:
    return {"id": t.teacher_id, "name": t.teacher, **figures_json(t.figures, t.late_marks_by_kind),
            "substitutions_given": t.substitutions_given, "uncoded_absences": t.uncoded_absences,
            "verdict": list(t.verdict)}


def _leader_json(r: LeaderRow, details: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"class": r.class_name, "leader": {"id": r.leader_id, "name": r.leader},
                           "uncoded_absences": r.uncoded_absences,
                           "parents_informed": {"days": 14, "pupils": r.pupils, "email": r.informed_email,
                                                "paper": r.informed_paper, "none": r.not_informed}}
    if details:
        out["items"] = [i.as_json() for i in r.items]
    return out

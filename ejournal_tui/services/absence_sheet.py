"""The class leader's absence sheet: pupils × school days of a date range with the lessons
each pupil missed or was late to, per-pupil totals, and setting the reasons per lesson, per
day, or for a date range from a sick note (the writes reuse `services.attendance`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.attendance import ABSENT, AbsenceEntry, AbsenceTotals, totals
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import attendance
from ejournal_tui.services.attendance import AttendanceRef
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year
from ejournal_tui.services.phrases import noun

register_many(
    {
        "sheet.leader_only": ("пропуски {klass} ведёт классный руководитель",
                              "the absences of {klass} are kept by its class leader"),
        "sheet.backwards": ("диапазон заканчивается ({end}) раньше, чем начинается ({start})",
                            "the range ends ({end}) before it starts ({start})"),
        "sheet.too_long": ("выберите не более {n} дней", "choose at most {n} days"),
    }
)

MAX_DAYS = 62


@dataclass(frozen=True)
class SheetClass:
    id: int
    name: str
    grade: int


@dataclass(frozen=True)
class SheetPupil:
    no: int
    id: int
    name: str


@dataclass(frozen=True)
class SheetAbsence:
    """One lesson a pupil missed (status absent) or was late to (status late)."""

    attendance_id: int
    lesson_id: int
    subject: str
    number: int
    status: str
    reason: str | None
    version: int

    @property
    def code(self) -> str:
        if self.reason:
            return self.reason
        return "н" if self.status == ABSENT else "оп"


@dataclass
class AbsenceSheet:
    klass: SheetClass
    start: date
    end: date
    days: list[date]
    pupils: list[SheetPupil]
    cells: dict[tuple[int, date], list[SheetAbsence]] = field(default_factory=dict)
    totals: dict[int, AbsenceTotals] = field(default_factory=dict)
    lessons_per_day: dict[tuple[int, date], int] = field(default_factory=dict)

    def cell(self, pupil_id: int, day: date) -> list[SheetAbsence]:
        return self.cells.get((pupil_id, day), [])

    def cell_text(self, pupil_id: int, day: date) -> str:
        """What the grid shows: the codes of the day's absences ("ББ", "нн", "О")."""
        return "".join(a.code for a in self.cell(pupil_id, day))

    def uncoded(self) -> int:
        return sum(1 for cell in self.cells.values() for a in cell if a.status == ABSENT and not a.reason)


def may_keep(actor: Actor, klass: m.SchoolClass) -> bool:
    return perm.may(actor.roles, "set_any_reason") or (actor.id is not None and klass.leader_id == actor.id)


def classes_for(uow: UnitOfWork, actor: Actor) -> list[SheetClass]:
    """The classes whose absences the person keeps: their own class, or every class for the
    deputy, the director and the administrator."""
    year = current_year(uow)
    C = m.SchoolClass
    stmt = select(C).where(C.school_id == uow.school_id, C.year_id == year.id).order_by(C.grade, C.letter)
    return [SheetClass(c.id, c.name, c.grade) for c in uow.session.scalars(stmt) if may_keep(actor, c)]  # type: ignore[arg-type]


def _class(uow: UnitOfWork, actor: Actor, class_id: int) -> m.SchoolClass:
    klass = uow.session.get(m.SchoolClass, class_id)
    if klass is None or klass.school_id != uow.school_id:
        raise NotFound(what=noun("class", id=class_id))
    if not may_keep(actor, klass):
        raise NotAllowed(what=Phrase("sheet.leader_only", klass=klass.name))
    return klass


def open_sheet(uow: UnitOfWork, actor: Actor, class_id: int, start: date, end: date) -> AbsenceSheet:
    """The class's pupils × school days from `start` to `end` with their absences and totals."""
    if end < start:
        raise InvalidInput(what=Phrase("sheet.backwards", start=start, end=end))
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(what=Phrase("sheet.too_long", n=MAX_DAYS))
    klass = _class(uow, actor, class_id)
    year = uow.session.get(m.AcademicYear, klass.year_id)
    holidays = [(h.start, h.end) for h in uow.session.scalars(select(m.Holiday).where(m.Holiday.year_id == klass.year_id))]
    days = list(cal.school_days(start, end, holidays, bool(year and year.six_day_week)))
    sheet = AbsenceSheet(SheetClass(klass.id, klass.name, klass.grade), start, end, days,  # type: ignore[arg-type]
                         _pupils(uow, klass.id, start, end))  # type: ignore[arg-type]
    _fill(uow, sheet)
    _count_lessons(uow, sheet)
    reasons = _reason_categories(uow)
    for pupil in sheet.pupils:
        entries = [AbsenceEntry(day, a.status, a.reason) for day in days for a in sheet.cell(pupil.id, day)]
        per_day = {day: sheet.lessons_per_day.get((pupil.id, day), 0) for day in days}
        sheet.totals[pupil.id] = totals(entries, per_day, reasons)
    return sheet


def _pupils(uow: UnitOfWork, class_id: int, start: date, end: date) -> list[SheetPupil]:
    P, Ms = m.Pupil, m.Membership
    rows = uow.session.execute(
        select(P.id, P.last_name, P.first_name).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.class_id == class_id, Ms.start <= end, or_(Ms.end.is_(None), Ms.end >= start))
        .order_by(P.last_name, P.first_name, P.id).distinct()
    ).all()
    return [SheetPupil(i + 1, r[0], f"{r[1]} {r[2]}") for i, r in enumerate(rows)]


def _fill(uow: UnitOfWork, sheet: AbsenceSheet) -> None:
    A, L, S = m.Attendance, m.Lesson, m.Subject
    rows = uow.session.execute(
        select(A.pupil_id, L.date, A.id, L.id, S.name, L.number, A.status, A.reason, A.version)
        .join(L, L.id == A.lesson_id).join(S, S.id == L.subject_id)
        .where(L.class_id == sheet.klass.id, L.date >= sheet.start, L.date <= sheet.end)
        .order_by(L.date, L.number)
    )
    cells: dict[tuple[int, date], list[SheetAbsence]] = defaultdict(list)
    for r in rows:
        cells[(r[0], r[1])].append(SheetAbsence(*r[2:]))
    sheet.cells = dict(cells)


def _count_lessons(uow: UnitOfWork, sheet: AbsenceSheet) -> None:
    """Lessons each pupil had each day: the class's lessons plus those of the pupil's groups."""
    L, G = m.Lesson, m.GroupMember
    lessons = uow.session.execute(
        select(L.date, L.group_id).where(L.class_id == sheet.klass.id, L.date >= sheet.start, L.date <= sheet.end)
    ).all()
    groups: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    ids = [p.id for p in sheet.pupils]
    for gid, pid, a, b in uow.session.execute(select(G.group_id, G.pupil_id, G.start, G.end).where(G.pupil_id.in_(ids))):
        groups[pid].append((gid, a, b))
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for day, group_id in lessons:
        for pid in ids:
            if group_id is None or any(g == group_id and a <= day and (b is None or day <= b) for g, a, b in groups[pid]):
                counts[(pid, day)] += 1
    sheet.lessons_per_day = dict(counts)


def _reason_categories(uow: UnitOfWork) -> dict[str, str] | None:
    rows = uow.session.execute(
        select(m.AbsenceReason.code, m.AbsenceReason.category).where(m.AbsenceReason.school_id == uow.school_id)
    ).all()
    return dict(rows) if rows else None  # type: ignore[arg-type]


# Each of these may be sent `again` after a lost connection (tui/writer.py): what a first
# attempt stored is found, not stored twice nor refused as someone else's change.

def set_lesson_reason(uow: UnitOfWork, actor: Actor, absence: SheetAbsence, code: str | None, *,
                      again: bool = False) -> AttendanceRef:
    """One lesson's reason (or none), refused if someone changed it since it was read."""
    return attendance.set_reason(uow, actor, absence.attendance_id, code, expected_version=absence.version,
                                 again=again)


def set_day_reason(uow: UnitOfWork, actor: Actor, pupil_id: int, day: date, code: str, *, again: bool = False) -> int:
    """Every absence of the pupil on one day; returns how many changed."""
    return attendance.apply_note(uow, actor, pupil_id, day, day, code, again=again)


def apply_sick_note(uow: UnitOfWork, actor: Actor, pupil_id: int, start: date, end: date, code: str,
                    comment: str = "", *, again: bool = False) -> int:
    """A sick (or parents') note from `start` to `end`: every absence in it gets the reason."""
    return attendance.apply_note(uow, actor, pupil_id, start, end, code, comment, again=again)

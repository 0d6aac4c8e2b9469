"""Month reports from the lessons recorded: the substitutions journal (who substituted whom,
class, subject, date, hours) and the teachers' time sheet (hours actually given per day,
substitutions apart, next to the hours the timetable asked for).

Only lessons recorded in the register count as given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed, NotFound
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control import data
from ejournal_tui.services.control.model import Substitution
from ejournal_tui.services.control.window import parse_month
from ejournal_tui.services.lookup import current_year
from ejournal_tui.services.phrases import noun


@dataclass(frozen=True)
class SubstitutionJournal:
    school_code: str
    school_name: str
    month: str  # YYYY-MM
    entries: tuple[Substitution, ...]

    def hours_by_substitute(self) -> tuple[tuple[str, int], ...]:
        hours: Counter[str] = Counter()
        for e in self.entries:
            hours[e.substitute] += e.hours
        return tuple(sorted(hours.items()))

    def as_json(self) -> dict:
        return {"report": "substitutions", "version": 1,
                "school": {"code": self.school_code, "name": self.school_name}, "month": self.month,
                "entries": [e.as_json() for e in self.entries],
                "hours_by_substitute": dict(self.hours_by_substitute())}


@dataclass(frozen=True)
class TimesheetRow:
    teacher_id: int
    teacher: str
    own: tuple[int, ...]  # lessons of the teacher's own load, per day of the month
    substitutions: tuple[int, ...]  # lessons given for absent colleagues, per day
    scheduled: int  # lessons the timetable gave the teacher's load this month (to the end)

    @property
    def own_total(self) -> int:
        return sum(self.own)

    @property
    def substitutions_total(self) -> int:
        return sum(self.substitutions)

    def as_json(self) -> dict:
        return {"teacher": {"id": self.teacher_id, "name": self.teacher}, "own": list(self.own),
                "substitutions": list(self.substitutions), "own_total": self.own_total,
                "substitutions_total": self.substitutions_total, "total": self.own_total + self.substitutions_total,
                "scheduled": self.scheduled}


@dataclass(frozen=True)
class Timesheet:
    school_code: str
    school_name: str
    month: str
    days: tuple[date, ...]
    school_days: tuple[bool, ...]
    rows: tuple[TimesheetRow, ...]

    def as_json(self) -> dict:
        return {"report": "timesheet", "version": 1, "school": {"code": self.school_code, "name": self.school_name},
                "month": self.month, "days": [d.isoformat() for d in self.days],
                "school_days": list(self.school_days), "rows": [r.as_json() for r in self.rows]}


def _month_lessons(uow: UnitOfWork, first: date, last: date):  # noqa: ANN202 - result rows
    L, C, S, G = m.Lesson, m.SchoolClass, m.Subject, m.StudyGroup
    return uow.session.execute(
        select(L.id, L.date, L.number, C.name, G.name, S.name, L.teacher_id, L.substitute_for_id, L.load_id)
        .join(C, C.id == L.class_id).join(S, S.id == L.subject_id).outerjoin(G, G.id == L.group_id)
        .where(L.school_id == uow.school_id, L.date >= first, L.date <= last)
        .order_by(L.date, L.number, C.grade, C.letter)
    ).all()


def substitutions_journal(uow: UnitOfWork, actor: Actor, month: str) -> SubstitutionJournal:
    """Every substitution of the month, one lesson (one hour) each."""
    from ejournal_tui.services.control import require_control

    require_control(actor)
    first, last = parse_month(month)
    names = data.staff_names(uow)
    rows = [r for r in _month_lessons(uow, first, last) if r[7] is not None]
    entries = tuple(Substitution(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[7], names.get(r[7], ""), r[6],
                                 names.get(r[6], "")) for r in rows)
    code, name = data.school_label(uow)
    return SubstitutionJournal(code, name, first.strftime("%Y-%m"), entries)


def timesheet(uow: UnitOfWork, actor: Actor, month: str, teacher: str | None = None) -> Timesheet:
    """Hours given per teacher per day of the month; a teacher without the right sees their own."""
    first, last = parse_month(month)
    wanted = _teacher_filter(uow, actor, teacher)
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    own: dict[int, Counter[date]] = defaultdict(Counter)
    subs: dict[int, Counter[date]] = defaultdict(Counter)
    for r in _month_lessons(uow, first, last):
        (subs if r[7] is not None else own)[r[6]][r[1]] += 1
    year, holidays, scheduled = _scheduled(uow, first, last)
    ids = (set(own) | set(subs) | set(scheduled)) if wanted is None else {wanted}
    names = data.staff_names(uow)
    open_days = set(cal.school_days(first, last, holidays, year.six_day_week)) if year else set()
    rows = tuple(sorted(
        (TimesheetRow(tid, names.get(tid, ""), tuple(own[tid][d] for d in days), tuple(subs[tid][d] for d in days),
                      scheduled.get(tid, 0)) for tid in ids),
        key=lambda r: (r.teacher, r.teacher_id)))
    code, name = data.school_label(uow)
    return Timesheet(code, name, first.strftime("%Y-%m"), days, tuple(d in open_days for d in days), rows)


def _teacher_filter(uow: UnitOfWork, actor: Actor, login: str | None) -> int | None:
    if not perm.may(actor.roles, "control_reports"):
        if actor.id is None or (login and login != actor.login):
            raise NotAllowed(what=Phrase("control.denied"))
        return actor.id
    if not login:
        return None
    St = m.Staff
    found = uow.session.scalar(select(St.id).where(St.school_id == uow.school_id, St.login == login.strip().lower()))
    if found is None:
        raise NotFound(what=noun("teacher_named", login=login))
    return found


def _scheduled(uow: UnitOfWork, first: date, last: date) -> tuple[m.AcademicYear | None, list, dict[int, int]]:
    """Lessons the timetable gives each teacher in the month's school days."""
    try:
        year = current_year(uow, cal.academic_year_of(first))
    except NotFound:
        return None, [], {}
    H, TL, TS = m.Holiday, m.TeachingLoad, m.TimetableSlot
    holidays = [tuple(r) for r in uow.session.execute(select(H.start, H.end).where(H.school_id == uow.school_id,
                                                                                   H.year_id == year.id))]
    start, end = max(first, year.start), min(last, year.end)
    weekdays = Counter(d.isoweekday() for d in cal.school_days(start, end, holidays, year.six_day_week))
    out: Counter[int] = Counter()
    for teacher_id, weekday in uow.session.execute(
        select(TL.teacher_id, TS.weekday).join(TL, TL.id == TS.load_id)
        .where(TS.school_id == uow.school_id, TL.year_id == year.id)
    ):
        out[teacher_id] += weekdays[weekday]
    return year, holidays, dict(out)

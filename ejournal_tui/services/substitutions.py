"""Substitutions for a day, as the deputy director arranges them: every lesson the school's
timetable has that day (held already or not yet) with the teacher the timetable names and
the one who holds it instead; the teachers who could take a lesson (those free at its number
first); assigning a substitute and cancelling one. The writes themselves, with their
change-log events, are `services.lessons.assign_substitute` / `cancel_substitute`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed, NotFound
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lessons import LessonRef, assign_substitute, cancel_substitute
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.years import all_years


@dataclass(frozen=True)
class DaySlot:
    """One lesson of the day: from the timetable, or a lesson row held outside it."""

    load_id: int
    number: int
    start: str
    end: str
    class_name: str
    group: str
    subject: str
    teacher_id: int  # whom the timetable names (the absent teacher of a substituted lesson)
    teacher: str
    lesson_id: int | None  # None: not held yet
    substitute_id: int | None  # who holds it instead, if anyone
    substitute: str

    @property
    def title(self) -> str:
        group = f" ({self.group})" if self.group else ""
        return f"{self.class_name}{group} · {self.subject}"

    @property
    def holder_id(self) -> int:
        """Who teaches this lesson that day."""
        return self.substitute_id if self.substitute_id is not None else self.teacher_id


@dataclass(frozen=True)
class SubstitutionDay:
    day: date
    holiday: str  # the holiday's name when the school has no lessons by the timetable that day
    slots: tuple[DaySlot, ...]

    @property
    def substituted(self) -> int:
        return sum(1 for slot in self.slots if slot.substitute_id is not None)


@dataclass(frozen=True)
class Candidate:
    """A teacher who could take the lesson; `busy` names the lesson they teach at that
    number ("" when free); `same_subject`: they teach the lesson's subject themselves."""

    id: int
    name: str
    busy: str
    same_subject: bool


def _require_deputy(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("lesson.subst_deputy"))


def _year_of(uow: UnitOfWork, day: date) -> m.AcademicYear | None:
    return next((y for y in all_years(uow) if y.start <= day <= y.end), None)


def _holiday(uow: UnitOfWork, day: date) -> str:
    H = m.Holiday
    return uow.session.execute(
        select(H.name).where(H.school_id == uow.school_id, H.start <= day, H.end >= day).limit(1)
    ).scalar() or ""


def _loads(uow: UnitOfWork, year_id: int) -> dict[int, tuple]:
    """load id → (class, group, subject, teacher id, subject id, sort key) of the year's loads."""
    TL, C, S, G = m.TeachingLoad, m.SchoolClass, m.Subject, m.StudyGroup
    rows = uow.session.execute(
        select(TL.id, C.name, G.name, S.name, TL.teacher_id, S.id, C.grade, C.letter, S.order)
        .join(C, C.id == TL.class_id).join(S, S.id == TL.subject_id).outerjoin(G, G.id == TL.group_id)
        .where(TL.school_id == uow.school_id, TL.year_id == year_id)
    ).all()
    return {r[0]: (r[1], r[2] or "", r[3], r[4], r[5], (r[6], r[7], r[8], r[2] or "")) for r in rows}


def _names(uow: UnitOfWork) -> dict[int, str]:
    return {s.id: s.short_name for s in uow.session.scalars(select(m.Staff).where(m.Staff.school_id == uow.school_id))}  # type: ignore[misc]


def _keys(uow: UnitOfWork, day: date, loads: dict[int, tuple], holiday: str) -> set[tuple[int, int]]:
    """(load, number) of the day's lessons by the timetable, and of lesson rows held that day."""
    TS, L = m.TimetableSlot, m.Lesson
    keys: set[tuple[int, int]] = set()
    if not holiday:
        keys |= {(r[0], r[1]) for r in uow.session.execute(
            select(TS.load_id, TS.number).where(TS.school_id == uow.school_id, TS.weekday == day.isoweekday()))}
    keys |= {(r[0], r[1]) for r in uow.session.execute(
        select(L.load_id, L.number).where(L.school_id == uow.school_id, L.date == day))}
    return {key for key in keys if key[0] in loads}


def _held(uow: UnitOfWork, day: date) -> dict[tuple[int, int], tuple[int, int, int | None]]:
    """(load, number) → (lesson id, who held it, whom they substituted for) of the day's rows."""
    L = m.Lesson
    rows = uow.session.execute(
        select(L.load_id, L.number, L.id, L.teacher_id, L.substitute_for_id)
        .where(L.school_id == uow.school_id, L.date == day))
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


def substitution_day(uow: UnitOfWork, actor: Actor, day: date | None = None) -> SubstitutionDay:
    """Every lesson of the school on `day` (default today), by lesson number and class, each
    with the teacher of the timetable and the substitute holding it (if any)."""
    _require_deputy(actor)
    day = day or uow.today()
    year = _year_of(uow, day)
    if year is None:
        return SubstitutionDay(day, "", ())
    loads, holiday = _loads(uow, year.id), _holiday(uow, day)  # type: ignore[arg-type]
    keys = _keys(uow, day, loads, holiday)
    held, names, bells = _held(uow, day), _names(uow), _bells(uow)
    slots = [_slot(key, loads[key[0]], held.get(key), names, bells) for key in keys]
    slots.sort(key=lambda s: (s.number, loads[s.load_id][5]))
    return SubstitutionDay(day, holiday if not slots else "", tuple(slots))


def _bells(uow: UnitOfWork) -> dict[int, tuple[str, str]]:
    B = m.BellTime
    return {r[0]: (r[1], r[2]) for r in uow.session.execute(
        select(B.number, B.start, B.end).where(B.school_id == uow.school_id))}


def _slot(key: tuple[int, int], load: tuple, held: tuple[int, int, int | None] | None,
          names: dict[int, str], bells: dict[int, tuple[str, str]]) -> DaySlot:
    load_id, number = key
    class_name, group, subject, teacher_id = load[:4]
    lesson_id, substitute_id = None, None
    if held is not None:
        lesson_id, held_by, absent = held
        if absent is not None:
            teacher_id, substitute_id = absent, held_by
        else:
            teacher_id = held_by  # a lesson held by the load's teacher of that day
    start, end = bells.get(number, ("", ""))
    return DaySlot(load_id, number, start, end, class_name, group, subject, teacher_id, names.get(teacher_id, ""),
                   lesson_id, substitute_id, names.get(substitute_id, "") if substitute_id else "")


def candidates(uow: UnitOfWork, actor: Actor, load_id: int, day: date, number: int) -> list[Candidate]:
    """The school's teachers who could hold the lesson, the timetable's teacher left out:
    those free at its number first (teachers of its subject before others), then the busy."""
    _require_deputy(actor)
    load = uow.session.get(m.TeachingLoad, load_id)
    if load is None or load.school_id != uow.school_id:
        raise NotFound(what=noun("load", id=load_id))
    plan = substitution_day(uow, actor, day)
    busy = {s.holder_id: s.title for s in plan.slots if s.number == number and s.load_id != load_id}
    subject_teachers = set(uow.session.scalars(select(m.TeachingLoad.teacher_id).where(
        m.TeachingLoad.subject_id == load.subject_id, m.TeachingLoad.year_id == load.year_id)))
    S = m.Staff
    staff = uow.session.scalars(select(S).where(S.school_id == uow.school_id, S.disabled.is_(False))
                                .order_by(S.last_name, S.first_name))
    found = [Candidate(s.id, s.short_name, busy.get(s.id, ""), s.id in subject_teachers)  # type: ignore[arg-type]
             for s in staff if perm.TEACHER in s.role_list and s.id != load.teacher_id]
    return sorted(found, key=lambda c: (bool(c.busy), not c.same_subject))  # stable: by name within


def set_substitute(uow: UnitOfWork, actor: Actor, load_id: int, day: date, number: int,
                   substitute_id: int | None) -> LessonRef | None:
    """Put `substitute_id` in for the lesson (writing the lesson if it is not held yet), or
    with None give it back to the timetable's teacher. None when there was nothing to cancel."""
    if substitute_id is None:
        return cancel_substitute(uow, actor, load_id, day, number)
    return assign_substitute(uow, actor, load_id, day, number, substitute_id)


def held_by_names(uow: UnitOfWork, teacher_ids: set[int]) -> dict[int, str]:
    """Short names of the teachers who held (or were substituted at) a register's lessons."""
    if not teacher_ids:
        return {}
    S = m.Staff
    rows = uow.session.scalars(select(S).where(S.school_id == uow.school_id, S.id.in_(sorted(teacher_ids))))
    return {s.id: s.short_name for s in rows}  # type: ignore[misc]

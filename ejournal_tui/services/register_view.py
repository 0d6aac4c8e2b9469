"""Small read-only queries the register screen needs around the grid: the periods a
register can show, kinds of work, the lesson plan (КТП) of a load, the teachers who may
substitute, and one lesson's details (of a lesson held, or of one not held yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import NotFound
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import work_kinds
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.register import register_ref


@dataclass(frozen=True)
class KindOfWork:
    code: str
    name: str
    weight: float


@dataclass(frozen=True)
class PlanTopic:
    id: int
    seq: int
    topic: str
    planned: date | None
    work_kind: str
    used: bool = False  # a lesson of the load already has this topic


def next_due(plan: list[PlanTopic]) -> PlanTopic | None:
    """The next topic to teach: the first of the plan no lesson has used yet."""
    return next((topic for topic in plan if not topic.used), None)


@dataclass(frozen=True)
class Teacher:
    id: int
    name: str


@dataclass(frozen=True)
class LessonDetail:
    id: int | None  # None: a lesson of the timetable not held yet (written with the first entry)
    load_id: int
    date: date
    number: int
    topic: str
    homework: str
    work_kind: str
    plan_item_id: int | None
    teacher_id: int
    teacher: str
    substitute_for: str
    version: int


def periods_of(uow: UnitOfWork, _actor: Actor, load_id: int, day: date | None = None) -> tuple[list[str], str]:
    """The period codes a register's class uses and the one `day` (default today) falls in."""
    ref = register_ref(uow, load_id)
    codes = list(cal.periods_for_grade(ref.grade, uow.settings))
    load = uow.session.get(m.TeachingLoad, load_id)
    day = day or uow.today()
    rows = uow.session.execute(
        select(m.Period.code, m.Period.start, m.Period.end).where(
            m.Period.year_id == load.year_id, m.Period.code.in_(codes))  # type: ignore[union-attr]
        .order_by(m.Period.start)
    ).all()
    current = rows[0][0] if rows else codes[0]
    for code, start, end in rows:
        if start <= day:
            current = code
        if start <= day <= end:
            break
    return codes + [cal.YEAR], current


def kinds_of_work(uow: UnitOfWork, _actor: Actor | None = None) -> list[KindOfWork]:
    kinds = work_kinds(uow).values()  # already in the school's order
    return [KindOfWork(k.code, k.name, k.weight) for k in kinds]


def plan_of(uow: UnitOfWork, _actor: Actor, load_id: int) -> list[PlanTopic]:
    """The load's plan in order, each topic marked when a lesson already has it."""
    P, L = m.PlanItem, m.Lesson
    used = set(uow.session.scalars(
        select(L.plan_item_id).where(L.load_id == load_id, L.school_id == uow.school_id,
                                     L.plan_item_id.is_not(None))))  # type: ignore[union-attr]
    rows = uow.session.execute(
        select(P.id, P.seq, P.topic, P.planned_date, P.work_kind)
        .where(P.load_id == load_id, P.school_id == uow.school_id).order_by(P.seq)
    ).all()
    return [PlanTopic(*r, used=r[0] in used) for r in rows]


def teachers(uow: UnitOfWork, _actor: Actor | None = None) -> list[Teacher]:
    S = m.Staff
    rows = uow.session.scalars(select(S).where(S.school_id == uow.school_id, S.disabled.is_(False))
                               .order_by(S.last_name, S.first_name))
    return [Teacher(s.id, s.short_name) for s in rows if "teacher" in s.role_list]  # type: ignore[arg-type]


def lesson_detail(uow: UnitOfWork, _actor: Actor, lesson_id: int) -> LessonDetail:
    lesson = uow.session.get(m.Lesson, lesson_id)
    if lesson is None or lesson.school_id != uow.school_id:
        raise NotFound(what=noun("lesson", id=lesson_id))
    teacher = uow.session.get(m.Staff, lesson.teacher_id)
    absent = uow.session.get(m.Staff, lesson.substitute_for_id) if lesson.substitute_for_id else None
    return LessonDetail(lesson.id, lesson.load_id, lesson.date, lesson.number, lesson.topic, lesson.homework,  # type: ignore[arg-type]
                        lesson.work_kind, lesson.plan_item_id, lesson.teacher_id,
                        teacher.short_name if teacher else "", absent.short_name if absent else "", lesson.version)


def slot_detail(uow: UnitOfWork, actor: Actor, load_id: int, day: date, number: int) -> LessonDetail:
    """A timetable slot's lesson: the one held, or the empty page of one not held yet (its
    `id` None), which nothing writes until something is entered on it."""
    L = m.Lesson
    lesson_id = uow.session.scalars(select(L.id).where(
        L.load_id == load_id, L.date == day, L.number == number, L.school_id == uow.school_id)).first()
    if lesson_id is not None:
        return lesson_detail(uow, actor, lesson_id)
    load = uow.session.get(m.TeachingLoad, load_id)
    if load is None or load.school_id != uow.school_id:
        raise NotFound(what=noun("load", id=load_id))
    teacher = uow.session.get(m.Staff, load.teacher_id)
    return LessonDetail(None, load_id, day, number, "", "", "", None, load.teacher_id,
                        teacher.short_name if teacher else "", "", 0)


def next_lesson_slot(uow: UnitOfWork, _actor: Actor, load_id: int, day: date) -> int | None:
    """The lesson number of the load's timetable slot on `day`'s weekday, if any."""
    TS = m.TimetableSlot
    return uow.session.execute(
        select(TS.number).where(TS.load_id == load_id, TS.school_id == uow.school_id, TS.weekday == day.isoweekday())
        .order_by(TS.number).limit(1)
    ).scalar()

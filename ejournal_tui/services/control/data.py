"""The control report's reads: a few set-based queries, each scoped to one school through an
indexed column (`school_id` with the date, or the school's own load and group ids), so that
the cost follows one school's data and not the whole database's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import and_, case, func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.marks import NUMERIC
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.control.window import Window

_CHUNK = 900  # ids per IN list: well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class LoadInfo:
    id: int
    teacher_id: int
    class_id: int
    class_name: str
    grade: int
    letter: str
    leader_id: int | None
    group_id: int | None
    group: str
    subject_id: int
    subject: str
    subject_order: int
    hours: float


@dataclass(frozen=True)
class LessonFact:
    id: int
    load_id: int
    class_id: int
    date: date
    number: int
    no_topic: bool
    no_homework: bool
    created_at: datetime
    homework_at: datetime | None
    late_entry: bool
    teacher_id: int
    substitute_for_id: int | None


def local(ts: datetime) -> datetime:
    """A stored timestamp as the workstation's local time (SQLite gives naive UTC back)."""
    utc = ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts
    return utc + _offset(utc.replace(minute=0, second=0, microsecond=0))


@lru_cache(maxsize=4096)
def _offset(hour: datetime) -> timedelta:
    """The local UTC offset at an hour (zones change offsets only on whole hours)."""
    return hour.replace(tzinfo=UTC).astimezone().utcoffset() or timedelta(0)


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def in_band(grade: int, period: str, uow: UnitOfWork) -> bool:
    band = cal.band_of_period(period)
    return band == cal.BAND_YEAR or cal.band_for_grade(grade, uow.settings) == band


def loads(uow: UnitOfWork, w: Window) -> list[LoadInfo]:
    """The teaching load of the year for the classes the period applies to."""
    TL, C, S, G = m.TeachingLoad, m.SchoolClass, m.Subject, m.StudyGroup
    rows = uow.session.execute(
        select(TL.id, TL.teacher_id, C.id, C.name, C.grade, C.letter, C.leader_id, TL.group_id, G.name,
               S.id, S.name, S.order, TL.hours_per_week)
        .join(C, C.id == TL.class_id).join(S, S.id == TL.subject_id).outerjoin(G, G.id == TL.group_id)
        .where(TL.school_id == uow.school_id, TL.year_id == w.year_id)
    ).all()
    return [LoadInfo(*r[:8], r[8] or "", *r[9:]) for r in rows if in_band(r[4], w.period, uow)]


def classes(uow: UnitOfWork, w: Window) -> list[tuple[int, str, int, str, int | None]]:
    """(id, name, grade, letter, leader id) of the classes the period applies to."""
    C = m.SchoolClass
    rows = uow.session.execute(
        select(C.id, C.name, C.grade, C.letter, C.leader_id).where(C.school_id == uow.school_id, C.year_id == w.year_id)
    ).all()
    return sorted((tuple(r) for r in rows if in_band(r[2], w.period, uow)), key=lambda r: (r[2], r[3]))  # type: ignore[misc]


def staff_names(uow: UnitOfWork) -> dict[int, str]:
    St = m.Staff
    rows = uow.session.execute(
        select(St.id, St.last_name, St.first_name, St.patronymic).where(St.school_id == uow.school_id)
    )
    return {r[0]: f"{r[1]} {''.join(f'{p[0]}.' for p in (r[2], r[3]) if p)}".strip() for r in rows}


def pupil_names(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, str]:
    P = m.Pupil
    out: dict[int, str] = {}
    for part in chunks(ids):
        for pid, last, first in uow.session.execute(select(P.id, P.last_name, P.first_name).where(P.id.in_(part))):
            out[pid] = f"{last} {first}"
    return out


def slots(uow: UnitOfWork, load_ids: Iterable[int]) -> dict[int, Counter[int]]:
    """Weekly timetable lessons of each load by ISO weekday."""
    TS = m.TimetableSlot
    out: dict[int, Counter[int]] = defaultdict(Counter)
    for load_id, weekday in uow.session.execute(
        select(TS.load_id, TS.weekday).where(TS.school_id == uow.school_id)
    ):
        out[load_id][weekday] += 1
    wanted = set(load_ids)
    return {k: v for k, v in out.items() if k in wanted}


def plan_stats(uow: UnitOfWork, load_ids: Iterable[int], start: date, end: date) -> dict[int, tuple[int, int, int]]:
    """Per load: plan topics, topics with a planned date, and those dated start…end."""
    P = m.PlanItem
    dated_in = func.sum(case((and_(P.planned_date >= start, P.planned_date <= end), 1), else_=0))
    out: dict[int, tuple[int, int, int]] = {}
    for part in chunks(load_ids):
        for load_id, total, dated, inside in uow.session.execute(
            select(P.load_id, func.count(), func.count(P.planned_date), dated_in)
            .where(P.load_id.in_(part)).group_by(P.load_id)
        ):
            out[load_id] = (int(total), int(dated), int(inside or 0))
    return out


def lessons(uow: UnitOfWork, w: Window, load_ids: set[int] | None = None) -> list[LessonFact]:
    L = m.Lesson
    stmt = select(
        L.id, L.load_id, L.class_id, L.date, L.number, L.topic == "", L.homework == "", L.created_at,
        L.homework_at, L.late_entry, L.teacher_id, L.substitute_for_id,
    ).where(L.school_id == uow.school_id, L.date >= w.start, L.date <= w.counted_to)
    rows = uow.session.execute(stmt).all()
    facts = [LessonFact(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), *r[7:9], bool(r[9]), r[10], r[11])
             for r in rows]
    return facts if load_ids is None else [f for f in facts if f.load_id in load_ids]


def class_day_last_number(uow: UnitOfWork, w: Window) -> dict[tuple[int, date], int]:
    """The number of each class's last lesson of each counted day (any group)."""
    L = m.Lesson
    rows = uow.session.execute(
        select(L.class_id, L.date, func.max(L.number))
        .where(L.school_id == uow.school_id, L.date >= w.start, L.date <= w.counted_to)
        .group_by(L.class_id, L.date)
    )
    return {(r[0], r[1]): r[2] for r in rows}


def bell_ends(uow: UnitOfWork) -> dict[int, time]:
    B = m.BellTime
    rows = uow.session.execute(select(B.number, B.end).where(B.school_id == uow.school_id))
    return {n: time.fromisoformat(end) for n, end in rows}


def mark_groups(uow: UnitOfWork, w: Window) -> list[tuple[int, str, datetime, int]]:
    """(lesson, kind of work, latest entry, flagged marks) for every lesson with marks."""
    L, Mk = m.Lesson, m.Mark
    flagged = func.sum(case((Mk.late_entry.is_(True), 1), else_=0))
    rows = uow.session.execute(
        select(Mk.lesson_id, Mk.work_kind, func.max(Mk.entered_at), flagged)
        .join(L, L.id == Mk.lesson_id)
        .where(L.school_id == uow.school_id, Mk.school_id == uow.school_id, L.date >= w.start,
               L.date <= w.counted_to)
        .group_by(Mk.lesson_id, Mk.work_kind)
    )
    return [(r[0], r[1], r[2], int(r[3] or 0)) for r in rows]


def marks_of_lessons(uow: UnitOfWork, lesson_ids: Iterable[int]) -> list[tuple[int, int, int, str, datetime, bool]]:
    """(mark, lesson, pupil, kind of work, entered at, flagged) of the given lessons."""
    Mk = m.Mark
    out = []
    for part in chunks(lesson_ids):
        out.extend(tuple(r) for r in uow.session.execute(
            select(Mk.id, Mk.lesson_id, Mk.pupil_id, Mk.work_kind, Mk.entered_at, Mk.late_entry)
            .where(Mk.lesson_id.in_(part)).order_by(Mk.id)
        ))
    return out  # type: ignore[return-value]


def mark_counts(uow: UnitOfWork, w: Window) -> dict[tuple[int, int], int]:
    """Numeric marks per (load, pupil) in the counted days."""
    L, Mk = m.Lesson, m.Mark
    rows = uow.session.execute(
        select(L.load_id, Mk.pupil_id, func.count())
        .join(L, L.id == Mk.lesson_id)
        .where(L.school_id == uow.school_id, Mk.school_id == uow.school_id, L.date >= w.start,
               L.date <= w.counted_to, Mk.value.in_(NUMERIC))
        .group_by(L.load_id, Mk.pupil_id)
    )
    return {(r[0], r[1]): int(r[2]) for r in rows}


def members(uow: UnitOfWork, w: Window, infos: list[LoadInfo]) -> dict[int, list[int]]:
    """Pupils of each load (its class, or its group within the class) in the counted days."""
    Ms, G = m.Membership, m.GroupMember
    overlap_ms = and_(Ms.start <= w.counted_to, or_(Ms.end.is_(None), Ms.end >= w.start))
    by_class: dict[int, set[int]] = defaultdict(set)
    for cid, pid in uow.session.execute(select(Ms.class_id, Ms.pupil_id).where(Ms.school_id == uow.school_id, overlap_ms)):
        by_class[cid].add(pid)
    by_group: dict[int, set[int]] = defaultdict(set)
    group_ids = [i.group_id for i in infos if i.group_id is not None]
    for part in chunks(group_ids):
        for gid, pid in uow.session.execute(
            select(G.group_id, G.pupil_id).where(G.group_id.in_(part), G.start <= w.counted_to,
                                                 or_(G.end.is_(None), G.end >= w.start))
        ):
            by_group[gid].add(pid)
    out: dict[int, list[int]] = {}
    for info in infos:
        pupils = by_class.get(info.class_id, set())
        if info.group_id is not None:
            pupils = pupils & by_group.get(info.group_id, set())
        out[info.id] = sorted(pupils)
    return out


def uncoded_absences(uow: UnitOfWork, w: Window) -> list[tuple[int, int, int, date, int]]:
    """(class, attendance row, pupil, date, lesson) of absences still without a reason."""
    L, A = m.Lesson, m.Attendance
    rows = uow.session.execute(
        select(L.class_id, A.id, A.pupil_id, L.date, L.id)
        .join(L, L.id == A.lesson_id)
        .where(L.school_id == uow.school_id, L.date >= w.start, L.date <= w.counted_to,
               A.status == "absent", A.reason.is_(None))
        .order_by(L.date, L.number, A.pupil_id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def school_label(uow: UnitOfWork) -> tuple[str, str]:
    row = uow.session.execute(select(m.School.code, m.School.name).where(m.School.id == uow.school_id)).one()
    return row[0], row[1]


def class_marks(uow: UnitOfWork, class_id: int, start: date, end: date) -> dict[tuple[int, int], list[tuple[str, float]]]:
    """Each (pupil, subject)'s marks in a class between two days, as (value, weight): what the
    class leader's report and the parents' forecasts average."""
    L, Mk = m.Lesson, m.Mark
    out: dict[tuple[int, int], list[tuple[str, float]]] = defaultdict(list)
    for pupil_id, subject_id, value, weight in uow.session.execute(
        select(Mk.pupil_id, L.subject_id, Mk.value, Mk.weight).join(L, L.id == Mk.lesson_id)
        .where(L.class_id == class_id, L.date >= start, L.date <= end)
    ):
        out[(pupil_id, subject_id)].append((value, weight))
    return out

"""The Homework screen's read model: a teacher's lessons, past and planned (from the
timetable), with their homework and whether it was entered after its deadline; and a
class's day-by-day homework load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.services.context import Actor, UnitOfWork


@dataclass(frozen=True)
class HomeworkRow:
    day: date
    number: int
    load_id: int
    class_id: int
    title: str
    lesson_id: int | None  # None: planned in the timetable, not opened yet
    homework: str
    late: bool
    version: int


@dataclass(frozen=True)
class DayLoad:
    day: date
    items: tuple[tuple[str, str], ...]  # (subject, homework)


def _last_bell(uow: UnitOfWork, class_id: int, day: date) -> time:
    """End of the class's last lesson that day (from the timetable and bells)."""
    TS, TL, B = m.TimetableSlot, m.TeachingLoad, m.BellTime
    number = uow.session.execute(
        select(TS.number).join(TL, TL.id == TS.load_id)
        .where(TL.class_id == class_id, TS.weekday == day.isoweekday()).order_by(TS.number.desc()).limit(1)
    ).scalar() or 6
    end = uow.session.execute(select(B.end).where(B.school_id == uow.school_id, B.number == number)).scalar()
    return time.fromisoformat(end) if end else time(15, 0)


def _late(uow: UnitOfWork, class_id: int, day: date, entered: datetime | None) -> bool:
    if entered is None:
        return False
    due = cal.homework_deadline(day, _last_bell(uow, class_id, day), uow.settings)
    local = entered.replace(tzinfo=None) if entered.tzinfo is None else entered.astimezone().replace(tzinfo=None)
    return local > due


def teacher_homework(uow: UnitOfWork, actor: Actor, back: int = 14, ahead: int = 14) -> list[HomeworkRow]:
    """The actor's lessons from `back` days ago to `ahead` days on, planned ones included."""
    today = uow.today()
    start, end = today - timedelta(days=back), today + timedelta(days=ahead)
    L, TL, C, S, TS = m.Lesson, m.TeachingLoad, m.SchoolClass, m.Subject, m.TimetableSlot
    loads = {r[0]: (r[1], f"{r[2]} · {r[3]}") for r in uow.session.execute(
        select(TL.id, TL.class_id, C.name, S.name).join(C, C.id == TL.class_id).join(S, S.id == TL.subject_id)
        .where(TL.school_id == uow.school_id, TL.teacher_id == actor.id))}
    rows: dict[tuple[int, date, int], HomeworkRow] = {}
    for lid, load_id, day, number, hw, hw_at, version in uow.session.execute(
        select(L.id, L.load_id, L.date, L.number, L.homework, L.homework_at, L.version)
        .where(L.teacher_id == actor.id, L.date >= start, L.date <= end)
    ):
        class_id, title = loads.get(load_id, (0, "?"))
        rows[(load_id, day, number)] = HomeworkRow(day, number, load_id, class_id, title, lid, hw,
                                                   bool(hw) and _late(uow, class_id, day, hw_at), version)
    slots = uow.session.execute(select(TS.load_id, TS.weekday, TS.number).where(TS.load_id.in_(list(loads) or [-1]))).all()
    holidays = [(h.start, h.end) for h in uow.session.scalars(select(m.Holiday).where(m.Holiday.school_id == uow.school_id))]
    for day in cal.school_days(today, end, holidays):
        for load_id, weekday, number in slots:
            if weekday == day.isoweekday() and (load_id, day, number) not in rows:
                class_id, title = loads[load_id]
                rows[(load_id, day, number)] = HomeworkRow(day, number, load_id, class_id, title, None, "", False, 0)
    return sorted(rows.values(), key=lambda r: (r.day, r.number))


def class_load(uow: UnitOfWork, _actor: Actor, class_id: int, back: int = 7, ahead: int = 7) -> list[DayLoad]:
    """Homework set for a class, day by day (by the date of the lesson it was set at)."""
    today = uow.today()
    L, S = m.Lesson, m.Subject
    out: dict[date, list[tuple[str, str]]] = {}
    for day, subject, hw in uow.session.execute(
        select(L.date, S.name, L.homework).join(S, S.id == L.subject_id)
        .where(L.class_id == class_id, L.school_id == uow.school_id, L.date >= today - timedelta(days=back),
               L.date <= today + timedelta(days=ahead), L.homework != "")
        .order_by(L.date, L.number)
    ):
        out.setdefault(day, []).append((subject, hw))
    return [DayLoad(day, tuple(items)) for day, items in sorted(out.items())]


def set_homework(uow: UnitOfWork, actor: Actor, row: HomeworkRow, text: str, reason: str = "",
                 again: bool = False) -> int:
    """Homework for a lesson, opening a planned lesson first (homework may be set ahead).

    It may be sent `again` after a lost connection (tui/writer.py): a first attempt the
    database took left the lesson opened and its homework equal, and then nothing more is
    written (`open_lesson` finds the lesson, `record_lesson` no change)."""
    from ejournal_tui.services.lessons import open_lesson, record_lesson

    lesson_id, version = row.lesson_id, row.version
    if lesson_id is None:
        ref = open_lesson(uow, actor, row.load_id, row.day, row.number, reason=reason)
        lesson_id, version = ref.id, ref.version
    return record_lesson(uow, actor, lesson_id, homework=text, expected_version=version, reason=reason)

"""The Today screen's read model: the signed-in person's lessons today (from the timetable,
plus substitutions), what each still lacks, and their overdue items (lessons without marks
or topic, absences without a reason in their class, final marks due)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.finals import KIND_PERIOD
from ejournal_tui.domain.marks import grade_gets_marks
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.years import all_years, running_year

MISSING_TOPIC, MISSING_HOMEWORK, MISSING_ATTENDANCE, MISSING_MARKS = "topic", "homework", "attendance", "marks"
LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class TodayLesson:
    number: int
    start: str
    end: str
    load_id: int
    class_name: str
    group: str
    subject: str
    room: str
    lesson_id: int | None
    substitute: bool
    missing: tuple[str, ...]
    day: date | None = None  # a substitution's date (they are listed a week ahead); None: the view's day

    @property
    def title(self) -> str:
        group = f" ({self.group})" if self.group else ""
        return f"{self.class_name}{group} · {self.subject}"


@dataclass(frozen=True)
class DueItem:
    """Something overdue or due soon: `kind` names it for translation; `load_id` and `day`
    say which register to open."""

    kind: str
    text: str
    load_id: int | None = None
    day: date | None = None
    count: int = 0


@dataclass
class TodayView:
    day: date
    lessons: list[TodayLesson]
    substitutions: list[TodayLesson]
    due: list[DueItem] = field(default_factory=list)
    reminders: list[object] = field(default_factory=list)


def _loads(uow: UnitOfWork, actor: Actor) -> dict[int, tuple]:
    TL, C, S, G = m.TeachingLoad, m.SchoolClass, m.Subject, m.StudyGroup
    rows = uow.session.execute(
        select(TL.id, C.name, G.name, S.name, C.grade, TL.class_id, TL.year_id)
        .join(C, C.id == TL.class_id).join(S, S.id == TL.subject_id).outerjoin(G, G.id == TL.group_id)
        .where(TL.school_id == uow.school_id, TL.teacher_id == actor.id, TL.year_id == _running_year_id(uow))
    ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def _running_year_id(uow: UnitOfWork) -> int | None:
    """Today shows the running year's timetable only (last year's loads stay in the database)."""
    year = running_year(all_years(uow), uow.today())
    return year.id if year else None


def _bells(uow: UnitOfWork) -> dict[int, tuple[str, str]]:
    B = m.BellTime
    return {r[0]: (r[1], r[2]) for r in uow.session.execute(
        select(B.number, B.start, B.end).where(B.school_id == uow.school_id))}


def _is_holiday(uow: UnitOfWork, day: date) -> bool:
    H = m.Holiday
    return uow.session.execute(
        select(H.id).where(H.school_id == uow.school_id, H.start <= day, H.end >= day).limit(1)
    ).first() is not None


def _lesson_state(uow: UnitOfWork, lesson_id: int | None, grade: int) -> tuple[str, ...]:
    if lesson_id is None:
        missing = [MISSING_TOPIC, MISSING_HOMEWORK, MISSING_ATTENDANCE]
        return (*missing, MISSING_MARKS) if grade_gets_marks(grade, uow.settings) else tuple(missing)
    lesson = uow.session.get(m.Lesson, lesson_id)
    assert lesson is not None
    missing = []
    if not lesson.topic:
        missing.append(MISSING_TOPIC)
    if not lesson.homework:
        missing.append(MISSING_HOMEWORK)
    marks = uow.session.execute(select(func.count(m.Mark.id)).where(m.Mark.lesson_id == lesson_id)).scalar()
    if not marks and grade_gets_marks(grade, uow.settings):
        missing.append(MISSING_MARKS)
    return tuple(missing)


def lessons_on(uow: UnitOfWork, actor: Actor, day: date) -> tuple[list[TodayLesson], list[TodayLesson]]:
    """(own lessons from the timetable, substitutions assigned to `actor`) on `day`."""
    loads = _loads(uow, actor)
    bells = _bells(uow)
    L, TS = m.Lesson, m.TimetableSlot
    held = {(r[1], r[2]): (r[0], r[3], r[4]) for r in uow.session.execute(
        select(L.id, L.load_id, L.number, L.teacher_id, L.substitute_for_id)
        .where(L.school_id == uow.school_id, L.date == day,
               or_(L.load_id.in_(list(loads) or [-1]), L.teacher_id == actor.id)))}
    own: list[TodayLesson] = []
    if not _is_holiday(uow, day) and loads:
        slots = uow.session.execute(
            select(TS.load_id, TS.number, TS.room).where(
                TS.school_id == uow.school_id, TS.weekday == day.isoweekday(), TS.load_id.in_(list(loads)))
        ).all()
        for load_id, number, room in sorted(slots, key=lambda s: s[1]):
            lesson_id, teacher_id, _sub_for = held.get((load_id, number), (None, actor.id, None))
            if teacher_id != actor.id:
                continue  # someone substitutes for this person today
            own.append(_today(uow, loads[load_id], load_id, number, room, lesson_id, bells, False))
    subs = _substitutions(uow, actor, day, bells)
    return own, subs


def _today(uow: UnitOfWork, load: tuple, load_id: int, number: int, room: str, lesson_id: int | None,
           bells: dict[int, tuple[str, str]], substitute: bool, day: date | None = None) -> TodayLesson:
    class_name, group, subject, grade = load[0], load[1] or "", load[2], load[3]
    start, end = bells.get(number, ("", ""))
    return TodayLesson(number, start, end, load_id, class_name, group, subject, room, lesson_id, substitute,
                       _lesson_state(uow, lesson_id, grade), day)


def _substitutions(uow: UnitOfWork, actor: Actor, day: date, bells: dict[int, tuple[str, str]]) -> list[TodayLesson]:
    L, TL, C, S, G = m.Lesson, m.TeachingLoad, m.SchoolClass, m.Subject, m.StudyGroup
    rows = uow.session.execute(
        select(L.id, L.load_id, L.number, C.name, G.name, S.name, C.grade, L.date)
        .join(TL, TL.id == L.load_id).join(C, C.id == L.class_id).join(S, S.id == L.subject_id)
        .outerjoin(G, G.id == L.group_id)
        .where(L.school_id == uow.school_id, L.teacher_id == actor.id, L.substitute_for_id.is_not(None),
               L.date >= day, L.date <= day + timedelta(days=7))
        .order_by(L.date, L.number)
    ).all()
    out = []
    for lid, load_id, number, cname, gname, sname, grade, held_on in rows:
        out.append(_today(uow, (cname, gname, sname, grade), load_id, number, "", lid, bells, True, held_on))
    return out


def _unmarked_lessons(uow: UnitOfWork, actor: Actor, day: date, loads: dict[int, tuple]) -> list[DueItem]:
    """Lessons of the last weeks, past the oral deadline, with no topic or no mark at all."""
    L, Mk = m.Lesson, m.Mark
    until = day - timedelta(days=uow.settings.oral_deadline_days)
    marked = select(Mk.lesson_id).where(Mk.lesson_id == L.id).exists()
    rows = uow.session.execute(
        select(L.id, L.load_id, L.date, L.topic, marked)
        .where(L.school_id == uow.school_id, L.teacher_id == actor.id, L.date < until,
               L.date >= day - timedelta(days=LOOKBACK_DAYS))
        .order_by(L.date)
    ).all()
    items = []
    for _lid, load_id, lday, topic, has_marks in rows:
        load = loads.get(load_id)
        if load is None:
            continue
        title = f"{load[0]} · {load[2]}"
        if not topic:
            items.append(DueItem("no_topic", title, load_id, lday))
        elif not has_marks and grade_gets_marks(load[3], uow.settings):
            items.append(DueItem("no_marks", title, load_id, lday))
    return items


def _uncoded_absences(uow: UnitOfWork, actor: Actor, day: date) -> list[DueItem]:
    A, L, C = m.Attendance, m.Lesson, m.SchoolClass
    rows = uow.session.execute(
        select(C.name, func.count(A.id))
        .join(L, L.id == A.lesson_id).join(C, C.id == L.class_id)
        .where(C.leader_id == actor.id, A.status == "absent", A.reason.is_(None), L.date < day)
        .group_by(C.name)
    ).all()
    return [DueItem("uncoded_absences", name, None, None, n) for name, n in rows if n]


def _finals_due(uow: UnitOfWork, day: date, loads: dict[int, tuple]) -> list[DueItem]:
    """Periods ended (final marks due within the setting's days) with pupils lacking a mark."""
    items = []
    F, P, Ms, PC = m.FinalMark, m.Period, m.Membership, m.PeriodClosure
    for load_id, (cname, _group, sname, grade, class_id, year_id) in loads.items():
        if not grade_gets_marks(grade, uow.settings):
            continue
        codes = cal.periods_for_grade(grade, uow.settings)
        for period in uow.session.scalars(select(P).where(P.year_id == year_id, P.code.in_(codes), P.end < day)):
            closed = uow.session.execute(select(PC.closed).where(
                PC.period_id == period.id, PC.class_id == class_id)).scalar()
            if closed:
                continue
            pupils = uow.session.execute(select(func.count(Ms.id)).where(
                Ms.class_id == class_id, Ms.start <= period.end, or_(Ms.end.is_(None), Ms.end >= period.end))).scalar()
            subject_id = uow.session.get(m.TeachingLoad, load_id).subject_id  # type: ignore[union-attr]
            have = uow.session.execute(select(func.count(F.id)).where(and_(
                F.class_id == class_id, F.subject_id == subject_id, F.kind == KIND_PERIOD,
                F.period_code == period.code))).scalar()
            missing = (pupils or 0) - (have or 0)
            if missing > 0:
                due = cal.final_marks_due(period.end, uow.settings)
                items.append(DueItem("finals_due", f"{cname} · {sname} · {period.code}", load_id, due, missing))
    return items


# what the control report's reminders already say, item by item
_COVERED_BY_REMINDERS = ("no_topic", "uncoded_absences")


def today_view(uow: UnitOfWork, actor: Actor, day: date | None = None) -> TodayView:
    """Everything the Today screen shows for `actor` on `day` (default: the clock's today):
    the lessons, and what is overdue: the control report's reminders (per lesson and pupil)
    plus what they do not cover (lessons without any mark, final marks due)."""
    from ejournal_tui.services.control import my_reminders

    day = day or uow.today()
    own, subs = lessons_on(uow, actor, day)
    loads = _loads(uow, actor)
    reminders = list(my_reminders(uow, actor, as_of=day))
    due = _unmarked_lessons(uow, actor, day, loads) + _uncoded_absences(uow, actor, day) + _finals_due(uow, day, loads)
    if reminders:
        due = [d for d in due if d.kind not in _COVERED_BY_REMINDERS]
    view = TodayView(day, own, subs, due)
    view.reminders = reminders
    return view

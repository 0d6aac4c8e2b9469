"""Finding things by what people call them: classes ("5А" or "5A"), subjects, periods,
the current academic year, and the facts a write about a lesson needs in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from ejournal_tui.data import models as m
from ejournal_tui.data.fastpath import as_date, fetch_tuples
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import NotFound
from ejournal_tui.domain.people import LOOKALIKES
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.phrases import noun


def normalize_class_name(name: str) -> str:
    """A class name as stored: Latin look-alike letters made Cyrillic (CLI.md: 5A means 5А),
    upper case, no spaces or hyphens."""
    text = (name or "").strip().replace(" ", "").replace("-", "")
    return text.upper().translate(LOOKALIKES)


def current_year(uow: UnitOfWork, start_year: int | None = None) -> m.AcademicYear:
    """The academic year asked for, or the running one (services.years.running_year)."""
    from ejournal_tui.services.years import all_years, running_year

    years = all_years(uow)
    if start_year is not None:
        for year in years:
            if year.start_year == start_year:
                return year
        raise NotFound(what=noun("academic_year_of", start=start_year, end=start_year + 1))
    found = running_year(years, uow.today())
    if found is None:
        raise NotFound(what=noun("academic_year"))
    return found


def find_class(uow: UnitOfWork, name: str, year: m.AcademicYear | None = None) -> m.SchoolClass:
    year = year or current_year(uow)
    wanted = normalize_class_name(name)
    klass = uow.session.scalars(
        select(m.SchoolClass).where(
            m.SchoolClass.school_id == uow.school_id,
            m.SchoolClass.year_id == year.id,
            m.SchoolClass.name == wanted,
        )
    ).first()
    if klass is None:
        raise NotFound(what=noun("class_named", name=name))
    return klass


def find_subject(uow: UnitOfWork, name: str) -> m.Subject:
    wanted = (name or "").strip().lower().replace("ё", "е")
    for subject in uow.session.scalars(select(m.Subject).where(m.Subject.school_id == uow.school_id)):
        if wanted in (subject.name.lower().replace("ё", "е"), subject.short_name.lower()):
            return subject
    raise NotFound(what=noun("subject_named", name=name))


def find_period(uow: UnitOfWork, code: str, year: m.AcademicYear | None = None) -> m.Period:
    code = cal.normalize_period(code)
    year = year or current_year(uow)
    period = uow.session.scalars(
        select(m.Period).where(m.Period.year_id == year.id, m.Period.code == code)
    ).first()
    if period is None:
        raise NotFound(what=noun("period", code=code))
    return period


def period_codes_for(grade: int, uow: UnitOfWork) -> tuple[str, ...]:
    return cal.periods_for_grade(grade, uow.settings)


@dataclass(frozen=True)
class LessonFacts:
    """What a write about a lesson needs to decide whether it is allowed."""

    lesson_id: int
    date: date
    version: int
    class_id: int
    class_name: str
    grade: int
    group_id: int | None
    load_id: int
    load_teacher_id: int
    held_by_id: int
    subject_id: int
    work_kind: str
    leader_id: int | None
    period_code: str | None
    period_closed: bool
    # a newer academic year has begun: the lesson's year takes no more lesson entries
    year_past: bool = False
    # whether `checked_pupil` belongs to the lesson's class (and group) that day
    checked_pupil: int | None = None
    pupil_in_lesson: bool = False
    # PostgreSQL: an id taken from the sequence of the table asked for (`lesson_facts(reserve=…)`)
    reserved_id: int | None = None


def _listed(codes: tuple[str, ...]) -> list:
    # written into the SQL: a list of bound values would be expanded again at every execution
    return [literal_column(f"'{code}'") for code in codes if code.isalnum()]


def _facts_statement(with_pupil: bool = False, reserve: str = ""):  # noqa: ANN202 - built once; building costs more than running it
    L, TL, C, P, PC = m.Lesson, m.TeachingLoad, m.SchoolClass, m.Period, m.PeriodClosure
    qmax = bindparam("qmax")
    Y, newer = m.AcademicYear, aliased(m.AcademicYear)
    year_past = select(newer.id).where(newer.school_id == C.school_id, newer.start_year > Y.start_year,
                                       newer.start <= bindparam("today")).exists()
    columns = [L.id, L.date, L.version, L.class_id, C.name, C.grade, L.group_id, L.load_id,
               TL.teacher_id, L.teacher_id, L.subject_id, L.work_kind, C.leader_id, P.code, PC.closed, year_past]
    if with_pupil:  # the membership check rides along: one query fewer for every mark typed
        Ms, G = m.Membership, m.GroupMember
        pupil = bindparam("pupil")
        in_class = select(Ms.id).where(Ms.pupil_id == pupil, Ms.class_id == L.class_id, Ms.start <= L.date,
                                       or_(Ms.end.is_(None), Ms.end >= L.date)).exists()
        in_group = select(G.id).where(G.pupil_id == pupil, G.group_id == L.group_id, G.start <= L.date,
                                      or_(G.end.is_(None), G.end >= L.date)).exists()
        columns.append(and_(in_class, or_(L.group_id.is_(None), in_group)))
    if reserve:  # the id of the row about to be written rides along too (PostgreSQL only)
        columns.append(func.nextval(func.pg_get_serial_sequence(reserve, "id")))
    return (
        select(*columns)
        .join(TL, TL.id == L.load_id)
        .join(C, C.id == L.class_id)
        .join(Y, Y.id == C.year_id)
        .outerjoin(
            P,
            and_(
                P.year_id == C.year_id, P.start <= L.date, P.end >= L.date,
                or_(and_(C.grade <= qmax, P.code.in_(_listed(cal.QUARTERS))),
                    and_(C.grade > qmax, P.code.in_(_listed(cal.HALVES)))),
            ),
        )
        .outerjoin(PC, and_(PC.period_id == P.id, PC.class_id == C.id))
        .where(L.id == bindparam("lesson"), L.school_id == bindparam("school"))
    )


def _member_statement(table):  # noqa: ANN001, ANN202
    key = table.class_id if table is m.Membership else table.group_id
    return select(table.id).where(
        table.pupil_id == bindparam("pupil"), key == bindparam("owner"), table.start <= bindparam("day"),
        or_(table.end.is_(None), table.end >= bindparam("day")),
    ).limit(1)


_FACTS = _facts_statement()
_FACTS_FOR_PUPIL = _facts_statement(with_pupil=True)
_FACTS_RESERVING: dict[tuple[bool, str], Select] = {}
_IN_CLASS = _member_statement(m.Membership)
_IN_GROUP = _member_statement(m.GroupMember)


def lesson_facts(uow: UnitOfWork, lesson_id: int, pupil_id: int | None = None, *, reserve: str = "") -> LessonFacts:
    """Lesson, load, class, the closure of the period the lesson falls in and (given a pupil)
    whether the pupil belongs to the lesson that day: one query. On PostgreSQL `reserve` (a
    table's name) also takes the id its next row will have, so that the row can be written
    without a round trip of its own (`UnitOfWork.write_at_commit`); elsewhere it is ignored."""
    params = {"lesson": lesson_id, "school": uow.school_id, "qmax": uow.settings.quarters_up_to_grade,
              "today": uow.today()}
    if pupil_id is not None:
        params["pupil"] = pupil_id
    reserve = reserve if uow.conn.dialect.name == "postgresql" else ""
    rows = fetch_tuples(uow.conn, _facts_for(pupil_id is not None, reserve), params)
    if not rows:
        raise NotFound(what=noun("lesson", id=lesson_id))
    row = rows[0]
    member = bool(row[16]) if pupil_id is not None else False
    return LessonFacts(row[0], as_date(row[1]), *row[2:14], period_closed=bool(row[14]), year_past=bool(row[15]),
                       checked_pupil=pupil_id, pupil_in_lesson=member, reserved_id=row[-1] if reserve else None)


def _facts_for(with_pupil: bool, reserve: str) -> Select:
    if not reserve:
        return _FACTS_FOR_PUPIL if with_pupil else _FACTS
    key = (with_pupil, reserve)
    if key not in _FACTS_RESERVING:
        _FACTS_RESERVING[key] = _facts_statement(with_pupil, reserve)
    return _FACTS_RESERVING[key]


def pupil_in_lesson(uow: UnitOfWork, pupil_id: int, facts: LessonFacts) -> bool:
    """Whether the pupil belongs to the lesson's class (and group) on its date."""
    if facts.checked_pupil == pupil_id:
        return facts.pupil_in_lesson
    params = {"pupil": pupil_id, "owner": facts.class_id, "day": facts.date}
    if uow.conn.execute(_IN_CLASS, params).first() is None:
        return False
    if facts.group_id is None:
        return True
    params["owner"] = facts.group_id
    return uow.conn.execute(_IN_GROUP, params).first() is not None


def pupil_name(uow: UnitOfWork, pupil_id: int) -> str:
    pupil = uow.session.get(m.Pupil, pupil_id)
    if pupil is None or pupil.school_id != uow.school_id:
        raise NotFound(what=noun("pupil", id=pupil_id))
    return f"{pupil.last_name} {pupil.first_name}"


@dataclass(frozen=True)
class WorkKindInfo:
    code: str
    name: str
    weight: float
    category: str  # oral | written: which mark deadline applies


def work_kinds(uow: UnitOfWork) -> dict[str, WorkKindInfo]:
    """The school's kinds of work in their order (kept briefly in the database's cache)."""

    def load() -> dict[str, WorkKindInfo]:
        W = m.WorkKind
        rows = uow.session.execute(
            select(W.code, W.name, W.weight, W.category).where(W.school_id == uow.school_id).order_by(W.order)
        )
        return {r[0]: WorkKindInfo(*r) for r in rows}

    return uow.db.cached("work_kinds", load)  # type: ignore[return-value]


def pupil_class_on(uow: UnitOfWork, pupil_id: int, day: date) -> m.SchoolClass:
    """The class a pupil belongs to on a day."""
    Ms = m.Membership
    klass = uow.session.scalars(
        select(m.SchoolClass).join(Ms, Ms.class_id == m.SchoolClass.id).where(
            Ms.pupil_id == pupil_id, Ms.school_id == uow.school_id, Ms.start <= day,
            or_(Ms.end.is_(None), Ms.end >= day),
        )
    ).first()
    if klass is None:
        raise NotFound(what=noun("class_of_pupil", id=pupil_id, day=day))
    return klass

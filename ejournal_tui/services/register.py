"""The class register as people read it: pupils × lessons of one teaching load (a class or
group in a subject) for one period, with marks, absences, averages, suggested and final marks.

Built with a handful of indexed queries and no ORM objects, because opening a register is
the most frequent read of the whole program.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import aliased

from ejournal_tui.data import models as m
from ejournal_tui.data.fastpath import as_date, fetch_tuples
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed, NotFound
from ejournal_tui.domain.finals import KIND_PERIOD
from ejournal_tui.domain.marks import NUMERIC, minimum_marks
from ejournal_tui.domain.register_cells import cell_notation, row_figures
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.years import all_years, running_year


@dataclass(frozen=True)
class RegisterRef:
    """One register a person can open: a teaching load."""

    load_id: int
    class_id: int
    class_name: str
    grade: int
    subject_id: int
    subject: str
    group: str
    teacher: str
    teacher_id: int
    hours_per_week: float
    # "2025/2026" for a register of a past year (reached explicitly, labelled); "" for the running one
    year: str = ""

    @property
    def title(self) -> str:
        group = f" ({self.group})" if self.group else ""
        label = f" · {self.year}" if self.year else ""
        return f"{self.class_name}{group} / {self.subject}{label}"


class RegLesson(NamedTuple):
    id: int
    date: date
    number: int
    topic: str
    homework: str
    work_kind: str
    teacher_id: int
    substitute_for_id: int | None
    late_entry: bool
    version: int


class RegPupil(NamedTuple):
    no: int
    id: int
    name: str
    start: date
    end: date | None

    def in_class_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class CellMark(NamedTuple):
    id: int
    value: str
    work_kind: str
    weight: float
    comment: str
    version: int


class CellRemark(NamedTuple):
    """A remark or thanks to parents at a cell (read with `services.remarks.register_remarks`)."""

    id: int
    text: str
    praise: bool


class CellAbsence(NamedTuple):
    id: int
    status: str
    reason: str | None
    version: int


class RowSummary(NamedTuple):
    marks: int
    average: float | None
    suggested: str | None
    final: str | None
    final_id: int | None
    final_version: int
    below_minimum: bool


@dataclass
class Register:
    ref: RegisterRef
    period: str
    start: date
    end: date
    closed: bool
    minimum: int
    pupils: list[RegPupil]
    lessons: list[RegLesson]
    marks: dict[tuple[int, int], list[CellMark]] = field(default_factory=dict)
    absences: dict[tuple[int, int], CellAbsence] = field(default_factory=dict)
    summary: dict[int, RowSummary] = field(default_factory=dict)
    # remarks to parents: not read by `open_register` (the printed register has none), filled
    # by the screen that shows them (`services.remarks.register_remarks`)
    remarks: dict[tuple[int, int], list[CellRemark]] = field(default_factory=dict)
    # a newer year has begun: lessons, marks and absences are read-only, final marks are not
    year_past: bool = False

    def cell_text(self, pupil_id: int, lesson_id: int) -> str:
        """The cell in full, as the printed register reads it."""
        absent = self.absences.get((pupil_id, lesson_id))
        values = [mk.value for mk in self.marks.get((pupil_id, lesson_id), ())]
        return cell_notation(absent.status if absent else None, values)


def _refs_query(uow: UnitOfWork | None):  # noqa: ANN202 - a SQLAlchemy select
    TL, C, S, G, St = m.TeachingLoad, m.SchoolClass, m.Subject, m.StudyGroup, m.Staff
    return (
        select(TL.id, C.id, C.name, C.grade, S.id, S.name, G.name, St.last_name, St.first_name,
               St.patronymic, St.id, TL.hours_per_week)
        .join(C, C.id == TL.class_id).join(S, S.id == TL.subject_id).join(St, St.id == TL.teacher_id)
        .outerjoin(G, G.id == TL.group_id)
        .where(TL.school_id == (bindparam("school") if uow is None else uow.school_id))
        .order_by(C.grade, C.letter, S.order, S.name, G.name)
    )


def _ref(row) -> RegisterRef:  # noqa: ANN001 - a result row
    initials = "".join(f"{p[0]}." for p in (row[8], row[9]) if p)
    return RegisterRef(row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "",
                       f"{row[7]} {initials}", row[10], row[11])


def registers_for(uow: UnitOfWork, actor: Actor, year_id: int | None = None) -> list[RegisterRef]:
    """Teachers see their own load (and lessons they substitute in are opened by lesson);
    the deputy, director, secretary and admin see every register. Of the running year unless
    another year is asked for: past years are reached explicitly (`past_registers_for`)."""
    running = running_year(all_years(uow), uow.today())
    if year_id is None:
        year_id = running.id if running else -1
    label = "" if running is not None and year_id == running.id else _year_label(uow, year_id)
    return [replace(ref, year=label) for ref in _refs(uow, actor, m.TeachingLoad.year_id == year_id)]


def past_registers_for(uow: UnitOfWork, actor: Actor) -> list[RegisterRef]:
    """The registers of the years before the running one, newest year first, each labelled
    with its year: readable and printable, closed to lesson entries."""
    years = all_years(uow)
    running = running_year(years, uow.today())
    past = [y for y in reversed(years) if running is not None and y.start_year < running.start_year]
    refs: list[RegisterRef] = []
    for year in past:
        label = f"{year.start_year}/{year.start_year + 1}"
        refs += [replace(ref, year=label) for ref in _refs(uow, actor, m.TeachingLoad.year_id == year.id)]
    return refs


def _year_label(uow: UnitOfWork, year_id: int) -> str:
    year = uow.session.get(m.AcademicYear, year_id)
    return f"{year.start_year}/{year.start_year + 1}" if year else ""


def _refs(uow: UnitOfWork, actor: Actor, where) -> list[RegisterRef]:  # noqa: ANN001 - a SQL condition
    stmt = _refs_query(uow).where(where)
    if not perm.may(actor.roles, "view_all_registers"):
        stmt = stmt.where(m.TeachingLoad.teacher_id == actor.id)
    return [_ref(r) for r in uow.session.execute(stmt)]


def register_ref(uow: UnitOfWork, load_id: int) -> RegisterRef:
    if "ref" not in _STMTS:
        _STMTS["ref"] = _refs_query(None).where(m.TeachingLoad.id == bindparam("load"))
    row = uow.session.connection().execute(_STMTS["ref"], {"load": load_id, "school": uow.school_id}).first()
    if row is None:
        raise NotFound(what=noun("register", id=load_id))
    return _ref(row)


def may_read(actor: Actor, ref: RegisterRef, uow: UnitOfWork) -> bool:
    """Its teacher, the class leader and those who see every register may read a register."""
    klass = uow.session.get(m.SchoolClass, ref.class_id)
    return _may_read(actor, ref, klass.leader_id if klass else None)


def _may_read(actor: Actor, ref: RegisterRef, leader_id: int | None) -> bool:
    if perm.may(actor.roles, "view_all_registers") or actor.id == ref.teacher_id:
        return True
    return actor.id is not None and leader_id == actor.id


def _substitutes_in(uow: UnitOfWork, actor: Actor, load_id: int) -> bool:
    """A substitute reads the register of a lesson they hold (and writes that lesson only)."""
    L = m.Lesson
    return actor.id is not None and uow.session.execute(select(L.id).where(
        L.load_id == load_id, L.teacher_id == actor.id, L.substitute_for_id.is_not(None)).limit(1)).first() is not None


def _bp(name: str):  # noqa: ANN202
    return bindparam(name)


def _prebuilt():  # noqa: ANN202 - statements built once: building them costs more than running them
    L, Mk, A, F, P = m.Lesson, m.Mark, m.Attendance, m.FinalMark, m.Pupil
    Ms, G, Pe, PC, C = m.Membership, m.GroupMember, m.Period, m.PeriodClosure, m.SchoolClass
    in_period = and_(L.load_id == _bp("load"), L.date >= _bp("start"), L.date <= _bp("end"))

    def members(table):  # noqa: ANN001, ANN202
        key = table.class_id if table is Ms else table.group_id
        return (select(P.id, P.last_name, P.first_name, table.start, table.end).join(table, table.pupil_id == P.id)
                .where(key == _bp("owner"), table.start <= _bp("end"), or_(table.end.is_(None), table.end >= _bp("start")))
                .order_by(P.last_name, P.first_name, P.id))

    TL, Y, newer = m.TeachingLoad, m.AcademicYear, aliased(m.AcademicYear)
    # a newer year has begun (the register's lessons are read-only): in the same query
    year_past = select(newer.id).where(newer.school_id == Y.school_id, newer.start_year > Y.start_year,
                                       newer.start <= _bp("today")).correlate(Y).exists()
    head = (
        _refs_query(None)
        .add_columns(C.leader_id, TL.year_id, TL.group_id, Pe.start, Pe.end, PC.closed, year_past)
        .join(Y, Y.id == TL.year_id)
        .outerjoin(Pe, and_(Pe.year_id == TL.year_id, Pe.code == _bp("code")))
        .outerjoin(PC, and_(PC.period_id == Pe.id, PC.class_id == TL.class_id))
        .where(TL.id == _bp("load"))
    )
    return {
        "head": head,
        # no ORDER BY: `_fill` puts the few cells with several marks in entry order itself
        "marks": select(Mk.pupil_id, Mk.lesson_id, Mk.id, Mk.value, Mk.work_kind, Mk.weight, Mk.comment,
                        Mk.version).join(L, L.id == Mk.lesson_id).where(in_period),
        "absences": select(A.pupil_id, A.lesson_id, A.id, A.status, A.reason, A.version)
        .join(L, L.id == A.lesson_id).where(in_period),
        "class_pupils": members(Ms),
        "group_pupils": members(G),
        "lessons": select(L.id, L.date, L.number, L.topic, L.homework, L.work_kind, L.teacher_id,
                          L.substitute_for_id, L.late_entry, L.version).where(in_period).order_by(L.date, L.number),
        "finals": select(F.pupil_id, F.value, F.id, F.version).where(
            F.year_id == _bp("year"), F.subject_id == _bp("subject"), F.kind == KIND_PERIOD,
            F.period_code == _bp("code"), F.class_id == _bp("class")),
    }


_STMTS: dict = {}


def _stmt(name: str):  # noqa: ANN202
    if name not in _STMTS:
        _STMTS.update(_prebuilt())
    return _STMTS[name]


def open_register(uow: UnitOfWork, actor: Actor, load_id: int, period_code: str) -> Register:
    """The full register of a load for a period: the grid, the marks and the summaries."""
    code = cal.normalize_period(period_code)
    conn = uow.conn
    heads = fetch_tuples(conn, _stmt("head"), {"load": load_id, "school": uow.school_id, "code": code,
                                               "today": uow.today()})
    if not heads:
        raise NotFound(what=noun("register", id=load_id))
    head = heads[0]
    ref = _ref(head)
    leader_id, year_id, group_id, start, end, closed, year_past = head[12:]
    start, end = as_date(start), as_date(end)
    if not _may_read(actor, ref, leader_id) and not _substitutes_in(uow, actor, load_id):
        raise NotAllowed(what=noun("register", id=ref.title))
    cal.check_period_applies(code, ref.grade, ref.class_name, uow.settings)
    if start is None:
        raise NotFound(what=noun("period", code=code))
    span = {"load": load_id, "start": start, "end": end}
    members = _stmt("group_pupils") if group_id else _stmt("class_pupils")
    rows = fetch_tuples(conn, members, {"owner": group_id or ref.class_id, "start": start, "end": end})
    pupils = [RegPupil(i, r[0], f"{r[1]} {r[2]}", as_date(r[3]), as_date(r[4])) for i, r in enumerate(rows, 1)]
    lessons = [RegLesson(r[0], as_date(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), r[9])
               for r in fetch_tuples(conn, _stmt("lessons"), span)]
    reg = Register(ref, code, start, end, bool(closed), minimum_marks(ref.hours_per_week, uow.settings),
                   pupils, lessons)
    marks = fetch_tuples(conn, _stmt("marks"), span) if lessons else []
    absences = fetch_tuples(conn, _stmt("absences"), span) if lessons else []
    finals = {r[0]: r[1:] for r in fetch_tuples(
        conn, _stmt("finals"), {"year": year_id, "subject": ref.subject_id, "code": code, "class": ref.class_id})}
    _fill(uow, reg, marks, absences, finals)
    reg.year_past = bool(year_past)
    return reg


_NUMERIC_VALUE = {text: int(text) for text in NUMERIC}


def _fill(uow: UnitOfWork, reg: Register, mark_rows: list, absence_rows: list,
          finals: dict[int, tuple[str, int, int]]) -> None:
    """Cells and per-pupil summaries in one pass over the rows.

    The hottest loop of the program (every register opened): plain tuples, running sums
    instead of per-pupil lists (the sums `domain.register_cells.row_summary` makes of a list;
    `row_figures` turns them into the row's figures for both), and a sort only for the rare
    cell whose marks came out of entry (id) order.
    """
    settings = uow.settings
    arithmetic = settings.average == "arithmetic"
    marks: dict[tuple[int, int], list[CellMark]] = {}
    sums: dict[int, list[float]] = {}
    unordered: list[list[CellMark]] = []
    make, numeric = tuple.__new__, _NUMERIC_VALUE
    for r in mark_rows:
        pupil = r[0]
        mark = make(CellMark, r[2:])
        cell = marks.get((pupil, r[1]))
        if cell is None:
            marks[pupil, r[1]] = [mark]
        else:
            if cell[-1][0] > r[2]:
                unordered.append(cell)
            cell.append(mark)
        value = numeric.get(r[3])
        if value is not None:
            acc = sums.get(pupil)
            if acc is None:
                acc = sums[pupil] = [0.0, 0.0, 0]
            weight = 1.0 if arithmetic else r[5]
            acc[0] += value * weight
            acc[1] += weight
            acc[2] += 1
    for cell in unordered:
        cell.sort()  # by id, the first field: the order the marks were entered
    reg.marks = marks
    reg.absences = {(r[0], r[1]): make(CellAbsence, r[2:]) for r in absence_rows}
    minimum, summary = reg.minimum, reg.summary
    for pupil in reg.pupils:
        total, weights, n = sums.get(pupil.id, (0.0, 0.0, 0))
        figures = row_figures(int(n), total, weights, minimum, settings)
        final = finals.get(pupil.id)
        summary[pupil.id] = RowSummary(
            figures.marks, figures.average, figures.suggested, final[0] if final else None,
            final[1] if final else None, final[2] if final else 0, figures.below_minimum,
        )

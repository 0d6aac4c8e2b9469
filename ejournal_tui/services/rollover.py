"""Rollover into the next academic year (`ejournal year new 2027`; DOMAIN.md, "Rollover").

Every class of the last year moves up a grade keeping its letter (5А → 6А) with its class
leader; the last grade leaves; pupils named in the keep-back file stay in their grade (in the
class of that grade and letter, made if missing); each class's groups are carried over with
their pupils as a proposal (groups are redone at the start of each year). Last year's
memberships end on its last day, 31 August; the new ones begin on 1 September. The teaching
load, timetable and plans are imported anew for the new year.

The whole rollover is one transaction; `dry_run` counts and rolls back. The caller takes a
safety backup between a dry run and the real one (cli/year_cmd.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, Database, UnitOfWork
from ejournal_tui.services.imports import ImportRejected, RowProblem
from ejournal_tui.services.imports.people import NAME_COLUMNS, class_name, name_key, split_name
from ejournal_tui.services.imports.reader import read_table
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.years import add_year, all_years, year_name

LAST_GRADE = 11

register_many({
    "roll.denied": ("переход на новый учебный год (администратор, заместитель директора)",
                    "the rollover into a new academic year (administrator, deputy director)"),
    "roll.not_next": ("новый учебный год должен идти сразу за последним ({last}): {wanted} не подходит",
                      "the new academic year must follow the last one ({last}): {wanted} does not"),
    "roll.no_pupil": ("ученика «{name}» нет в классе {klass} на конец {year} года",
                      "no pupil '{name}' in class {klass} at the end of {year}"),
})


@dataclass
class RolloverReport:
    start_year: int
    dry_run: bool
    promoted: list[tuple[str, str]] = field(default_factory=list)  # (old class, new class)
    graduated: int = 0
    kept_back: list[str] = field(default_factory=list)
    pupils_moved: int = 0
    groups: int = 0


def _require(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("roll.denied"))


def roll_over(db: Database, actor: Actor, start_year: int, keep_back: str | Path | None = None,
              *, dry_run: bool = False, carry_groups: bool = True) -> RolloverReport:
    """Open the academic year starting in `start_year` from the one before it."""
    _require(actor)
    report = RolloverReport(start_year, dry_run)
    with db.uow() as uow:
        old = _previous_year(uow, start_year)
        old_classes = list(uow.session.scalars(select(m.SchoolClass).where(m.SchoolClass.year_id == old.id)
                                               .order_by(m.SchoolClass.grade, m.SchoolClass.letter)))
        last_day = date(old.start_year + 1, 8, 31)
        staying = _members_at_end(uow, old_classes, last_day)
        held_back = _read_keep_back(keep_back, old_classes, staying, uow, year_name(old.start_year)) if keep_back else set()
        new = add_year(uow, start_year)
        _move_classes(uow, report, old_classes, staying, held_back, new, last_day, carry_groups)
        audit.record(uow, actor, "year.new", entity="academicyear", entity_id=new.id,
                     after={"year": year_name(start_year), "from": year_name(old.start_year),
                            "promoted": len(report.promoted), "graduated": report.graduated,
                            "kept_back": report.kept_back, "pupils": report.pupils_moved, "groups": report.groups})
        if not dry_run:
            uow.commit()
    db.forget()
    return report


def _previous_year(uow: UnitOfWork, start_year: int) -> m.AcademicYear:
    years = all_years(uow)
    if not years:
        raise NotFound(what=noun("academic_year"))
    last = years[-1]
    if any(y.start_year == start_year for y in years):
        raise InvalidInput(what=Phrase("year.exists", start=start_year, end=start_year + 1))
    if start_year != last.start_year + 1:
        raise InvalidInput(what=Phrase("roll.not_next", last=year_name(last.start_year), wanted=year_name(start_year)))
    return last


def _members_at_end(uow: UnitOfWork, classes: list[m.SchoolClass], last_day: date) -> dict[int, list[m.Membership]]:
    """Each class's memberships still open at the year's end (pupils who left are not moved)."""
    Ms = m.Membership
    found: dict[int, list[m.Membership]] = {c.id: [] for c in classes}  # type: ignore[misc]
    rows = uow.session.scalars(select(Ms).where(Ms.class_id.in_(list(found)), Ms.start <= last_day,
                                                or_(Ms.end.is_(None), Ms.end >= last_day)))
    for ms in rows:
        found[ms.class_id].append(ms)
    return found


def _read_keep_back(path: str | Path, classes: list[m.SchoolClass], staying: dict[int, list[m.Membership]],
                    uow: UnitOfWork, year: str) -> set[int]:
    """The pupils (ids) the file names by name and class; every row must name one of them."""
    table = read_table(Path(path), {**NAME_COLUMNS, "class": ("класс",)}, [("fio", "class"), ("last", "first", "class")])
    by_class = {c.name: c.id for c in classes}
    pupils = {p.id: p for p in uow.session.scalars(select(m.Pupil).where(m.Pupil.school_id == uow.school_id))}
    found, problems = set(), []
    for row, cells in table.rows:
        last, first, patronymic = split_name(table, cells)
        klass = class_name(table.text(cells, "class")) or table.text(cells, "class")
        wanted = name_key(last, first, patronymic)
        match = [ms.pupil_id for ms in staying.get(by_class.get(klass, -1), [])
                 if name_key(pupils[ms.pupil_id].last_name, pupils[ms.pupil_id].first_name,
                             pupils[ms.pupil_id].patronymic if patronymic else "") == wanted]
        if len(match) != 1:
            problems.append(RowProblem(row, t("roll.no_pupil", name=f"{last} {first} {patronymic}".strip(),
                                              klass=klass, year=year)))
            continue
        found.add(match[0])
    if problems:
        raise ImportRejected(Path(path).name, problems)
    return found


def _move_classes(uow: UnitOfWork, report: RolloverReport, old_classes: list[m.SchoolClass],
                  staying: dict[int, list[m.Membership]], held_back: set[int], new: m.AcademicYear,
                  last_day: date, carry_groups: bool) -> None:
    made: dict[str, m.SchoolClass] = {}

    def target(grade: int, letter: str, leader_id: int | None) -> m.SchoolClass:
        name = f"{grade}{letter}"
        if name not in made:
            made[name] = m.SchoolClass(school_id=uow.school_id, year_id=new.id, grade=grade, letter=letter,  # type: ignore[arg-type]
                                       name=name, leader_id=leader_id)
            uow.session.add(made[name])
            uow.session.flush()
        elif made[name].leader_id is None:
            made[name].leader_id = leader_id
        return made[name]

    for klass in old_classes:
        promoted = klass.grade < LAST_GRADE
        if promoted:
            report.promoted.append((klass.name, f"{klass.grade + 1}{klass.letter}"))
        pupils = staying[klass.id]  # type: ignore[index]
        moves: dict[int, m.SchoolClass] = {}
        for ms in pupils:
            _end_membership(uow, ms, last_day)
            if ms.pupil_id in held_back:
                moves[ms.pupil_id] = target(klass.grade, klass.letter, None)
                report.kept_back.append(_name(uow, ms.pupil_id))
            elif promoted:
                moves[ms.pupil_id] = target(klass.grade + 1, klass.letter, klass.leader_id)
            else:
                report.graduated += 1
        for pupil_id, into in moves.items():
            uow.session.add(m.Membership(school_id=uow.school_id, pupil_id=pupil_id, class_id=into.id, start=new.start))  # type: ignore[arg-type]
            report.pupils_moved += 1
        if promoted and carry_groups:
            report.groups += _carry_groups(uow, klass, moves, new.start, last_day)
    uow.session.flush()


def _end_membership(uow: UnitOfWork, ms: m.Membership, last_day: date) -> None:
    if ms.end is None or ms.end > last_day:
        ms.end = last_day


def _carry_groups(uow: UnitOfWork, klass: m.SchoolClass, moves: dict[int, m.SchoolClass], start: date,
                  last_day: date) -> int:
    """The class's groups in its promoted class, with those of their pupils who moved with it."""
    G, GM = m.StudyGroup, m.GroupMember
    carried = 0
    for group in uow.session.scalars(select(G).where(G.class_id == klass.id)):
        members = list(uow.session.scalars(select(GM).where(GM.group_id == group.id, GM.start <= last_day,
                                                            or_(GM.end.is_(None), GM.end >= last_day))))
        into = {moves[gm.pupil_id].id for gm in members if gm.pupil_id in moves}
        for gm in members:
            if gm.end is None or gm.end > last_day:
                gm.end = last_day
        if len(into) != 1:
            continue  # no pupil moved with the group (or they went to different classes)
        new_group = G(school_id=uow.school_id, class_id=into.pop(), name=group.name)
        uow.session.add(new_group)
        uow.session.flush()
        for gm in members:
            if gm.pupil_id in moves and moves[gm.pupil_id].id == new_group.class_id:
                uow.session.add(GM(group_id=new_group.id, pupil_id=gm.pupil_id, start=start))  # type: ignore[arg-type]
        carried += 1
    return carried


def _name(uow: UnitOfWork, pupil_id: int) -> str:
    pupil = uow.session.get(m.Pupil, pupil_id)
    return pupil.full_name if pupil else str(pupil_id)

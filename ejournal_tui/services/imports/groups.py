"""Subgroup membership from the pupils' file.

Schools send the split of a class into groups (English "англ-1"/"англ-2", boys and girls for
technology) as extra columns of the class list, one column per split, headed «Группа …» or
«Подгруппа …» («Группа (англ. яз.)», «Подгруппа информатика», or just «Группа»). A cell
names the pupil's group in the pupil's class; the group is created if the class has none of
that name. «—» (or «нет») says the pupil is in none of that column's groups.

A pupil gets a new group from the day they joined the class; a pupil the file puts in
another group of the same split leaves the old one the day before the import (the old
membership is ended, not deleted: the marks given in it stay in its register). Two groups
are of one split when the file names them in the same column for the class, or when the
teaching load teaches them the same subject, so a file listing only the moved pupil works too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services.imports import Batch
from ejournal_tui.services.imports.reader import Table, clean, norm
from ejournal_tui.services.memberships import end_membership

GROUP_WORDS = ("группа", "подгруппа", "группы", "подгруппы")
NO_GROUP = ("-", "—", "–", "нет")

register_many({
    "import.group_missing": (
        "не указана группа в столбце «{column}», а у других учеников {klass} она есть (если ученик ни в одной, пишите «—»)",
        "no group in column '{column}' while other pupils of {klass} have one (write '—' if the pupil is in none)",
    ),
    "import.group_several": (
        "«{value}» в столбце «{column}»: одна группа в ячейке; для каждого деления класса свой столбец "
        "(«Группа англ.», «Группа инф.»)",
        "'{value}' in column '{column}': one group per cell; give each split of the class its own column "
        "('Группа англ.', 'Группа инф.')",
    ),
    "import.group_empty": ("«{value}» в столбце «{column}»: пустое название группы",
                           "'{value}' in column '{column}': empty group name"),
    "import.group_two_columns": (
        "группа «{group}» класса {klass} уже названа в столбце «{column}» (строка {row}): "
        "назовите группы разных делений по-разному (англ-1, инф-1)",
        "group '{group}' of {klass} is already named in column '{column}' (row {row}): "
        "name the groups of different splits apart (англ-1, инф-1)",
    ),
})


def is_group_header(header: str) -> bool:
    """A normalized header that opens a group column: «Группа», «Подгруппа (англ. яз.)»…"""
    return bool(header) and header.split(" ", 1)[0] in GROUP_WORDS


class GroupColumns:
    """The file's group columns, what they name per class, and the groups of the year."""

    def __init__(self, batch: Batch, table: Table, year: m.AcademicYear) -> None:
        self.batch, self.table = batch, table
        self.labels = {i: label for label, i in table.extra if is_group_header(norm(label))}  # not a parent's
        # (class, column) -> group keys the file names there; (class, group key) -> (column, row) first named
        self.named: dict[tuple[str, int], set[str]] = {}
        self.first: dict[tuple[str, str], tuple[int, int]] = {}
        self._scan()
        session = batch.uow.session
        SG, C = m.StudyGroup, m.SchoolClass
        self.groups = {(g.class_id, norm(g.name)): g for g in session.scalars(
            select(SG).join(C, C.id == SG.class_id).where(C.year_id == year.id))}
        self.subjects: dict[int, set[int]] = {}  # group id -> subjects the load teaches it
        TL = m.TeachingLoad
        for group_id, subject_id in session.execute(select(TL.group_id, TL.subject_id).where(
                TL.year_id == year.id, TL.group_id.is_not(None))):
            self.subjects.setdefault(group_id, set()).add(subject_id)

    def _cell(self, cells: list[object], index: int) -> str:
        return clean(cells[index]) if index < len(cells) else ""

    def _scan(self) -> None:
        from ejournal_tui.services.imports.people import class_name

        for row, cells in self.table.rows:
            klass = class_name(self.table.text(cells, "class"))
            if klass is None:
                continue
            for index in self.labels:
                raw = self._cell(cells, index)
                key = norm(raw)
                if key and raw.lower() not in NO_GROUP and not re.search(r"[;,]", raw):
                    self.named.setdefault((klass, index), set()).add(key)
                    self.first.setdefault((klass, key), (index, row))

    def check(self, klass: str, cells: list[object]) -> list[tuple[int, str | None]]:
        """(column, group name or None for «none of them») per group cell of a row;
        ValueError naming the column when a cell cannot be taken."""
        wants: list[tuple[int, str | None]] = []
        for index, label in self.labels.items():
            raw = self._cell(cells, index)
            if not raw:
                if (klass, index) in self.named:
                    raise ValueError(t("import.group_missing", column=label, klass=klass))
                continue  # the class is not split in this column
            if raw.lower() in NO_GROUP:
                wants.append((index, None))
                continue
            if re.search(r"[;,]", raw):
                raise ValueError(t("import.group_several", value=raw, column=label))
            if not norm(raw):
                raise ValueError(t("import.group_empty", value=raw, column=label))
            column, row = self.first[(klass, norm(raw))]
            if column != index:
                raise ValueError(t("import.group_two_columns", group=raw, klass=klass, column=self.labels[column],
                                   row=row))
            wants.append((index, raw))
        return wants

    def apply(self, pupil_id: int, klass: m.SchoolClass, wants: list[tuple[int, str | None]], day: date) -> bool:
        """Put the pupil in the groups the row names from `day`; True if anything changed."""
        changed = False
        for index, name in wants:
            target = self._group(klass, name) if name else None
            split = self._split(klass, index) | ({target.id} if target else set())
            changed = self._place(pupil_id, klass, target, split, day) or changed  # type: ignore[arg-type]
        return changed

    def _group(self, klass: m.SchoolClass, name: str) -> m.StudyGroup:
        found = self.groups.get((klass.id, norm(name)))  # type: ignore[arg-type]
        if found is None:
            found = m.StudyGroup(school_id=self.batch.uow.school_id, class_id=klass.id, name=name)  # type: ignore[arg-type]
            self.batch.uow.session.add(found)
            self.batch.uow.session.flush()
            self.groups[(klass.id, norm(name))] = found  # type: ignore[index]
            self.batch.report.notes.append(f"+ {klass.name} / {name}")
        return found

    def _split(self, klass: m.SchoolClass, index: int) -> set[int]:
        """The groups of the class that belong with the column's: the ones it names, and every
        group the load teaches one of their subjects."""
        named = {g.id for key in self.named.get((klass.name, index), ()) if (g := self.groups.get((klass.id, key)))}
        subjects = set().union(*(self.subjects.get(gid, set()) for gid in named))  # type: ignore[arg-type]
        taught = {g.id for (cid, _), g in self.groups.items()
                  if cid == klass.id and self.subjects.get(g.id, set()) & subjects}  # type: ignore[arg-type]
        return named | taught  # type: ignore[return-value]

    def _place(self, pupil_id: int, klass: m.SchoolClass, target: m.StudyGroup | None, split: set[int],
               day: date) -> bool:
        G, session = m.GroupMember, self.batch.uow.session
        rows = list(session.scalars(select(G).where(G.pupil_id == pupil_id, G.group_id.in_(split)))) if split else []
        current = [r for r in rows if r.end is None or r.end >= day]
        staying = [r for r in current if target is not None and r.group_id == target.id]
        leaving = [r for r in current if r not in staying]
        gone = [row for row in leaving if end_membership(session, row, day - timedelta(days=1))]
        if staying or target is None:
            return bool(leaving)
        # from the day the pupil joined the class, unless they were in this split since then
        ends = [r.end + timedelta(days=1) for r in rows if r.end is not None and r not in gone]
        session.add(G(group_id=target.id, pupil_id=pupil_id, start=max([self._joined(pupil_id, klass, day), *ends])))  # type: ignore[arg-type]
        session.flush()
        return True

    def _joined(self, pupil_id: int, klass: m.SchoolClass, day: date) -> date:
        Ms = m.Membership
        joined = self.batch.uow.session.scalars(select(Ms.start).where(
            Ms.pupil_id == pupil_id, Ms.class_id == klass.id, or_(Ms.end.is_(None), Ms.end >= day))
            .order_by(Ms.start.desc())).first()
        return joined or day

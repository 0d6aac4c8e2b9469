"""Rows of the demo school collected in memory, with ids assigned here, then bulk-inserted."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, select

from ejournal_tui.data import models as m

# insertion order respects foreign keys
TABLES = [
    m.School, m.AcademicYear, m.Period, m.Holiday, m.Staff, m.SchoolClass, m.Pupil, m.Membership,
    m.Subject, m.StudyGroup, m.GroupMember, m.TeachingLoad, m.BellTime, m.TimetableSlot, m.PlanItem,
    m.WorkKind, m.AbsenceReason, m.Lesson, m.Mark, m.AbsenceNote, m.Attendance, m.Remark, m.FinalMark,
    m.PeriodClosure, m.Setting, m.ParentContact,
]


class RowSet:
    """Rows per table; `add` gives each row the next id of its table."""

    def __init__(self, conn: Connection) -> None:
        self.rows: dict[Any, list[dict]] = defaultdict(list)
        self.next_id: dict[Any, int] = {}
        for model in TABLES:
            table = model.__table__
            if "id" in table.c:
                self.next_id[model] = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1

    def add(self, model: Any, **values: Any) -> int:
        if model in self.next_id and "id" not in values:
            values["id"] = self.next_id[model]
            self.next_id[model] += 1
        self.rows[model].append(values)
        return values.get("id", 0)

    def count(self) -> int:
        return sum(len(v) for v in self.rows.values())

    def write(self, conn: Connection, progress=None, chunk: int = 5000) -> None:  # noqa: ANN001
        """Insert everything in foreign-key order, in chunks, reporting rows written."""
        done = 0
        for model in TABLES:
            rows = self.rows.get(model, [])
            table = model.__table__
            for i in range(0, len(rows), chunk):
                part = rows[i : i + chunk]
                conn.execute(table.insert(), _complete(table, part))
                done += len(part)
                if progress:
                    progress(done)
        if conn.dialect.name == "postgresql":
            for model in TABLES:
                table = model.__table__
                if "id" in table.c:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"GREATEST((SELECT MAX(id) FROM {table.name}), 1))"
                    )


def _complete(table, rows: list[dict]) -> list[dict]:  # noqa: ANN001
    """executemany needs the same keys in every row: fill the rest with column defaults."""
    keys = set().union(*(r.keys() for r in rows))
    defaults = {}
    for col in table.c:
        if col.name in keys:
            continue
        if col.default is not None and not callable(col.default.arg):
            defaults[col.name] = col.default.arg
    missing = [k for k in keys]
    return [{**defaults, **{k: r.get(k) for k in missing}} for r in rows]

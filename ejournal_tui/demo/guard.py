"""Whether a database holds nothing but the demo, so that `ejournal demo` may replace it.

When the demo writes a school it records a watermark in that school's settings
(`demo_watermark`): the highest id of every table at that moment. Later, anything above the
highest watermark, and any school that is not a demo or has no watermark, was made outside
the demo (an account, an import, a mark typed in the TUI, a backup) and must not be wiped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Table, func, select
from sqlmodel import SQLModel

from ejournal_tui.data import models as m
from ejournal_tui.i18n import Joined, Phrase, register_many

WATERMARK = "demo_watermark"
# tables told apart by name in the report; `school` is judged by is_demo and its watermark
_NAMED = ("school", "staff", "pupil", "auditevent", "backuprecord")
_SHOWN = 5  # names listed before "…"

register_many({
    "demo.found.school.one": ("школы, не являющиеся демо: {n} ({names})", "{n} school that is not a demo ({names})"),
    "demo.found.school.many": ("школы, не являющиеся демо: {n} ({names})", "{n} schools that are not a demo ({names})"),
    "demo.found.unmarked.one": (
        "демо-школы прежней версии, которые нельзя отличить от настоящих данных: {n} ({names})",
        "{n} demo school made by an older version, which cannot be told from real data ({names})",
    ),
    "demo.found.unmarked.many": (
        "демо-школы прежней версии, которые нельзя отличить от настоящих данных: {n} ({names})",
        "{n} demo schools made by an older version, which cannot be told from real data ({names})",
    ),
    "demo.found.account.one": ("учётные записи: {n} ({names})", "{n} account ({names})"),
    "demo.found.account.many": ("учётные записи: {n} ({names})", "{n} accounts ({names})"),
    "demo.found.pupil.one": ("ученики: {n}", "{n} pupil"),
    "demo.found.pupil.many": ("ученики: {n}", "{n} pupils"),
    "demo.found.event.one": ("события журнала изменений: {n}", "{n} change-log event"),
    "demo.found.event.many": ("события журнала изменений: {n}", "{n} change-log events"),
    "demo.found.backup.one": ("записи журнала резервного копирования: {n}", "{n} backup-log entry"),
    "demo.found.backup.many": ("записи журнала резервного копирования: {n}", "{n} backup-log entries"),
    "demo.found.other.one": ("другие строки: {n} ({names})", "{n} other row ({names})"),
    "demo.found.other.many": ("другие строки: {n} ({names})", "{n} other rows ({names})"),
})


@dataclass(frozen=True)
class Foreign:
    """What the database holds that the demo did not write (all empty: nothing)."""

    schools: list[str] = field(default_factory=list)  # codes of schools that are not a demo
    unmarked: list[str] = field(default_factory=list)  # demo schools without a watermark
    accounts: list[str] = field(default_factory=list)  # logins
    pupils: int = 0
    events: int = 0
    backups: int = 0
    other: dict[str, int] = field(default_factory=dict)  # table -> rows

    def __bool__(self) -> bool:
        return bool(self.schools or self.unmarked or self.accounts or self.pupils or self.events
                     or self.backups or self.other)

    def summary(self) -> Joined:
        """What was found, in words, for the refusal: "2 accounts (ivanova, petrov), 25 pupils"."""
        items = [("school", len(self.schools), self.schools), ("unmarked", len(self.unmarked), self.unmarked),
                 ("account", len(self.accounts), self.accounts), ("pupil", self.pupils, []),
                 ("event", self.events, []), ("backup", self.backups, []),
                 ("other", sum(self.other.values()), sorted(self.other))]
        return Joined([_phrase(kind, n, names) for kind, n, names in items if n])


def _phrase(kind: str, n: int, names: list[str]) -> Phrase:
    shown = ", ".join(names[:_SHOWN]) + (", …" if len(names) > _SHOWN else "")
    return Phrase(f"demo.found.{kind}.{'one' if n == 1 else 'many'}", n=n, names=shown)


def _id_tables() -> list[Table]:
    return [t for t in SQLModel.metadata.sorted_tables if "id" in t.c]


def record_watermark(conn: Connection, school_id: int) -> None:
    """Record, in the demo school's settings, the highest id of every table: call it last, in
    the transaction that wrote the school (its own setting row is under the mark too)."""
    table = m.Setting.__table__
    conn.execute(table.insert().values(school_id=school_id, key=WATERMARK, value="{}"))
    high = {t.name: conn.execute(select(func.max(t.c.id))).scalar() or 0 for t in _id_tables()}
    conn.execute(table.update().where(table.c.school_id == school_id, table.c.key == WATERMARK)
                 .values(value=json.dumps(high, sort_keys=True)))


def _watermarks(conn: Connection) -> dict[int, dict[str, int]]:
    rows = conn.execute(select(m.Setting.school_id, m.Setting.value).where(m.Setting.key == WATERMARK))
    marks = {}
    for school_id, value in rows:
        try:
            marks[school_id] = {str(k): int(v) for k, v in json.loads(value).items()}
        except (ValueError, TypeError, AttributeError):
            continue  # an altered watermark proves nothing: the school counts as unmarked
    return marks


def _highest(marks: dict[int, dict[str, int]]) -> dict[str, int]:
    high: dict[str, int] = {}
    for mark in marks.values():
        for name, top in mark.items():
            high[name] = max(high.get(name, 0), top)
    return high


def _beyond(conn: Connection, table: Table, high: dict[str, int], *where: object) -> int:
    query = select(func.count()).select_from(table).where(table.c.id > high.get(table.name, 0), *where)
    return conn.execute(query).scalar() or 0


def foreign_data(engine: Engine) -> Foreign:
    """What lies beyond the demo's watermarks: the rule `ejournal demo` writes by.

    Foreign is a school that is not a demo, a demo school without a watermark, and any row
    whose id is above the highest watermark of its table (a new table: every row). Two
    exceptions, which record no one's work: sign-in events (`auth.*`, also left out of the
    activity report) and failed entries of the backup log (a safety backup that could not
    be written must not lock the demo). The demo's own change log is under the watermark.
    """
    with engine.connect() as conn:
        schools = conn.execute(select(m.School.id, m.School.code, m.School.is_demo).order_by(m.School.id)).all()
        marks = _watermarks(conn)
        high = _highest(marks)
        staff, event, backup = m.Staff.__table__, m.AuditEvent.__table__, m.BackupRecord.__table__
        logins = select(staff.c.login).where(staff.c.id > high.get("staff", 0)).order_by(staff.c.id)
        other = {t.name: _beyond(conn, t, high) for t in _id_tables() if t.name not in _NAMED}
        return Foreign(
            schools=[code for _, code, demo in schools if not demo],
            unmarked=[code for sid, code, demo in schools if demo and sid not in marks],
            accounts=list(conn.execute(logins).scalars()),
            pupils=_beyond(conn, m.Pupil.__table__, high),
            events=_beyond(conn, event, high, ~event.c.action.startswith("auth.")),
            backups=_beyond(conn, backup, high, backup.c.ok.is_(True)),
            other={name: n for name, n in other.items() if n},
        )

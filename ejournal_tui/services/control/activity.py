"""Users' activity in the register, week by week (DOMAIN.md, "Control and reports"): entries
per user per day from the change log, and the teachers who entered nothing that week.

An entry is any event of the change log except sign-ins and the demo generator's own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control import data
from ejournal_tui.services.control.window import parse_day, week_of

_NOT_ENTRIES = ("auth.", "demo.")


@dataclass(frozen=True)
class ActivityRow:
    login: str
    name: str
    per_day: tuple[int, ...]  # Monday … Sunday
    total: int

    def as_json(self) -> dict:
        return {"login": self.login, "name": self.name, "per_day": list(self.per_day), "total": self.total}


@dataclass(frozen=True)
class ActivityReport:
    school_code: str
    school_name: str
    start: date  # Monday
    end: date  # Sunday
    rows: tuple[ActivityRow, ...]  # users with entries, most active first
    idle: tuple[tuple[str, str], ...]  # (login, name) of teachers with no entries

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(self.start + timedelta(days=i) for i in range(7))

    def as_json(self) -> dict:
        return {"report": "activity", "version": 1, "school": {"code": self.school_code, "name": self.school_name},
                "week": {"start": self.start.isoformat(), "end": self.end.isoformat()},
                "days": [d.isoformat() for d in self.days], "rows": [r.as_json() for r in self.rows],
                "idle": [{"login": login, "name": name} for login, name in self.idle]}


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone(UTC)


def activity_report(uow: UnitOfWork, actor: Actor, week: date | str | None = None) -> ActivityReport:
    """Entries per user per day of the week containing `week` (default: this week)."""
    from ejournal_tui.services.control import require_control

    require_control(actor)
    day = week if isinstance(week, date) else (parse_day(week, "week") if week else uow.today())
    start, end = week_of(day)
    E = m.AuditEvent
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for login, action, at in uow.session.execute(
        select(E.actor, E.action, E.at)
        .where(E.school_id == uow.school_id, E.at >= _utc(start), E.at < _utc(end + timedelta(days=1)))
    ):
        if not action.startswith(_NOT_ENTRIES):
            counts[login][(data.local(at).date() - start).days] += 1
    staff = _staff(uow)
    rows = [ActivityRow(login, staff.get(login, ("", ""))[0] or login, tuple(c.get(i, 0) for i in range(7)),
                        sum(c.values())) for login, c in counts.items()]
    rows.sort(key=lambda r: (-r.total, r.name))
    idle = tuple(sorted(((login, name) for login, (name, teaches) in staff.items() if teaches and login not in counts),
                        key=lambda x: x[1]))
    code, name = data.school_label(uow)
    return ActivityReport(code, name, start, end, tuple(rows), idle)


def _staff(uow: UnitOfWork) -> dict[str, tuple[str, bool]]:
    """login -> (short name, whether the account teaches) for the school's active accounts."""
    St = m.Staff
    out = {}
    for login, last, first, patr, roles, disabled in uow.session.execute(
        select(St.login, St.last_name, St.first_name, St.patronymic, St.roles, St.disabled)
        .where(St.school_id == uow.school_id)
    ):
        if disabled:
            continue
        initials = "".join(f"{p[0]}." for p in (first, patr) if p)
        teaches = bool({perm.TEACHER, perm.CLASS_LEADER} & set(roles.split(",")))
        out[login] = (f"{last} {initials}".strip(), teaches)
    return out

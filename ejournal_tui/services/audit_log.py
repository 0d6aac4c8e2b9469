"""Reading the change log: events filtered by user, class, pupil and dates, newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed
from ejournal_tui.services.context import Actor, UnitOfWork


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: datetime  # aware UTC
    actor: str
    action: str
    entity: str
    entity_id: int | None
    class_name: str
    pupil: str
    lesson_date: date | None
    before: Any
    after: Any
    reason: str
    flagged: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
            "entity": self.entity, "entity_id": self.entity_id, "class": self.class_name, "pupil": self.pupil,
            "lesson_date": self.lesson_date.isoformat() if self.lesson_date else None,
            "before": self.before, "after": self.after, "reason": self.reason, "flagged": self.flagged,
        }


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone(UTC)


def query(
    uow: UnitOfWork, actor: Actor, *, user: str | None = None, class_id: int | None = None,
    pupil_id: int | None = None, since: date | None = None, until: date | None = None, limit: int = 500,
) -> list[LogEntry]:
    """Events of the school matching every filter given, newest first, at most `limit`."""
    if not perm.may(actor.roles, "view_audit"):
        raise NotAllowed(what="the change log is read by the deputy director, director and administrator")
    E, C, P = m.AuditEvent, m.SchoolClass, m.Pupil
    stmt = (
        select(E.seq, E.at, E.actor, E.action, E.entity, E.entity_id, C.name, P.last_name, P.first_name,
               E.lesson_date, E.before, E.after, E.reason, E.flagged)
        .outerjoin(C, C.id == E.class_id).outerjoin(P, P.id == E.pupil_id)
        .where(E.school_id == uow.school_id)
    )
    if user:
        stmt = stmt.where(E.actor == user.strip().lower())
    if class_id is not None:
        stmt = stmt.where(E.class_id == class_id)
    if pupil_id is not None:
        stmt = stmt.where(E.pupil_id == pupil_id)
    if since is not None:
        stmt = stmt.where(E.at >= _day_start(since))
    if until is not None:
        stmt = stmt.where(E.at < _day_start(until + timedelta(days=1)))
    rows = uow.session.execute(stmt.order_by(E.seq.desc()).limit(limit))
    return [_entry(r) for r in rows]


def _entry(r) -> LogEntry:  # noqa: ANN001
    at = r[1] if r[1].tzinfo else r[1].replace(tzinfo=UTC)
    pupil = f"{r[7]} {r[8]}" if r[7] else ""
    return LogEntry(r[0], at, r[2], r[3], r[4], r[5], r[6] or "", pupil, r[9], _load(r[10]), _load(r[11]),
                    r[12], r[13])


def _load(text: str) -> Any:
    return json.loads(text) if text else None

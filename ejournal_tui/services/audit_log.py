"""Reading the change log: events filtered by user, class, pupil and dates, newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.phrases import noun

register_many(
    {
        "log.readers": ("журнал изменений читают заместитель директора, директор и администратор",
                        "the change log is read by the deputy director, director and administrator"),
    }
)


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
        raise NotAllowed(what=Phrase("log.readers"))
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


def pupils_named(uow: UnitOfWork, name: str) -> list[int]:
    """Pupils whose last name (and first name, if given) start with what was typed:
    "Волков", "волков вик". SQLite's lower() knows no Cyrillic, so the text is matched as
    typed and capitalised."""
    parts = name.split()
    if not parts:
        raise NotFound(what=noun("pupil_named", name=name))
    P = m.Pupil

    def starts(column, text: str):  # noqa: ANN001, ANN202
        return or_(column.startswith(text), column.startswith(text.capitalize()))

    stmt = select(P.id).where(P.school_id == uow.school_id, starts(P.last_name, parts[0]))
    if len(parts) > 1:
        stmt = stmt.where(starts(P.first_name, parts[1]))
    ids = list(uow.session.scalars(stmt.limit(20)))
    if not ids:
        raise NotFound(what=noun("pupil_named", name=name))
    return ids


def search(
    uow: UnitOfWork, actor: Actor, *, user: str = "", class_name: str = "", pupil: str = "",
    since: date | None = None, until: date | None = None, limit: int = 300,
) -> list[LogEntry]:
    """The change log as people ask for it (CLI `audit log`, the TUI's change-log screen):
    by login, class name ("5А" or "5A"), pupil name and dates, newest first."""
    from ejournal_tui.services.lookup import find_class

    class_id = find_class(uow, class_name).id if class_name.strip() else None
    filters = {"user": user.strip() or None, "class_id": class_id, "since": since, "until": until, "limit": limit}
    if not pupil.strip():
        return query(uow, actor, **filters)
    rows = [e for pid in pupils_named(uow, pupil) for e in query(uow, actor, pupil_id=pid, **filters)]
    return sorted(rows, key=lambda e: -e.seq)[:limit]

"""The change log: every use case appends an event (who, when, what, before → after, why).

Events of one school form a hash chain: each event's hash covers its content and the previous
event's hash, so an edited or deleted event breaks the chain at that point. Appending locks
the school's chain head row, so concurrent writers never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from ejournal_tui.data import models as m
from ejournal_tui.services.context import Actor, UnitOfWork

_EVENT = m.AuditEvent.__table__
_HEAD = m.AuditHead.__table__
# built once: every write of the program runs these three
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.school_id == bindparam("school")).with_for_update()
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.school_id == bindparam("school")).values(
    seq=bindparam("new_seq"), hash=bindparam("new_hash"))
_APPEND = _EVENT.insert()


def to_json(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _utc_text(at: datetime) -> str:
    # SQLite gives naive datetimes back; they were stored as UTC.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_hash(row: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the previous hash and the event's content in a canonical form."""
    content = [
        row["school_id"], row["seq"], _utc_text(row["at"]), row["actor"], row["action"],
        row["entity"], row["entity_id"], row["class_id"], row["pupil_id"],
        row["lesson_date"].isoformat() if row["lesson_date"] else None,
        row["before"], row["after"], row["reason"], bool(row["flagged"]),
    ]
    payload = prev_hash + json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    entity: str = "",
    entity_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    class_id: int | None = None,
    pupil_id: int | None = None,
    lesson_date: date | None = None,
    flagged: bool = False,
) -> None:
    """Append one event to the school's chain inside the caller's transaction."""
    conn = uow.conn
    head = conn.execute(_LOCK_HEAD, {"school": uow.school_id}).first()
    if head is None:
        conn.execute(insert(_HEAD).values(school_id=uow.school_id, seq=0, hash=""))
        seq, prev = 1, ""
    else:
        seq, prev = head.seq + 1, head.hash
    row = {
        "school_id": uow.school_id, "seq": seq, "at": uow.now(), "actor": actor.login,
        "action": action, "entity": entity, "entity_id": entity_id, "class_id": class_id,
        "pupil_id": pupil_id, "lesson_date": lesson_date, "before": to_json(before),
        "after": to_json(after), "reason": reason or "", "flagged": flagged,
    }
    digest = event_hash(row, prev)
    conn.execute(_APPEND, {**row, "prev_hash": prev, "hash": digest})
    conn.execute(_MOVE_HEAD, {"school": uow.school_id, "new_seq": seq, "new_hash": digest})


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    broken_at: int | None = None  # seq of the first event that does not verify
    problem: str = ""


def verify_chain(uow: UnitOfWork) -> ChainReport:
    """Walk the school's chain from the first event; report the first break."""
    rows = uow.session.execute(
        select(_EVENT).where(_EVENT.c.school_id == uow.school_id).order_by(_EVENT.c.seq)
    ).mappings()
    prev, expected_seq, count = "", 1, 0
    for row in rows:
        count += 1
        if row["seq"] != expected_seq:
            return ChainReport(False, count, expected_seq, f"event {expected_seq} is missing")
        if row["prev_hash"] != prev or event_hash(dict(row), prev) != row["hash"]:
            return ChainReport(False, count, row["seq"], f"event {row['seq']} was altered")
        prev, expected_seq = row["hash"], expected_seq + 1
    head = uow.session.execute(
        select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.school_id == uow.school_id)
    ).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return ChainReport(False, count, expected_seq, f"events after {expected_seq - 1} were deleted")
    return ChainReport(True, count)

"""The change log: every use case appends an event (who, when, what, before → after, why).

Events of one school form a hash chain: each event's hash covers its content and the previous
event's hash, so an edited or deleted event breaks the chain at that point. Appending locks
the school's chain head row, so concurrent writers never fork the chain.

That lock makes the writers of one school take turns, so it is held as briefly as possible:
`record` only queues the event, and the queue is written as the unit of work's last step
before its commit. On PostgreSQL, where many workstations write at once, one event is
appended by one statement that locks the head, computes the hash on the server and inserts
the event, sent together with the commit: the lock is held for that statement and the
commit only, never across a round trip to a client that may be waiting for a CPU (with 50
workstations on two cores, such waits made everyone queue behind a descheduled holder). The
server computes exactly the payload `event_hash` does; `verify_chain` checks both alike.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from ejournal_tui.data import models as m
from ejournal_tui.data import pg_append
from ejournal_tui.data.fastpath import bound, execute, fetch_tuples
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.context import Actor, UnitOfWork

register_many(
    {
        "chain.missing": ("нет события {seq}", "event {seq} is missing"),
        "chain.altered": ("событие {seq} изменено", "event {seq} was altered"),
        "chain.deleted": ("события после {seq} удалены", "events after {seq} were deleted"),
        "chain.no_head": ("запись о последнем событии цепочки удалена: события после {seq} могли быть удалены",
                          "the record of the chain's last event is missing: events after {seq} may have been deleted"),
    }
)

_EVENT = m.AuditEvent.__table__
_HEAD = m.AuditHead.__table__
# built once: every write of the program runs these three
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.school_id == bindparam("school")).with_for_update()
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.school_id == bindparam("school")).values(
    seq=bindparam("new_seq"), hash=bindparam("new_hash"))
_APPEND = _EVENT.insert()


# built once (json.dumps with options builds an encoder per call); the same output
_TO_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def to_json(value: Any) -> str:
    if value is None or value == "":
        return ""
    return _TO_JSON(value)


def _utc_text(at: datetime) -> str:
    # SQLite gives naive datetimes back; they were stored as UTC.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _payload(row: dict[str, Any], at_text: str | None = None) -> str:
    """The event's content in a canonical form (JSON, compact, in a fixed order)."""
    content = [
        row["school_id"], row["seq"], at_text or _utc_text(row["at"]), row["actor"], row["action"],
        row["entity"], row["entity_id"], row["class_id"], row["pupil_id"],
        row["lesson_date"].isoformat() if row["lesson_date"] else None,
        row["before"], row["after"], row["reason"], bool(row["flagged"]),
    ]
    return _CANONICAL(content)


def event_hash(row: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the previous hash and the event's content in a canonical form."""
    return hashlib.sha256((prev_hash + _payload(row)).encode("utf-8")).hexdigest()


def link(events: list[dict[str, Any]], prev_hash: str = "", last_seq: int = 0) -> str:
    """Number and hash `events`, in their order, onto a chain whose head is (`last_seq`,
    `prev_hash`), exactly as appending them one by one would; returns the new head's hash.
    For writers of many events at once (the demo): events of one moment share its text."""
    texts: dict[datetime, str] = {}
    sha = hashlib.sha256
    for event in events:
        last_seq += 1
        at = event["at"]
        at_text = texts.get(at)
        if at_text is None:
            at_text = texts[at] = _utc_text(at)
        event["seq"], event["prev_hash"] = last_seq, prev_hash
        event["hash"] = prev_hash = sha((prev_hash + _payload(event, at_text)).encode("utf-8")).hexdigest()
    return prev_hash


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
    """Add one event to the school's chain as part of the caller's transaction: it is written
    when the unit of work commits, and not at all if it does not."""
    uow.audit_queue.append({
        "school_id": uow.school_id, "at": uow.now(), "actor": actor.login,
        "action": action, "entity": entity, "entity_id": entity_id, "class_id": class_id,
        "pupil_id": pupil_id, "lesson_date": lesson_date, "before": to_json(before),
        "after": to_json(after), "reason": reason or "", "flagged": flagged,
    })
    uow.before_commit(_append_queued)


def _append_queued(uow: UnitOfWork) -> None:
    """Append the queued events to the chain (runs right before the commit)."""
    queued, uow.audit_queue = uow.audit_queue, []
    if not queued:
        return
    conn = uow.conn
    if len(queued) == 1 and conn.dialect.name == "postgresql":
        writes, uow.commit_writes = uow.commit_writes, []
        _append_and_commit_on_server(conn, queued[0], writes)
        return
    uow.run_commit_writes()
    heads = fetch_tuples(conn, _LOCK_HEAD, {"school": uow.school_id})
    head = heads[0] if heads else None
    if head is None:  # the school's first event; another writer may be making the head too
        try:
            with conn.begin_nested():
                conn.execute(insert(_HEAD).values(school_id=uow.school_id, seq=0, hash=""))
        except IntegrityError:
            pass
        head = conn.execute(_LOCK_HEAD, {"school": uow.school_id}).one()
    seq, prev = head[0], head[1]
    rows = []
    for event in queued:
        seq += 1
        row = {**event, "seq": seq, "prev_hash": prev}
        row["hash"] = prev = event_hash(row, prev)
        rows.append(row)
    if len(rows) > 1:
        conn.execute(_APPEND, rows)
    else:
        execute(conn, _APPEND, rows[0])  # the one event of a mark typed: the fast path
    execute(conn, _MOVE_HEAD, {"school": uow.school_id, "new_seq": seq, "new_hash": prev})


def _append_and_commit_on_server(conn: Any, event: dict[str, Any], writes: list[tuple[Any, dict]]) -> None:
    """The unit of work's `writes` (`write_at_commit`), then make sure the head exists, append
    the event and commit, as one message to the server: between locking the head and
    committing, the server never waits for this process, which may be waiting for a CPU, and
    a mark typed costs one round trip less. psycopg's client-side binding (values quoted by
    the driver) is what lets several statements go in one message; the append is the guard
    schema's function where there is one (data/pg_append.py: its plan is kept). The unit of
    work's own commit that follows finds nothing left to commit."""
    from psycopg import ClientCursor

    function = pg_append.function_of(conn)
    with ClientCursor(conn.connection.driver_connection) as cursor:
        parts = [cursor.mogrify(*bound(conn, stmt, values)) for stmt, values in writes]
        append = pg_append.call_sql(function) if function else _server_script(conn.dialect)
        parts.append(cursor.mogrify(append, _server_params(event)))
        cursor.execute(";\n".join([*parts, "COMMIT"]))
        for _ in range(len(writes) + (0 if function else 1)):  # the writes' results (and the ensure-head's)
            cursor.nextset()
        appended = cursor.fetchone()[0] if function else cursor.rowcount
        if appended != 1:  # cannot happen: the head was made just before if missing
            raise RuntimeError("the change-log event was not appended")


_SCRIPTS: dict[str, str] = {}


def _server_script(dialect: Any) -> str:
    """Ensure-head and append in the driver's parameter style, compiled once."""
    if dialect.name not in _SCRIPTS:
        parts = [str(pg_append.ENSURE_HEAD.compile(dialect=dialect)), str(pg_append.APPEND.compile(dialect=dialect))]
        _SCRIPTS[dialect.name] = ";\n".join(part.strip() for part in parts)
    return _SCRIPTS[dialect.name]


def _payload_parts(row: dict[str, Any]) -> tuple[str, str]:
    """The canonical payload of `event_hash` split around the sequence number, which only the
    server knows when it appends: payload = start + str(seq) + end."""
    whole = _payload({**row, "seq": 0})
    start = "[" + json.dumps(row["school_id"]) + ","
    assert whole.startswith(start + "0,")  # noqa: S101 - the split must match event_hash
    return start, whole[len(start) + 1:]


def _server_params(event: dict[str, Any]) -> dict[str, Any]:
    start, end = _payload_parts(event)
    return {**event, "payload_start": start, "payload_end": end}


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    broken_at: int | None = None  # seq of the first event that does not verify
    problem: object = ""  # a Phrase, worded when shown


def verify_chain(uow: UnitOfWork) -> ChainReport:
    """Walk the school's chain from the first event; report the first break."""
    rows = uow.session.execute(
        select(_EVENT).where(_EVENT.c.school_id == uow.school_id).order_by(_EVENT.c.seq)
    ).mappings()
    prev, expected_seq, count = "", 1, 0
    for row in rows:
        count += 1
        if row["seq"] != expected_seq:
            return ChainReport(False, count, expected_seq, Phrase("chain.missing", seq=expected_seq))
        if row["prev_hash"] != prev or event_hash(dict(row), prev) != row["hash"]:
            return ChainReport(False, count, row["seq"], Phrase("chain.altered", seq=row["seq"]))
        prev, expected_seq = row["hash"], expected_seq + 1
    head = uow.session.execute(
        select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.school_id == uow.school_id)
    ).first()
    if head is None and count:  # the head is written with every event: gone, the chain's end is unknown
        return ChainReport(False, count, expected_seq - 1, Phrase("chain.no_head", seq=expected_seq - 1))
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return ChainReport(False, count, expected_seq, Phrase("chain.deleted", seq=expected_seq - 1))
    return ChainReport(True, count)

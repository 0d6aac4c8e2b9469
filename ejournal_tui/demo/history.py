"""The demo school's change log: the entries its staff would have made, chained by hash
like every real event, so the change log, activity report and `audit verify` have a
realistic history to show.

Every row of the register the demo writes has the event its use case would have recorded
(a lesson, each mark, each absence or lateness, each final mark, each family's contacts), with
the same `after` the services write: `audit verify --deep` replays them against the rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from ejournal_tui.data import models as m
from ejournal_tui.demo.activity import stamp
from ejournal_tui.demo.families import contact_events, entered_at
from ejournal_tui.demo.rows import RowSet
from ejournal_tui.services.audit import link, to_json

CHUNK = 5000  # events per INSERT


def write_history(conn: Connection, rows: RowSet, school_id: int, start: date) -> int:
    """Append the demo's events (its creation, each lesson with what was recorded at it, each
    final mark, the parents' contacts, each period closed) in time order to the school's chain; returns how many."""
    logins = {r["id"]: r["login"] for r in rows.rows[m.Staff]}
    events: list[dict[str, Any]] = [_event(school_id, stamp(start, 7), "demo", "demo.generate", "", None, None,
                                           None, None, {"as_of": start})]
    lessons = _lessons(rows, school_id, logins, events)
    said: dict[tuple, str] = {}  # a few hundred different `after`s among a hundred thousand marks
    for mark in rows.rows[m.Mark]:
        class_id, day = lessons[mark["lesson_id"]]
        key = (mark["value"], mark["work_kind"], mark["comment"])
        after = said.get(key) or said.setdefault(key, to_json({"value": key[0], "kind": key[1], "comment": key[2]}))
        events.append(_event(school_id, mark["entered_at"], logins[mark["entered_by"]], "mark.add", "mark",
                             mark["id"], class_id, mark["pupil_id"], day, after))
    for att in rows.rows[m.Attendance]:
        class_id, day = lessons[att["lesson_id"]]
        key = (att["status"], att["reason"])
        after = said.get(key) or said.setdefault(key, to_json({"status": key[0], "reason": key[1]}))
        events.append(_event(school_id, att["entered_at"], logins[att["entered_by"]], "attendance.set", "attendance",
                             att["id"], class_id, att["pupil_id"], day, after))
    for final in rows.rows[m.FinalMark]:
        events.append(_event(school_id, final["entered_at"], logins[final["entered_by"]], "final.set", "finalmark",
                             final["id"], final["class_id"], final["pupil_id"], None,
                             {"value": final["value"], "kind": final["kind"], "period": final["period_code"],
                              "subject_id": final["subject_id"]}))
    events.extend(_event(school_id, *args) for args in contact_events(rows, logins, entered_at(start.year)))
    for closure in rows.rows[m.PeriodClosure]:
        events.append(_event(school_id, closure["changed_at"], closure["changed_by"], "period.close", "period",
                             closure["period_id"], closure["class_id"], None, None, {"closed": True}))
    events.sort(key=_at)  # stable: what was recorded at one moment keeps the order above
    head = link(events)
    _insert(conn, events)
    conn.execute(m.AuditHead.__table__.insert(), {"school_id": school_id, "seq": len(events), "hash": head})
    return len(events)


def _lessons(rows: RowSet, school_id: int, logins: dict[int, str],
             events: list[dict[str, Any]]) -> dict[int, tuple[int, date]]:
    """Each lesson's event, which names the teacher who held it when a substitute did (the
    demo's substitutions are lessons recorded so, not `lesson.substitute` events of the
    deputy); returns lesson id -> (class id, date)."""
    where: dict[int, tuple[int, date]] = {}
    for lesson in rows.rows[m.Lesson]:
        where[lesson["id"]] = (lesson["class_id"], lesson["date"])
        after = {"topic": lesson["topic"], "homework": lesson["homework"], "number": lesson["number"],
                 "load": lesson["load_id"], "plan_item_id": lesson["plan_item_id"]}
        if lesson["substitute_for_id"] is not None:
            after["teacher_id"] = lesson["teacher_id"]
        events.append(_event(school_id, lesson["created_at"], logins[lesson["teacher_id"]], "lesson.record", "lesson",
                             lesson["id"], lesson["class_id"], None, lesson["date"], after))
    return where


_COLUMNS = ("school_id", "seq", "at", "actor", "action", "entity", "entity_id", "class_id", "pupil_id",
            "lesson_date", "before", "after", "reason", "flagged", "prev_hash", "hash")


def _insert(conn: Connection, events: list[dict[str, Any]]) -> None:
    """The events as plain tuples through the driver: a hundred thousand rows at a school's
    size, where SQLAlchemy's work per row would cost more than the database's. SQLite gets
    the text SQLAlchemy would store (UTC "YYYY-MM-DD HH:MM:SS.ffffff"); PostgreSQL is fed by
    COPY."""
    if conn.dialect.name == "postgresql":
        _copy(conn, events)
        return
    texts: dict[Any, str | None] = {None: None}  # the stored text of each moment and each day
    rows = []
    for e in events:
        at, day = texts.get(e["at"]), texts.get(e["lesson_date"], "")
        if at is None:
            at = texts[e["at"]] = e["at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if day == "":
            day = texts[e["lesson_date"]] = e["lesson_date"].isoformat()
        rows.append((e["school_id"], e["seq"], at, e["actor"], e["action"], e["entity"], e["entity_id"], e["class_id"],
                     e["pupil_id"], day, e["before"], e["after"], e["reason"], int(e["flagged"]), e["prev_hash"],
                     e["hash"]))
    sql = f"INSERT INTO {m.AuditEvent.__tablename__} ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
    for i in range(0, len(rows), CHUNK):
        conn.exec_driver_sql(sql, rows[i : i + CHUNK])


def _copy(conn: Connection, events: list[dict[str, Any]]) -> None:
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {m.AuditEvent.__tablename__} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
        for e in events:
            copy.write_row(tuple(e[c] for c in _COLUMNS))


def _at(event: dict[str, Any]) -> datetime:
    return event["at"]


def _event(school_id: int, at: datetime, actor: str, action: str, entity: str, entity_id: int | None,
           class_id: int | None, pupil_id: int | None, lesson_date: date | None, after: dict | str) -> dict[str, Any]:
    return {"school_id": school_id, "at": at, "actor": actor, "action": action, "entity": entity,
            "entity_id": entity_id, "class_id": class_id, "pupil_id": pupil_id, "lesson_date": lesson_date,
            "before": "", "after": after if isinstance(after, str) else to_json(after), "reason": "", "flagged": False}

"""The demo school's change log: the entries its staff would have made, chained by hash
like every real event, so the change log, activity report and `audit verify` have a
realistic history to show."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from ejournal_tui.data import models as m
from ejournal_tui.demo.activity import stamp
from ejournal_tui.demo.rows import RowSet
from ejournal_tui.services.audit import event_hash, to_json


def write_history(conn: Connection, rows: RowSet, school_id: int, start: date) -> int:
    """Append the demo's events (its creation, each lesson recorded, each period closed) in
    time order to the school's chain; returns how many."""
    logins = {r["id"]: r["login"] for r in rows.rows[m.Staff]}
    events: list[dict[str, Any]] = [_event(school_id, stamp(start, 7), "demo", "demo.generate", "", None, None,
                                           None, {"as_of": start})]
    for lesson in rows.rows[m.Lesson]:
        events.append(_event(school_id, lesson["created_at"], logins[lesson["teacher_id"]], "lesson.record",
                             "lesson", lesson["id"], lesson["class_id"], lesson["date"],
                             {"topic": lesson["topic"], "homework": lesson["homework"]}))
    for closure in rows.rows[m.PeriodClosure]:
        events.append(_event(school_id, closure["changed_at"], closure["changed_by"], "period.close", "period",
                             closure["period_id"], closure["class_id"], None, {"closed": True}))
    events.sort(key=lambda e: e["at"])
    prev = ""
    for seq, event in enumerate(events, 1):
        event["seq"] = seq
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash(event, prev)
    table = m.AuditEvent.__table__
    for i in range(0, len(events), 5000):
        conn.execute(table.insert(), events[i : i + 5000])
    conn.execute(m.AuditHead.__table__.insert(), {"school_id": school_id, "seq": len(events), "hash": prev})
    return len(events)


def _event(school_id: int, at, actor: str, action: str, entity: str, entity_id: int | None,  # noqa: ANN001
           class_id: int | None, lesson_date: date | None, after: dict) -> dict[str, Any]:
    return {"school_id": school_id, "at": at, "actor": actor, "action": action, "entity": entity,
            "entity_id": entity_id, "class_id": class_id, "pupil_id": None, "lesson_date": lesson_date,
            "before": "", "after": to_json(after), "reason": "", "flagged": False}

"""Appending to the change log: events are written at commit, never for a transaction that
does not commit; on PostgreSQL one event is hashed by the server, and the chain must verify
exactly as the program computes it, whatever the content; concurrent writers never fork it."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.services import audit

HOSTILE = [
    "Иванова О. П.: «четвёрка» → 5",
    'quote " and backslash \\ and \\u0000-looking text',
    "new\nline\tand tab",
    "emoji 📚 and ё",
    "",
]


def _events(school) -> list[dict]:  # noqa: ANN001
    table = m.AuditEvent.__table__
    with school.uow() as uow:
        return [dict(r) for r in uow.conn.execute(select(table).order_by(table.c.seq)).mappings()]


def test_hostile_content_one_event_per_commit_and_in_batches_verifies(school) -> None:
    admin = school.actors["admin"]
    before = len(_events(school))
    for i, text in enumerate(HOSTILE):  # one event per transaction: the server-side path on PostgreSQL
        with school.uow() as uow:
            audit.record(uow, admin, "test.one", entity="mark", entity_id=i or None, before={"v": text},
                         after=text, reason=text, pupil_id=None if i % 2 else 7,
                         lesson_date=date(2026, 11, 20) if i % 2 else None, flagged=bool(i % 2))
            uow.commit()
    with school.uow() as uow:  # several in one transaction: the general path
        for text in HOSTILE:
            audit.record(uow, admin, "test.batch", after={"text": text, "n": [1, 2.5, None]})
        uow.commit()
    events = _events(school)
    assert len(events) == before + 2 * len(HOSTILE)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    prev = ""
    for event in events:  # the stored hash is the program's own computation of the payload
        assert event["prev_hash"] == prev
        assert event["hash"] == audit.event_hash(event, prev), event["action"]
        prev = event["hash"]
    assert events[before]["after"] == audit.to_json(HOSTILE[0])
    with school.uow() as uow:
        assert audit.verify_chain(uow).ok


def test_an_event_is_written_only_when_its_transaction_commits(school) -> None:
    before = len(_events(school))
    with school.uow() as uow:
        audit.record(uow, school.actors["admin"], "test.rolled_back")
        # no commit: the unit of work rolls back
    assert len(_events(school)) == before
    with school.uow() as uow:
        audit.record(uow, school.actors["admin"], "test.first")
        uow.commit()
        audit.record(uow, school.actors["admin"], "test.second")
        uow.commit()
    assert [e["action"] for e in _events(school)[before:]] == ["test.first", "test.second"]


def test_concurrent_writers_never_fork_the_chain(school) -> None:
    admin = school.actors["admin"]
    before = len(_events(school))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with school.uow() as uow:
                    audit.record(uow, admin, "test.concurrent", after={"writer": n, "i": i})
                    uow.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = _events(school)
    assert len(events) == before + 6 * 15
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    with school.uow() as uow:
        assert audit.verify_chain(uow).ok

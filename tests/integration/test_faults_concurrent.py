"""Two workstations entering marks into the same register at once: every acknowledged mark
is kept, and when both correct the same mark, one wins and the other is told of the conflict
instead of silently overwriting it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select, text

from ejournal_tui.data import models as m
from ejournal_tui.services import audit, marks
from tests.integration.test_faults_kill import acked_ids, read_until, start_worker, worker_spec

MARKS = 8
ADDS = 15


def test_two_processes_same_register_nothing_lost_conflicts_reported(school, db_url: str, engine,  # noqa: ANN001
                                                                     tmp_path: Path) -> None:
    base = worker_spec(school, db_url, "both")
    with school.uow() as uow:
        ids = [marks.add_mark(uow, school.actors["ivanova"], base["lesson_id"], base["pupils"][i % 5], "4").id
               for i in range(MARKS)]
    go = tmp_path / "go"
    procs = {value: start_worker({**base, "marks": ids, "value": value, "count": ADDS, "go": str(go)})
             for value in ("5", "3")}
    for proc in procs.values():
        read_until(proc, 1, "ready")
    go.touch()  # both start at once
    outputs = {}
    for value, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs[value] = out.splitlines()

    winners = {mid: value for value, lines in outputs.items() for mid in acked_ids(lines, "ok ")}
    losers = Counter(mid for lines in outputs.values() for mid in acked_ids(lines, "conflict "))
    assert set(winners) == set(ids) and set(losers) == set(ids)  # each mark: one winner, one told
    assert sum(len(acked_ids(lines, "ok ")) for lines in outputs.values()) == MARKS
    with engine.connect() as conn:
        stored = dict(conn.execute(select(m.Mark.id, m.Mark.value)).all())
        versions = set(conn.execute(select(m.Mark.version).where(m.Mark.id.in_(ids))).scalars())
        corrections = conn.execute(text("SELECT COUNT(*) FROM auditevent WHERE action = 'mark.correct'")).scalar()
    assert {mid: stored[mid] for mid in ids} == winners and versions == {2}
    assert corrections == MARKS
    added = set().union(*(acked_ids(lines) for lines in outputs.values()))
    assert len(added) == 2 * ADDS and added <= set(stored) and len(stored) == MARKS + 2 * ADDS
    with school.uow() as uow:
        assert audit.verify_chain(uow).ok  # one chain, never forked by the race

"""A backup taken while a workstation keeps entering marks restores to a consistent state:
the database as of one moment — every mark acknowledged before the backup began, each mark
with its change-log event, the chain whole — never a mix of before and after."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

from sqlalchemy import select, text

from ejournal_tui.data import models as m
from ejournal_tui.data.db import integrity_ok, make_engine
from ejournal_tui.services import audit
from ejournal_tui.services.backup import create_backup, restore_backup
from ejournal_tui.services.context import Database
from tests.integration.test_backup import ADMIN, PASS
from tests.integration.test_faults_kill import read_until, start_worker, worker_spec


def _acks(lines: list[str], since: int | None, until: int | None) -> set[int]:
    """Marks acknowledged within (since, until) on the monotonic clock."""
    out = set()
    for line in lines:
        _, mark_id, at = line.split()
        if (since is None or int(at) > since) and (until is None or int(at) < until):
            out.add(int(mark_id))
    return out


def test_backup_during_a_stream_of_writes_restores_consistently(school, db_url: str, engine,  # noqa: ANN001
                                                               tmp_path: Path, sqlite_template: Path) -> None:
    proc = start_worker(worker_spec(school, db_url, "add"))
    try:
        lines = read_until(proc, 20)
        started = time.monotonic_ns()
        backup = create_backup(engine, ADMIN, [tmp_path], PASS).files[0]
        finished = time.monotonic_ns()
        while len(_acks(lines, finished, None)) < 10:  # the writer goes on after the backup
            lines += read_until(proc, 1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    before, after = _acks(lines, None, started), _acks(lines, finished, None)
    target_path = tmp_path / "restored.db"
    shutil.copy(sqlite_template, target_path)
    target = make_engine(f"sqlite:///{target_path}")
    restore_backup(target, ADMIN, backup, PASS)
    assert integrity_ok(target)[0]
    with target.connect() as conn:
        restored = set(conn.execute(select(m.Mark.id)).scalars())
        events = conn.execute(text("SELECT COUNT(*) FROM auditevent WHERE action = 'mark.add'")).scalar()
        head = conn.execute(text("SELECT seq FROM audithead")).scalar()
    assert before <= restored and not (after & restored)
    assert events == len(restored) and head == len(restored)
    with Database(target, school.school_id).uow() as uow:
        assert audit.verify_chain(uow).ok
    target.dispose()

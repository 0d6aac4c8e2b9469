"""kill -9 in the middle of a stream of marks: afterwards the database passes its integrity
check, every mark acknowledged before the kill is there, and each has its change-log event
(no half-written transaction survives)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from ejournal_tui.data import models as m
from ejournal_tui.data.db import integrity_ok, make_engine
from ejournal_tui.services import audit

ROOT = Path(__file__).resolve().parents[2]


def start_worker(spec: dict[str, Any]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.integration.test_faults_worker", json.dumps(spec)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "EJOURNAL_LANG": "en"})


def read_until(proc: subprocess.Popen, lines: int, prefix: str = "ack ") -> list[str]:
    """The worker's lines until `lines` of them start with `prefix` (or it stops)."""
    got: list[str] = []
    while sum(1 for g in got if g.startswith(prefix)) < lines:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise AssertionError(f"worker stopped: {proc.stderr.read()}")  # type: ignore[union-attr]
        got.append(line.strip())
    return got


def worker_spec(school, db_url: str, mode: str, **extra: Any) -> dict[str, Any]:  # noqa: ANN001
    lesson = extra.pop("lesson_id", None) or school.lesson("rus5", date(2026, 11, 20))
    pupils = [school.pupils[p] for p in ("Алексеев", "Борисова", "Волков", "Григорьева", "Дмитриев")]
    return {"mode": mode, "url": db_url, "school_id": school.school_id, "staff_id": school.staff["ivanova"],
            "now": school.db.clock.frozen.isoformat(), "lesson_id": lesson, "pupils": pupils, **extra}


def acked_ids(lines: list[str], prefix: str = "ack ") -> set[int]:
    return {int(line.split()[1]) for line in lines if line.startswith(prefix)}


def test_kill_9_during_mark_entry_loses_no_acknowledged_mark(school, db_url: str, engine) -> None:  # noqa: ANN001
    proc = start_worker(worker_spec(school, db_url, "add"))
    try:
        lines = read_until(proc, 40)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    acked = acked_ids(lines)
    engine.dispose()  # see the file as a fresh process would after the crash
    after = make_engine(db_url)
    ok, detail = integrity_ok(after)
    assert ok, detail
    with after.connect() as conn:
        stored = set(conn.execute(select(m.Mark.id)).scalars())
        events = conn.execute(text("SELECT COUNT(*) FROM auditevent WHERE action = 'mark.add'")).scalar()
        if after.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").first() is None
    assert acked <= stored and events == len(stored)
    with school.uow() as uow:
        assert audit.verify_chain(uow).ok
    after.dispose()

"""One sending `notify parents` run per school at a time (services/notify/lock.py), on SQLite
and PostgreSQL: a second run while one is under way — in another process, or on another
workstation's engine while the first waits on a slow mail server — is refused at once with one
clear message, having sent and logged nothing; the first sends each family's message once; the
lock goes when its run ends (well, with an unreachable server, with an error) and when its
process is killed; dry runs and other schools are not held up; the command line exits 1 with
one `error:` line.

The school, its parents and the mail server are those of test_notify_service (and, for the
command line, the demo of tests/cli/test_notify_cli)."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Clock, Database, resolve_school
from ejournal_tui.services.notify import RunUnderWay, notify_parents
from ejournal_tui.services.notify.lock import lock_path, one_run, pg_key, sqlite_file
from tests.acceptance.runner import cli
from tests.cli.test_notify_cli import _one_line_error, _rows, demo  # noqa: F401 - a fixture
from tests.cli.test_notify_cli import server as cli_server  # noqa: F401 - a fixture
from tests.conftest import FROZEN_NOW
from tests.integration.test_notify_service import REFUSED, deliveries, informed, run, server  # noqa: F401 - fixtures
from tests.mailserver import MailServer

ROOT = Path(__file__).resolve().parents[2]
BUSY = "another notify run for this school is under way"
T = TypeVar("T")

# the conftest's backends, PostgreSQL's marked
BOTH = pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                               indirect=True)

# a run elsewhere: holds the school's lock the way a run does, until a line on stdin
HOLDER = """
import sys
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Database
from ejournal_tui.services.notify.lock import one_run

with one_run(Database(make_engine(sys.argv[1]), int(sys.argv[2])), "nightly"):
    print("held", flush=True)
    sys.stdin.readline()
"""


@contextmanager
def held_elsewhere(url: str, school_id: int) -> Iterator[subprocess.Popen]:
    """Another process holding the school's lock; killed at the end if still running."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, url, str(school_id)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "EJOURNAL_LANG": "en"})
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == "held", proc.stderr.read()  # type: ignore[union-attr]
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            pipe.close()  # type: ignore[union-attr]


def let_go(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n")  # type: ignore[union-attr]
    proc.stdin.flush()  # type: ignore[union-attr]
    assert proc.wait(timeout=30) == 0, proc.stderr.read()  # type: ignore[union-attr]


def once_free(attempt: Callable[[], T]) -> T:
    """`attempt` as soon as the lock is free: PostgreSQL ends a killed client's session (and
    its lock) a moment after the process is gone. A refused attempt does nothing, so trying
    again is safe."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return attempt()
        except RunUnderWay:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def runs_logged(school) -> int:  # noqa: ANN001
    with Session(school.db.engine) as s:
        return s.scalar(select(func.count()).select_from(m.AuditEvent).where(m.AuditEvent.action == "notify.parents"))


def workstation(school, db_url: str) -> Database:  # noqa: ANN001
    """The same school through an engine of its own: another program on the same database."""
    return Database(make_engine(db_url), school.school_id, Clock(FROZEN_NOW))


@contextmanager
def slow(server: MailServer) -> Iterator[tuple[threading.Event, threading.Event]]:  # noqa: F811
    """The server takes each message only once `go` is set; `arrived` says one is waiting."""
    arrived, go = threading.Event(), threading.Event()
    take = server.handler.handle_DATA

    async def handle_DATA(srv, session, envelope):  # noqa: ANN001, ANN202, N802 - aiosmtpd's hook
        arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, go.wait, 60)
        return await take(srv, session, envelope)

    server.handler.handle_DATA = handle_DATA  # type: ignore[method-assign]
    try:
        yield arrived, go
    finally:
        go.set()


@BOTH
def test_a_run_is_refused_while_another_process_holds_the_lock(informed, db_url: str, server: MailServer,  # noqa: F811
                                                               tmp_path: Path) -> None:
    with held_elsewhere(db_url, informed.school_id) as holder:
        with pytest.raises(RunUnderWay) as refused:
            run(informed, server)
        message = str(refused.value)
        assert message.startswith(BUSY + " (started ") and "by nightly)" in message and "\n" not in message
        assert server.received == [] and deliveries(informed) == [] and runs_logged(informed) == 0
        dry = run(informed, server, dry_run=True, out=tmp_path / "dry")  # a look is never refused
        assert dry.written == 5 and server.received == []
        holder.kill()  # a run that crashed: its lock goes with its process
        holder.wait(timeout=30)
        report = once_free(lambda: run(informed, server))
    assert report.sent == 4 and len(server.received) == 4


@BOTH
def test_a_second_run_during_a_slow_first_is_refused_and_each_family_is_told_once(
        informed, db_url: str, server: MailServer) -> None:  # noqa: ANN001, F811
    other = workstation(informed, db_url)
    first: dict[str, object] = {}

    def nightly() -> None:
        try:
            first["report"] = run(informed, server)
        except Exception as exc:  # noqa: BLE001 - shown by the assertion below
            first["error"] = exc

    with slow(server) as (arrived, go):
        thread = threading.Thread(target=nightly)
        thread.start()
        assert arrived.wait(30), first
        smtp = server.settings()
        with pytest.raises(RunUnderWay, match=r"under way \(started .* by admin\)"):
            notify_parents(other, informed.actors["admin"], smtp)
        with pytest.raises(RunUnderWay):  # the TUI's "send now" for one family
            notify_parents(other, informed.actors["ivanova"], smtp, pupil_ids=[informed.pupils["Борисова"]])
        assert server.received == [] and deliveries(informed) == [] and runs_logged(informed) == 0
        go.set()
        thread.join(30)
    assert "error" not in first, first
    assert first["report"].sent == 4  # type: ignore[attr-defined]
    recipients = [tuple(sorted(r.recipients)) for r in server.received]
    assert len(recipients) == len(set(recipients)) == 4
    again = notify_parents(other, informed.actors["admin"], smtp)  # the lock is free again: nothing new
    assert again.sent == 0 and again.failed == 1 and len(server.received) == 4  # the refused address again
    assert runs_logged(informed) == 2
    other.engine.dispose()


@BOTH
def test_the_lock_goes_after_a_run_whose_server_could_not_be_reached(informed, server: MailServer) -> None:  # noqa: ANN001, F811
    server.down()
    assert run(informed, server).stopped
    with MailServer() as again:
        again.refuse(*REFUSED)
        report = run(informed, again)
    assert report.sent == 4 and not report.stopped


@BOTH
def test_the_lock_goes_after_a_run_that_failed(informed, server: MailServer,  # noqa: ANN001, F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def out_of_paper(*_a: object, **_k: object) -> object:
        raise OSError("No space left on device")

    with monkeypatch.context() as patched:  # undone alone: the fixture's own chdir stays
        patched.setattr("ejournal_tui.services.notify.run.print_paper", out_of_paper)
        with pytest.raises(OSError, match="No space"):
            run(informed, server)
    report = run(informed, server)
    assert report.printed == 4 and report.sent == 0  # the e-mail went out before the failure


@BOTH
def test_other_schools_are_not_held_up(engine, db_url: str) -> None:  # noqa: ANN001
    one, two = Database(engine, 1), Database(engine, 2)
    with one_run(one, "admin"), one_run(two, "admin"):
        with pytest.raises(RunUnderWay):
            with one_run(Database(engine, 1), "teacher"):
                pass
    with one_run(one, "admin"):  # and let go, from the same engine
        pass


def test_the_lock_file_lies_beside_the_database_for_its_owner_only(sqlite_url: str, tmp_path: Path) -> None:
    db = Database(make_engine(sqlite_url), 3)
    path = lock_path(Path(make_url(sqlite_url).database or ""), 3)
    assert path == tmp_path / "test.db.notify-3.lock"
    with one_run(db, "os:root"):
        assert "os%3Aroot" in path.read_text()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == ""  # a refused run names no run that ended
    assert sqlite_file(make_url("sqlite://")) is None and sqlite_file(make_url("sqlite:///:memory:")) is None
    with one_run(Database(make_engine("sqlite://"), 1), "admin"), one_run(Database(make_engine("sqlite://"), 1), "x"):
        pass  # one process sees an in-memory database: nothing to lock
    db.engine.dispose()


def test_postgresql_keys_are_the_school_within_its_schema() -> None:
    assert pg_key("public", 1) != pg_key("ej_1234", 1) != pg_key("public", 2)
    assert -(2**31) <= pg_key("public", 1) < 2**31 and pg_key("public", 1) == pg_key("public", 1)


def test_the_command_line_refuses_a_second_run_with_one_line(demo: str, cli_server: MailServer) -> None:  # noqa: F811
    engine = make_engine(demo)
    school_id = resolve_school(engine, None)
    engine.dispose()
    with held_elsewhere(demo, school_id) as holder:
        done = cli("notify", "parents", "--class", "5А")
        _one_line_error(done, BUSY, "by nightly")
        assert cli_server.received == [] and _rows(demo) == []
        let_go(holder)
    cli("notify", "parents", "--class", "5А").ok()
    assert cli_server.received and _rows(demo)

"""Many workstations on one PostgreSQL server: setting the server up as the README says
(schema upgrade on an empty database, TLS and other options in the URL, pool size from the
settings), short transactions, and the optimistic conflict path end to end: two
workstations on one pupil's cell, one wins, the other is told to refresh, nothing is
overwritten and nothing raw reaches the user.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.errors import Conflict
from ejournal_tui.services import attendance, audit, finals, lessons, marks
from ejournal_tui.services.accounts import actor_of, find_account
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.services.register import open_register
from tests.conftest import FROZEN_NOW, PG_URL, _truncate_pg
from tests.factory import TestSchool as School
from tests.factory import build_school

DAY = date(2026, 11, 20)


def _with(url: str, **options: str) -> str:
    sep = "&" if "?" in url else "?"
    return url + sep + "&".join(f"{k}={v}" for k, v in options.items())


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """An empty, migrated PostgreSQL schema, with an application name of this test's own."""
    url = request.getfixturevalue("pg_schema_url")
    if url is None:
        pytest.skip("PostgreSQL not configured (set EJOURNAL_TEST_POSTGRES_URL)")
    engine = make_engine(url)
    _truncate_pg(engine)
    engine.dispose()
    return _with(url, application_name=f"ejws_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def pg_school(pg_url: str) -> School:
    engine = make_engine(pg_url)
    yield build_school(engine, Clock(FROZEN_NOW))
    engine.dispose()


def _app_name(url: str) -> str:
    return url.rsplit("application_name=", 1)[1]


# --- setting the server up ------------------------------------------------------------

def test_url_options_reach_the_driver() -> None:
    url = "postgresql+psycopg://ejournal@db.school.local:5432/school?sslmode=verify-full&sslrootcert=/etc/ejournal/ca.pem"
    engine = make_engine(url, pool_size=7)
    _, params = engine.dialect.create_connect_args(engine.url)
    assert params["sslmode"] == "verify-full" and params["sslrootcert"] == "/etc/ejournal/ca.pem"
    assert engine.pool.size() == 7
    engine.dispose()


def test_db_upgrade_makes_an_empty_server_database_ready(pg_url: str) -> None:
    schema = f"ej_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        url = _with(PG_URL, options=f"-csearch_path%3D{schema}", sslmode="prefer", application_name="ejournal-setup")
        env = {**os.environ, "EJOURNAL_LANG": "en"}
        for command in (["db", "upgrade"], ["db", "check"]):
            out = subprocess.run([sys.executable, "-m", "ejournal_tui", "--db", url, *command], capture_output=True,
                                 text=True, env=env, timeout=120)
            assert out.returncode == 0, out.stderr
        assert "change log verified" in out.stdout
        with admin.connect() as conn:
            tables = conn.execute(text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"),
                                  {"s": schema}).scalar()
        assert tables > 20
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema}_guard CASCADE")  # db upgrade's guards
        admin.dispose()


def test_pool_size_and_options_come_from_the_settings(pg_url: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ejournal_tui.cli.state import CliState

    settings = tmp_path / "config.toml"
    settings.write_text(f'db = "{pg_url}"\npool_size = 3\n', encoding="utf-8")
    monkeypatch.delenv("EJOURNAL_DB", raising=False)
    monkeypatch.delenv("EJOURNAL_POOL_SIZE", raising=False)
    state = CliState(config_file=str(settings))
    engine = state.engine()
    assert engine.pool.size() == 3
    with engine.connect() as conn:
        assert conn.execute(text("SHOW application_name")).scalar() == _app_name(pg_url)
    engine.dispose()
    monkeypatch.setenv("EJOURNAL_POOL_SIZE", "12")
    engine = CliState(config_file=str(settings)).engine()
    assert engine.pool.size() == 12
    engine.dispose()


# --- short transactions ---------------------------------------------------------------

def test_no_transaction_stays_open_between_entries(pg_school: School, pg_url: str) -> None:
    petrov = pg_school.actors["petrov"]
    db = Database(make_engine(pg_url), pg_school.school_id, Clock(FROZEN_NOW))
    with db.uow() as uow:
        lesson = lessons.open_lesson(uow, petrov, pg_school.loads["math5"], DAY, 1).id
    for pupil in ("Алексеев", "Борисова"):
        with db.uow() as uow:
            marks.add_mark(uow, petrov, lesson, pg_school.pupils[pupil], "4")
    with db.uow() as uow:
        attendance.set_attendance(uow, petrov, lesson, pg_school.pupils["Волков"], "absent")
    with db.uow(read_only=True) as uow:
        open_register(uow, petrov, pg_school.loads["math5"], "Q2")
    assert db.engine.pool.checkedout() == 0
    watcher = create_engine(PG_URL)
    with watcher.connect() as conn:
        states = conn.execute(text("SELECT state FROM pg_stat_activity WHERE application_name = :a"),
                              {"a": _app_name(pg_url)}).scalars().all()
    watcher.dispose()
    assert states and "idle in transaction" not in states
    db.engine.dispose()


# --- one cell, two workstations -------------------------------------------------------

def _cell_workstation(url: str, school_id: int, load_id: int, lesson_id: int, pupil_id: int, value: str,
                      ready: Any, results: Any) -> None:
    """One workstation: open the register, wait for the other, correct the mark it shows."""
    db = Database(make_engine(url, pool_size=1), school_id, Clock(FROZEN_NOW))
    with db.uow() as uow:
        actor = actor_of(find_account(uow, "petrov"))
    with db.uow(read_only=True) as uow:
        (shown,) = open_register(uow, actor, load_id, "Q2").marks[(pupil_id, lesson_id)]
    ready.wait(60)
    try:
        with db.uow() as uow:
            ref = marks.correct_mark(uow, actor, shown.id, value=value, expected_version=shown.version)
        results.put((value, "saved", ref.version))
    except Conflict as exc:
        results.put((value, "conflict", str(exc)))
    db.engine.dispose()


def test_two_workstations_one_cell_one_wins(pg_school: School, pg_url: str) -> None:
    ts = pg_school
    lesson, pupil = ts.lesson("math5", DAY), ts.pupils["Волков"]
    with ts.uow() as uow:
        mark_id = marks.add_mark(uow, ts.actors["petrov"], lesson, pupil, "3").id
    ctx = multiprocessing.get_context("spawn")
    ready, results = ctx.Barrier(2), ctx.Queue()
    args = (pg_url, ts.school_id, ts.loads["math5"], lesson, pupil)
    procs = [ctx.Process(target=_cell_workstation, args=(*args, value, ready, results)) for value in ("4", "5")]
    for proc in procs:
        proc.start()
    outcome = sorted(results.get(timeout=90) for _ in procs)
    for proc in procs:
        proc.join(30)
    saved = [o for o in outcome if o[1] == "saved"]
    refused = [o for o in outcome if o[1] == "conflict"]
    assert len(saved) == 1 and len(refused) == 1, outcome
    assert "another workstation" in refused[0][2] and "refresh" in refused[0][2]
    with ts.uow() as uow:
        kept = marks.get_mark(uow, mark_id)
        kept_value, kept_version = kept.value, kept.version
        events = uow.session.execute(select(m.AuditEvent.action, m.AuditEvent.after).where(
            m.AuditEvent.entity == "mark", m.AuditEvent.entity_id == mark_id)).all()
        assert audit.verify_chain(uow).ok
    assert (kept_value, kept_version) == (saved[0][0], 2)
    assert [e.action for e in events] == ["mark.add", "mark.correct"] and saved[0][0] in events[1].after
    # the refused workstation refreshes and sees the winner's mark
    with ts.uow() as uow:
        reg = open_register(uow, ts.actors["petrov"], ts.loads["math5"], "Q2")
    assert reg.cell_text(pupil, lesson) == saved[0][0]


# --- first entries typed at the same moment --------------------------------------------

def _first_entries(ts: School) -> dict[str, Callable[[Any], object]]:
    petrov, lesson = ts.actors["petrov"], ts.lesson("alg10", DAY)
    return {
        "absence": lambda uow: attendance.set_attendance(uow, petrov, lesson, ts.pupils["Ильин"], "absent",
                                                         expected_version=0),
        "lesson": lambda uow: lessons.open_lesson(uow, petrov, ts.loads["alg10"], DAY, 4),
        "final mark": lambda uow: finals.set_final_mark(uow, petrov, ts.classes["10А"], ts.subjects["Алгебра"],
                                                        ts.pupils["Ильин"], "period", "4", period_code="H1"),
    }


def _waiting_on_a_lock(app_name: str) -> bool:
    watcher = create_engine(PG_URL)
    try:
        with watcher.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a AND wait_event_type = 'Lock'"),
                {"a": app_name}).scalar())
    finally:
        watcher.dispose()


@pytest.mark.parametrize("entry", ["absence", "lesson", "final mark"])
def test_the_same_first_entry_at_two_workstations(pg_school: School, pg_url: str, entry: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A has written its row but not committed; B writes the same row and waits on it; A
    commits. B is told the entry changed at another workstation, not shown a database error."""
    call = _first_entries(pg_school)[entry]
    written, release, original = threading.Event(), threading.Event(), audit.record

    def held(uow: Any, *args: Any, **kwargs: Any) -> None:
        if threading.current_thread().name == "A":
            written.set()
            release.wait(30)
        original(uow, *args, **kwargs)

    monkeypatch.setattr(audit, "record", held)
    outcome: dict[str, str] = {}

    def workstation(name: str) -> None:
        db = Database(make_engine(pg_url, pool_size=1), pg_school.school_id, Clock(FROZEN_NOW))
        try:
            with db.uow() as uow:
                call(uow)
            outcome[name] = "saved"
        except Exception as exc:  # noqa: BLE001 - the test reports whatever reached the user
            outcome[name] = type(exc).__name__
        finally:
            db.engine.dispose()

    a = threading.Thread(target=workstation, args=("A",), name="A")
    a.start()
    assert written.wait(30)
    b = threading.Thread(target=workstation, args=("B",), name="B")
    b.start()
    deadline = time.monotonic() + 20
    while not _waiting_on_a_lock(_app_name(pg_url)) and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    a.join(60)
    b.join(60)
    assert outcome == {"A": "saved", "B": "Conflict"}
    with pg_school.uow() as uow:
        assert audit.verify_chain(uow).ok
        events = uow.session.execute(select(func.count()).select_from(m.AuditEvent)).scalar()
    assert events == 1

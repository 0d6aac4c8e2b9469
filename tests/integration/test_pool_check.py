"""A workstation's pooled PostgreSQL connections (data/pool_check.py, services/context.py).

A mark typed right after another goes out without a ping first; a connection whose server
session ended (a restart, an administrator's pg_terminate_backend) is replaced at checkout,
so the teacher's next mark is stored, not refused; one idle long enough is pinged; and a
read-only unit of work (opening a register) leaves the session's prepared statements alone,
so the next mark is not planned anew."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text

from ejournal_tui.data import models as m
from ejournal_tui.data import pool_check
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.services.marks import add_mark
from tests.conftest import FROZEN_NOW
from tests.factory import TestSchool as School
from tests.factory import build_school
from tests.netproxy import pg_empty_url  # noqa: F401 - a fixture

TODAY = date(2026, 11, 20)

pytestmark = pytest.mark.postgres


@pytest.fixture
def workstation(pg_empty_url: str):  # noqa: ANN201, F811
    """(the workstation's database with one pooled connection, the school, a ping counter)."""
    school = build_school(make_engine(pg_empty_url), Clock(FROZEN_NOW))
    engine = make_engine(pg_empty_url, pool_size=1)
    pings = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda conn: pings.append(1) or real_ping(conn)  # type: ignore[method-assign]
    yield Database(engine, school.school_id, Clock(FROZEN_NOW)), school, pings
    _LESSONS.clear()
    engine.dispose()
    school.db.engine.dispose()


def _mark(db: Database, school: School, pupil_index: int, value: str = "4") -> None:
    lesson = _LESSONS.get(school.school_id) or _LESSONS.setdefault(school.school_id, school.lesson("rus5", TODAY))
    pupil = sorted(school.pupils.values())[pupil_index % 5]
    with db.uow() as uow:
        add_mark(uow, school.actors["ivanova"], lesson, pupil, value)


_LESSONS: dict[int, int] = {}


def _marks(db: Database) -> int:
    with db.uow(read_only=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(m.Mark))


def test_marks_typed_one_after_another_send_no_ping(workstation) -> None:  # noqa: ANN001
    db, school, pings = workstation
    for i in range(4):
        _mark(db, school, i)
    assert pings == []
    assert _marks(db) == 4


def test_a_connection_whose_server_session_ended_is_replaced_and_the_mark_stored(
        workstation, pg_empty_url: str) -> None:  # noqa: ANN001, F811
    db, school, _ = workstation
    _mark(db, school, 0)
    with db.engine.connect() as conn:
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(pg_empty_url)
    with admin.begin() as conn:  # as an administrator or a server restart would
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar()
    admin.dispose()
    _mark(db, school, 1)  # no error: the pool saw the goodbye and opened a new connection
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != backend
    assert _marks(db) == 2


def test_a_connection_idle_for_a_while_is_pinged_first(workstation, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db, school, pings = workstation
    _mark(db, school, 0)
    monkeypatch.setattr(pool_check, "PING_AFTER_IDLE_S", 0.0)
    _mark(db, school, 1)
    assert pings == [1]


def test_opening_a_register_keeps_the_prepared_statements_of_a_mark(workstation) -> None:  # noqa: ANN001
    db, school, _ = workstation
    for i in range(7):  # psycopg prepares a statement on the server from its fifth run on
        _mark(db, school, i, "5")
    with db.uow(read_only=True) as uow:  # reads only, and ends without a commit of its own
        uow.session.scalar(select(func.count()).select_from(m.Mark))
    with db.uow(read_only=True) as uow:
        prepared = uow.conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
    assert prepared > 0

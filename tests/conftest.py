"""Shared fixtures: a migrated database on SQLite and (when configured) PostgreSQL, a small
known school built by `tests.factory`, and a frozen clock.

PostgreSQL runs when EJOURNAL_TEST_POSTGRES_URL is set; with EJOURNAL_REQUIRE_POSTGRES=1 a
missing server fails instead of skipping. Each pytest process works in a schema of its own,
so several runs can share one server.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine, upgrade
from ejournal_tui.demo.rows import TABLES
from ejournal_tui.i18n import set_language
from ejournal_tui.services.context import Clock

PG_URL = os.environ.get("EJOURNAL_TEST_POSTGRES_URL", "")
REQUIRE_PG = os.environ.get("EJOURNAL_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgres"]

# 2026-11-20 is a Friday in Q2 (Q1 ended 2026-10-24)
FROZEN_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_LANG", "en")
    set_language("en")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url():  # noqa: ANN201 - yields the URL or None
    """A schema of this process's own on the test server, migrated once, dropped at the end."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("EJOURNAL_REQUIRE_POSTGRES=1 but EJOURNAL_TEST_POSTGRES_URL is not set")
        yield None
        return
    schema = f"ej_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as exc:  # noqa: BLE001
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required but unreachable: {exc}")
        yield None
        return
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema}_guard CASCADE")  # db upgrade's guards
    admin.dispose()


def _truncate_pg(engine) -> None:  # noqa: ANN001
    names = [mdl.__table__.name for mdl in [*TABLES, m.AuditEvent, m.AuditHead, m.BackupRecord]]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database URL on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return emptied_pg_url(request)


def emptied_pg_url(request: pytest.FixtureRequest) -> str:
    """The test run's PostgreSQL schema, migrated and emptied; the test is skipped with no
    server given (a failure when EJOURNAL_REQUIRE_POSTGRES=1, from `pg_schema_url`)."""
    url = request.getfixturevalue("pg_schema_url")
    if url is None:
        pytest.skip("PostgreSQL not configured (set EJOURNAL_TEST_POSTGRES_URL)")
    engine = make_engine(url)
    _truncate_pg(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str):  # noqa: ANN201
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only, for tests about files and processes."""
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> Clock:
    return Clock(FROZEN_NOW)


@pytest.fixture
def school(engine, clock):  # noqa: ANN001, ANN201
    """The small known school of `tests.factory` on each backend."""
    from tests.factory import build_school

    return build_school(engine, clock)


def count_rows(engine, model) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {model.__table__.name}")).scalar()


def events(engine) -> list:  # noqa: ANN001
    """The change log's events, oldest first."""
    from sqlmodel import Session

    with Session(engine) as s:
        return list(s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.seq)))


__all__ = ["count_rows", "events", "FROZEN_NOW"]

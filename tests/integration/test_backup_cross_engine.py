"""The way a school moves to a server and back: one backup restored SQLite → PostgreSQL →
SQLite gives the very same rows, and the change log still verifies on every engine."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ejournal_tui.data.db import make_engine
from ejournal_tui.services import audit, marks
from ejournal_tui.services.backup import create_backup, restore_backup
from ejournal_tui.services.backup.snapshot import canonical_rows
from ejournal_tui.services.context import Clock, Database
from tests.conftest import FROZEN_NOW, PG_URL, REQUIRE_PG
from tests.factory import build_school
from tests.integration.test_backup import ADMIN, PASS, empty_pg_url

# the log of backup use grows with each restore by design; every other table must match
SKIP = ("backuprecord",)


@pytest.fixture
def pg_target():  # noqa: ANN201
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("EJOURNAL_REQUIRE_POSTGRES=1 but EJOURNAL_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set EJOURNAL_TEST_POSTGRES_URL)")
    yield from empty_pg_url()


def _chain_ok(engine, school_id: int) -> bool:  # noqa: ANN001
    with Database(engine, school_id).uow() as uow:
        return audit.verify_chain(uow).ok


def test_sqlite_to_postgres_to_sqlite_is_identical(sqlite_url: str, pg_target: str, tmp_path: Path,
                                                   sqlite_template: Path) -> None:
    source = make_engine(sqlite_url)
    school = build_school(source, Clock(FROZEN_NOW))
    lesson = school.lesson("rus5", date(2026, 11, 20), topic="Орфограммы «ё» и 'кавычки'\tс табом\nи строкой")
    with school.uow() as uow:
        for value, pupil in (("5", "Алексеев"), ("осв", "Борисова"), ("2", "Волков")):
            marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils[pupil], value, comment="\\ слэш")
    original = canonical_rows(source, skip=SKIP)

    first = create_backup(source, ADMIN, [tmp_path], PASS).files[0]
    pg = make_engine(pg_target)
    restore_backup(pg, ADMIN, first, PASS)
    assert canonical_rows(pg, skip=SKIP) == original and _chain_ok(pg, school.school_id)

    second = create_backup(pg, ADMIN, [tmp_path], PASS).files[-1]
    back_path = tmp_path / "back.db"
    shutil.copy(sqlite_template, back_path)
    back = make_engine(f"sqlite:///{back_path}")
    restore_backup(back, ADMIN, second, PASS)
    assert canonical_rows(back, skip=SKIP) == original and _chain_ok(back, school.school_id)
    for engine in (source, pg, back):
        engine.dispose()

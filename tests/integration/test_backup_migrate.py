"""A backup made at an older schema revision (0001, before the registry of paper copies) is
restored by this program (head 0003) with its own migrations, on SQLite and PostgreSQL: the
data whole, `stats` and `db check` as the source gave them, the new table present and empty.
One from a newer program is refused naming both revisions; a failure changes nothing.

The 0001 backup is made honestly, in the test: a database is built at 0001 by Alembic, the
rows of a demo school (made at head) are copied into every table 0001 has (none of their
columns is newer), and the program's own `backup create` backs that database up as it is.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, inspect, text

from ejournal_tui.data.db import _alembic_config, current_revision, make_engine, upgrade
from ejournal_tui.services.backup import migrate as migrate_module
from ejournal_tui.services.backup import read_log, restore_backup, verify_backup
from ejournal_tui.services.backup.content import read_content
from ejournal_tui.services.backup.crypto import BackupReader
from ejournal_tui.services.backup.errors import (
    RestoreFailed,
    SchemaMismatch,
    TargetNotEmpty,
    VerifyFailed,
)
from ejournal_tui.services.backup.snapshot import canonical_rows
from tests.cli.test_backup_cli import cli
from tests.conftest import PG_URL, REQUIRE_PG
from tests.integration.test_backup import ADMIN, PASS, dangling_mark, empty_pg_url, reseal

OLD, HEAD = "0001", "0003"
# the log of backup use differs by design; the others are the tables 0001 does not have
SKIP = ("backuprecord", "papercopy", "parentcontact", "delivery")


def _copy_rows(source: Path, target: Path) -> list[str]:
    """Every row of `source` (at head) into each table of `target` (at 0001), with the
    columns the target's table has; returns the tables copied."""
    con = sqlite3.connect(target, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("ATTACH DATABASE ? AS head", (str(source),))
        con.execute("BEGIN")
        names = [r[0] for r in con.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' "
                                           "AND name NOT IN ('alembic_version', 'sqlite_sequence')")]
        for name in names:
            cols = ", ".join(f'"{r[1]}"' for r in con.execute(f'PRAGMA main.table_info("{name}")'))
            con.execute(f'INSERT INTO main."{name}" ({cols}) SELECT {cols} FROM head."{name}"')
        con.execute("COMMIT")
        assert con.execute("PRAGMA main.foreign_key_check").fetchall() == []
    finally:
        con.close()
    return names


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """A demo at head, the same rows in a database at 0001, and a backup of the latter made
    by `ejournal backup create`."""
    tmp = tmp_path_factory.mktemp("old-backup")
    settings, key, media = tmp / "settings.toml", tmp / "backup.key", tmp / "media"
    settings.write_text("")
    key.write_text(PASS + "\n")
    key.chmod(0o600)
    media.mkdir()
    head_url, old_url = f"sqlite:///{tmp / 'head.db'}", f"sqlite:///{tmp / 'old.db'}"
    code, _, err = cli("--config", str(settings), "--db", head_url, "demo", "--size", "small", "--no-tui",
                       "--as-of", "2026-11-20")
    assert code == 0, err
    old = make_engine(old_url)
    command.upgrade(_alembic_config(old), OLD)  # the schema as the first release made it
    assert current_revision(old) == OLD and not inspect(old).has_table("papercopy")
    old.dispose()
    tables = _copy_rows(tmp / "head.db", tmp / "old.db")
    assert "mark" in tables and "papercopy" not in tables
    code, out, err = cli("--config", str(settings), "--db", old_url, "backup", "create", "--to", str(media),
                         "--passphrase-file", str(key), "--period-end")
    assert code == 0, err
    backup = next(media.glob("*.ejbk"))
    old = make_engine(old_url)
    assert current_revision(old) == OLD  # backing it up did not upgrade it
    old.dispose()
    return {"tmp": tmp, "settings": settings, "key": key, "head": head_url, "old": old_url, "backup": backup}


def _content_header(path: Path) -> tuple[dict, list[str]]:
    items = list(read_content(BackupReader(path, PASS).chunks(), str(path)))
    return items[0], [i.name for i in items if hasattr(i, "columns")]


def test_the_backup_is_one_the_first_release_would_have_made(made) -> None:  # noqa: ANN001
    header, tables = _content_header(made["backup"])  # type: ignore[arg-type]
    assert header["schema_revision"] == OLD
    assert "papercopy" not in tables and "mark" in tables


@pytest.fixture(params=["sqlite", "postgres"])
def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the restore goes: a new SQLite file, or an empty migrated PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'school.db'}"
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("EJOURNAL_REQUIRE_POSTGRES=1 but EJOURNAL_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set EJOURNAL_TEST_POSTGRES_URL)")
    yield from empty_pg_url()


def _run(made, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    return cli("--config", str(made["settings"]), *args)


def test_an_old_backup_restores_into_an_empty_database_at_head(made, target_url: str) -> None:  # noqa: ANN001
    code, out, err = _run(made, "--db", target_url, "backup", "restore", str(made["backup"]),
                          "--passphrase-file", str(made["key"]))
    assert code == 0, err
    assert f"made at schema revision {OLD}" in out and f"migrated to revision {HEAD}" in out and "restored" in out
    stats = [_run(made, "--db", url, "stats", "--json") for url in (made["head"], target_url)]
    assert stats[0][0] == stats[1][0] == 0
    assert json.loads(stats[1][1]) == json.loads(stats[0][1])
    code, out, err = _run(made, "--db", target_url, "db", "check")
    assert code == 0 and out.startswith("ok: schema 0003"), err
    target, head = make_engine(target_url), make_engine(made["head"])  # type: ignore[arg-type]
    try:
        assert current_revision(target) == HEAD and inspect(target).has_table("papercopy")
        with target.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM papercopy")).scalar() == 0
        assert canonical_rows(target, skip=SKIP) == canonical_rows(head, skip=SKIP)
        restore = read_log(target)[0]
        assert restore.action == "restore" and f"migrated from schema {OLD} to {HEAD}" in restore.note
        assert restore.period_end
    finally:
        target.dispose()
        head.dispose()


def test_verify_says_the_backup_is_older_and_will_be_migrated(made, tmp_path: Path) -> None:  # noqa: ANN001
    log_db = f"sqlite:///{tmp_path / 'log.db'}"
    code, out, err = _run(made, "--db", log_db, "backup", "verify", str(made["backup"]),
                          "--passphrase-file", str(made["key"]))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("verified: ")
    assert f"made at schema revision {OLD}" in lines[1] and f"this program uses {HEAD}" in lines[1]
    assert "a restore migrates them" in lines[1]
    report = verify_backup(ADMIN, made["backup"], PASS)  # type: ignore[arg-type]
    assert report.revision == OLD and report.program_revision == HEAD and report.migrates
    assert report.manifest.schema_revision == OLD and report.events > 0
    engine = make_engine(log_db)
    note = read_log(engine)[0].note
    engine.dispose()
    assert f"made at schema {OLD}, checked after migrating to {HEAD}" in note


def _live(url: str, tmp_path: Path) -> str:
    """A database at head holding data (the factory school), on the engine of `url`."""
    from datetime import UTC, datetime

    from ejournal_tui.services.context import Clock
    from tests.factory import build_school

    engine = make_engine(url)
    upgrade(engine)
    build_school(engine, Clock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC)))
    engine.dispose()
    return url


def test_an_old_backup_replaces_a_live_database_only_with_consent(made, target_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    target = make_engine(_live(target_url, tmp_path))
    try:
        before = canonical_rows(target, skip=("backuprecord",))
        with pytest.raises(TargetNotEmpty):
            restore_backup(target, ADMIN, made["backup"], PASS)  # type: ignore[arg-type]
        assert canonical_rows(target, skip=("backuprecord",)) == before
        result = restore_backup(target, ADMIN, made["backup"], PASS, replace=True,  # type: ignore[arg-type]
                                safety_dirs=[tmp_path])
        assert result.migrated_from == OLD and result.safety is not None
        head = make_engine(made["head"])  # type: ignore[arg-type]
        assert canonical_rows(target, skip=SKIP) == canonical_rows(head, skip=SKIP)
        head.dispose()
        report = verify_backup(ADMIN, result.safety, PASS)  # the replaced data, at head
        assert report.revision == HEAD and not report.migrates
    finally:
        target.dispose()


def _states(target_url: str, skip: tuple[str, ...] = ()) -> tuple[object, ...]:
    """The schema revision, the tables and the rows of a database."""
    engine = make_engine(target_url)
    try:
        meta = MetaData()
        meta.reflect(bind=engine)
        return (current_revision(engine), sorted(meta.tables), canonical_rows(engine, skip=skip))
    finally:
        engine.dispose()


def test_a_failure_anywhere_leaves_the_target_as_it_was(made, target_url: str, tmp_path: Path,  # noqa: ANN001
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows that do not fit together (refused while loading the scratch), a migration that
    fails: either way an empty target stays empty and a live one keeps its data, with no
    safety backup taken for nothing."""
    live = _live(target_url, tmp_path)
    before = _states(live)
    broken = reseal(made["backup"], tmp_path / "dangling.ejbk", dangling_mark)  # type: ignore[arg-type]
    assert _content_header(broken)[0]["schema_revision"] == OLD
    target = make_engine(live)
    try:
        with pytest.raises(RestoreFailed) as err:
            restore_backup(target, ADMIN, broken, PASS, replace=True, safety_dirs=[tmp_path])
        assert "missing rows" in str(err.value) and "not changed" in str(err.value)
        with pytest.raises(VerifyFailed):
            verify_backup(ADMIN, broken, PASS)

        def no_migration(engine) -> None:  # noqa: ANN001
            raise sqlite3.OperationalError("no such column: imagined")

        monkeypatch.setattr(migrate_module, "upgrade", no_migration)
        with pytest.raises(RestoreFailed) as err:
            restore_backup(target, ADMIN, made["backup"], PASS, replace=True, safety_dirs=[tmp_path])  # type: ignore[arg-type]
        assert f"from schema {OLD} to {HEAD} failed: no such column: imagined" in str(err.value)
        with pytest.raises(VerifyFailed) as err:
            verify_backup(ADMIN, made["backup"], PASS)  # type: ignore[arg-type]
        assert "no such column" in str(err.value)
    finally:
        target.dispose()
    assert _states(live) == before
    assert not list(tmp_path.glob("*safety*"))


def _empty(path: Path) -> str:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return f"sqlite:///{path}"


def test_a_backup_from_a_newer_program_is_refused_naming_both_revisions(made, tmp_path: Path) -> None:  # noqa: ANN001
    def newer(lines: list[dict]) -> list[dict]:
        lines[0]["schema_revision"] = lines[-1]["manifest"]["schema_revision"] = "9999"
        return lines

    future = reseal(made["backup"], tmp_path / "future.ejbk", newer)  # type: ignore[arg-type]
    target_url = _empty(tmp_path / "target.db")
    before = _states(target_url)
    for attempt in (lambda: verify_backup(ADMIN, future, PASS),
                    lambda: restore_backup(make_engine(target_url), ADMIN, future, PASS)):
        with pytest.raises(SchemaMismatch) as err:
            attempt()
        message = str(err.value)
        assert "9999" in message and HEAD in message and str(future) in message
        assert "newer ejournal" in message and "upgrade ejournal" in message
    assert _states(target_url) == before
    for command_ in ("verify", "restore"):
        code, out, err = _run(made, "--db", target_url, "backup", command_, str(future),
                              "--passphrase-file", str(made["key"]))
        assert code == 1 and out == "" and err.count("\n") == 1 and "9999" in err and "newer ejournal" in err
    assert _states(target_url, skip=("backuprecord",)) == _states_without_log(before)


def _states_without_log(states: tuple) -> tuple:  # noqa: ANN001
    revision, names, rows = states
    return revision, names, {k: v for k, v in rows.items() if k != "backuprecord"}


def test_bytes_appended_to_an_old_backup_are_refused(made, tmp_path: Path) -> None:  # noqa: ANN001
    longer = tmp_path / "longer.ejbk"
    longer.write_bytes(made["backup"].read_bytes() + b"\n")  # type: ignore[union-attr]
    target_url = f"sqlite:///{tmp_path / 'target.db'}"
    for command_ in ("verify", "restore"):
        code, out, err = _run(made, "--db", target_url, "backup", command_, str(longer),
                              "--passphrase-file", str(made["key"]))
        assert code == 1 and out == "" and "data after the end" in err and "use another copy" in err
    engine = make_engine(target_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM school")).scalar() == 0
    engine.dispose()

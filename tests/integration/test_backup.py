"""Backups on each engine: what a sysadmin checks after `backup create`, `verify`, `restore`
and `prune` — files owner-only on every medium, the log of backup use, the data back whole,
and a wrong passphrase or a damaged file refused with nothing changed."""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine, upgrade
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed
from ejournal_tui.services import audit, marks
from ejournal_tui.services.backup import (
    create_backup,
    prune_backups,
    read_log,
    record_verification,
    restore_backup,
    verify_backup,
)
from ejournal_tui.services.backup.errors import (
    BackupAltered,
    BackupTruncated,
    NotABackup,
    RestoreFailed,
    TargetNotEmpty,
    VerifyFailed,
    WeakPassphrase,
    WrongPassphrase,
)
from ejournal_tui.services.backup.snapshot import canonical_rows
from ejournal_tui.services.context import Actor, Database
from tests.conftest import PG_URL, count_rows

PASS = "код-директора-2026"
ADMIN = Actor("os:backup", 0, (perm.ADMIN, perm.SYSADMIN))
DATA = ("backuprecord",)


def empty_pg_url() -> Iterator[str]:
    """A freshly migrated schema of its own on the test server."""
    schema = f"ej_bk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema}_guard CASCADE")  # db upgrade's guards
        admin.dispose()


@pytest.fixture
def empty_target(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """An empty migrated database on the same engine as `db_url`."""
    if db_url.startswith("sqlite"):
        path = tmp_path / "target.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
    else:
        yield from empty_pg_url()


@pytest.fixture
def filled(school):  # noqa: ANN001, ANN201
    """The factory school with a few marks (and their change-log events)."""
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        for value, pupil in (("5", "Алексеев"), ("4", "Борисова"), ("н/а", "Волков")):
            marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils[pupil], value)
    school.lesson_id = lesson
    return school


def _dirs(tmp_path: Path) -> list[Path]:
    out = [tmp_path / "room-1", tmp_path / "room-2"]
    for d in out:
        d.mkdir()
    return out


def test_backup_goes_to_both_media_owner_only_and_is_logged(filled, engine, tmp_path: Path) -> None:
    result = create_backup(engine, ADMIN, _dirs(tmp_path), PASS, clock=filled.db.clock)
    assert len(result.files) == 2 and not result.failures
    for path in result.files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes()[:8] == b"EJBACKUP"
    assert result.files[0].read_bytes() == result.files[1].read_bytes()
    assert "Иванова".encode() not in result.files[0].read_bytes()  # encrypted, not just compressed
    assert result.manifest.tables["mark"] == 3 and result.manifest.schools == ["test"]
    log = read_log(engine)
    assert [r.action for r in log] == ["copy", "create"]
    assert {r.sha256 for r in log} == {result.sha256} and all(r.by == "os:backup" for r in log)


def test_restore_into_an_empty_database_gives_the_same_data(filled, engine, empty_target, tmp_path) -> None:
    result = create_backup(engine, ADMIN, [tmp_path], PASS)
    target = make_engine(empty_target)
    restored = restore_backup(target, ADMIN, result.files[0], PASS)
    assert restored.safety is None
    assert canonical_rows(target, skip=DATA) == canonical_rows(engine, skip=DATA)
    with Database(target, filled.school_id).uow() as uow:
        assert audit.verify_chain(uow).ok
    # ids went in as they were: the next mark must still get a free one (PostgreSQL sequences)
    with Database(target, filled.school_id, filled.db.clock).uow() as uow:
        marks.add_mark(uow, filled.actors["ivanova"], filled.lesson_id, filled.pupils["Волков"], "3")
    assert count_rows(target, m.Mark) == 4
    assert [r.action for r in read_log(target)] == ["restore"]
    target.dispose()


def test_verify_restores_to_scratch_and_certifies_in_the_log(filled, engine, tmp_path: Path) -> None:
    result = create_backup(engine, ADMIN, [tmp_path], PASS)
    report = verify_backup(ADMIN, result.files[0], PASS)
    assert report.manifest.rows == sum(report.manifest.tables.values()) and report.events == 3
    record_verification(engine, ADMIN, report)
    newest = read_log(engine)[0]
    assert newest.action == "verify" and newest.ok and newest.sha256 == result.sha256


def _damaged(source: Path, tmp_path: Path) -> dict[str, Path]:
    data = source.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    out = {"truncated": data[: len(data) - 40], "altered": bytes(flipped), "foreign": b"PK\x03\x04" + data[4:200]}
    paths = {}
    for name, content in out.items():
        paths[name] = tmp_path / f"{name}.ejbk"
        paths[name].write_bytes(content)
    return paths


def test_wrong_passphrase_and_damaged_files_change_nothing(filled, engine, empty_target, tmp_path) -> None:
    result = create_backup(engine, ADMIN, [tmp_path / "."], PASS)
    bad = _damaged(result.files[0], tmp_path)
    target = make_engine(empty_target)
    before_source, before_target = canonical_rows(engine), canonical_rows(target)
    cases = [(result.files[0], "not-the-code", WrongPassphrase), (bad["truncated"], PASS, BackupTruncated),
             (bad["altered"], PASS, BackupAltered), (bad["foreign"], PASS, NotABackup)]
    for path, phrase, error in cases:
        with pytest.raises(error) as err:
            verify_backup(ADMIN, path, phrase)
        assert str(path) in str(err.value)
        with pytest.raises(error):
            restore_backup(target, ADMIN, path, phrase)
        with pytest.raises(error):
            restore_backup(engine, ADMIN, path, phrase, replace=True, safety_dirs=[tmp_path / "."])
    assert canonical_rows(engine) == before_source and canonical_rows(target) == before_target
    target.dispose()


def test_live_database_is_replaced_only_with_consent_after_a_safety_backup(filled, engine, tmp_path) -> None:
    result = create_backup(engine, ADMIN, [tmp_path], PASS)
    with filled.uow() as uow:
        marks.add_mark(uow, filled.actors["ivanova"], filled.lesson_id, filled.pupils["Дмитриев"], "2")
    with pytest.raises(TargetNotEmpty) as err:
        restore_backup(engine, ADMIN, result.files[0], PASS)
    assert "--yes" in str(err.value) and count_rows(engine, m.Mark) == 4
    safety_dir = tmp_path / "safety"
    safety_dir.mkdir()
    restored = restore_backup(engine, ADMIN, result.files[0], PASS, replace=True, safety_dirs=[safety_dir])
    assert count_rows(engine, m.Mark) == 3  # the mark entered after the backup is gone …
    assert restored.safety is not None and restored.safety.parent == safety_dir
    assert verify_backup(ADMIN, restored.safety, PASS).manifest.tables["mark"] == 4  # … but kept here
    actions = [r.action for r in read_log(engine)]
    assert actions[0] == "restore" and "create" in actions  # the log is never rolled back
    with filled.uow() as uow:
        assert audit.verify_chain(uow).ok


def test_prune_keeps_the_newest_and_every_period_end_backup(filled, engine, tmp_path: Path) -> None:
    folder = tmp_path / "nightly"
    folder.mkdir()
    names = [f"ejournal-202611{d:02d}T220000Z.ejbk" for d in range(1, 8)]
    names += ["ejournal-20261024T220000Z-period-end.ejbk", "ejournal-20261110T220000Z-safety.ejbk", "notes.txt"]
    for name in names:
        (folder / name).write_bytes(b"x")
    removed = prune_backups(engine, ADMIN, [folder], 3, dry_run=True)
    assert len(removed) == 5 and all(p.exists() for p in removed)
    removed = prune_backups(engine, ADMIN, [folder], 3)
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["ejournal-20261024T220000Z-period-end.ejbk", "ejournal-20261106T220000Z.ejbk",
                    "ejournal-20261107T220000Z.ejbk", "ejournal-20261110T220000Z-safety.ejbk", "notes.txt"]
    assert [r.action for r in read_log(engine)] == ["prune"] * 5


def test_only_administrators_back_up_and_passphrases_are_not_trivial(filled, engine, tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    with pytest.raises(NotAllowed):
        create_backup(engine, filled.actors["ivanova"], [folder], PASS)
    with pytest.raises(WeakPassphrase):
        create_backup(engine, ADMIN, [folder], "1234")
    assert not list(folder.iterdir()) and read_log(engine) == []


def test_an_unwritable_destination_is_reported_and_the_others_still_get_the_backup(filled, engine, tmp_path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    result = create_backup(engine, ADMIN, [tmp_path / "unmounted", good], PASS)
    assert [p.parent for p in result.files] == [good]
    assert result.failures and "unmounted" in result.failures[0][0]
    assert [(r.action, r.ok) for r in reversed(read_log(engine))] == [("create", False), ("create", True)]
    assert os.listdir(good) == [result.files[0].name]


def reseal(source: Path, target: Path, edit, passphrase: str = PASS) -> Path:  # noqa: ANN001
    """`source` decrypted, its content lines (dicts) passed through `edit(lines)`, and sealed
    again under the same passphrase with a consistent hash: what someone holding the code
    could make. The manifest is the last line; its counts are left as `edit` leaves them."""
    import gzip
    import hashlib
    import json

    from ejournal_tui.services.backup.crypto import BackupReader, EncryptingWriter

    plain = gzip.decompress(b"".join(BackupReader(source, passphrase).chunks()))
    lines = edit([json.loads(line) for line in plain.decode().splitlines()])
    body = [json.dumps(line, ensure_ascii=False).encode() + b"\n" for line in lines[:-1]]
    lines[-1]["manifest"]["content_sha256"] = hashlib.sha256(b"".join(body)).hexdigest()
    data = gzip.compress(b"".join(body) + json.dumps(lines[-1]).encode() + b"\n")
    with target.open("wb") as out:
        sealed = EncryptingWriter(out, passphrase)  # type: ignore[arg-type]
        sealed.write(data)
        sealed.close()
    return target


def dangling_mark(lines: list[dict]) -> list[dict]:
    """A mark of a pupil the backup does not hold (row counts and hash still consistent)."""
    table = ""
    for line in lines:
        table = line.get("table", table)
        if table == "mark" and "rows" in line:
            columns = next(x["columns"] for x in lines if x.get("table") == "mark")
            line["rows"][0][columns.index("pupil_id")] = 999_999
    return lines


def one_mark_more_in_the_manifest(lines: list[dict]) -> list[dict]:
    lines[-1]["manifest"]["tables"]["mark"] += 1
    return lines


def _sqlite_state(engine) -> tuple[list, list]:  # noqa: ANN001
    """The indexes and the connection settings a bulk load changes for a while."""
    with engine.connect() as conn:
        indexes = sorted(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())
        pragmas = [conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                   for p in ("foreign_keys", "journal_mode", "synchronous", "cache_size", "busy_timeout")]
    return indexes, pragmas


def test_content_that_breaks_the_schema_restores_nothing(filled, engine, empty_target, tmp_path) -> None:
    """Past the passphrase and the hashes (sealed again by someone with the code), a backup
    whose rows do not fit together fails in the load and leaves either database as it was:
    on SQLite with its indexes and its connection settings back in place."""
    result = create_backup(engine, ADMIN, [tmp_path], PASS)
    broken = reseal(result.files[0], tmp_path / "dangling.ejbk", dangling_mark)
    target = make_engine(empty_target)
    sqlite = engine.dialect.name == "sqlite"
    before = [canonical_rows(db, skip=DATA) for db in (engine, target)]
    states = [_sqlite_state(db) for db in (engine, target)] if sqlite else []
    with pytest.raises(RestoreFailed) as err:
        restore_backup(target, ADMIN, broken, PASS)
    assert "database was not changed" in str(err.value)
    with pytest.raises(RestoreFailed):
        restore_backup(engine, ADMIN, broken, PASS, replace=True, safety_dirs=[tmp_path])
    assert [canonical_rows(db, skip=DATA) for db in (engine, target)] == before
    assert read_log(target) == []  # nothing, not even the log, in the database that refused it
    if sqlite:
        assert [_sqlite_state(db) for db in (engine, target)] == states
    with pytest.raises(VerifyFailed) as err:
        verify_backup(ADMIN, broken, PASS)
    assert "mark" in str(err.value) and "missing rows" in str(err.value)
    target.dispose()


def test_a_restore_leaves_sqlite_as_the_program_runs_it(filled, engine, empty_target, tmp_path) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the bulk-load settings are SQLite's")
    result = create_backup(engine, ADMIN, [tmp_path], PASS)
    target = make_engine(empty_target)
    before = _sqlite_state(target)
    restore_backup(target, ADMIN, result.files[0], PASS)
    assert _sqlite_state(target) == before  # every index rebuilt, WAL and foreign keys back on
    with target.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").first() is None
    target.dispose()


def test_a_manifest_that_miscounts_fails_verification(filled, engine, tmp_path) -> None:
    result = create_backup(engine, ADMIN, [tmp_path], PASS)
    miscounted = reseal(result.files[0], tmp_path / "miscounted.ejbk", one_mark_more_in_the_manifest)
    with pytest.raises(BackupAltered) as err:
        verify_backup(ADMIN, miscounted, PASS)
    assert "row counts differ" in str(err.value)


def _seal(plain: bytes, target: Path) -> Path:
    from ejournal_tui.services.backup.crypto import EncryptingWriter

    with target.open("wb") as out:
        sealed = EncryptingWriter(out, PASS)  # type: ignore[arg-type]
        sealed.write(plain)
        sealed.close()
    return target


def _spoiled(source: Path, tmp_path: Path) -> dict[str, Path]:
    """The backup with bytes appended, cut short or flipped at every part of the container
    (magic, format, scrypt parameters, salt, nonce prefix, key check, a frame's flag and
    length, ciphertext, tag, the last byte), and sealed again with something after the
    content's end (a second gzip stream; a line after the manifest)."""
    import gzip
    import zlib

    from ejournal_tui.services.backup.crypto import BackupReader

    data = source.read_bytes()
    plain = b"".join(BackupReader(source, PASS).chunks())
    text = zlib.decompress(plain, 31)
    out = {"appended-byte": data + b"\0", "appended-frames": data + data[52:], "appended-junk": data + os.urandom(999)}
    for n in (0, 7, 51, 52, 56, 100, len(data) // 2, len(data) - 17, len(data) - 1):
        out[f"cut-{n}"] = data[:n]
    for n in (0, 8, 9, 10, 12, 20, 30, 40, 52, 53, 56, 57, len(data) // 2, len(data) - 16, len(data) - 1):
        flipped = bytearray(data)
        flipped[n] ^= 0x01
        out[f"flip-{n}"] = bytes(flipped)
    paths = {name: tmp_path / f"{name}.ejbk" for name in out}
    for name, content in out.items():
        paths[name].write_bytes(content)
    paths["second-gzip"] = _seal(plain + gzip.compress(b'{"rows": []}\n'), tmp_path / "second-gzip.ejbk")
    paths["line-after-manifest"] = _seal(gzip.compress(text + b'{"rows": []}\n'), tmp_path / "line-after.ejbk")
    return paths


def test_a_file_with_bytes_appended_cut_or_flipped_anywhere_is_refused(filled, engine, empty_target, tmp_path,  # noqa: ANN001
                                                                       monkeypatch) -> None:
    """Whatever happened to the file, `verify` and `restore` refuse it with a message naming
    it, and no database changes: not the empty one, not the live one (replaced with consent),
    whose log of backup use does not even get a safety backup. Content sealed again by someone
    holding the code, with something after its end, is refused the same way."""
    from ejournal_tui.services.backup import crypto
    from ejournal_tui.services.backup.errors import BackupError

    monkeypatch.setattr(crypto, "LOG2N", 10)  # a cheap key: the files are opened many times
    made = create_backup(engine, ADMIN, [tmp_path], PASS).files[0]
    (tmp_path / "spoiled").mkdir()
    spoiled = _spoiled(made, tmp_path / "spoiled")
    target = make_engine(empty_target)
    before = [canonical_rows(db) for db in (engine, target)]
    data_before = [canonical_rows(db, skip=DATA) for db in (engine, target)]
    for name, path in spoiled.items():
        for attempt in (partial(verify_backup, ADMIN, path, PASS), partial(restore_backup, target, ADMIN, path, PASS),
                        partial(restore_backup, engine, ADMIN, path, PASS, replace=True, safety_dirs=[tmp_path])):
            with pytest.raises(BackupError) as err:
                attempt()
            assert str(path) in str(err.value), name
            if name.startswith("appended") or name in ("second-gzip", "line-after-manifest"):
                assert isinstance(err.value, BackupAltered) and "data after the end" in str(err.value), name
        if name == "flip-0":
            assert isinstance(err.value, NotABackup)
        if name.startswith(("cut-51", "cut-56", "cut-100")):
            assert isinstance(err.value, BackupTruncated)
        if not name.startswith(("second-gzip", "line-after")):  # the container itself is damaged
            assert [canonical_rows(db) for db in (engine, target)] == before, name
            assert not list(tmp_path.glob("*safety*")), name
    assert [canonical_rows(db, skip=DATA) for db in (engine, target)] == data_before
    assert verify_backup(ADMIN, made, PASS).manifest.tables["mark"] == 3  # the original is sound
    target.dispose()

"""The parts of a backup that are fast for being clever, held to what the plain route gives:
SQLite writing each row's JSON itself, and the key derived while the content is already being
written."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ejournal_tui.data.db import make_engine
from ejournal_tui.services.backup import crypto
from ejournal_tui.services.backup.crypto import BackupReader, EncryptingWriter
from ejournal_tui.services.backup.snapshot import canonical_rows, snapshot, tables
from ejournal_tui.services.context import Clock
from tests.conftest import FROZEN_NOW
from tests.factory import build_school
from tests.integration.test_backup import ADMIN, PASS

# values SQLite may hold that its JSON could get wrong: REALs that need 17 digits, booleans and
# timestamps stored otherwise than the program stores them, text that needs escaping
ODD_MARKS = [
    (1, 0.30000000000000004, "2026-11-20 10:00:00.000000", 0, "обычная"),
    (2, 1 / 3, "2026-11-20T10:00:00", 1, 'кавычки " и \\ обратная черта'),
    (3, 1e300, "2026-11-20 10:00:00", 2, "управляющие \x01\t\n и 🙂"),
    (4, 1.5, "2026-11-20 10:00:00.000001", 1, ""),
    (5, float("inf"), "2026-11-20 10:00:00+03:00", "да", "\u2028"),
    (6, -2.25, "2026-11-20 10:00", 0, "1e5"),
]


@pytest.fixture
def odd_db(sqlite_url: str) -> str:
    """The factory school with marks holding odd values (written past the program, as a
    hand-edited or foreign database might hold them)."""
    engine = make_engine(sqlite_url)
    school = build_school(engine, Clock(FROZEN_NOW))
    lesson = school.lesson("rus5", date(2026, 11, 20))
    engine.dispose()
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    pupil, staff = (conn.execute(f"SELECT MIN(id) FROM {t}").fetchone()[0] for t in ("pupil", "staff"))
    for mid, weight, at, late, comment in ODD_MARKS:
        conn.execute("INSERT INTO mark (id, school_id, lesson_id, pupil_id, value, work_kind, weight, comment, "
                     "entered_by, entered_at, late_entry, version) VALUES (?, ?, ?, ?, '5', 'oral', ?, ?, ?, ?, ?, 1)",
                     (mid, school.school_id, lesson, pupil, weight, comment, staff, at, late))
    conn.commit()
    conn.close()
    return sqlite_url


def test_sqlite_writes_the_json_the_python_route_would(odd_db: str) -> None:
    engine = make_engine(odd_db)
    quote = engine.dialect.identifier_preparer.quote
    expected = canonical_rows(engine)  # the plain route: driver values converted in Python
    with snapshot(engine) as snap:
        assert snap.json_rows is not None
        got = {t.name: [json.loads(row) for batch in snap.json_rows(t, quote) for row in batch] for t in tables()}
    engine.dispose()
    assert got == expected
    weights = [row[6] for row in got["mark"]]
    assert [w.hex() for w in weights] == [w.hex() for w in (m[1] for m in ODD_MARKS)]  # bit for bit


def test_odd_values_survive_a_backup_and_restore(odd_db: str, tmp_path: Path, sqlite_template: Path) -> None:
    import shutil

    from ejournal_tui.services.backup import create_backup, restore_backup

    source = make_engine(odd_db)
    made = create_backup(source, ADMIN, [tmp_path], PASS).files[0]
    target_path = tmp_path / "target.db"
    shutil.copy(sqlite_template, target_path)
    target = make_engine(f"sqlite:///{target_path}")
    restore_backup(target, ADMIN, made, PASS)
    skip = ("backuprecord",)
    assert canonical_rows(target, skip=skip) == canonical_rows(source, skip=skip)
    for engine in (source, target):
        engine.dispose()


@pytest.fixture
def held_kdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The key derivation held until the test lets it go: everything written before waits."""
    release, real = threading.Event(), crypto._derive

    def derive(*args: object) -> tuple[bytes, bytes]:
        assert release.wait(30)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(crypto, "_derive", derive)
    yield release
    release.set()


def _sealed(path: Path, data: bytes, piece: int, release: threading.Event | None = None) -> None:
    with path.open("wb") as out:
        writer = EncryptingWriter(out, PASS)  # type: ignore[arg-type]
        for start in range(0, len(data), piece):
            writer.write(data[start:start + piece])
        if release is not None:
            release.set()
        writer.close()


def test_content_written_before_the_key_is_ready_is_sealed_in_order(held_kdf, tmp_path: Path) -> None:  # noqa: ANN001
    data = os.urandom(3 * crypto.CHUNK + 12345)
    _sealed(tmp_path / "a.ejbk", data, 65536, held_kdf)
    assert b"".join(BackupReader(tmp_path / "a.ejbk", PASS).chunks()) == data


def test_past_the_waiting_limit_the_writer_waits_for_the_key(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setattr(crypto, "_MAX_WAITING", 1)
    data = os.urandom(4 * crypto.CHUNK + 1)
    _sealed(tmp_path / "b.ejbk", data, crypto.CHUNK // 3)
    reader = BackupReader(tmp_path / "b.ejbk", PASS)
    assert b"".join(reader.chunks()) == data

"""The log of unexpected errors: readable by its owner only, named to the user, and without
what must never be written down (issue 12 found a new account's argon2 hash in a world-readable
crash.log; issue 9: the TUI logged unexpected errors nowhere an administrator could read)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from ejournal_tui import crashlog

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def _failed_insert() -> IntegrityError:
    return IntegrityError("INSERT INTO staff (login, password_hash) VALUES (?, ?)", ("x" * 500, HASH),
                          Exception("value too long for type character varying(64)"))


def test_the_log_is_the_owners_and_holds_no_hash_or_parameters(log_dir: Path) -> None:
    try:
        raise _failed_insert()
    except IntegrityError as exc:
        path = crashlog.write_crash(exc)
    assert path is not None and path.is_relative_to(log_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "IntegrityError" in text and "Traceback" in text
    assert HASH not in text and "argon2id$v=19" not in text and "x" * 500 not in text


def test_an_old_world_readable_log_is_closed(log_dir: Path) -> None:
    path = crashlog.log_path()
    path.parent.mkdir(parents=True)
    path.write_text("old\n")
    path.chmod(0o644)
    crashlog.write_crash(RuntimeError("boom"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "boom" in path.read_text()


def test_the_users_line_is_scrubbed() -> None:
    line = crashlog.one_line(_failed_insert())
    assert line.startswith("IntegrityError") and HASH not in line

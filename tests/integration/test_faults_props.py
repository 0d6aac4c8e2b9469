"""Random and hostile input: mark parsing accepts exactly the register's symbols and refuses
everything else with `InvalidMark`; the CLI answers any argument with a result or a one-line
error — never a traceback or an "unexpected" crash — and an error leaves the database as it was."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.errors import InvalidMark
from ejournal_tui.domain.marks import FINAL_VALUES, NUMERIC, parse_cell, parse_mark
from ejournal_tui.services import marks
from ejournal_tui.services.backup import read_log
from ejournal_tui.services.backup.crypto import MAGIC
from ejournal_tui.services.backup.snapshot import canonical_rows
from ejournal_tui.services.context import Clock
from tests.cli.test_backup_cli import cli
from tests.conftest import FROZEN_NOW
from tests.factory import PASSWORD, build_school
from tests.signin import person_env

# what people type into a cell, plus what an attacker or a stuck key produces
SYMBOLS = st.sampled_from(["2", "3", "4", "5", "н", "а", "/", " ", ",", "\\", "о", "с", "в", "з", "ч", ".",
                           "n", "a", "h", "0", "1", "6", "\t", "\n", "'", '"', ";", "%", "ё", "Н", "А"])
HOSTILE = st.one_of(st.text(SYMBOLS, max_size=8), st.text(st.characters(blacklist_characters="\x00"), max_size=40))
ARG = st.one_of(HOSTILE, st.sampled_from(["", "-", "--", "5А", "5A", "Q2", "2026-11-20", "'; DROP TABLE mark; --",
                                          "../../etc/passwd", "%s%s%n", "9" * 30, "ivanova", "Волков"]))


@given(HOSTILE)
@settings(max_examples=300, deadline=None)
def test_parse_mark_gives_a_register_symbol_or_invalid_mark(raw: str) -> None:
    try:
        mark = parse_mark(raw)
    except InvalidMark as exc:
        assert "Invalid mark" in str(exc)
        return
    assert mark.text in FINAL_VALUES
    assert (mark.numeric is not None) == (mark.text in NUMERIC)


@given(HOSTILE)
@settings(max_examples=300, deadline=None)
def test_parse_cell_gives_register_symbols_or_invalid_mark(raw: str) -> None:
    try:
        cell = parse_cell(raw)
    except InvalidMark:
        return
    assert all(m.text in FINAL_VALUES for m in cell)
    assert len(cell) <= max(1, len(raw))


@given(st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=3), st.sampled_from(["/", " ", ",", ""]))
@settings(max_examples=100, deadline=None)
def test_a_cell_of_numeric_marks_reads_back(values: list[str], sep: str) -> None:
    assert [m.text for m in parse_cell(sep.join(values))] == values


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "school.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    school = build_school(engine, Clock(FROZEN_NOW))
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5")
    (folder / "none.toml").write_text("")
    yield url, engine, folder
    engine.dispose()


def _digest(engine, skip: tuple[str, ...] = ()) -> str:  # noqa: ANN001
    """Every row, except the sign-in each person's command begins with (an `auth.login` event
    and the chain's head): the change log is compared without it."""
    rows = canonical_rows(engine, skip=(*skip, "auditevent", "audithead"))
    with engine.connect() as conn:
        rows["auditevent"] = [tuple(r) for r in conn.execute(
            select(m.AuditEvent.seq, m.AuditEvent.action, m.AuditEvent.after)
            .where(~m.AuditEvent.action.startswith("auth.")).order_by(m.AuditEvent.seq))]
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def _run_hostile(hostile_db, monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "",  # noqa: ANN001
                 skip: tuple[str, ...] = ()) -> int:
    url, engine, folder = hostile_db
    monkeypatch.setenv("EJOURNAL_DB", url)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(folder / "none.toml"))
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", "hostile-passphrase")
    for name, value in person_env(folder, "admin", PASSWORD).items():  # a person's command: the administrator
        monkeypatch.setenv(name, value)
    before = _digest(engine, skip)
    code, out, err = cli(*args, stdin=stdin)
    assert code in (0, 1, 2), (args, code, err)
    assert "Traceback" not in out + err and "unexpected" not in err, (args, err)
    if code == 1:
        assert err.startswith("error: ") and err.count("\n") == 1, (args, err)
    if code != 0:
        assert _digest(engine, skip) == before, args
    return code


_SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(st.sampled_from(["--class", "--user", "--since", "--until", "--pupil", "--limit"]), ARG)
@example("--limit", "9223372036854775808")  # found by CI: past SQLite's INTEGER, an OverflowError
@example("--limit", "-5")
@_SETTINGS
def test_audit_log_with_hostile_filters(hostile_db, monkeypatch, option: str, value: str) -> None:  # noqa: ANN001
    _run_hostile(hostile_db, monkeypatch, "audit", "log", option, value)


@given(ARG, ARG)
@_SETTINGS
def test_period_and_stats_with_hostile_names(hostile_db, monkeypatch, period: str, klass: str) -> None:  # noqa: ANN001
    _run_hostile(hostile_db, monkeypatch, "stats", "--class", klass)
    _run_hostile(hostile_db, monkeypatch, "period", "reopen", period, "--class", klass, "--reason", klass)


@given(ARG, ARG, ARG, HOSTILE)
@_SETTINGS
def test_users_add_with_hostile_values(hostile_db, monkeypatch, login: str, name: str, role: str,  # noqa: ANN001
                                       password: str) -> None:
    _run_hostile(hostile_db, monkeypatch, "users", "add", login, "--name", name, "--role", role,
                 "--password-stdin", stdin=password + "\n")


@given(st.binary(max_size=400), st.booleans())
@_SETTINGS
def test_backup_verify_and_restore_of_hostile_files(hostile_db, monkeypatch, content: bytes,  # noqa: ANN001
                                                    with_magic: bool) -> None:
    path = hostile_db[2] / "hostile.ejbk"
    path.write_bytes((MAGIC + bytes([1, 1, 16, 8, 1]) if with_magic else b"") + content)
    logged = len(read_log(hostile_db[1], 10_000))
    # a failed verification is certified in the log of backup use, and nothing else changes …
    code = _run_hostile(hostile_db, monkeypatch, "backup", "verify", str(path), skip=("backuprecord",))
    assert code == 1 and len(read_log(hostile_db[1], 10_000)) == logged + 1
    assert (read_log(hostile_db[1], 1)[0].action, read_log(hostile_db[1], 1)[0].ok) == ("verify", False)
    # … while a failed restore changes nothing at all
    _run_hostile(hostile_db, monkeypatch, "backup", "restore", str(path), "--yes")

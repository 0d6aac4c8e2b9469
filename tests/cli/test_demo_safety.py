"""`ejournal demo` never destroys a real school (CLI.md): it writes only into an empty database
or over a demo holding nothing else; an account, a pupil or an event made outside the demo
makes it refuse, --force or not, naming what it found; --force over another demo takes a
safety backup first. Run as a user would, on each backend."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlmodel import SQLModel

from ejournal_tui.data.db import make_engine
from tests.acceptance.runner import cli as run_cli
from tests.signin import person_env

PASS = "код-директора-2026"
AS_OF, OTHER = "2026-11-20", "2026-11-27"
STUDENTS = Path(__file__).resolve().parents[2] / "data" / "samples" / "students.xlsx"


def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """`ejournal ARGS` in this process, error contract included: (exit code, stdout, stderr)."""
    done = run_cli(*args, stdin=stdin)
    return done.code, done.out, done.err


def demo(as_of: str = AS_OF, *extra: str) -> tuple[int, str, str]:
    return cli("demo", "--size", "small", "--as-of", as_of, "--no-tui", *extra)


def contents(url: str) -> dict[str, tuple[int, int]]:
    """Rows and highest id (or seq) of every table: equal means nothing was written."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: tuple(conn.execute(select(func.count(), func.max(t.c.get("id", t.c.get("seq"))))
                                               .select_from(t)).one()) for t in SQLModel.metadata.sorted_tables}
    finally:
        engine.dispose()


def safety_backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*-safety.ejbk"))


@pytest.fixture
def db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database, no settings file, backups of a server database into tmp_path (a
    SQLite file's safety backup goes next to it, which is tmp_path too), the demo's admin
    named for a person's command."""
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    for name in ("EJOURNAL_BACKUP_PASSPHRASE", "EJOURNAL_BACKUP_DIRS", "EJOURNAL_SCHOOL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in person_env(tmp_path).items():  # the demo's admin adds and imports; its sign-ins are no work
        monkeypatch.setenv(name, value)
    if not db_url.startswith("sqlite"):
        monkeypatch.setenv("EJOURNAL_BACKUP_DIRS", str(tmp_path))
    return db_url


def test_a_demo_goes_into_an_empty_database(db: str) -> None:
    code, out, err = demo()
    assert code == 0, err
    assert "rows written" in out and "teacher" in out
    assert json.loads(cli("stats", "--json")[1])["students"] > 80


def refused_both_ways(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *words: str) -> None:
    """Another demo is refused with and without --force, naming `words`; nothing is touched."""
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", PASS)  # it could back up: it must not even try
    for extra in ((), ("--force",)):
        before = contents(db_url)
        code, _out, err = demo(OTHER, *extra)
        assert code == 1 and err.startswith("error:") and err.count("\n") == 1, err
        assert "made outside the demo" in err and "nothing was changed" in err and "--db" in err
        for word in words:
            assert word in err, (word, err)
        assert contents(db_url) == before
    assert safety_backups(tmp_path) == []


def test_a_real_account_blocks_another_demo_forced_or_not(db: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo()[0] == 0
    code, _out, err = cli("users", "add", "real.person", "--name", "Реальная Мария Ивановна", "--role", "teacher",
                          "--password-stdin", stdin="a-long-enough-password\n")
    assert code == 0, err
    refused_both_ways(db, tmp_path, monkeypatch, "1 account (real.person)", "1 change-log event")
    users = {u["login"] for u in json.loads(cli("users", "list", "--json")[1])}
    assert {"real.person", "teacher", "admin"} <= users


def test_imported_pupils_block_another_demo_forced_or_not(db: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo()[0] == 0
    pupils = json.loads(cli("stats", "--json")[1])["students"]
    code, out, err = cli("import", "students", str(STUDENTS))
    assert code == 0, err
    added = int(re.search(r"added (\d+)", out).group(1))
    assert added > 0
    refused_both_ways(db, tmp_path, monkeypatch, f"{added} pupils", "change-log event")
    assert json.loads(cli("stats", "--json")[1])["students"] == pupils + added


def test_a_school_that_is_not_a_demo_is_named(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(db)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO school (code, name, city, director, is_demo) "
                          "VALUES ('s1', 'Школа № 1', '', '', false)"))
    engine.dispose()
    refused_both_ways(db, tmp_path, monkeypatch, "1 school that is not a demo (s1)")


def test_a_demo_without_its_watermark_cannot_be_told_from_real_data(db: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo()[0] == 0
    engine = make_engine(db)
    with engine.begin() as conn:  # as an older version left it
        conn.execute(text("DELETE FROM setting WHERE key = 'demo_watermark'"))
    engine.dispose()
    refused_both_ways(db, tmp_path, monkeypatch, "made by an older version", "(demo)")


def test_another_demo_needs_force_and_is_backed_up_first(db: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo()[0] == 0
    before = contents(db)
    code, _out, err = demo(OTHER)
    assert code == 1 and "made with other options" in err and "--force" in err and "safety backup" in err
    assert contents(db) == before and safety_backups(tmp_path) == []

    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", PASS)
    code, out, err = demo(OTHER, "--force")
    assert code == 0, err
    [backup] = safety_backups(tmp_path)
    assert f"safety backup of the replaced demo: {backup}" in out and "rows written" in out
    assert demo(OTHER)[1].count("already in place") == 1  # the new demo is the one in place

    code, out, err = cli("backup", "verify", str(backup))
    assert code == 0 and "verified" in out, err
    rows = int(re.search(r"(\d+) rows restored", out).group(1))
    assert rows == sum(n for n, _top in before.values()) - before["backuprecord"][0]


def test_the_same_demo_again_is_reused_and_writes_nothing(db: str) -> None:
    assert demo()[0] == 0
    before = contents(db)
    for extra in ((), ("--force",)):
        code, out, err = demo(AS_OF, *extra)
        assert code == 0 and "already in place" in out, err
        assert contents(db) == before


def test_sign_ins_are_not_data(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the demo and signing in (or failing to) leaves it a demo: reused, replaceable."""
    from ejournal_tui.domain.errors import AuthFailed
    from ejournal_tui.services.accounts import sign_in
    from ejournal_tui.services.context import Database, resolve_school

    assert demo()[0] == 0
    engine = make_engine(db)
    database = Database(engine, resolve_school(engine, None))
    with database.uow() as uow:
        sign_in(uow, "teacher", "demo")
    with pytest.raises(AuthFailed), database.uow() as uow:
        sign_in(uow, "teacher", "wrong")
    engine.dispose()
    assert "already in place" in demo()[1]
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", PASS)
    code, out, err = demo(OTHER, "--force")
    assert code == 0 and "rows written" in out, err

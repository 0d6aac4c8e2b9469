"""`ejournal backup …` as a sysadmin runs it: the passphrase never on the command line, a
warning with one destination, one `error:` line and exit 1 for a wrong passphrase or a damaged
file (a failed verification certified in the log all the same, a failed restore leaving no
trace), the log of backup use in `backup list`, a restore into a new database."""

from __future__ import annotations

import io
import json
import shutil
import stat
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.services import marks
from ejournal_tui.services.backup import create_backup
from ejournal_tui.services.backup.snapshot import canonical_rows
from ejournal_tui.services.context import Clock
from tests.conftest import FROZEN_NOW, count_rows
from tests.factory import build_school
from tests.integration.test_backup import ADMIN as BACKUP_ADMIN
from tests.integration.test_backup import dangling_mark, one_mark_more_in_the_manifest, reseal

PASS = "код-директора-2026"


def cli(*args: str, env: dict[str, str] | None = None, monkeypatch: pytest.MonkeyPatch | None = None,
        stdin: str = "") -> tuple[int, str, str]:
    """Run `ejournal ARGS` in this process the way the console script does (its error
    contract included): returns (exit code, stdout, stderr)."""
    import sys

    from ejournal_tui.cli import main
    from ejournal_tui.cli.state import STATE

    STATE._engine, STATE._config = None, None  # a fresh process each time
    out, err = io.StringIO(), io.StringIO()
    old_argv, old_stdin = sys.argv, sys.stdin
    sys.argv, sys.stdin = ["ejournal", *args], io.StringIO(stdin)
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main.run()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, sys.stdin = old_argv, old_stdin
        engine = STATE._engine
        if engine is not None:
            engine.dispose()  # type: ignore[attr-defined]
        STATE._engine = None
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def school_db(sqlite_url: str) -> str:
    engine = make_engine(sqlite_url)
    school = build_school(engine, Clock(FROZEN_NOW))
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5")
    engine.dispose()
    return sqlite_url


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, school_db: str) -> dict[str, Path]:
    monkeypatch.setenv("EJOURNAL_DB", school_db)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.delenv("EJOURNAL_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.delenv("EJOURNAL_BACKUP_DIRS", raising=False)
    dirs = {"a": tmp_path / "room-1", "b": tmp_path / "room-2"}
    for d in dirs.values():
        d.mkdir()
    key = tmp_path / "backup.key"
    key.write_text(PASS + "\n")
    key.chmod(0o600)
    dirs["key"] = key
    return dirs


def test_create_to_two_media_then_verify_and_list(env: dict[str, Path]) -> None:
    code, out, err = cli("backup", "create", "--to", str(env["a"]), "--to", str(env["b"]),
                         "--passphrase-file", str(env["key"]))
    assert code == 0, err
    assert err == "" and out.count("written: ") == 2 and "schools: test" in out
    files = [next(env[k].glob("*.ejbk")) for k in "ab"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    code, out, err = cli("backup", "verify", str(files[1]), "--passphrase-file", str(env["key"]))
    assert code == 0 and out.startswith("verified: ") and "1 change-log events" in out
    assert out.splitlines()[1] == "the backup's schema revision is 0003, this program's"
    code, out, _ = cli("backup", "list", "--json")
    log = json.loads(out)
    assert [e["action"] for e in log] == ["verify", "copy", "create"]
    assert len({e["sha256"] for e in log}) == 1


def test_one_destination_warns_and_the_passphrase_comes_from_the_environment(env, monkeypatch) -> None:
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", PASS)
    code, out, err = cli("backup", "create", "--to", str(env["a"]))
    assert code == 0 and "warning:" in err and "two media" in err


def test_the_passphrase_is_never_an_argument(env: dict[str, Path]) -> None:
    code, _, _ = cli("backup", "create", "--to", str(env["a"]), "--passphrase", PASS)
    assert code == 2
    code, _, err = cli("backup", "create", "--to", str(env["a"]))  # no file, no variable, no terminal
    assert code == 1 and err.startswith("error: ") and "EJOURNAL_BACKUP_PASSPHRASE" in err
    assert not list(env["a"].iterdir())


def test_a_group_readable_passphrase_file_is_warned_about(env: dict[str, Path]) -> None:
    env["key"].chmod(0o644)
    code, _, err = cli("backup", "create", "--to", str(env["a"]), "--to", str(env["b"]),
                       "--passphrase-file", str(env["key"]))
    assert code == 0 and "chmod 600" in err


def test_wrong_passphrase_and_damaged_file_are_one_line_errors(env: dict[str, Path], tmp_path: Path) -> None:
    cli("backup", "create", "--to", str(env["a"]), "--to", str(env["b"]), "--passphrase-file", str(env["key"]))
    good = next(env["a"].glob("*.ejbk"))
    wrong = tmp_path / "wrong.key"
    wrong.write_text("something-else\n")
    wrong.chmod(0o600)
    cut = tmp_path / "cut.ejbk"
    cut.write_bytes(good.read_bytes()[:-100])
    engine = make_engine(f"sqlite:///{env['a'].parent / 'test.db'}")
    data_before = canonical_rows(engine, skip=("backuprecord",))
    for path, key, words in ((good, wrong, "Wrong passphrase"), (cut, env["key"], "truncated")):
        for command in (("verify",), ("restore", "--yes")):
            code, out, err = cli("backup", command[0], str(path), *command[1:], "--passphrase-file", str(key))
            assert code == 1 and out == ""
            assert err.count("\n") == 1 and err.startswith("error: ") and words in err
    assert canonical_rows(engine, skip=("backuprecord",)) == data_before  # the restores changed nothing
    engine.dispose()
    # … and left no trace, while each failed verification is certified with what failed
    _, out, _ = cli("backup", "list", "--json")
    log = json.loads(out)
    assert [(e["action"], e["ok"]) for e in log] == [("verify", False), ("verify", False), ("copy", True), ("create", True)]
    assert log[0]["path"] == str(cut.resolve()) and log[0]["note"].startswith("truncated: ") and "truncated" in log[0]["note"]
    assert log[1]["path"] == str(good.resolve()) and log[1]["note"].startswith("wrong passphrase: ")
    assert log[1]["sha256"] == log[2]["sha256"]  # which copy: the file's SHA-256 is recorded
    _, text, _ = cli("backup", "list")
    assert text.splitlines()[0].split()[2:4] == ["verify", "FAILED"]


@pytest.mark.parametrize("damage, words, what", [
    (one_mark_more_in_the_manifest, "row counts differ", "altered or damaged: "),
    (dangling_mark, "refer to missing rows", "restored data failed the checks: "),
])
def test_a_failed_verification_is_logged_on_each_engine(db_url, school, tmp_path, monkeypatch, damage, words,  # noqa: ANN001
                                                        what) -> None:
    """A backup sealed again by someone holding the code, whose counts or rows do not hold
    together: `backup verify` fails with one line and the log of the configured database
    (SQLite or PostgreSQL) says so."""
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", PASS)
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["ivanova"], school.lesson("rus5", date(2026, 11, 20)), school.pupils["Волков"], "5")
    made = create_backup(school.db.engine, BACKUP_ADMIN, [tmp_path], PASS).files[0]
    bad = reseal(made, tmp_path / "bad.ejbk", damage)
    code, out, err = cli("backup", "verify", str(bad))
    assert code == 1 and out == "" and err.count("\n") == 1 and err.startswith("error: ") and words in err
    code, _, _ = cli("backup", "verify", str(made))
    assert code == 0
    _, out, _ = cli("backup", "list", "--json")
    log = json.loads(out)
    assert [(e["action"], e["ok"]) for e in log[:2]] == [("verify", True), ("verify", False)]
    assert log[1]["note"].startswith(what) and words in log[1]["note"] and log[1]["path"] == str(bad.resolve())
    assert log[1]["sha256"] and log[1]["size"] == bad.stat().st_size


def test_an_unwritable_log_is_said_on_the_same_line(env, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    cli("backup", "create", "--to", str(env["a"]), "--to", str(env["b"]), "--passphrase-file", str(env["key"]))
    cut = tmp_path / "cut.ejbk"
    cut.write_bytes(next(env["a"].glob("*.ejbk")).read_bytes()[:-100])
    monkeypatch.setenv("EJOURNAL_DB", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    code, out, err = cli("backup", "verify", str(cut), "--passphrase-file", str(env["key"]))
    assert code == 1 and err.count("\n") == 1 and "truncated" in err and "could not be recorded" in err


def test_the_passphrase_file_can_be_a_setting(env, tmp_path) -> None:  # noqa: ANN001
    settings = tmp_path / "none.toml"
    settings.write_text(f'backup_dirs = ["{env["a"]}", "{env["b"]}"]\nbackup_passphrase_file = "{env["key"]}"\n')
    code, out, err = cli("backup", "create")
    assert code == 0, err
    assert out.count("written: ") == 2 and err == ""
    code, out, _ = cli("backup", "verify", str(next(env["b"].glob("*.ejbk"))))
    assert code == 0 and out.startswith("verified: ")


def test_restore_into_a_new_database_and_refuse_a_live_one_without_yes(env, tmp_path, school_db) -> None:
    cli("backup", "create", "--to", str(env["a"]), "--to", str(env["b"]), "--passphrase-file", str(env["key"]))
    backup = next(env["a"].glob("*.ejbk"))
    new_url = f"sqlite:///{tmp_path / 'new' / 'school.db'}"
    code, out, err = cli("backup", "restore", str(backup), "--db", new_url, "--passphrase-file", str(env["key"]))
    assert code == 0, err
    assert "restored" in out
    new = make_engine(new_url)
    assert count_rows(new, m.Mark) == 1 and stat.S_IMODE((tmp_path / "new" / "school.db").stat().st_mode) == 0o600
    new.dispose()
    code, _, err = cli("backup", "restore", str(backup), "--passphrase-file", str(env["key"]))
    assert code == 1 and "--yes" in err


def test_prune_from_the_command_line(env: dict[str, Path]) -> None:
    for day in range(1, 5):
        (env["a"] / f"ejournal-202611{day:02d}T220000Z.ejbk").write_bytes(b"x")
    shutil.copy(env["key"], env["a"] / "not-a-backup.key")
    code, out, _ = cli("backup", "prune", "--keep", "2", "--to", str(env["a"]))
    assert code == 0 and out.count("removed: ") == 2
    assert len(list(env["a"].glob("*.ejbk"))) == 2 and (env["a"] / "not-a-backup.key").exists()

"""The command contract of CLI.md for the foundation's commands, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.signin import person_env

_PASSWORDS: list[Path] = []


def _password_folder() -> Path:
    """One folder of password files for the test run (made on first use)."""
    if not _PASSWORDS:
        _PASSWORDS.append(Path(tempfile.mkdtemp(prefix="ejournal-passwords-")))
    return _PASSWORDS[0]


def run(*args: str, db: str | None = None, stdin: str | None = None, user: str | None = None) -> subprocess.CompletedProcess:
    """`ejournal ARGS`; a person's command signed in as USER of the demo (CLI.md, "who acts")."""
    env = {**os.environ, "EJOURNAL_LANG": "en"}
    for name in ("EJOURNAL_USER", "EJOURNAL_PASSWORD_FILE"):
        env.pop(name, None)
    if user:
        env.update(person_env(_password_folder(), user))
    if db:
        env["EJOURNAL_DB"] = db
    return subprocess.run([sys.executable, "-m", "ejournal_tui", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    out = run("demo", "--size", "small", "--as-of", "2026-11-20", "--no-tui", db=url)
    assert out.returncode == 0, out.stderr
    assert "teacher" in out.stdout and "password" in out.stdout
    return url


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip().startswith("ejournal 0.")


def test_stats_json_has_every_count(demo_db: str) -> None:
    out = run("stats", "--json", db=demo_db)
    counts = json.loads(out.stdout)
    assert set(counts) == {"classes", "students", "staff", "lessons", "marks", "absences", "final_marks"}
    assert counts["classes"] == 4 and counts["students"] > 80 and counts["marks"] > 1000


def test_stats_for_a_class_accepts_a_latin_letter(demo_db: str) -> None:
    cyr = json.loads(run("stats", "--class", "5А", "--json", db=demo_db).stdout)
    lat = json.loads(run("stats", "--class", "5A", "--json", db=demo_db).stdout)
    assert cyr == lat and cyr["classes"] == 1


def test_demo_is_deterministic_and_reused(demo_db: str, tmp_path: Path) -> None:
    again = run("demo", "--size", "small", "--as-of", "2026-11-20", "--no-tui", db=demo_db)
    assert "already in place" in again.stdout
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run("demo", "--size", "small", "--as-of", "2026-11-20", "--no-tui", db=other).returncode == 0
    assert run("stats", "--json", db=other).stdout == run("stats", "--json", db=demo_db).stdout


def test_demo_refuses_a_database_with_real_data(tmp_path: Path) -> None:
    from sqlmodel import Session

    from ejournal_tui.data import models as m
    from ejournal_tui.data.db import open_database

    url = f"sqlite:///{tmp_path / 'real.db'}"
    engine = open_database(url)
    with Session(engine) as s:
        s.add(m.School(code="s1", name="Школа"))
        s.commit()
    engine.dispose()
    out = run("demo", "--no-tui", db=url)
    assert out.returncode == 1 and out.stderr.startswith("error:") and "--force" in out.stderr
    assert "Traceback" not in out.stderr


def test_period_list_close_reopen(demo_db: str) -> None:
    listed = json.loads(run("period", "list", "--json", db=demo_db).stdout)
    assert {p["code"]: p["status"] for p in listed}["Q1"] == "closed"
    out = run("period", "reopen", "Q1", "--class", "5А", "--reason", "исправление", db=demo_db, user="deputy")
    assert out.returncode == 0 and "reopened" in out.stdout
    assert "5А" not in {p["code"]: p for p in json.loads(run("period", "list", "--json", db=demo_db).stdout)}["Q1"]["closed_classes"]
    assert run("period", "close", "Q1", "--class", "5A", db=demo_db, user="deputy").returncode == 0


def test_period_close_before_its_last_school_day_needs_early_and_a_reason(demo_db: str) -> None:
    """Q2 closed three weeks early printed as a closed copy with an empty column (issue 10)."""
    refused = run("period", "close", "Q4", "--class", "1А", db=demo_db, user="deputy")
    assert refused.returncode == 1 and "not over" in refused.stderr and "Traceback" not in refused.stderr
    no_reason = run("period", "close", "Q4", "--class", "1А", "--early", db=demo_db, user="deputy")
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    listed = {p["code"]: p for p in json.loads(run("period", "list", "--json", db=demo_db).stdout)}
    assert "1А" not in listed["Q4"]["closed_classes"]
    done = run("period", "close", "Q4", "--class", "1А", "--early", "--reason", "приказ № 7", db=demo_db, user="deputy")
    assert done.returncode == 0 and "closed for 1А" in done.stdout
    listed = {p["code"]: p for p in json.loads(run("period", "list", "--json", db=demo_db).stdout)}
    assert "1А" in listed["Q4"]["closed_classes"]
    log = run("audit", "log", "--class", "1А", "--json", db=demo_db, user="deputy")
    assert "приказ № 7" in log.stdout


@pytest.mark.parametrize("args, words", [
    (("period", "close", "Q1", "--class", "10А"), "H1, H2, Y"),
    (("period", "close", "Q9"), "Q1–Q4"),
    (("stats", "--class", "12Я"), "class"),
    (("period", "reopen", "Q1", "--class", "5А", "--reason", " "), "reason"),
])
def test_errors_are_one_line_and_exit_1(demo_db: str, args: tuple[str, ...], words: str) -> None:
    out = run(*args, db=demo_db, user="deputy")
    assert out.returncode == 1
    assert out.stderr.startswith("error:") and words in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_a_clear_error() -> None:
    out = run("stats", db="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert out.returncode == 1 and "cannot be reached" in out.stderr and "Traceback" not in out.stderr


def test_usage_error_exits_2() -> None:
    assert run("stats", "--bogus").returncode == 2


def test_users_add_list_passwd_disable(demo_db: str) -> None:
    out = run("users", "add", "novikova", "--name", "Новикова Нина Петровна", "--role", "teacher",
              "--password-stdin", db=demo_db, user="admin", stdin="first-password\n")
    assert out.returncode == 0, out.stderr
    users = {u["login"]: u for u in json.loads(run("users", "list", "--json", db=demo_db, user="admin").stdout)}
    assert users["novikova"]["roles"] == ["teacher"] and users["novikova"]["name"] == "Новикова Нина Петровна"
    short = run("users", "passwd", "novikova", "--password-stdin", db=demo_db, user="admin", stdin="short\n")
    assert short.returncode == 1 and "at least" in short.stderr
    assert run("users", "passwd", "novikova", "--password-stdin", db=demo_db, user="admin", stdin="second-password\n").returncode == 0
    assert run("users", "disable", "novikova", db=demo_db, user="admin").returncode == 0
    assert {u["login"]: u for u in json.loads(run("users", "list", "--json", db=demo_db, user="admin").stdout)}["novikova"]["disabled"]


def test_password_is_not_an_argument() -> None:
    out = run("users", "add", "x", "--name", "X Y", "--role", "teacher", "--password", "secret")
    assert out.returncode == 2


def test_db_upgrade_and_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    up = run("db", "upgrade", db=url)
    assert up.returncode == 0 and "schema is at version" in up.stdout
    assert run("db", "check", db=url).returncode == 0


def test_database_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    from sqlalchemy import text

    from ejournal_tui.data.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'newer.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    out = run("stats", db=url)
    assert out.returncode == 1 and "newer than this program" in out.stderr


def test_every_command_has_help_with_an_example() -> None:
    from typer.main import get_command

    from ejournal_tui.cli.main import app

    root = get_command(app)
    missing = []

    def walk(cmd, path: str) -> None:  # noqa: ANN001
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}")
        elif "Example" not in (cmd.help or ""):
            missing.append(path)

    walk(root, "ejournal")
    assert missing == []


def test_an_error_stays_one_line_when_the_input_has_newlines(demo_db: str) -> None:
    out = run("users", "add", "x", "--name", "X Y", "--role", "wizard\nsecond line", "--password-stdin",
              db=demo_db, user="admin", stdin="long-enough-pass\n")
    assert out.returncode == 1 and out.stderr.startswith("error:") and out.stderr.count("\n") == 1


@pytest.mark.parametrize("login, password, words", [
    ("nazarova", "12345678", "guesser"),
    ("nazarova", "Пароль1234", "guesser"),
    ("nazarova", "qwertyuiop", "guesser"),
    ("n", "first-password", "too short"),
])
def test_guessable_passwords_and_one_letter_logins_are_refused(demo_db: str, login: str, password: str,
                                                              words: str) -> None:
    out = run("users", "add", login, "--name", "Новикова Нина Николаевна", "--role", "teacher", "--password-stdin",
              db=demo_db, user="admin", stdin=password + "\n")
    assert out.returncode == 1 and words in out.stderr and "Traceback" not in out.stderr
    listed = json.loads(run("users", "list", "--json", db=demo_db, user="admin").stdout)
    assert login not in {u["login"] for u in listed}

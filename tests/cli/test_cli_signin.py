"""Who acts at the command line (CLI.md, "who acts"): a command that reads pupils' data or
changes the register signs a staff account in — `--user` / `EJOURNAL_USER`, the password from
a prompt or an owner-only file named by `EJOURNAL_PASSWORD_FILE` — through the TUI's own
sign-in (one count of failures, one lock), the account's roles decide and the change log names
it; the machine's jobs still run as the operating-system user. The school is the demo's
(`ejournal demo`), whose accounts all have the password `demo`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import typer.main
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.errors import AccountLocked
from ejournal_tui.services import accounts
from ejournal_tui.services.context import os_actor
from tests.acceptance.runner import Result, School, cli
from tests.signin import password_file, person_env

NEED_USER = "error: this command acts as a staff account: give --user LOGIN or set EJOURNAL_USER\n"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("signin") / "demo.db"
    made = cli("--db", f"sqlite:///{path}", "demo", "--size", "small", "--as-of", "2026-11-20", "--no-tui")
    assert made.code == 0, made.err
    return path


@pytest.fixture
def demo(db_url: str, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo school on each engine, no one signed in, English messages."""
    for name in ("EJOURNAL_USER", "EJOURNAL_PASSWORD_FILE", "EJOURNAL_SCHOOL", "EJOURNAL_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    if db_url.startswith("sqlite"):
        shutil.copy(demo_template, db_url.removeprefix("sqlite:///"))
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    if not db_url.startswith("sqlite"):
        cli("demo", "--size", "small", "--as-of", "2026-11-20", "--no-tui").ok()
    return db_url


def signed_in(monkeypatch: pytest.MonkeyPatch, folder: Path, login: str, password: str = "demo") -> None:
    for name, value in person_env(folder, login, password).items():
        monkeypatch.setenv(name, value)


def events(url: str, *actions: str) -> list[tuple[str, str]]:
    """(actor, action) of the change log's events with these actions, oldest first."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(m.AuditEvent.actor, m.AuditEvent.action)
                                .where(m.AuditEvent.action.in_(actions))
                                .order_by(m.AuditEvent.school_id, m.AuditEvent.seq)).all()
        return [(r[0], r[1]) for r in rows]
    finally:
        engine.dispose()


def tui_sign_in(url: str, login: str, password: str = "demo") -> None:
    """What the TUI's sign-in screen does with a login and password."""
    school = School(url)
    try:
        school.sign_in(login, password)
    finally:
        school.close()


# ---- no one named -----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("users", "passwd", "director", "--password-stdin"),
    ("period", "reopen", "Q1", "--class", "5А", "--reason", "ошибка"),
    ("import", "staff", "staff.csv", "--dry-run"),
    ("export", "register", "--class", "5А", "--period", "Q1"),
    ("report", "control", "--period", "Q2"),
    ("audit", "log", "--json"),
    ("users", "list"),
])
def test_a_persons_command_without_a_user_is_refused_and_changes_nothing(demo: str, args: tuple[str, ...]) -> None:
    before = len(events(demo, "auth.login", "auth.fail", "account.passwd", "period.reopen"))
    out = cli(*args, stdin="Новый-пароль-2026\n")
    assert (out.code, out.err, out.out) == (1, NEED_USER, "")
    assert len(events(demo, "auth.login", "auth.fail", "account.passwd", "period.reopen")) == before
    tui_sign_in(demo, "director")  # the password stays what it was


def test_the_refusal_speaks_russian_too(demo: str) -> None:
    out = cli("--lang", "ru", "users", "list")
    assert out.code == 1 and out.err.startswith("error: эта команда выполняется от имени сотрудника: укажите --user")


# ---- every command, against the table of who acts ----------------------------------------------

# a plausible command line for each person's command (each must ask who acts before anything
# else); a command missing here gets one made of its required parameters
SAMPLES = {
    "period close": ["Q1", "--class", "5А"],
    "period reopen": ["Q1", "--class", "5А", "--reason", "x"],
    "users add": ["ivanova", "--name", "Иванова Анна", "--role", "teacher", "--password-stdin"],
    "users passwd": ["director", "--password-stdin"],
    "users roles": ["director", "--role", "teacher"],
    "school bell": ["1", "--start", "08:00", "--end", "08:40"],
    "school reason": ["У", "--name", "x"],
    "year new": ["2027", "--dry-run"],
    "year set-period": ["Q2", "--start", "2026-11-05", "--end", "2026-12-28"],
    "year holiday-add": ["--start", "2027-02-16", "--end", "2027-02-16", "--name", "x"],
    "year holiday-edit": ["1", "--name", "x"],
    "year holiday-remove": ["1"],
    "export all": ["--period", "Q1", "--out", "out/"],
    "report class": ["--class", "5А", "--period", "Q1"],
    "archive add": ["copy.pdf", "--class", "5А", "--period", "Q1"],
    "archive sign": ["1", "--by", "teachers"],
}


def _commands() -> dict[str, object]:
    from ejournal_tui.cli.main import app

    found: dict[str, object] = {}

    def walk(command: object, path: list[str]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = command

    walk(typer.main.get_command(app), [])
    return found


def _made_up(command: object) -> list[str]:
    """Required parameters given something the parser takes."""
    args: list[str] = []
    for param in command.params:  # type: ignore[attr-defined]
        if not param.required:
            continue
        value = "1" if "int" in repr(getattr(param, "type", "")).lower() else "Q1" if param.name == "period" else "x"
        args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


def test_every_command_is_a_persons_unless_the_table_says_otherwise(demo: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ejournal_tui.cli.state import (
        MACHINE,
        MACHINE_JOBS,
        NO_ONE,
        PERSON,
        REFERENCE_READS,
        who_acts,
    )

    monkeypatch.chdir(tmp_path)
    tried = len(events(demo, "auth.login", "auth.fail"))
    commands = _commands()
    assert {"users enable", "users unlock", "users roles", "audit log", "audit verify"} <= set(commands)
    named = MACHINE_JOBS | REFERENCE_READS
    assert all(any(c == n or c.startswith(n + " ") for c in commands) for n in named), "a name in the table is no command"
    for path, command in commands.items():
        kind = who_acts(path)
        if kind == PERSON:
            out = cli(*path.split(), *(SAMPLES[path] if path in SAMPLES else _made_up(command)), stdin="x\n")
            assert (out.code, out.err) == (1, NEED_USER), f"{path}: {out.err or out.out}"
        elif kind == NO_ONE:
            out = cli(*path.split())
            assert out.code == 0, f"{path}: {out.err}"
        else:
            assert kind == MACHINE
    assert len(events(demo, "auth.login", "auth.fail")) == tried  # no one was even asked for a password


def test_the_machines_jobs_need_no_one(demo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_BACKUP_PASSPHRASE", "код-директора-для-копий")
    assert "integrity ok" in cli("db", "check").ok().out
    assert "verifies" in cli("audit", "verify").ok().out
    assert json.loads(cli("stats", "--json").ok().out)["classes"] == 4
    (tmp_path / "copies").mkdir()
    cli("backup", "create", "--to", str(tmp_path / "copies")).ok()
    assert len(list((tmp_path / "copies").glob("*.ejbk"))) == 1
    listed = json.loads(cli("backup", "list", "--json").ok().out)
    assert listed and all(row["by"].startswith("os:") for row in listed)
    assert cli("period", "list").ok().out.startswith("Q1")  # the calendar is no pupil's data


# ---- the password ----------------------------------------------------------------------------

def test_a_password_file_others_may_read_is_refused_and_an_owner_only_one_works(
        demo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = password_file(tmp_path, "demo")
    monkeypatch.setenv("EJOURNAL_USER", "admin")
    monkeypatch.setenv("EJOURNAL_PASSWORD_FILE", str(file))
    for mode in (0o644, 0o640, 0o604, 0o620):
        os.chmod(file, mode)
        out = cli("users", "list")
        assert out.code == 1 and out.out == "", oct(mode)
        assert out.err == (f"error: password file {file} (EJOURNAL_PASSWORD_FILE) is open to other users "
                           f"(mode 0{mode:o}): run chmod 600 {file}\n")
    assert events(demo, "auth.fail") == []  # refused before anyone tried the password
    os.chmod(file, 0o600)
    assert "director" in cli("users", "list").ok().out
    assert events(demo, "auth.login")[-1] == ("admin", "auth.login")


def test_a_missing_or_empty_password_file_is_one_clear_line(demo: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_USER", "admin")
    monkeypatch.setenv("EJOURNAL_PASSWORD_FILE", str(tmp_path / "nowhere"))
    out = cli("users", "list")
    assert out.code == 1 and out.err.startswith(f"error: password file {tmp_path / 'nowhere'} (EJOURNAL_PASSWORD_FILE) cannot be read")
    assert len(out.err.splitlines()) == 1
    monkeypatch.setenv("EJOURNAL_PASSWORD_FILE", str(password_file(tmp_path, "")))
    assert cli("users", "list").err == (f"error: password file {tmp_path / 'password'} (EJOURNAL_PASSWORD_FILE): "
                                       "the first line is empty\n")
    assert events(demo, "auth.fail") == []


def test_only_the_first_line_of_the_file_is_the_password(demo: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "pass"
    file.write_text("demo\r\nsecond line\n")
    file.chmod(0o600)
    monkeypatch.setenv("EJOURNAL_PASSWORD_FILE", str(file))
    assert "director" in cli("--user", "admin", "users", "list").ok().out


def test_without_a_file_the_password_is_asked_for_without_echo(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def getpass(prompt: str = "Password: ", stream: object = None) -> str:
        asked.append(prompt)
        return "demo"

    monkeypatch.setattr("getpass.getpass", getpass)
    assert "director" in cli("--user", "admin", "users", "list").ok().out
    assert asked == ["Password for admin: "]  # once per command, however often it acts


def test_no_terminal_and_no_file_says_how_to_give_the_password(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def getpass(prompt: str = "", stream: object = None) -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", getpass)
    out = cli("--user", "admin", "users", "list")
    assert out.code == 1 and "no password for admin" in out.err and "EJOURNAL_PASSWORD_FILE" in out.err


# ---- one count of failures with the TUI ----------------------------------------------------------

def test_wrong_passwords_count_with_the_tuis_and_lock_the_account_for_both(demo: str, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(Exception, match="Wrong login or password"):
        tui_sign_in(demo, "deputy", "wrong-1")  # a failure at a workstation
    signed_in(monkeypatch, tmp_path, "deputy", "wrong-2")
    for _ in range(3):  # 2nd to 4th of the 5 the school allows
        out = cli("period", "close", "Q2", "--class", "5А")
        assert (out.code, out.err) == (1, "error: Wrong login or password\n")
    out = cli("period", "close", "Q2", "--class", "5А")
    assert out.code == 1 and out.err.startswith("error: The account is locked until ")
    with pytest.raises(AccountLocked):
        tui_sign_in(demo, "deputy")  # the right password, at the TUI: locked there too
    signed_in(monkeypatch, tmp_path, "deputy")
    out = cli("report", "control", "--period", "Q2")
    assert out.code == 1 and "locked" in out.err  # the right password at the command line too
    fails = [actor for actor, _ in events(demo, "auth.fail")]
    assert fails == ["deputy"] * 7  # 5 wrong, then the 2 refused while locked

    signed_in(monkeypatch, tmp_path, "admin")
    locked = {a["login"]: a["locked"] for a in json.loads(cli("users", "list", "--json").ok().out)}
    assert locked["deputy"] and not locked["admin"]
    assert cli("users", "unlock", "deputy").ok().out == "deputy unlocked\n"
    tui_sign_in(demo, "deputy")
    assert events(demo, "account.unlock") == [("admin", "account.unlock")]


# ---- roles decide, the log names the person -----------------------------------------------------

def test_a_teacher_signed_in_is_refused_by_roles(demo: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, tmp_path, "teacher")
    out = cli("users", "passwd", "director", "--password-stdin", stdin="Чужой-пароль-2026\n")
    assert out.code == 1 and out.err.startswith("error: Not allowed: accounts are managed")
    out = cli("period", "reopen", "Q1", "--class", "5А", "--reason", "исправить отметку")
    assert out.code == 1 and out.err.startswith("error: Not allowed: periods are reopened by")
    assert cli("users", "list").code == 1
    assert events(demo, "account.passwd", "period.reopen") == []
    tui_sign_in(demo, "director")  # the director's password is still theirs


def test_the_change_log_names_the_person_not_the_operating_system(demo: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, tmp_path, "deputy")
    assert cli("period", "reopen", "Q1", "--class", "5А", "--reason", "исправление ошибки").ok().out == \
        "Q1 reopened for 5А\n"
    signed_in(monkeypatch, tmp_path, "secretary")
    cli("export", "register", "--class", "5А", "--period", "Q1", "--out", str(tmp_path / "5А.pdf")).ok()
    assert events(demo, "period.reopen", "export.register") == [("deputy", "period.reopen"),
                                                                  ("secretary", "export.register")]
    signed_in(monkeypatch, tmp_path, "admin")
    log = json.loads(cli("audit", "log", "--json", "--limit", "10").ok().out)
    assert [e["actor"] for e in log if e["action"] in ("period.reopen", "export.register")] == ["secretary", "deputy"]
    assert not any(e["actor"].startswith("os:") for e in log)
    assert [e["actor"] for e in log if e["action"] == "auth.login"][:3] == ["admin", "secretary", "deputy"]


def test_a_password_set_by_an_administrator_must_be_changed_first(demo: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, tmp_path, "admin")
    cli("users", "passwd", "secretary", "--password-stdin", stdin="Временный-2026\n").ok()
    signed_in(monkeypatch, tmp_path, "secretary", "Временный-2026")
    out = cli("archive", "list")
    assert out.code == 1 and "must be changed first" in out.err and "users passwd secretary" in out.err
    assert cli("users", "passwd", "admin", "--password-stdin", stdin="Чужой-пароль-2026\n").code == 1
    cli("users", "passwd", "secretary", "--password-stdin", stdin="Свой-пароль-2026\n").ok()
    signed_in(monkeypatch, tmp_path, "secretary", "Свой-пароль-2026")
    cli("archive", "list").ok()
    assert events(demo, "account.passwd") == [("admin", "account.passwd"), ("secretary", "account.passwd")]


# ---- users enable | unlock | roles ---------------------------------------------------------------

def test_users_enable_unlock_and_roles_work_and_are_logged(demo: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, tmp_path, "admin")
    assert cli("users", "disable", "teacher").ok().out == "teacher disabled\n"
    with pytest.raises(Exception, match="disabled"):
        tui_sign_in(demo, "teacher")
    assert cli("users", "enable", "teacher").ok().out == "teacher enabled\n"
    tui_sign_in(demo, "teacher")
    for _ in range(5):
        with pytest.raises(Exception, match="Wrong|locked"):
            tui_sign_in(demo, "teacher", "wrong")
    assert cli("users", "unlock", "teacher").ok().out == "teacher unlocked\n"
    tui_sign_in(demo, "teacher")
    assert cli("users", "roles", "teacher", "--role", "teacher", "--role", "deputy").ok().out == \
        "teacher: teacher, deputy\n"
    roles = {a["login"]: a["roles"] for a in json.loads(cli("users", "list", "--json").ok().out)}
    assert roles["teacher"] == ["teacher", "deputy"]
    assert events(demo, "account.disable", "account.enable", "account.unlock", "account.roles") == [
        ("admin", "account.disable"), ("admin", "account.enable"), ("admin", "account.unlock"),
        ("admin", "account.roles")]
    bad = cli("users", "roles", "teacher", "--role", "headmaster")
    assert bad.code == 1 and "headmaster" in bad.err
    signed_in(monkeypatch, tmp_path, "secretary")
    for args in (("enable", "teacher"), ("unlock", "teacher"), ("roles", "teacher", "--role", "admin")):
        out = cli("users", *args)
        assert out.code == 1 and "Not allowed" in out.err, args


def test_no_one_takes_their_own_admin_role_nor_the_last_administrators(demo: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, tmp_path, "admin")
    out = cli("users", "roles", "admin", "--role", "teacher")
    assert out.code == 1 and "your own right to manage accounts" in out.err
    assert cli("users", "roles", "admin", "--role", "admin", "--role", "deputy").ok()  # keeps admin: fine
    assert cli("users", "disable", "admin").code == 1
    school = School(demo)
    try:  # another administrator (here the machine) may not leave the school without one
        with school.uow() as uow:
            with pytest.raises(Exception, match="last active account with the admin or sysadmin role"):
                accounts.set_roles(uow, os_actor(school.db.school_id, ("admin",)), "admin", ["teacher"])
        with school.uow() as uow:
            with pytest.raises(Exception, match="last active account"):
                accounts.set_disabled(uow, os_actor(school.db.school_id, ("admin",)), "admin", True)
    finally:
        school.close()
    cli("users", "roles", "director", "--role", "director", "--role", "sysadmin").ok()
    signed_in(monkeypatch, tmp_path, "director")
    assert cli("users", "roles", "admin", "--role", "teacher").ok().out == "admin: teacher\n"  # another remains


# ---- school create --------------------------------------------------------------------------------

def test_school_create_is_the_machines_on_an_empty_database_and_an_administrators_after(
        tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EJOURNAL_USER", "EJOURNAL_PASSWORD_FILE", "EJOURNAL_SCHOOL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EJOURNAL_DB", sqlite_url)
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))

    def create(code: str) -> Result:
        return cli("school", "create", "--code", code, "--name", f"Школа {code}", "--admin", "ivanov",
                   "--admin-name", "Иванов Пётр Сергеевич", "--password-stdin", stdin="Пароль-админа-2026\n")

    create("sch1").ok()
    assert events(sqlite_url, "school.create")[0][0].startswith("os:")
    assert create("sch2").err == NEED_USER  # the database has an administrator now
    signed_in(monkeypatch, tmp_path, "ivanov", "Пароль-админа-2026")
    create("sch2").ok()
    assert [actor for actor, _ in events(sqlite_url, "school.create")][1] == "ivanov"

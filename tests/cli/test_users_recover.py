"""`ejournal users recover LOGIN`: the way back in when the only administrator's password is
lost, run by whoever holds the database, as a sysadmin would: a school made with `school
create`, its administrator locked out by wrong passwords, access recovered, the new password
to be changed at the next sign-in, and the change log naming the operating-system user.
(On a PostgreSQL server, a workstation's role is refused: tests/integration/test_pg_security.py.)"""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from tests.acceptance.runner import cli
from tests.signin import person_env

OLD, NEW, NEWER = "Пароль-админа-2026", "Восстановлен-2026", "Свой-пароль-2026"


@pytest.fixture
def school(fresh_db: str) -> str:
    cli("school", "create", "--code", "sch12", "--name", "МБОУ СОШ № 12", "--admin", "ivanov",
        "--admin-name", "Иванов Пётр Сергеевич", "--password-stdin", stdin=OLD + "\n").ok()
    return fresh_db


def as_person(monkeypatch: pytest.MonkeyPatch, folder: Path, login: str, password: str) -> None:
    for name, value in person_env(folder, login, password).items():
        monkeypatch.setenv(name, value)


def events(url: str, action: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(select(m.AuditEvent.actor, m.AuditEvent.action).where(m.AuditEvent.action == action)
                             .order_by(m.AuditEvent.seq)).all()
    engine.dispose()
    return [tuple(row) for row in found]


def test_a_locked_out_administrator_gets_back_in(school: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_person(monkeypatch, tmp_path, "ivanov", "not-the-password")
    for _ in range(10):
        if "locked" in cli("users", "list").err:
            break
    as_person(monkeypatch, tmp_path, "ivanov", OLD)
    assert "locked" in cli("users", "list").err  # even the right password, until the lock expires

    monkeypatch.delenv("EJOURNAL_USER")
    done = cli("users", "recover", "ivanov", "--password-stdin", stdin=NEW + "\n").ok()
    assert done.out.startswith("ivanov: new password set")
    assert events(school, "account.recover") == [(f"os:{getpass.getuser()}", "account.recover")]

    as_person(monkeypatch, tmp_path, "ivanov", NEW)
    refused = cli("users", "list")  # set for them, so it works only to be changed
    assert refused.code == 1 and "must be changed" in refused.err
    cli("users", "passwd", "ivanov", "--password-stdin", stdin=NEWER + "\n").ok()
    as_person(monkeypatch, tmp_path, "ivanov", NEWER)
    assert "ivanov" in cli("users", "list").ok().out


def test_recovery_is_for_an_administrator_and_a_refusal_changes_nothing(
        school: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_person(monkeypatch, tmp_path, "ivanov", OLD)
    cli("users", "add", "petrova", "--name", "Петрова Анна Ильинична", "--role", "teacher", "--password-stdin",
        stdin="Учитель-пароль-2026\n").ok()
    monkeypatch.delenv("EJOURNAL_USER")
    for login, says in (("petrova", "does not manage accounts"), ("nosuch", "nosuch")):
        done = cli("users", "recover", login, "--password-stdin", stdin=NEW + "\n")
        assert done.code == 1 and done.out == "" and says in done.err, done.err
        assert len(done.err.strip().splitlines()) == 1
    weak = cli("users", "recover", "ivanov", "--password-stdin", stdin="123\n")
    assert weak.code == 1 and "at least" in weak.err
    assert events(school, "account.recover") == []
    as_person(monkeypatch, tmp_path, "ivanov", OLD)
    assert "petrova" in cli("users", "list").ok().out  # the old password still works

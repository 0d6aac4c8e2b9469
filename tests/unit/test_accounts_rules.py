"""Account rules a sysadmin relies on: password rules, the initial password changed at first
sign-in, the 5-failure lock for 15 minutes, every sign-in and refusal in the change log,
passwords never on the command line, and files readable by their owner only."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.errors import AccountDisabled, AccountLocked, AuthFailed, InvalidInput
from ejournal_tui.services import accounts
from tests.cli.test_backup_cli import cli
from tests.factory import PASSWORD


def _actions(school) -> list[tuple[str, str]]:  # noqa: ANN001
    with school.uow() as uow:
        return [tuple(r) for r in uow.session.execute(text("SELECT action, reason FROM auditevent ORDER BY seq"))]


def _add(school, login: str, password: str):  # noqa: ANN001, ANN202
    with school.uow() as uow:
        return accounts.add_account(uow, school.actors["admin"], login, "Новикова Нина Павловна", ["teacher"], password)


@pytest.mark.parametrize("password, words", [
    ("short7!", "at least 8"),
    ("novikova-2026", "login"),
    ("aaaaaaaaaaab", "repeated"),
    ("x" * 300 + "yz", "at most"),
])
def test_weak_passwords_are_refused(school, password: str, words: str) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as err:
        _add(school, "novikova", password)
    assert words in str(err.value)


def test_initial_password_must_be_changed_and_only_with_the_old_one(school) -> None:  # noqa: ANN001
    _add(school, "novikova", "initial-pass-1")
    with school.uow() as uow:
        actor, must_change = accounts.sign_in(uow, "novikova", "initial-pass-1")
    assert must_change
    with school.uow() as uow, pytest.raises(AuthFailed):
        accounts.change_password(uow, actor, "novikova", "my-own-secret")  # no old password: refused
    with school.uow() as uow, pytest.raises(InvalidInput):
        accounts.change_password(uow, actor, "novikova", "initial-pass-1", old_password="initial-pass-1")
    with school.uow() as uow:
        accounts.change_password(uow, actor, "novikova", "my-own-secret", old_password="initial-pass-1")
    with school.uow() as uow:
        assert accounts.sign_in(uow, "novikova", "my-own-secret")[1] is False
    with school.uow() as uow:  # an administrator's reset is an initial password again
        accounts.change_password(uow, school.actors["admin"], "novikova", "reset-by-admin")
    with school.uow() as uow:
        assert accounts.sign_in(uow, "novikova", "reset-by-admin")[1] is True


def test_five_failures_lock_for_fifteen_minutes(school) -> None:  # noqa: ANN001
    start = school.db.clock.frozen
    for _ in range(4):
        with school.uow() as uow, pytest.raises(AuthFailed):
            accounts.sign_in(uow, "petrov", "wrong-guess")
    with school.uow() as uow, pytest.raises(AccountLocked):
        accounts.sign_in(uow, "petrov", "wrong-guess")
    school.db.clock.frozen = start + timedelta(minutes=14)
    with school.uow() as uow, pytest.raises(AccountLocked):
        accounts.sign_in(uow, "petrov", PASSWORD)  # the right password waits too
    school.db.clock.frozen = start + timedelta(minutes=15, seconds=1)
    with school.uow() as uow:
        assert accounts.sign_in(uow, "petrov", PASSWORD)[0].login == "petrov"


def test_every_sign_in_and_refusal_is_in_the_change_log(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        accounts.sign_in(uow, "ivanova", PASSWORD)
    for login, password in (("ivanova", "bad"), ("nobody", "bad")):
        with school.uow() as uow, pytest.raises(AuthFailed):
            accounts.sign_in(uow, login, password)
    with school.uow() as uow:
        accounts.set_disabled(uow, school.actors["admin"], "smirnova")
    with school.uow() as uow, pytest.raises(AccountDisabled):
        accounts.sign_in(uow, "smirnova", PASSWORD)
    assert _actions(school) == [("auth.login", ""), ("auth.fail", ""), ("auth.fail", "unknown login"),
                                ("account.disable", ""), ("auth.fail", "account disabled")]
    with school.uow() as uow:
        actors = list(uow.session.execute(text("SELECT actor FROM auditevent ORDER BY seq")).scalars())
    assert actors == ["ivanova", "ivanova", "nobody", "admin", "smirnova"]


def test_passwords_are_never_command_line_arguments(sqlite_url: str, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("EJOURNAL_DB", sqlite_url)
    for args in (("users", "add", "x", "--name", "X Y", "--role", "teacher", "--password", "secret-123"),
                 ("users", "passwd", "x", "--password", "secret-123"),
                 ("backup", "create", "--passphrase", "secret-123")):
        code, _, _ = cli(*args)
        assert code == 2, args


def test_database_files_are_readable_by_their_owner_only(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("EJOURNAL_DB", raising=False)
    from ejournal_tui.data.db import default_url, upgrade

    url = default_url()
    folder = Path(url.removeprefix("sqlite:///")).parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    old_umask = os.umask(0)  # a careless umask must not widen them
    try:
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO school (code, name, city, director, is_demo) VALUES ('s', 'S', '', '', 0)"))
    finally:
        os.umask(old_umask)
    files = [p for p in folder.iterdir() if p.name.startswith("ejournal.db")]
    assert {p.name for p in files} >= {"ejournal.db", "ejournal.db-wal"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}
    engine.dispose()

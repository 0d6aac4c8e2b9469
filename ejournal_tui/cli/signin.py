"""How a person's command signs in (CLI.md, "who acts"): the login from `--user` or
`EJOURNAL_USER`; the password from the file named by `EJOURNAL_PASSWORD_FILE` (its first line;
refused when others may read or write it, as ssh refuses such a key) or from a hidden prompt,
never from an argument. The sign-in itself is the TUI's (`services/accounts.sign_in`): one
count of failed attempts, one lock, one change-log line per sign-in."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ejournal_tui.domain.errors import EjournalError
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services.secret_file import read_secret

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor, Database

PASSWORD_FILE_ENV = "EJOURNAL_PASSWORD_FILE"

register_many({
    "cli.need_user": ("эта команда выполняется от имени сотрудника: укажите --user ЛОГИН или задайте EJOURNAL_USER",
                      "this command acts as a staff account: give --user LOGIN or set EJOURNAL_USER"),
    "cli.pw_prompt": ("Пароль {login}: ", "Password for {login}: "),
    "cli.pw_none": ("не получен пароль {login}: нет терминала для вопроса; укажите в EJOURNAL_PASSWORD_FILE файл "
                    "с паролем, доступный только владельцу (chmod 600)",
                    "no password for {login}: there is no terminal to ask on; name a file holding it, readable "
                    "only by its owner (chmod 600), in EJOURNAL_PASSWORD_FILE"),
    "cli.must_change": ("пароль «{login}» задан администратором и должен быть сменён до работы: войдите в программу "
                        "(ejournal tui --user {login}) или выполните «ejournal --user {login} users passwd {login}»",
                        "the password of {login!r} was set by an administrator and must be changed first: sign in "
                        "to the TUI (ejournal tui --user {login}) or run 'ejournal --user {login} users passwd {login}'"),
})


class SignInNeeded(EjournalError):
    """A person's command run without saying who runs it."""

    key = "cli.need_user"


class PasswordUnavailable(EjournalError):
    """The password could not be had: no terminal, or a password file that will not do."""

    key = "cli.pw_none"


class PasswordMustChange(EjournalError):
    """The account's password was set by an administrator: it works only to change it."""

    key = "cli.must_change"


@dataclass(frozen=True)
class Person:
    """The staff account this process acts as. The password is kept for one use: changing
    one's own password, which asks for the old one (`users passwd` of one's own login)."""

    actor: Actor
    must_change: bool
    password: str = field(repr=False)


def sign_in_person(db: Database, login: str | None) -> Person:
    """Sign LOGIN in to the school of `db`; refusals are the TUI's (wrong password, locked,
    disabled), each counted and logged by the service."""
    from ejournal_tui.services.accounts import sign_in

    if not (login or "").strip():
        raise SignInNeeded()
    password = read_password(login.strip())  # type: ignore[union-attr]
    with db.uow() as uow:
        actor, must_change = sign_in(uow, login, password)  # type: ignore[arg-type]
    return Person(actor, must_change, password)


def read_password(login: str) -> str:
    """From EJOURNAL_PASSWORD_FILE when it is set, else asked for without echo."""
    named = os.environ.get(PASSWORD_FILE_ENV, "")
    if named:
        return password_from_file(Path(named).expanduser())
    import getpass

    try:
        return getpass.getpass(t("cli.pw_prompt", login=login))
    except EOFError as exc:
        raise PasswordUnavailable(login=login) from exc


def password_from_file(path: Path) -> str:
    """The file's first line: refused when others may read or write it (services/secret_file.py)."""
    return read_secret(path, PASSWORD_FILE_ENV, kind="password")

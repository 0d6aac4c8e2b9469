"""`ejournal users add|list|passwd|disable|enable|unlock|roles`: staff accounts, managed by a
signed-in administrator (`--user`, CLI.md "who acts"); `users recover`: an administrator's
access given back by whoever holds the database (a machine job). Passwords never on the command
line: they are asked for, or read from stdin with --password-stdin."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ejournal_tui.cli.state import STATE, fail


def read_password(from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass("Repeat: ") != first:
        fail("the passwords do not match")
    return first


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Staff accounts.", no_args_is_help=True)
    app.add_typer(group, name="users")

    @group.command("add")
    def add_cmd(
        login: str,
        name: Annotated[str, typer.Option("--name", help="Full name: Фамилия Имя Отчество")],
        role: Annotated[list[str], typer.Option("--role", help=_ROLES)],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the initial password from stdin")] = False,
    ) -> None:
        """Add an account; the initial password must be changed at first sign-in.

        Example: echo 'initial-pass' | ejournal --user admin users add ivanova --name "Иванова Анна Петровна" --role teacher --password-stdin
        """
        from ejournal_tui.services.accounts import add_account

        db = STATE.database()
        actor = STATE.actor(db)  # who adds it signs in before the new password is asked for
        password = read_password(password_stdin)
        with db.uow() as uow:
            info = add_account(uow, actor, login, name, role, password)
        print(f"added {info.login} ({', '.join(info.roles)})")

    @group.command("list")
    def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
        """List accounts.

        Example: ejournal --user admin users list --json
        """
        from ejournal_tui.services.accounts import list_accounts

        db = STATE.database()
        actor = STATE.actor(db)
        with db.uow() as uow:
            accounts = list_accounts(uow, actor)
        if as_json:
            print(json.dumps([{"login": a.login, "name": a.name, "roles": list(a.roles), "disabled": a.disabled,
                               "locked": _locked(a)} for a in accounts], ensure_ascii=False))
            return
        for a in accounts:
            state = " (disabled)" if a.disabled else " (locked)" if _locked(a) else ""
            print(f"{a.login:<20} {', '.join(a.roles):<28} {a.name}{state}")

    @group.command("passwd")
    def passwd_cmd(
        login: str,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin")] = False,
    ) -> None:
        """Set another account's new password (an administrator's; the user must change it at the
        next sign-in), or change one's own: signed in as LOGIN, the password just given is the old one.

        Example: ejournal --user admin users passwd ivanova

        Example: ejournal --user ivanova users passwd ivanova
        """
        from ejournal_tui.services.accounts import change_password

        db = STATE.database()
        person = STATE.person(db)
        own = person.actor.login == login.strip().lower()
        actor = person.actor if own else STATE.actor(db)  # a password to change may change only itself
        password = read_password(password_stdin, "New password")
        with db.uow() as uow:
            change_password(uow, actor, login, password, old_password=person.password if own else None)
        print(f"password of {login} changed")

    @group.command("recover")
    def recover_cmd(
        login: str,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin")] = False,
    ) -> None:
        """Give an administrator's account a new password (to be changed at the next sign-in),
        enabled and unlocked: the way back in when every administrator's password is lost. Run by
        whoever holds the database (its file; on a server, the owner's URL), not as a person.

        Example: ejournal --db postgresql+psycopg://ejournal@server/school users recover admin
        """
        from ejournal_tui.services.accounts import recover_admin

        db = STATE.database()
        password = read_password(password_stdin, "New password")
        with db.uow() as uow:
            recover_admin(uow, STATE.machine_actor(db), login, password)
        print(f"{login}: new password set, to be changed at the next sign-in; enabled and unlocked")

    @group.command("disable")
    def disable_cmd(login: str) -> None:
        """Disable an account (it keeps its history).

        Example: ejournal --user admin users disable ivanova
        """
        from ejournal_tui.services.accounts import set_disabled

        _change_account(lambda uow, actor: set_disabled(uow, actor, login, True), f"{login} disabled")

    @group.command("enable")
    def enable_cmd(login: str) -> None:
        """Enable a disabled account again.

        Example: ejournal --user admin users enable ivanova
        """
        from ejournal_tui.services.accounts import set_disabled

        _change_account(lambda uow, actor: set_disabled(uow, actor, login, False), f"{login} enabled")

    @group.command("unlock")
    def unlock_cmd(login: str) -> None:
        """Lift the lock after failed sign-ins and forget the failures counted so far.

        Example: ejournal --user admin users unlock ivanova
        """
        from ejournal_tui.services.accounts import unlock

        _change_account(lambda uow, actor: unlock(uow, actor, login), f"{login} unlocked")

    @group.command("roles")
    def roles_cmd(
        login: str,
        role: Annotated[list[str], typer.Option("--role", help="The account's roles, replacing the old ones; repeat for each: " + _ROLES)],
    ) -> None:
        """Replace an account's roles. The last active admin or sysadmin keeps that role, and
        no one takes it from themselves.

        Example: ejournal --user admin users roles ivanova --role teacher --role class_leader
        """
        from ejournal_tui.services.accounts import set_roles

        db = STATE.database()
        with db.uow() as uow:
            info = set_roles(uow, STATE.actor(db), login, role)
        print(f"{info.login}: {', '.join(info.roles)}")


_ROLES = "teacher, class_leader, deputy, secretary, sysadmin, director, admin"


def _locked(account) -> bool:  # noqa: ANN001 - an AccountInfo
    from datetime import UTC, datetime

    until = account.locked_until
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return until is not None and until > datetime.now(UTC)


def _change_account(change: Callable[[Any, Any], None], done: str) -> None:
    """An account changed by the signed-in administrator in one unit of work; `done` said after."""
    db = STATE.database()
    with db.uow() as uow:
        change(uow, STATE.actor(db))
    print(done)

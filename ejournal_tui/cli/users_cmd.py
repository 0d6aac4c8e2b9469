"""`ejournal users add|list|passwd|disable`: staff accounts. Passwords never on the
command line: they are asked for, or read from stdin with --password-stdin."""

from __future__ import annotations

import json
import sys
from typing import Annotated

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
        role: Annotated[list[str], typer.Option("--role", help="teacher, class_leader, deputy, secretary, sysadmin, director, admin")],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the initial password from stdin")] = False,
    ) -> None:
        """Add an account; the initial password must be changed at first sign-in.

        Example: echo 'initial-pass' | ejournal users add ivanova --name "Иванова Анна Петровна" --role teacher --password-stdin
        """
        from ejournal_tui.services.accounts import add_account

        password = read_password(password_stdin)
        db = STATE.database()
        with db.uow() as uow:
            info = add_account(uow, STATE.actor(db), login, name, role, password)
        print(f"added {info.login} ({', '.join(info.roles)})")

    @group.command("list")
    def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
        """List accounts.

        Example: ejournal users list --json
        """
        from ejournal_tui.services.accounts import list_accounts

        db = STATE.database()
        with db.uow() as uow:
            accounts = list_accounts(uow)
        if as_json:
            print(json.dumps([{"login": a.login, "name": a.name, "roles": list(a.roles), "disabled": a.disabled}
                              for a in accounts], ensure_ascii=False))
            return
        for a in accounts:
            state = " (disabled)" if a.disabled else ""
            print(f"{a.login:<20} {', '.join(a.roles):<28} {a.name}{state}")

    @group.command("passwd")
    def passwd_cmd(
        login: str,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin")] = False,
    ) -> None:
        """Set a new password; the user must change it at the next sign-in.

        Example: ejournal users passwd ivanova
        """
        from ejournal_tui.services.accounts import change_password

        password = read_password(password_stdin, "New password")
        db = STATE.database()
        with db.uow() as uow:
            change_password(uow, STATE.actor(db), login, password)
        print(f"password of {login} changed")

    @group.command("disable")
    def disable_cmd(login: str) -> None:
        """Disable an account (it keeps its history).

        Example: ejournal users disable ivanova
        """
        from ejournal_tui.services.accounts import set_disabled

        db = STATE.database()
        with db.uow() as uow:
            set_disabled(uow, STATE.actor(db), login, True)
        print(f"{login} disabled")

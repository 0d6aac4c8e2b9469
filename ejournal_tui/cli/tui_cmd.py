"""`ejournal tui`: the staff TUI (Textual is imported only here)."""

from __future__ import annotations

from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE


def open_tui(school: str | None = None, user: str | None = None, register_name: str | None = None) -> None:
    try:
        from ejournal_tui.tui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("ejournal_tui.tui"):
            print("The TUI is not part of this build yet; the database is ready for it.")
            return
        raise
    run_app(STATE, school=school, user=user, register=register_name)


def register(app: typer.Typer) -> None:
    @app.command("tui")
    def tui_cmd(
        user: Annotated[str | None, typer.Option("--user", help="Pre-fill the login")] = None,
        register_name: Annotated[str | None, typer.Option("--register", help="Open this register after login, e.g. 5А/Алгебра")] = None,
    ) -> None:
        """Open the staff TUI.

        Example: ejournal tui --user teacher --register 5А/Русский язык
        """
        open_tui(user=user, register_name=register_name)

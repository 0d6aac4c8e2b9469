"""`ejournal tui`: the staff TUI (cli/entry.py opens it, usually without coming here)."""

from __future__ import annotations

from typing import Annotated

import typer

from ejournal_tui.cli.entry import open_tui


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

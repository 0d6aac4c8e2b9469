"""`ejournal year list|new …`: the school's academic years and the rollover into the next one.
The calendar of a year (periods, holidays) is edited by the commands of cli/calendar_cmd.py."""

from __future__ import annotations

import typer

from ejournal_tui.cli import calendar_cmd


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Academic years: list, the calendar, rollover into the next year.", no_args_is_help=True)
    app.add_typer(group, name="year")
    calendar_cmd.add_commands(group)

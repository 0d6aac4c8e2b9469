"""`ejournal`: the entry point. Global options, the error contract of CLI.md (one line
`error: …` and exit 1 for anything foreseeable), and the command groups."""

from __future__ import annotations

from typing import Annotated

import typer

from ejournal_tui import __version__
from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import set_language

app = typer.Typer(
    name="ejournal",
    help="Electronic class register. Without a command, opens the staff TUI.\n\nExample: ejournal --db sqlite:///school.db stats\n\nExample: ejournal --user zavuch period close Q1",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"ejournal {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", envvar="EJOURNAL_DB", help="Database URL (sqlite:///file.db or postgresql+psycopg://user@host/db)")] = None,
    config: Annotated[str | None, typer.Option("--config", envvar="EJOURNAL_CONFIG_FILE", help="TOML settings file")] = None,
    school: Annotated[str | None, typer.Option("--school", envvar="EJOURNAL_SCHOOL", help="School code when the database holds several")] = None,
    lang: Annotated[str | None, typer.Option("--lang", envvar="EJOURNAL_LANG", help="Interface language: ru or en")] = None,
    user: Annotated[str | None, typer.Option("--user", envvar="EJOURNAL_USER", metavar="LOGIN", help="The staff account a command that reads pupils' data or changes the register acts as; its password from the file named by EJOURNAL_PASSWORD_FILE (mode 600) or a prompt")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit")] = False,
) -> None:
    STATE.db_url, STATE.config_file, STATE.school = db, config, school
    STATE.forget_person(user)
    # `config init` writes the settings file, so it must not need a readable one first
    set_language(lang or (STATE.config.lang if ctx.invoked_subcommand != "config" else None) or None)
    if ctx.invoked_subcommand is None:
        from ejournal_tui.cli.entry import open_tui

        open_tui(user=user)


def _register_commands() -> None:
    from ejournal_tui.cli import db_cmd, demo_cmd, period_cmd, stats_cmd, tui_cmd, users_cmd

    for module in (db_cmd, demo_cmd, period_cmd, stats_cmd, tui_cmd, users_cmd):
        module.register(app)
    for name in ("school_cmd", "year_cmd", "export_cmd", "import_cmd", "backup_cmd", "config_cmd", "audit_cmd", "report_cmd", "screenshots_cmd",
                 "archive_cmd", "notify_cmd"):
        try:
            module = __import__(f"ejournal_tui.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"ejournal_tui.cli.{name}":
                raise
            continue
        module.register(app)


_register_commands()


def run() -> None:
    """The full command line with the error guard (the console script is cli/entry.py)."""
    from ejournal_tui.cli.entry import guarded

    guarded(app)

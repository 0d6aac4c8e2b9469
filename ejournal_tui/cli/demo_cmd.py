"""`ejournal demo`: a realistic demo school, then the TUI. Writes only into an empty database
or over a demo holding nothing else; replacing another demo takes a safety backup first."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ejournal_tui.cli.state import STATE, fail
from ejournal_tui.i18n import register_many, t

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ejournal_tui.demo.generator import SafetyBackup

register_many({
    "demo.safety": ("страховочная копия прежней демо-школы: {path}", "safety backup of the replaced demo: {path}"),
})

_FORCE_HELP = ("Replace a demo made with other options, after a safety backup (backup_dirs, else the SQLite "
               "file's folder, else the user data folder); data made outside the demo is never replaced")
_PASS_HELP = ("For --force: file whose first line is the safety backup's passphrase (else "
              "EJOURNAL_BACKUP_PASSPHRASE, else the backup_passphrase_file setting, else a prompt)")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        size: Annotated[str, typer.Option("--size", help="small | school | large (ten schools)")] = "small",
        seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed and as-of, same data")] = 1,
        as_of: Annotated[str | None, typer.Option("--as-of", help="Date the school has reached (YYYY-MM-DD); default today")] = None,
        force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
        passphrase_file: Annotated[str | None, typer.Option("--passphrase-file", metavar="FILE", help=_PASS_HELP)] = None,
        no_tui: Annotated[bool, typer.Option("--no-tui", help="Only fill the database")] = False,
    ) -> None:
        """Fill the database with a deterministic demo school and open the TUI.

        Writes only into an empty database or one holding nothing but a demo. The same demo
        (size, seed, as-of) is reused; another demo is replaced only with --force, after a
        safety backup. Anything made outside the demo (an account, a pupil, a change-log
        event, a backup) makes it refuse, --force or not, naming what it found.

        Example: ejournal --db sqlite:///demo.db demo --size school --as-of 2026-11-20 --no-tui

        Example: ejournal --db sqlite:///demo.db demo --as-of 2027-03-01 --force --passphrase-file backup.key
        """
        from ejournal_tui.cli.progress import progress_bar
        from ejournal_tui.demo.generator import (
            DEMO_LOGINS,
            DEMO_PASSWORD,
            REPLACE,
            DemoOptions,
            generate,
            plan,
        )

        options = DemoOptions(size, seed, _parse_date(as_of) if as_of else None)
        engine, today, safety = STATE.engine(), date.today(), None
        if plan(engine, options, force=force, today=today) == REPLACE:  # refusals come before any prompt
            safety = _safety(engine, passphrase_file)
        with progress_bar("demo") as report:
            result = generate(engine, options, force=force, today=today, progress=report, safety=safety)
        what = "already in place" if result.reused else f"{result.rows} rows written"
        print(f"demo school{'s' if len(result.schools) > 1 else ''} {', '.join(result.schools)}: {what}")
        print(f"logins: {', '.join(DEMO_LOGINS)}; password for each: {DEMO_PASSWORD}")
        if len(result.schools) > 1:
            print(f"choose a school with --school, e.g. --school {result.schools[0]}")
        if not no_tui:
            from ejournal_tui.cli.entry import open_tui

            open_tui(school=STATE.school or result.schools[0])


def _safety(engine: Engine, passphrase_file: str | None) -> SafetyBackup:
    from ejournal_tui.cli.backup_cmd import read_passphrase
    from ejournal_tui.cli.safety import safety_folders
    from ejournal_tui.demo.generator import SafetyBackup

    passphrase = read_passphrase(passphrase_file)
    return SafetyBackup(safety_folders(), passphrase, lambda path: print(t("demo.safety", path=path)))


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"date {text!r}: use YYYY-MM-DD")
        raise

"""`ejournal demo`: a realistic demo school, then the TUI."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE, fail


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        size: Annotated[str, typer.Option("--size", help="small | school | large (ten schools)")] = "small",
        seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed and as-of, same data")] = 1,
        as_of: Annotated[str | None, typer.Option("--as-of", help="Date the school has reached (YYYY-MM-DD); default today")] = None,
        force: Annotated[bool, typer.Option("--force", help="Replace a database that holds non-demo data")] = False,
        no_tui: Annotated[bool, typer.Option("--no-tui", help="Only fill the database")] = False,
    ) -> None:
        """Fill the database with a deterministic demo school and open the TUI.

        Example: ejournal --db sqlite:///demo.db demo --size school --as-of 2026-11-20 --no-tui
        """
        from ejournal_tui.cli.progress import progress_bar
        from ejournal_tui.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, DemoOptions, generate

        day = _parse_date(as_of) if as_of else None
        engine = STATE.engine()
        with progress_bar("demo") as report:
            result = generate(engine, DemoOptions(size, seed, day), force=force, today=date.today(),
                              progress=report)
        what = "already in place" if result.reused else f"{result.rows} rows written"
        print(f"demo school{'s' if len(result.schools) > 1 else ''} {', '.join(result.schools)}: {what}")
        print(f"logins: {', '.join(DEMO_LOGINS)}; password for each: {DEMO_PASSWORD}")
        if len(result.schools) > 1:
            print(f"choose a school with --school, e.g. --school {result.schools[0]}")
        if not no_tui:
            from ejournal_tui.cli.entry import open_tui

            open_tui(school=STATE.school or result.schools[0])


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"date {text!r}: use YYYY-MM-DD")
        raise

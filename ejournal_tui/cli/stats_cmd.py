"""`ejournal stats`: counts of what the register holds."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats_cmd(
        klass: Annotated[str | None, typer.Option("--class", help="Only this class, e.g. 5А")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="With --class: the class of this academic year (by its first year)")] = None,
    ) -> None:
        """Counts: classes, students, staff, lessons, marks, absences, final_marks.

        Example: ejournal stats --class 5А --json
        """
        from ejournal_tui.services.stats import STAT_NAMES, school_stats

        db = STATE.database()
        with db.uow() as uow:
            counts = school_stats(uow, klass, year)
        if as_json:
            print(json.dumps(counts, ensure_ascii=False))
            return
        for name in STAT_NAMES:
            print(f"{name:<12} {counts[name]}")

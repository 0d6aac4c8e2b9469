"""`ejournal period list|close|reopen`: reporting periods and their closure."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE, one_line


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Reporting periods and their closure.", no_args_is_help=True)
    app.add_typer(group, name="period")

    @group.command("list")
    def list_cmd(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year, e.g. 2025")] = None,
    ) -> None:
        """Periods of the year with their dates and closure.

        Example: ejournal period list --json
        """
        from ejournal_tui.services.periods import list_periods

        db = STATE.database()
        with db.uow() as uow:
            periods = list_periods(uow, year)
        if as_json:
            print(json.dumps([{"code": p.code, "start": p.start.isoformat(), "end": p.end.isoformat(),
                               "status": p.status, "closed_classes": list(p.closed_classes)} for p in periods],
                             ensure_ascii=False))
            return
        for p in periods:
            closed = f" ({', '.join(p.closed_classes)})" if p.closed_classes and p.status != "closed" else ""
            print(f"{p.code:<3} {p.start} – {p.end}  {p.status}{closed}")

    @group.command("close")
    def close_cmd(
        period: str,
        klass: Annotated[str | None, typer.Option("--class", help="Only this class; default every class of the period")] = None,
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year")] = None,
        early: Annotated[bool, typer.Option("--early", help="Close before the period's last school day (needs --reason)")] = False,
        reason: Annotated[str, typer.Option("--reason", help="Why the period closes early (goes into the change log)")] = "",
    ) -> None:
        """Close a period: no more changes without a recorded reopening. Each class closes
        only when its checklist is clear (topics, absence reasons, enough marks or a final
        mark, every final mark), the same check as the TUI's closure screen. Before the
        period's last school day it closes only with --early and a reason.

        Example: ejournal period close Q1 --class 5А
        Example: ejournal period close Q2 --class 11А --early --reason "выпуск, приказ № 12"
        """
        from ejournal_tui.services.closure import close_classes

        if early and not reason.strip():
            raise typer.BadParameter("--early needs --reason \"…\" (why the period closes early)", param_hint="--reason")
        if reason.strip() and not early:
            raise typer.BadParameter("--reason is for an early closing: add --early", param_hint="--early")
        db = STATE.database()
        with db.uow() as uow:
            result = close_classes(uow, STATE.actor(db), period, klass, year, reason if early else "")
        code = period.strip().upper()
        if result.closed:
            print(f"{code} closed for {', '.join(result.closed)}")
        elif not result.refused:
            print(f"{code} was already closed")
        for refusal in result.refused:
            print(f"error: {one_line(refusal)}", file=sys.stderr)
        if result.refused:
            raise SystemExit(1)

    @group.command("reopen")
    def reopen_cmd(
        period: str,
        klass: Annotated[str, typer.Option("--class", help="The class, e.g. 5А")],
        reason: Annotated[str, typer.Option("--reason", help="Why it is reopened (goes into the change log)")],
        year: Annotated[int | None, typer.Option("--year", min=1990, max=2100, help="Academic year by its first year")] = None,
    ) -> None:
        """Reopen a closed period for one class, with a reason.

        Example: ejournal period reopen Q1 --class 5А --reason "исправление ошибки в оценке"
        """
        from ejournal_tui.services.periods import reopen_period

        db = STATE.database()
        with db.uow() as uow:
            changed = reopen_period(uow, STATE.actor(db), period, klass, reason, year)
        print(f"{period.upper()} reopened for {klass}" if changed else f"{period.upper()} was not closed for {klass}")

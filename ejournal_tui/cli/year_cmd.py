"""`ejournal year list|new …`: the school's academic years and the rollover into the next one.
The calendar of a year (periods, holidays) is edited by the commands of cli/calendar_cmd.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ejournal_tui.cli import calendar_cmd
from ejournal_tui.cli.state import STATE


def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """The school's academic years, the running one marked.

    Example: ejournal year list --json
    """
    from ejournal_tui.services.years import list_years

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        years = list_years(uow)
    if as_json:
        print(json.dumps([{"year": y.start_year, "name": y.name, "start": y.start.isoformat(),
                           "end": y.end.isoformat(), "classes": y.classes, "pupils": y.pupils,
                           "current": y.current} for y in years], ensure_ascii=False))
        return
    for y in years:
        mark = "*" if y.current else " "
        print(f"{mark} {y.name}  {y.start} – {y.end}  classes: {y.classes}  pupils: {y.pupils}")


def new_cmd(
    year: Annotated[int, typer.Argument(min=2000, max=2100, help="The new academic year by its first year, e.g. 2027")],
    keep_back: Annotated[Path | None, typer.Option("--keep-back", help="XLSX/CSV of pupils kept back: ФИО, Класс")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen, change nothing")] = False,
    no_groups: Annotated[bool, typer.Option("--no-groups", help="Do not carry the groups over")] = False,
    passphrase_file: Annotated[str | None, typer.Option("--passphrase-file", metavar="FILE", help="Passphrase of the safety backup (else EJOURNAL_BACKUP_PASSPHRASE or a prompt)")] = None,
) -> None:
    """Roll the school over into a new academic year: a safety backup first, then every class
    moves up a grade (5А → 6А) with its leader and groups, the last grade leaves, pupils in
    --keep-back stay in their grade. Import the new load, timetable and plans with --year.

    Example: ejournal year new 2027 --keep-back kept-back.xlsx --dry-run
    """
    from ejournal_tui.cli.safety import safety_backup
    from ejournal_tui.services.imports import ImportRejected
    from ejournal_tui.services.rollover import roll_over

    db = STATE.database()
    actor = STATE.actor(db)
    try:
        report = roll_over(db, actor, year, keep_back, dry_run=True, carry_groups=not no_groups)
    except ImportRejected as exc:
        for problem in exc.problems:
            print(f"{exc.params['file']}: {problem}", file=sys.stderr)
        raise
    if not dry_run:
        print(f"safety backup: {safety_backup(passphrase_file)}")
        report = roll_over(db, actor, year, keep_back, carry_groups=not no_groups)
    _print(report)


def _print(report) -> None:  # noqa: ANN001 - a RolloverReport
    head = "would open" if report.dry_run else "opened"
    print(f"{head} {report.start_year}/{report.start_year + 1}: {len(report.promoted)} classes moved up, "
          f"{report.pupils_moved} pupils moved, {report.graduated} graduated, {len(report.kept_back)} kept back, "
          f"{report.groups} groups carried over" + (" (dry run: nothing written)" if report.dry_run else ""))
    for old, new in report.promoted:
        print(f"  {old} → {new}")
    for name in report.kept_back:
        print(f"  kept back: {name}")
    if not report.dry_run:
        print(f"next: ejournal import load|timetable|plan FILE --year {report.start_year}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Academic years: list, the calendar, rollover into the next year.", no_args_is_help=True)
    app.add_typer(group, name="year")
    group.command("list")(list_cmd)
    group.command("new")(new_cmd)
    calendar_cmd.add_commands(group)

"""`ejournal year periods|set-period|holidays|holiday-add|holiday-edit|holiday-remove`: a
year's calendar, edited with the rules of domain/calendar_rules (added to the `year` group of
cli/year_cmd.py). The work is done by services/year_calendar.py; refusals are its typed
errors, which the CLI guard prints as one `error:` line."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer

from ejournal_tui.cli.state import STATE, fail
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "ycal.cli_yes": ("повторите с --yes, чтобы подтвердить", "repeat with --yes to confirm"),
})


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}: use YYYY-MM-DD, e.g. 2026-11-05") from exc


YearOpt = Annotated[int | None, typer.Option("--year", min=1990, max=2100,
                                             help="Academic year by its first year, e.g. 2026; default the current one")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Confirm a holiday over days that already hold lessons")]
StartOpt = Annotated[date, typer.Option("--start", parser=_day, metavar="YYYY-MM-DD", help="First day")]
EndOpt = Annotated[date, typer.Option("--end", parser=_day, metavar="YYYY-MM-DD", help="Last day")]


def _span(start: date, end: date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def _confirmed(call: Any) -> Any:
    """Run a holiday change; one that needs confirmation says how to give it."""
    from ejournal_tui.services.year_calendar import NeedsConfirmation

    try:
        return call()
    except NeedsConfirmation as exc:
        fail(f"{exc}; {Phrase('ycal.cli_yes')}")


def add_commands(group: typer.Typer) -> None:
    """Add the calendar commands to the `year` group."""
    for name, command in (("periods", periods_cmd), ("set-period", set_period_cmd), ("holidays", holidays_cmd),
                          ("holiday-add", holiday_add_cmd), ("holiday-edit", holiday_edit_cmd),
                          ("holiday-remove", holiday_remove_cmd)):
        group.command(name)(command)


def periods_cmd(year: YearOpt = None, as_json: JsonOpt = False) -> None:
    """The year's reporting periods and their dates.

    Example: ejournal year periods --year 2026 --json
    """
    from ejournal_tui.services.periods import list_periods

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        periods = list_periods(uow, year)
    if as_json:
        print(json.dumps([{"code": p.code, "start": p.start.isoformat(), "end": p.end.isoformat()} for p in periods]))
        return
    for p in periods:
        print(f"{p.code:<3} {_span(p.start, p.end)}")


def set_period_cmd(code: Annotated[str, typer.Argument(metavar="CODE", help="Q1–Q4, H1–H2 or Y")], start: StartOpt, end: EndOpt,
                   year: YearOpt = None) -> None:
    """Give a period new dates. Moving a quarter moves the half-year edge it shares (H1 runs
    from Q1's first day to Q2's last, H2 from Q3's to Q4's), and Y with the year where Q1's
    first or Q4's last day was Y's; Y sets the year's first and last day. Refused, with
    nothing changed, when quarters would overlap, fall out of order or outside the year.

    Example: ejournal year set-period Q2 --start 2026-11-05 --end 2026-12-27 --year 2026
    """
    from ejournal_tui.services.year_calendar import set_period_dates

    db = STATE.database()
    with db.uow() as uow:
        moved = set_period_dates(uow, STATE.actor(db), code, start, end, year)
    if not moved:
        print(f"{code.strip().upper()} already {_span(start, end)}")
    for moved_code, (a, b) in moved.items():
        print(f"{moved_code:<3} {_span(a, b)}")


def holidays_cmd(year: YearOpt = None, as_json: JsonOpt = False) -> None:
    """The year's holidays with their ids (for holiday-edit and holiday-remove).

    Example: ejournal year holidays --year 2026
    """
    from ejournal_tui.services.year_calendar import holidays

    db = STATE.database()
    with db.uow(read_only=True) as uow:
        rows = holidays(uow, year)
    if as_json:
        print(json.dumps([{"id": h.id, "start": h.start.isoformat(), "end": h.end.isoformat(), "name": h.name}
                          for h in rows], ensure_ascii=False))
        return
    for h in rows:
        print(f"{h.id:>4} {_span(h.start, h.end)}  {h.name}")


def holiday_add_cmd(start: StartOpt, end: EndOpt, name: Annotated[str, typer.Option("--name", help="What it is")],
                    year: YearOpt = None, yes: YesOpt = False) -> None:
    """Add a holiday. It lies inside the year and off the quarters' days, except a one-day
    public holiday; over days that already hold lessons it needs --yes.

    Example: ejournal year holiday-add --start 2027-02-16 --end 2027-02-16 --name "Карантин" --yes
    """
    from ejournal_tui.services.year_calendar import add_holiday

    db = STATE.database()
    with db.uow() as uow:
        new_id = _confirmed(lambda: add_holiday(uow, STATE.actor(db), start, end, name, year, confirm=yes))
    print(f"holiday {new_id} added: {_span(start, end)} {name.strip()}")


def holiday_edit_cmd(
    holiday_id: Annotated[int, typer.Argument(min=1, max=2**62, metavar="ID", help="From `year holidays`")],
    start: Annotated[date | None, typer.Option("--start", parser=_day, metavar="YYYY-MM-DD", help="New first day")] = None,
    end: Annotated[date | None, typer.Option("--end", parser=_day, metavar="YYYY-MM-DD", help="New last day")] = None,
    name: Annotated[str | None, typer.Option("--name", help="New name")] = None,
    yes: YesOpt = False,
) -> None:
    """Change a holiday's dates or name (what is not given stays), under the same rules as
    holiday-add; days it newly covers that hold lessons need --yes.

    Example: ejournal year holiday-edit 5 --start 2027-03-23 --end 2027-03-31
    """
    from ejournal_tui.services.year_calendar import edit_holiday

    db = STATE.database()
    with db.uow() as uow:
        info = _confirmed(lambda: edit_holiday(uow, STATE.actor(db), holiday_id, start, end, name, confirm=yes))
    print(f"holiday {info.id}: {_span(info.start, info.end)} {info.name}")


def holiday_remove_cmd(
    holiday_id: Annotated[int, typer.Argument(min=1, max=2**62, metavar="ID", help="From `year holidays`")],
) -> None:
    """Remove a holiday: its days become school days again.

    Example: ejournal year holiday-remove 5
    """
    from ejournal_tui.services.year_calendar import remove_holiday

    db = STATE.database()
    with db.uow() as uow:
        remove_holiday(uow, STATE.actor(db), holiday_id)
    print(f"holiday {holiday_id} removed")

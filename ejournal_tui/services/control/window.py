"""The stretch of school days a control report covers: a reporting period, or one month or
one week of it, counted up to the day before the as-of date (today's lessons may still be
going on), and the timetable's lessons due in any stretch of it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput, NotFound
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.lookup import current_year, find_period

KIND_PERIOD = "period"
KIND_MONTH = "month"
KIND_WEEK = "week"

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Window:
    """What a report counts: lessons dated `start`…`counted_to` of the period `period`."""

    period: str
    kind: str
    start: date
    end: date
    as_of: date
    counted_to: date
    period_start: date
    period_end: date
    year_id: int
    year_start: date
    six_day: bool
    holidays: tuple[tuple[date, date], ...]

    @property
    def empty(self) -> bool:
        return self.counted_to < self.start

    @property
    def whole_period(self) -> bool:
        return self.start == self.period_start and self.counted_to >= self.period_end

    def weekdays(self, start: date, end: date) -> Counter[int]:
        """School days from `start` to `end` by ISO weekday (1 = Monday)."""
        days = cal.school_days(start, end, list(self.holidays), self.six_day)
        return Counter(d.isoweekday() for d in days)

    def school_days(self, start: date | None = None, end: date | None = None) -> list[date]:
        a, b = start or self.start, end or self.counted_to
        return list(cal.school_days(a, b, list(self.holidays), self.six_day))


def parse_month(text: str) -> tuple[date, date]:
    """'2026-11' -> first and last day of the month; anything else is an input error."""
    match = _MONTH.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput(what=Phrase("control.bad_month", text=text))
    first = date(int(match.group(1)), int(match.group(2)), 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def parse_day(text: str, what: str = "date") -> date:
    """An ISO date; `what` names the field in the refusal: date, week or as-of date."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise InvalidInput(what=Phrase("control.bad_day", what=Phrase(f"control.field.{what}"), text=text)) from exc


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _year(uow: UnitOfWork, year: int | None, today: date) -> m.AcademicYear:
    if year is not None:
        return current_year(uow, year)
    try:
        return current_year(uow, cal.academic_year_of(today))
    except NotFound:
        return current_year(uow)


def resolve_window(
    uow: UnitOfWork, period: str, *, month: str | None = None, week: date | str | None = None,
    year: int | None = None, as_of: date | None = None,
) -> Window:
    """The window of a report; raises a typed error for an unknown period or a bad month."""
    if month and week:
        raise InvalidInput(what=Phrase("control.month_or_week"))
    today = as_of or uow.today()
    ay = _year(uow, year, today)
    p = find_period(uow, period, ay)
    start, end, kind = p.start, p.end, KIND_PERIOD
    if month:
        start, end, kind = *parse_month(month), KIND_MONTH
    elif week:
        day = week if isinstance(week, date) else parse_day(week, "week")
        start, end, kind = *week_of(day), KIND_WEEK
    start, end = max(start, p.start), min(end, p.end)
    if start > end:
        raise InvalidInput(what=Phrase(f"control.outside.{kind}", code=p.code, start=p.start, end=p.end))
    holidays = uow.session.execute(
        select(m.Holiday.start, m.Holiday.end).where(m.Holiday.school_id == uow.school_id,
                                                     m.Holiday.year_id == ay.id)
    ).all()
    counted_to = min(end, today - timedelta(days=1))
    return Window(p.code, kind, start, end, today, counted_to, p.start, p.end, ay.id, ay.start,  # type: ignore[arg-type]
                  ay.six_day_week, tuple((a, b) for a, b in holidays))

"""A year's calendar, kept by the deputy director or the administrator: the dates of the
reporting periods and the holidays, for the current academic year or any other one.

Every change is checked against the rules of `domain.calendar_rules` and refused
(`InvalidInput`, nothing written) when it would add a problem; moving a quarter moves the
half-year (and the year) edge it shares. A holiday over days that already hold lessons is
written only when confirmed (`NeedsConfirmation` says how many lessons). Every change
checks `manage_school`, is recorded in the change log, and commits alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import calendar_rules as rules
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Joined, Phrase, register_many
from ejournal_tui.services import (
    admin_texts,  # noqa: F401 - registers the keepers' words
    audit,
)
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year
from ejournal_tui.services.phrases import noun

register_many({
    "ycal.needs_confirmation": (
        "на {start} – {end} в журнале уже есть уроки ({lessons}): каникулы «{name}» на эти дни нужно подтвердить",
        "{lessons} lessons are already in the register on {start} – {end}: the holiday '{name}' over them "
        "needs confirmation",
    ),
})

Span = tuple[date, date]


class NeedsConfirmation(InvalidInput):
    """A change that is allowed but touches recorded work: the caller asks the user and
    repeats it with `confirm=True`. `lessons` says how many lessons it touches."""

    key = "ycal.needs_confirmation"

    @property
    def lessons(self) -> int:
        lessons = self.params.get("lessons", 0)
        return lessons if isinstance(lessons, int) else 0


@dataclass(frozen=True)
class HolidayInfo:
    id: int
    start: date
    end: date
    name: str


class _Calendar(NamedTuple):
    year: Span
    periods: dict[str, Span]
    holidays: list[rules.HolidayRow]


def _require(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("adm.keepers"))


def _period_rows(uow: UnitOfWork, year: m.AcademicYear) -> dict[str, m.Period]:
    return {p.code: p for p in uow.session.scalars(select(m.Period).where(m.Period.year_id == year.id))}


def _holiday_rows(uow: UnitOfWork, year_id: int) -> list[m.Holiday]:
    H = m.Holiday
    return list(uow.session.scalars(select(H).where(H.year_id == year_id).order_by(H.start, H.id)))


def _calendar(uow: UnitOfWork, year: m.AcademicYear) -> _Calendar:
    periods = {code: (p.start, p.end) for code, p in _period_rows(uow, year).items()}
    holidays = [(h.start, h.end, h.name) for h in _holiday_rows(uow, year.id)]  # type: ignore[arg-type]
    return _Calendar((year.start, year.end), periods, holidays)


def _refuse_new_problems(year: m.AcademicYear, before: _Calendar, after: _Calendar) -> None:
    found = [rules.calendar_problems(*c, start_year=year.start_year) for c in (before, after)]
    added = rules.added_problems(*found)
    if added:
        raise InvalidInput(what=Joined(added, "; "))


def _holiday(uow: UnitOfWork, holiday_id: int) -> m.Holiday:
    row = uow.session.get(m.Holiday, holiday_id)
    if row is None or row.school_id != uow.school_id:
        raise NotFound(what=noun("holiday", id=holiday_id))
    return row


def _lessons_on(uow: UnitOfWork, start: date, end: date, already: Span | None = None) -> int:
    """Lessons of the school on these days (leaving out the days `already` a holiday)."""
    L = m.Lesson
    stmt = select(func.count(L.id)).where(L.school_id == uow.school_id, L.date >= start, L.date <= end)
    if already is not None:
        stmt = stmt.where(or_(L.date < already[0], L.date > already[1]))
    return int(uow.session.execute(stmt).scalar() or 0)


def _confirm_lessons(uow: UnitOfWork, row: rules.HolidayRow, confirm: bool, already: Span | None = None) -> int:
    lessons = _lessons_on(uow, row[0], row[1], already)
    if lessons and not confirm:
        raise NeedsConfirmation(lessons=lessons, start=row[0], end=row[1], name=row[2])
    return lessons


def _span_json(span: Span) -> dict[str, date]:
    return {"start": span[0], "end": span[1]}


# --- periods --------------------------------------------------------------------------

def set_period_dates(uow: UnitOfWork, actor: Actor, code: str, start: date, end: date,
                     start_year: int | None = None) -> dict[str, Span]:
    """Give a period new dates; returns every period that moved (a half-year or Y moves
    with the quarter edge it shares), by code."""
    _require(actor)
    code = cal.normalize_period(code)
    year = current_year(uow, start_year)
    rows = _period_rows(uow, year)
    if code not in rows:
        raise NotFound(what=noun("period", code=code))
    before = _calendar(uow, year)
    year_span, periods = rules.propose_period_change(before.year, before.periods, code, (start, end))
    _refuse_new_problems(year, before, _Calendar(year_span, periods, before.holidays))
    moved = {c: periods[c] for c in cal.ALL_PERIODS if c in periods and periods[c] != before.periods[c]}
    for c, span in moved.items():
        rows[c].start, rows[c].end = span
        # a half-year or Y that followed names the period that moved it
        after = _span_json(span) | ({} if c == code else {"with": code})
        audit.record(uow, actor, "period.dates", entity="period", entity_id=rows[c].id,
                     before=_span_json(before.periods[c]), after=after)
    if year_span != before.year:
        year.start, year.end = year_span
        audit.record(uow, actor, "year.dates", entity="academicyear", entity_id=year.id,
                     before=_span_json(before.year), after=_span_json(year_span) | {"with": code})
    uow.commit()
    return moved


# --- holidays -------------------------------------------------------------------------

def holidays(uow: UnitOfWork, start_year: int | None = None) -> list[HolidayInfo]:
    rows = _holiday_rows(uow, current_year(uow, start_year).id)  # type: ignore[arg-type]
    return [HolidayInfo(h.id, h.start, h.end, h.name) for h in rows]  # type: ignore[arg-type]


def add_holiday(uow: UnitOfWork, actor: Actor, start: date, end: date, name: str, start_year: int | None = None,
                confirm: bool = False) -> int:
    """A new holiday of the year; over days with lessons only when `confirm`."""
    _require(actor)
    year = current_year(uow, start_year)
    row = (start, end, (name or "").strip())
    before = _calendar(uow, year)
    _refuse_new_problems(year, before, before._replace(holidays=[*before.holidays, row]))
    lessons = _confirm_lessons(uow, row, confirm)
    holiday = m.Holiday(school_id=uow.school_id, year_id=year.id, start=start, end=end, name=row[2])  # type: ignore[arg-type]
    uow.session.add(holiday)
    uow.session.flush()
    after = {"start": start, "end": end, "name": row[2]} | ({"lessons": lessons} if lessons else {})
    audit.record(uow, actor, "holiday.add", entity="holiday", entity_id=holiday.id, after=after)
    uow.commit()
    return holiday.id  # type: ignore[return-value]


def edit_holiday(uow: UnitOfWork, actor: Actor, holiday_id: int, start: date | None = None, end: date | None = None,
                 name: str | None = None, confirm: bool = False) -> HolidayInfo:
    """New dates or name for a holiday (what is not given stays); days it newly covers that
    hold lessons need `confirm`."""
    _require(actor)
    holiday = _holiday(uow, holiday_id)
    year = uow.session.get_one(m.AcademicYear, holiday.year_id)
    old: rules.HolidayRow = (holiday.start, holiday.end, holiday.name)
    new = (start or old[0], end or old[1], old[2] if name is None else name.strip())
    before = _calendar(uow, year)
    others = list(before.holidays)
    others.remove(old)
    _refuse_new_problems(year, before, before._replace(holidays=[*others, new]))
    lessons = _confirm_lessons(uow, new, confirm, already=old[:2])
    holiday.start, holiday.end, holiday.name = new
    after = {"start": new[0], "end": new[1], "name": new[2]} | ({"lessons": lessons} if lessons else {})
    audit.record(uow, actor, "holiday.edit", entity="holiday", entity_id=holiday_id,
                 before={"start": old[0], "end": old[1], "name": old[2]}, after=after)
    uow.commit()
    return HolidayInfo(holiday_id, *new)


def remove_holiday(uow: UnitOfWork, actor: Actor, holiday_id: int) -> None:
    """Removing a holiday breaks no rule: the days become school days again."""
    _require(actor)
    row = _holiday(uow, holiday_id)
    uow.session.delete(row)
    audit.record(uow, actor, "holiday.remove", entity="holiday", entity_id=holiday_id,
                 before={"start": row.start, "end": row.end, "name": row.name})
    uow.commit()

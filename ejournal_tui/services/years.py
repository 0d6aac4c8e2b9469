"""The school's academic years: making one with the default calendar, listing them, and
which year a piece of work belongs to.

"The current year" is the newest year that has begun (before its first day, the one
before it); a year with a newer year begun after it is past: it stays readable and
printable and takes no more lesson entries (DOMAIN.md, "Rollover").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.phrases import noun

register_many({
    "year.exists": ("учебный год {start}/{end} уже есть", "the academic year {start}/{end} already exists"),
    "year.between": (
        "сегодня {today} — между учебными годами: {old} закончился {ended}, {new} начинается {starts}; "
        "укажите, для какого года файл: --year {old_start} или --year {new_start}",
        "today, {today}, is between academic years: {old} ended on {ended} and {new} starts on {starts}; "
        "say which year the file is for: --year {old_start} or --year {new_start}",
    ),
    "year.past_lessons": (
        "учебный год {name} завершён (начался {newer}): уроки в нём больше не ведутся",
        "the academic year {name} is over ({newer} has begun): it takes no more lesson entries",
    ),
    "year.outside": ("дата {day} вне учебного года {name} ({start} – {end})",
                     "{day} is outside the academic year {name} ({start} – {end})"),
})


def year_name(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"


@dataclass(frozen=True)
class YearInfo:
    start_year: int
    start: date
    end: date
    classes: int
    pupils: int
    current: bool

    @property
    def name(self) -> str:
        return year_name(self.start_year)


def all_years(uow: UnitOfWork) -> list[m.AcademicYear]:
    Y = m.AcademicYear
    return list(uow.session.scalars(select(Y).where(Y.school_id == uow.school_id).order_by(Y.start_year)))


def running_year(years: list[m.AcademicYear], today: date) -> m.AcademicYear | None:
    """The newest year whose first day has come, else the oldest (a school set up in summer
    for September works in its first year from the day it is made)."""
    begun = [y for y in years if y.start <= today]
    return begun[-1] if begun else (years[0] if years else None)


def add_year(uow: UnitOfWork, start_year: int) -> m.AcademicYear:
    """A new academic year with the default calendar (periods and holidays, editable)."""
    Y = m.AcademicYear
    taken = uow.session.scalars(select(Y.id).where(Y.school_id == uow.school_id, Y.start_year == start_year)).first()
    if taken is not None:
        raise InvalidInput(what=Phrase("year.exists", start=start_year, end=start_year + 1))
    spans = cal.default_periods(start_year)
    # stored: from the first day of Q1 to the last of Q4; the academic year itself runs on to
    # 31 August (exams, final marks, the summary), which is where lessons and memberships stop
    year = Y(school_id=uow.school_id, start_year=start_year, start=spans["Y"].start, end=spans["Y"].end)
    uow.session.add(year)
    uow.session.flush()
    for span in spans.values():
        uow.session.add(m.Period(school_id=uow.school_id, year_id=year.id, code=span.code,  # type: ignore[arg-type]
                                 start=span.start, end=span.end))
    for a, b, name in cal.default_holidays(start_year):
        uow.session.add(m.Holiday(school_id=uow.school_id, year_id=year.id, start=a, end=b, name=name))  # type: ignore[arg-type]
    uow.session.flush()
    return year


def list_years(uow: UnitOfWork) -> list[YearInfo]:
    years = all_years(uow)
    current = running_year(years, uow.today())
    C, Ms = m.SchoolClass, m.Membership
    classes = dict(uow.session.execute(select(C.year_id, func.count(C.id)).where(C.school_id == uow.school_id)
                                       .group_by(C.year_id)).all())
    pupils = dict(uow.session.execute(
        select(C.year_id, func.count(func.distinct(Ms.pupil_id))).join(Ms, Ms.class_id == C.id)
        .where(C.school_id == uow.school_id).group_by(C.year_id)).all())
    return [YearInfo(y.start_year, y.start, y.end, classes.get(y.id, 0), pupils.get(y.id, 0),
                     current is not None and y.id == current.id) for y in years]


def year_for_work(uow: UnitOfWork, start_year: int | None) -> m.AcademicYear:
    """The year an import (or another piece of a year's set-up) is for: the one asked for,
    which must exist; else the running one, unless today falls after its last period and
    before the next September, when the choice is the user's (a pupils' file prepared in
    August is for the coming year, a late correction for the ending one)."""
    years = all_years(uow)
    if start_year is not None:
        for year in years:
            if year.start_year == start_year:
                return year
        raise NotFound(what=noun("academic_year_of", start=start_year, end=start_year + 1))
    today = uow.today()
    year = running_year(years, today)
    if year is None:
        raise NotFound(what=noun("academic_year"))
    if today > year.end and today < date(year.start_year + 1, 9, 1):
        nxt = year.start_year + 1
        raise InvalidInput(what=Phrase("year.between", today=today, old=year_name(year.start_year), ended=year.end,
                                       new=year_name(nxt), starts=date(nxt, 9, 1), old_start=year.start_year,
                                       new_start=nxt))
    return year


def newer_year_begun(uow: UnitOfWork, year_id: int) -> m.AcademicYear | None:
    """A year after this one that has begun (so this one is past), else None."""
    Y = m.AcademicYear
    this = uow.session.get(Y, year_id)
    if this is None:
        return None
    return uow.session.scalars(select(Y).where(Y.school_id == this.school_id, Y.start_year > this.start_year,
                                               Y.start <= uow.today()).order_by(Y.start_year)).first()


def check_lesson_year(uow: UnitOfWork, year: m.AcademicYear, day: date) -> None:
    """A lesson belongs inside its class's year (1 September to 31 August), and only a year
    that is not past takes lessons."""
    last = date(year.start_year + 1, 8, 31)
    if not year.start <= day <= last:
        raise InvalidInput(what=Phrase("year.outside", day=day, name=year_name(year.start_year), start=year.start,
                                       end=last))
    newer = newer_year_begun(uow, year.id)  # type: ignore[arg-type]
    if newer is not None:
        raise InvalidInput(what=Phrase("year.past_lessons", name=year_name(year.start_year),
                                       newer=year_name(newer.start_year)))

"""The school year's calendar: reporting periods, grade bands, deadlines.

Grades 1–9 are certified by quarters (Q1–Q4), grades 10–11 by half-years (H1–H2); both have
the year (Y). Deadlines for marks depend on the kind of work and the grade; lessons and
homework have their own windows (DOMAIN.md, "Lessons, marks, attendance").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ejournal_tui.domain.errors import InvalidInput, WrongBand
from ejournal_tui.domain.settings import RuleSettings
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "cal.bad_period": ("период «{code}»: используйте Q1–Q4, H1–H2 или Y", "period {code!r}: use Q1–Q4, H1–H2 or Y"),
})

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
HALVES = ("H1", "H2")
YEAR = "Y"
ALL_PERIODS = QUARTERS + HALVES + (YEAR,)

# the periods as people name them (a quarter's mark is «четвертная»): on screen, in the change
# log and on the printed forms; the codes stay the command line's
PERIOD_NAMES: dict[str, tuple[str, str]] = {
    "Q1": ("I четверть", "1st quarter"), "Q2": ("II четверть", "2nd quarter"),
    "Q3": ("III четверть", "3rd quarter"), "Q4": ("IV четверть", "4th quarter"),
    "H1": ("I полугодие", "1st half-year"), "H2": ("II полугодие", "2nd half-year"),
    "Y": ("учебный год", "school year"),
}
register_many({f"period.name.{code}": words for code, words in PERIOD_NAMES.items()})


def period_name(code: str) -> Phrase | str:
    """The period in words, in the language of the moment it is shown; an unknown code as it is."""
    return Phrase(f"period.name.{code}") if code in PERIOD_NAMES else code

BAND_QUARTER = "quarter"
BAND_HALF = "half"
BAND_YEAR = "year"


@dataclass(frozen=True)
class PeriodSpan:
    code: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def band_for_grade(grade: int, settings: RuleSettings) -> str:
    return BAND_QUARTER if grade <= settings.quarters_up_to_grade else BAND_HALF


def band_of_period(code: str) -> str:
    if code in QUARTERS:
        return BAND_QUARTER
    if code in HALVES:
        return BAND_HALF
    if code == YEAR:
        return BAND_YEAR
    raise InvalidInput(what=Phrase("cal.bad_period", code=code))


def normalize_period(code: str) -> str:
    """'q1', 'I', '1ч' are not guessed: only the contract's codes, any case."""
    value = (code or "").strip().upper()
    band_of_period(value)
    return value


def periods_for_grade(grade: int, settings: RuleSettings) -> tuple[str, ...]:
    band = band_for_grade(grade, settings)
    return QUARTERS if band == BAND_QUARTER else HALVES


def check_period_applies(code: str, grade: int, class_name: str, settings: RuleSettings) -> None:
    """A quarter for a half-year class (or the reverse) is an error naming the right ones."""
    if code == YEAR:
        return
    valid = periods_for_grade(grade, settings)
    if code not in valid:
        raise WrongBand(period=code, klass=class_name, valid=", ".join(valid + (YEAR,)))


def ends_year(code: str) -> bool:
    """A register of this period is the year's last one: the fourth quarter, the second
    half-year, or the year itself (DOMAIN.md, "Printed forms": at year end the lessons pages
    add lessons planned / held / lag)."""
    return code in (QUARTERS[-1], HALVES[-1], YEAR)


def default_periods(start_year: int) -> dict[str, PeriodSpan]:
    """A typical Russian school calendar for the year starting 1 September `start_year`."""
    y, n = start_year, start_year + 1
    spans = [
        PeriodSpan("Q1", date(y, 9, 1), date(y, 10, 24)),
        PeriodSpan("Q2", date(y, 11, 5), date(y, 12, 28)),
        PeriodSpan("Q3", date(n, 1, 9), date(n, 3, 21)),
        PeriodSpan("Q4", date(n, 3, 31), date(n, 5, 26)),
        PeriodSpan("H1", date(y, 9, 1), date(y, 12, 28)),
        PeriodSpan("H2", date(n, 1, 9), date(n, 5, 26)),
        PeriodSpan("Y", date(y, 9, 1), date(n, 5, 26)),
    ]
    return {s.code: s for s in spans}


def default_holidays(start_year: int) -> list[tuple[date, date, str]]:
    y, n = start_year, start_year + 1
    return [
        (date(y, 10, 25), date(y, 11, 4), "Осенние каникулы"),
        (date(y, 12, 29), date(n, 1, 8), "Зимние каникулы"),
        (date(n, 2, 23), date(n, 2, 23), "День защитника Отечества"),
        (date(n, 3, 8), date(n, 3, 8), "Международный женский день"),
        (date(n, 3, 22), date(n, 3, 30), "Весенние каникулы"),
        (date(n, 5, 1), date(n, 5, 1), "Праздник Весны и Труда"),
        (date(n, 5, 9), date(n, 5, 9), "День Победы"),
    ]


def academic_year_of(day: date) -> int:
    """The academic year a date belongs to: September–August, named by its first year."""
    return day.year if day.month >= 9 else day.year - 1


def mark_deadline_days(category: str, grade: int, settings: RuleSettings) -> int:
    """Days after the lesson within which a mark of this kind of work must be entered."""
    if category == "oral":
        return settings.oral_deadline_days
    if grade >= settings.written_senior_from_grade:
        return settings.written_deadline_days_senior
    return settings.written_deadline_days_junior


def days_late(lesson_day: date, entered: date, allowed_days: int) -> int:
    """How many days past its window an entry is (0 when on time)."""
    return max(0, (entered - lesson_day).days - allowed_days)


def homework_deadline(lesson_day: date, last_lesson_end: time, settings: RuleSettings) -> datetime:
    """Homework is due this long after the class's last lesson of the day (local time)."""
    end = datetime.combine(lesson_day, last_lesson_end)
    return end + timedelta(hours=settings.homework_hours_after_last_lesson)


def final_marks_due(period_end: date, settings: RuleSettings) -> date:
    return period_end + timedelta(days=settings.final_marks_days_after_period)


FINAL_MARKS_FROM_DAYS_BEFORE_END = 6  # the period's last week


def final_mark_out_of_window(day: date, period_end: date, settings: RuleSettings) -> bool:
    """Final marks belong to the period's last week and the days allowed after it."""
    opens = period_end - timedelta(days=FINAL_MARKS_FROM_DAYS_BEFORE_END)
    return not opens <= day <= final_marks_due(period_end, settings)


def school_days(start: date, end: date, holidays: list[tuple[date, date]], six_day: bool = False):
    """Dates from start to end that are neither Sundays (and Saturdays in a five-day week)
    nor inside a holiday."""
    day = start
    last_weekday = 5 if six_day else 4
    while day <= end:
        if day.weekday() <= last_weekday and not any(a <= day <= b for a, b in holidays):
            yield day
        day += timedelta(days=1)


def last_school_day(start: date, end: date, holidays: list[tuple[date, date]], six_day: bool = False) -> date:
    """The period's last day with lessons (its `end` when that is a school day)."""
    day = end
    last_weekday = 5 if six_day else 4
    while day > start and (day.weekday() > last_weekday or any(a <= day <= b for a, b in holidays)):
        day -= timedelta(days=1)
    return day


def closing_early(today: date, last_day: date) -> bool:
    """A period closes on its last school day or later (001 4.1: the copies are printed the day
    before it); before that only as an early closing with a recorded reason."""
    return today < last_day

"""The rules of a year's calendar (domain/calendar_rules.py): the default calendar keeps
them every year; each broken rule is named with its periods and dates.

Every broken calendar below passes the checks the services made before these rules (a
period's last day after its first, a holiday's last day not before its first): `_old_check`
says so, so each test shows a calendar that used to be stored without a word."""

from __future__ import annotations

from datetime import date

import pytest

from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.calendar_rules import (
    academic_frame,
    added_problems,
    calendar_problems,
    propose_period_change,
)
from ejournal_tui.i18n import language, set_language

Y26 = (date(2026, 9, 1), date(2027, 5, 26))


@pytest.fixture(autouse=True)
def _restore_language():  # noqa: ANN202
    before = language()
    yield
    set_language(before)


def _periods(start_year: int = 2026) -> dict[str, tuple[date, date]]:
    return {code: (span.start, span.end) for code, span in cal.default_periods(start_year).items()}


def _holidays(start_year: int = 2026) -> list[tuple[date, date, str]]:
    return cal.default_holidays(start_year)


def _old_check(periods: dict, holidays: list) -> bool:
    """What `set_period_dates` and `add_holiday` checked before the rules."""
    return all(b > a for a, b in periods.values()) and all(b >= a for a, b, _ in holidays)


def _texts(problems: list) -> list[str]:
    return [str(p) for p in problems]


@pytest.mark.parametrize("start_year", range(2025, 2031))
def test_the_default_calendar_keeps_every_rule(start_year: int) -> None:
    periods = _periods(start_year)
    assert calendar_problems(periods["Y"], periods, _holidays(start_year), start_year=start_year) == []


def test_overlapping_quarters_are_named_with_their_dates() -> None:
    periods = _periods() | {"Q2": (date(2026, 11, 5), date(2027, 1, 15))}
    periods["H1"] = (date(2026, 9, 1), date(2027, 1, 15))  # the half-year follows Q2
    assert _old_check(periods, [])
    texts = _texts(calendar_problems(Y26, periods, []))
    assert texts == ["Q2 (2026-11-05 – 2027-01-15) overlaps Q3 (2027-01-09 – 2027-03-21)"]


def test_quarters_out_of_order() -> None:
    periods = _periods() | {"Q3": (date(2026, 10, 1), date(2026, 10, 20))}
    assert _old_check(periods, [])
    texts = _texts(calendar_problems(Y26, periods, []))
    assert "Q3 (2026-10-01 – 2026-10-20) starts before Q2 (2026-11-05 – 2026-12-28): the quarters go in order" in texts
    assert "Q1 (2026-09-01 – 2026-10-24) overlaps Q3 (2026-10-01 – 2026-10-20)" in texts


def test_a_quarter_outside_the_year() -> None:
    periods = _periods() | {"Q4": (date(2027, 3, 31), date(2027, 6, 30))}
    assert _old_check(periods, [])
    texts = _texts(calendar_problems(Y26, periods, []))
    assert "Q4 (2027-03-31 – 2027-06-30) lies outside the academic year (2026-09-01 – 2027-05-26)" in texts


def test_the_year_itself_stays_inside_september_to_august() -> None:
    assert academic_frame(2026) == (date(2026, 9, 1), date(2027, 8, 31))
    year = (date(2026, 8, 20), date(2027, 5, 26))
    periods = _periods() | {"Y": year, "Q1": (date(2026, 8, 20), date(2026, 10, 24)),
                            "H1": (date(2026, 8, 20), date(2026, 12, 28))}
    assert _old_check(periods, [])
    texts = _texts(calendar_problems(year, periods, [], start_year=2026))
    assert texts == ["the academic year 2026/2027 (2026-08-20 – 2027-05-26) must lie between 2026-09-01 and 2027-08-31"]


def test_half_years_disagreeing_with_the_quarters_say_which_dates_they_must_have() -> None:
    periods = _periods() | {"H1": (date(2026, 9, 1), date(2026, 12, 20))}
    assert _old_check(periods, [])
    texts = _texts(calendar_problems(Y26, periods, []))
    assert texts == ["H1 (2026-09-01 – 2026-12-20) disagrees with the quarters: it must be 2026-09-01 – 2026-12-28 "
                     "(from the first day of Q1 to the last day of Q2)"]


def test_y_spans_the_year() -> None:
    periods = _periods() | {"Y": (date(2026, 9, 1), date(2027, 5, 31))}
    assert _texts(calendar_problems(Y26, periods, [])) == [
        "Y (2026-09-01 – 2027-05-31) must span the academic year (2026-09-01 – 2027-05-26)"]


def test_a_holiday_over_a_quarters_days() -> None:
    holidays = [*_holidays(), (date(2027, 2, 15), date(2027, 2, 21), "Дополнительные каникулы")]
    assert _old_check(_periods(), holidays)
    texts = _texts(calendar_problems(Y26, _periods(), holidays))
    assert texts == ["the holiday 'Дополнительные каникулы' (2027-02-15 – 2027-02-21) falls on days of Q3 "
                     "(2027-01-09 – 2027-03-21): only a one-day public holiday may lie inside a quarter"]


def test_a_holiday_across_a_quarters_edge_and_one_outside_the_year() -> None:
    holidays = [(date(2026, 10, 20), date(2026, 11, 4), "Осенние каникулы"),
                (date(2027, 6, 1), date(2027, 6, 1), "День защиты детей")]
    assert _old_check(_periods(), holidays)
    texts = _texts(calendar_problems(Y26, _periods(), holidays))
    assert len(texts) == 2 and "falls on days of Q1" in texts[0]
    assert texts[1] == "the holiday 'День защиты детей' (2027-06-01 – 2027-06-01) lies outside the academic year " \
                       "(2026-09-01 – 2027-05-26)"


def test_a_one_day_holiday_may_fall_inside_a_quarter() -> None:
    holidays = [(date(2026, 12, 1), date(2026, 12, 1), "Карантин")]
    assert calendar_problems(Y26, _periods(), holidays) == []


def test_backwards_spans() -> None:
    periods = _periods() | {"Q2": (date(2026, 12, 28), date(2026, 11, 5))}
    holidays = [(date(2026, 12, 2), date(2026, 12, 1), "")]
    texts = _texts(calendar_problems(Y26, periods, holidays))
    assert "Q2 (2026-12-28 – 2026-11-05): the last day must come after the first" in texts
    assert "the holiday '' (2026-12-02 – 2026-12-01) ends before it starts" in texts


def test_russian_messages_write_dates_as_russians_do() -> None:
    periods = _periods() | {"Q2": (date(2026, 11, 5), date(2027, 1, 15)), "H1": (date(2026, 9, 1), date(2027, 1, 15))}
    problem = calendar_problems(Y26, periods, [])[0]
    set_language("ru")
    assert str(problem) == "Q2 (05.11.2026 – 15.01.2027) пересекается с Q3 (09.01.2027 – 21.03.2027)"


def test_moving_a_quarter_moves_the_half_year_and_the_year_edges_it_shares() -> None:
    year, periods = propose_period_change(Y26, _periods(), "Q4", (date(2027, 3, 31), date(2027, 5, 29)))
    assert periods["H2"] == (date(2027, 1, 9), date(2027, 5, 29))
    assert periods["Y"] == year == (date(2026, 9, 1), date(2027, 5, 29))
    assert calendar_problems(year, periods, _holidays(), start_year=2026) == []
    _, periods = propose_period_change(Y26, _periods(), "Q2", (date(2026, 11, 9), date(2026, 12, 25)))
    assert periods["H1"] == (date(2026, 9, 1), date(2026, 12, 25)) and periods["H2"] == _periods()["H2"]


def test_y_moves_with_a_quarter_only_where_they_met() -> None:
    periods = _periods() | {"Y": (date(2026, 9, 1), date(2027, 5, 31))}
    year = periods["Y"]
    new_year, moved = propose_period_change(year, periods, "Q4", (date(2027, 3, 31), date(2027, 6, 5)))
    assert new_year == year and moved["Y"] == year
    assert "lies outside the academic year" in " ".join(_texts(calendar_problems(new_year, moved, [])))


def test_setting_a_half_year_apart_from_the_quarters_is_a_problem() -> None:
    year, periods = propose_period_change(Y26, _periods(), "H2", (date(2027, 1, 9), date(2027, 5, 20)))
    assert year == Y26 and "H2 (2027-01-09 – 2027-05-20) disagrees with the quarters" in str(
        calendar_problems(year, periods, [])[0])


def test_only_problems_a_change_adds_count() -> None:
    broken = _periods() | {"H1": (date(2026, 9, 1), date(2026, 12, 20))}
    before = calendar_problems(Y26, broken, [])
    holiday = [(date(2026, 12, 1), date(2026, 12, 1), "Карантин")]
    assert added_problems(before, calendar_problems(Y26, broken, holiday)) == []
    worse = broken | {"Q3": (date(2026, 12, 1), date(2027, 3, 21))}
    added = _texts(added_problems(before, calendar_problems(Y26, worse, [])))
    assert [text.split(" (")[0] for text in added] == ["Q2", "H2"]  # H1's old problem is not said again

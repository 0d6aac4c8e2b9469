"""Periods by grade band, deadlines by kind of work and grade, school days."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput, WrongBand
from ejournal_tui.domain.settings import RuleSettings

DEFAULT = RuleSettings()


@pytest.mark.parametrize("grade, periods", [(1, cal.QUARTERS), (5, cal.QUARTERS), (9, cal.QUARTERS),
                                             (10, cal.HALVES), (11, cal.HALVES)])
def test_quarters_for_one_to_nine_halves_for_ten_eleven(grade: int, periods: tuple[str, ...]) -> None:
    assert cal.periods_for_grade(grade, DEFAULT) == periods


def test_a_quarter_for_a_half_year_class_names_the_right_periods() -> None:
    with pytest.raises(WrongBand) as err:
        cal.check_period_applies("Q2", 10, "10А", DEFAULT)
    assert "H1, H2, Y" in str(err.value)
    with pytest.raises(WrongBand):
        cal.check_period_applies("H1", 7, "7Б", DEFAULT)
    cal.check_period_applies("Y", 10, "10А", DEFAULT)


def test_period_codes_are_checked() -> None:
    assert cal.normalize_period(" q3 ") == "Q3"
    with pytest.raises(InvalidInput):
        cal.normalize_period("Q5")


@pytest.mark.parametrize("category, grade, days", [("oral", 2, 1), ("oral", 11, 1), ("written", 2, 3),
                                                    ("written", 8, 3), ("written", 9, 4), ("written", 11, 4)])
def test_mark_deadlines_default(category: str, grade: int, days: int) -> None:
    assert cal.mark_deadline_days(category, grade, DEFAULT) == days


def test_mark_deadlines_instruction_variant() -> None:
    instruction = RuleSettings(written_deadline_days_junior=3, written_deadline_days_senior=5, written_senior_from_grade=10)
    assert cal.mark_deadline_days("written", 9, instruction) == 3
    assert cal.mark_deadline_days("written", 10, instruction) == 5


def test_days_late() -> None:
    assert cal.days_late(date(2026, 11, 16), date(2026, 11, 17), 1) == 0
    assert cal.days_late(date(2026, 11, 16), date(2026, 11, 19), 1) == 2


def test_homework_deadline_is_two_hours_after_the_last_lesson() -> None:
    due = cal.homework_deadline(date(2026, 11, 20), time(13, 30), DEFAULT)
    assert due == datetime(2026, 11, 20, 15, 30)


def test_final_marks_due_four_days_after_the_period() -> None:
    assert cal.final_marks_due(date(2026, 10, 24), DEFAULT) == date(2026, 10, 28)


def test_academic_year_runs_september_to_august() -> None:
    assert cal.academic_year_of(date(2026, 9, 1)) == 2026
    assert cal.academic_year_of(date(2027, 5, 20)) == 2026
    assert cal.academic_year_of(date(2026, 8, 31)) == 2025


def test_default_periods_do_not_overlap_and_cover_the_year() -> None:
    spans = cal.default_periods(2026)
    quarters = [spans[q] for q in cal.QUARTERS]
    assert all(a.end < b.start for a, b in zip(quarters, quarters[1:], strict=False))
    assert spans["H1"].start == spans["Q1"].start and spans["H2"].end == spans["Q4"].end == spans["Y"].end


def test_school_days_skip_weekends_and_holidays() -> None:
    days = list(cal.school_days(date(2026, 10, 23), date(2026, 11, 6), [(date(2026, 10, 25), date(2026, 11, 4))]))
    assert days == [date(2026, 10, 23), date(2026, 11, 5), date(2026, 11, 6)]


def test_final_marks_belong_to_the_last_week_and_the_days_after() -> None:
    """Issue 9: final marks set 25 days before the period ends or 40 days after it were not flagged."""
    from datetime import date

    from ejournal_tui.domain.calendar import final_mark_out_of_window
    from ejournal_tui.domain.settings import RuleSettings

    end, rules = date(2026, 10, 24), RuleSettings()
    assert final_mark_out_of_window(date(2026, 9, 29), end, rules)  # 25 days early
    assert final_mark_out_of_window(date(2026, 12, 3), end, rules)  # 40 days late
    assert not final_mark_out_of_window(date(2026, 10, 20), end, rules)
    assert not final_mark_out_of_window(date(2026, 10, 28), end, rules)  # the 4th day after
    assert final_mark_out_of_window(date(2026, 10, 29), end, rules)

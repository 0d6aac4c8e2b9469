"""Mark notation, averages, rounding and minimum counts (DOMAIN.md, settings table)."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.errors import InvalidMark
from ejournal_tui.domain.marks import (
    average,
    count_marks,
    grade_gets_marks,
    minimum_marks,
    parse_cell,
    parse_mark,
    suggest_mark,
    weighted_average,
)
from ejournal_tui.domain.settings import RuleSettings

DEFAULT = RuleSettings()


@pytest.mark.parametrize("raw, text", [("5", "5"), (" 4 ", "4"), ("2", "2"), ("н/а", "н/а"), ("Н/А", "н/а"),
                                        ("на", "н/а"), ("n/a", "н/а"), ("осв", "осв"), ("зач.", "зач"), ("ЗАЧ", "зач")])
def test_parse_mark_accepts_the_notation(raw: str, text: str) -> None:
    assert parse_mark(raw).text == text


@pytest.mark.parametrize("raw", ["1", "6", "0", "", "  ", "5+", "4-", "отл", "55", "-3", "3.5", "н"])
def test_parse_mark_refuses_anything_else(raw: str) -> None:
    with pytest.raises(InvalidMark) as err:
        parse_mark(raw)
    assert "2, 3, 4, 5" in str(err.value)


def test_numeric_value_only_for_two_to_five() -> None:
    assert parse_mark("4").numeric == 4
    assert parse_mark("зач").numeric is None


@pytest.mark.parametrize("raw, marks", [("5/4", ["5", "4"]), ("54", ["5", "4"]), ("5 3", ["5", "3"]),
                                         ("4", ["4"]), ("", []), ("н/а", ["н/а"])])
def test_parse_cell_reads_double_marks(raw: str, marks: list[str]) -> None:
    assert [m.text for m in parse_cell(raw)] == marks


def test_parse_cell_refuses_a_bad_part() -> None:
    with pytest.raises(InvalidMark):
        parse_cell("5/7")


def test_weighted_average_uses_weights_and_skips_non_numeric() -> None:
    # 5×2 (control) + 3×1 (oral) = 13 / 3
    assert weighted_average([("5", 2.0), ("3", 1.0), ("н/а", 1.0), ("зач", 1.0)]) == pytest.approx(4.33)


def test_average_is_none_without_numeric_marks() -> None:
    assert weighted_average([("осв", 1.0)]) is None
    assert weighted_average([]) is None


def test_arithmetic_setting_ignores_weights() -> None:
    arithmetic = RuleSettings(average="arithmetic")
    assert average([("5", 2.0), ("3", 1.0)], arithmetic) == 4.0
    assert average([("5", 2.0), ("3", 1.0)], DEFAULT) == pytest.approx(4.33)


@pytest.mark.parametrize("avg, mark", [(2.49, "2"), (2.5, "3"), (3.49, "3"), (3.5, "4"), (4.49, "4"), (4.5, "5"),
                                        (5.0, "5"), (2.0, "2")])
def test_default_rounding_thresholds(avg: float, mark: str) -> None:
    assert suggest_mark(avg, DEFAULT) == mark


@pytest.mark.parametrize("avg, mark", [(2.6, "3"), (2.59, "2"), (3.6, "4"), (3.59, "3"), (4.6, "5"), (4.55, "4")])
def test_strict_rounding_variant(avg: float, mark: str) -> None:
    assert suggest_mark(avg, RuleSettings(rounding_thresholds=(2.6, 3.6, 4.6))) == mark


def test_novosibirsk_rounding_variant() -> None:
    novosibirsk = RuleSettings(rounding_thresholds=(2.65, 3.65, 4.65))
    assert suggest_mark(4.64, novosibirsk) == "4"
    assert suggest_mark(4.65, novosibirsk) == "5"


def test_float_noise_does_not_cross_a_threshold_down() -> None:
    # (4+3)/2 computed through weights can come out as 3.4999999
    assert suggest_mark(3.4999999999, DEFAULT) == "4"
    assert suggest_mark(None, DEFAULT) is None


def test_minimum_marks_by_weekly_hours() -> None:
    assert minimum_marks(1, DEFAULT) == 3
    assert minimum_marks(2, DEFAULT) == 6
    assert minimum_marks(5, DEFAULT) == 6
    assert minimum_marks(1, RuleSettings(min_marks_one_hour=3, min_marks_more_hours=7)) == 3
    assert minimum_marks(3, RuleSettings(min_marks_one_hour=3, min_marks_more_hours=7)) == 7


def test_double_mark_counts_twice() -> None:
    assert count_marks(["5", "4", "н/а"]) == 2


def test_grade_one_gets_no_marks() -> None:
    assert not grade_gets_marks(1, DEFAULT)
    assert grade_gets_marks(2, DEFAULT)
    assert not grade_gets_marks(2, RuleSettings(no_mark_grades=(1, 2)))

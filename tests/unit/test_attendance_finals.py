"""Absence totals, reason codes, year and final marks, permissions and settings."""

from __future__ import annotations

from datetime import date

import pytest

from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.attendance import ABSENT, LATE, AbsenceEntry, normalize_reason, totals
from ejournal_tui.domain.finals import suggest_final_mark, suggest_period_mark, suggest_year_mark
from ejournal_tui.domain.settings import RuleSettings

D1, D2 = date(2026, 11, 16), date(2026, 11, 17)
DEFAULT = RuleSettings()


def test_totals_count_missed_lessons_by_reason_and_lateness_apart() -> None:
    entries = [AbsenceEntry(D1, ABSENT, "Б"), AbsenceEntry(D1, ABSENT, "Б"), AbsenceEntry(D2, ABSENT, "У"),
               AbsenceEntry(D2, ABSENT, "Н"), AbsenceEntry(D2, ABSENT, None), AbsenceEntry(D2, LATE, "О")]
    result = totals(entries)
    assert (result.missed, result.ill, result.excused, result.unexcused, result.uncoded, result.late) == (5, 2, 1, 1, 1, 1)


def test_a_full_day_is_every_lesson_of_the_day_missed() -> None:
    entries = [AbsenceEntry(D1, ABSENT, "Б")] * 3 + [AbsenceEntry(D2, ABSENT, "Б")] * 2
    assert totals(entries, {D1: 3, D2: 5}).full_days == 1


def test_lateness_does_not_make_a_full_day() -> None:
    entries = [AbsenceEntry(D1, ABSENT, "Б"), AbsenceEntry(D1, LATE, "О")]
    assert totals(entries, {D1: 2}).full_days == 0


@pytest.mark.parametrize("raw, code", [("б", "Б"), ("Б", "Б"), (",", "Б"), ("y", "Н"), ("n", "Н"), ("у", "У"),
                                        ("e", "У"), ("о", "О"), ("j", "О"), ("x", None), ("", None)])
def test_reason_codes_from_either_keyboard_layout(raw: str, code: str | None) -> None:
    assert normalize_reason(raw) == code


def test_year_mark_from_period_marks() -> None:
    assert suggest_year_mark(["4", "4", "5", "5"], DEFAULT) == "5"  # 4.5 rounds up
    assert suggest_year_mark(["3", "4", "3", "3"], DEFAULT) == "3"
    assert suggest_year_mark(["4", None, "5", "5"], DEFAULT) is None
    assert suggest_year_mark(["осв", "осв"], DEFAULT) == "осв"
    assert suggest_year_mark(["н/а", "4"], DEFAULT) is None


def test_final_mark_from_year_and_exam() -> None:
    assert suggest_final_mark("4", None, DEFAULT) == "4"
    assert suggest_final_mark("4", "5", DEFAULT) == "5"
    assert suggest_final_mark("3", "4", DEFAULT) == "4"
    assert suggest_final_mark(None, "5", DEFAULT) is None


def test_period_mark_needs_the_minimum_number_of_marks() -> None:
    assert suggest_period_mark(4.6, 6, 6, DEFAULT) == "5"
    assert suggest_period_mark(4.6, 5, 6, DEFAULT) is None


def test_permission_matrix() -> None:
    assert perm.may(["deputy"], "close_period") and perm.may(["director"], "reopen_period")
    assert not perm.may(["teacher", "class_leader"], "close_period")
    assert perm.may(["secretary"], "export") and not perm.may(["teacher"], "export")
    assert perm.may(["sysadmin"], "backup") and perm.may(["sysadmin"], "manage_accounts")
    assert not perm.may(["deputy"], "backup")
    with pytest.raises(KeyError):
        perm.may(["admin"], "fly")


def test_roles_are_normalized_and_unknown_refused() -> None:
    assert perm.normalize_roles(["Teacher", "class_leader"]) == ("teacher", "class_leader")
    with pytest.raises(ValueError):
        perm.normalize_roles(["wizard"])


def test_settings_overrides_from_stored_json() -> None:
    s = RuleSettings.from_overrides({"average": '"arithmetic"', "rounding_thresholds": "[2.6, 3.6, 4.6]",
                                     "min_marks_more_hours": "7", "unknown_key": "1"})
    assert s.average == "arithmetic" and s.rounding_thresholds == (2.6, 3.6, 4.6)
    assert s.min_marks_more_hours == 7 and s.extra == {"unknown_key": 1}

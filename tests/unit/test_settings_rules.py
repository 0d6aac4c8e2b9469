"""Every rule setting has a label and an explanation in both languages and a range that
refuses what would break the school (issue 9: idle lock 0 never locks, −5 locks at once)."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.settings import SETTING_NAMES, RuleSettings
from ejournal_tui.domain.settings_rules import RULES, explanation, label, problem
from ejournal_tui.i18n import set_language


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_each_setting_is_explained_in_each_language(lang: str) -> None:
    set_language(lang)
    for name in SETTING_NAMES:
        assert str(label(name)) != f"set.{name}" and str(explanation(name)) != f"set.{name}.help"
    if lang == "ru":
        assert str(label("idle_lock_minutes")) == "Блокировка при простое, минут"
    set_language("en")


def test_every_setting_has_a_rule_and_the_defaults_pass() -> None:
    assert set(RULES) == set(SETTING_NAMES)
    defaults = RuleSettings().as_dict()
    assert [n for n in SETTING_NAMES if problem(n, defaults[n])] == []


@pytest.mark.parametrize(("name", "value"), [
    ("idle_lock_minutes", 0), ("idle_lock_minutes", -5), ("idle_lock_minutes", 600),
    ("min_password_length", 4), ("min_marks_one_hour", 0), ("quarters_up_to_grade", 12),
    ("average", "median"), ("rounding_thresholds", (4.5, 3.5, 2.5)), ("rounding_thresholds", (2.5, 3.5)),
    ("no_mark_grades", (0,)),
])
def test_values_that_would_break_the_school_are_refused(name: str, value: object) -> None:
    assert problem(name, value) is not None


def test_sensible_values_pass() -> None:
    assert problem("idle_lock_minutes", 10) is None
    assert problem("rounding_thresholds", (2.6, 3.6, 4.6)) is None
    assert problem("no_mark_grades", (1, 2)) is None
    assert problem("average", "arithmetic") is None

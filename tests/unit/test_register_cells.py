"""How a register cell reads (printed in full, on screen in three characters) and the figures
of a pupil's row, the one rule the register service, the editor and the screen all use."""

from __future__ import annotations

import dataclasses

import pytest

from ejournal_tui.domain.marks import average, count_marks, suggest_mark
from ejournal_tui.domain.register_cells import cell_notation, row_figures, row_summary
from ejournal_tui.domain.settings import RuleSettings

DEFAULT = RuleSettings()


@pytest.mark.parametrize(("status", "values", "full", "screen"), [
    (None, [], "", ""),
    ("absent", [], "н", "н"),
    ("late", [], "оп", "о"),
    (None, ["5"], "5", "5"),
    (None, ["5", "4"], "5/4", "5/4"),  # a double mark as on paper
    ("absent", ["5"], "н 5", "н5"),
    ("absent", ["5", "4"], "н 5/4", "н54"),
    (None, ["н/а"], "н/а", "н/а"),
    ("absent", ["зач"], "н зач", "зач"),  # marks that fill the cell leave out the absence
    (None, ["5", "4", "3"], "5/4/3", "543"),
    (None, ["5", "4", "3", "2"], "5/4/3/2", "54…"),
])
def test_cell_notation_in_full_and_on_screen(status: str | None, values: list[str], full: str, screen: str) -> None:
    assert cell_notation(status, values) == full
    assert cell_notation(status, values, 3) == screen


def test_row_summary_counts_numeric_marks_and_weighs_them() -> None:
    marks = [("5", 2.0), ("3", 1.0), ("н/а", 1.0), ("4", 1.0)]
    figures = row_summary(marks, 4, DEFAULT)
    assert figures.marks == count_marks(v for v, _ in marks) == 3
    assert figures.average == average(marks, DEFAULT) == pytest.approx(4.25)
    assert figures.suggested == suggest_mark(figures.average, DEFAULT) == "4"
    assert figures.below_minimum


def test_row_summary_with_the_arithmetic_average() -> None:
    settings = dataclasses.replace(DEFAULT, average="arithmetic")
    figures = row_summary([("5", 2.0), ("3", 1.0)], 2, settings)
    assert figures.average == 4.0 and not figures.below_minimum


def test_an_empty_row() -> None:
    assert row_summary([], 1, DEFAULT) == row_figures(0, 0.0, 0.0, 1, DEFAULT)
    assert row_summary([("осв", 1.0)], 0, DEFAULT) == (0, None, None, False)

"""The control report's percentages (001 §3.5): pupils with no marks and with one mark as a
share of the pupils counted, one decimal, half up; no share of nobody."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.control_shares import no_marks_percent, one_mark_percent, percent


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 5, 20.0), (2, 5, 40.0), (1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (1, 16, 6.3), (0, 24, 0.0),
    (24, 24, 100.0), (1, 0, None), (0, 0, None),
])
def test_percent(part: int, whole: int, expected: float | None) -> None:
    assert percent(part, whole) == expected


def test_the_two_shares_of_the_regulation() -> None:
    assert no_marks_percent(3, 24) == 12.5
    assert one_mark_percent(7, 24) == 29.2

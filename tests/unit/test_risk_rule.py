"""The class leader's risk rule (issue 10: `report class` flagged 29 of 30 pupils): marks are
due pro rata before the period ends, and a pupil is short of them only where the class is not."""

from __future__ import annotations

from ejournal_tui.domain.marks import marks_due_by, short_of_marks


def test_marks_are_due_in_proportion_to_the_period_elapsed() -> None:
    assert marks_due_by(6, 0.75) == 4 and marks_due_by(3, 0.75) == 2
    assert marks_due_by(6, 1.0) == 6 and marks_due_by(6, 1.7) == 6 and marks_due_by(6, -0.1) == 0


def test_short_of_marks_before_the_end_only_where_the_class_has_them() -> None:
    assert short_of_marks(1, 4, 5.0, period_over=False)  # the class has 5, this pupil 1
    assert not short_of_marks(3, 4, 5.0, period_over=False)  # short, but close to the class
    assert not short_of_marks(0, 4, 2.0, period_over=False)  # the whole class is short: the teacher's backlog
    assert not short_of_marks(4, 4, 5.0, period_over=False)


def test_after_the_end_fewer_than_the_minimum_is_short_whatever_the_class() -> None:
    assert short_of_marks(0, 6, 0.0, period_over=True) and not short_of_marks(6, 6, 0.0, period_over=True)

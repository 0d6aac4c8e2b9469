"""Recording marks through the service: each rule of DOMAIN.md that guards a mark, on
SQLite and PostgreSQL. The clock stands at 2026-11-20 (Friday, Q2)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import (
    Conflict,
    InvalidInput,
    InvalidMark,
    MarksNotAllowed,
    NotAllowed,
    NotInClass,
    PeriodClosed,
    ReasonRequired,
)
from ejournal_tui.services import marks
from tests.conftest import count_rows, events

TODAY = date(2026, 11, 20)


def test_teacher_records_a_mark_with_kind_weight_and_audit(school, engine) -> None:
    lesson = school.lesson("rus5", TODAY, work_kind="dictation")
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4")
        second = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5", work_kind="control")
    assert (ref.value, ref.work_kind) == ("4", "dictation")
    assert second.work_kind == "control"
    from sqlmodel import Session

    with Session(engine) as s:
        stored = s.scalars(select(m.Mark).order_by(m.Mark.id)).all()
    assert [(mk.value, mk.work_kind, mk.weight) for mk in stored] == [("4", "dictation", 1.5), ("5", "control", 2.0)]
    log = events(engine)
    assert [e.action for e in log] == ["mark.add", "mark.add"]
    assert log[0].actor == "ivanova" and '"4"' in log[0].after and log[0].pupil_id == school.pupils["Волков"]


def test_invalid_mark_changes_nothing(school, engine) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow, pytest.raises(InvalidMark):
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "6")
    assert count_rows(engine, m.Mark) == 0 and count_rows(engine, m.AuditEvent) == 0


def test_unknown_kind_of_work_is_refused(school) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow, pytest.raises(InvalidInput):
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4", work_kind="poetry")


def test_teacher_cannot_mark_in_another_teachers_lesson(school, engine) -> None:
    lesson = school.lesson("math5", TODAY)
    with school.uow() as uow, pytest.raises(NotAllowed):
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4")
    assert count_rows(engine, m.Mark) == 0


def test_deputy_cannot_write_marks(school) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow, pytest.raises(NotAllowed):
        marks.add_mark(uow, school.actors["deputy"], lesson, school.pupils["Волков"], "4")


def test_substitute_may_write_the_lesson_they_hold(school) -> None:
    from ejournal_tui.services.lessons import assign_substitute

    with school.uow() as uow:
        ref = assign_substitute(uow, school.actors["deputy"], school.loads["rus5"], TODAY, 2, school.staff["petrov"])
    with school.uow() as uow:
        mark = marks.add_mark(uow, school.actors["petrov"], ref.id, school.pupils["Волков"], "5")
    assert mark.value == "5"


def test_grade_one_refuses_marks(school, engine) -> None:
    lesson = school.lesson("math1", TODAY)
    with school.uow() as uow, pytest.raises(MarksNotAllowed) as err:
        marks.add_mark(uow, school.actors["kozlova"], lesson, school.pupils["Жуков"], "5")
    assert "Grade 1" in str(err.value)
    assert count_rows(engine, m.Mark) == 0


def test_closed_period_refuses_marks(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 10, 20))
    with school.uow() as uow, pytest.raises(PeriodClosed) as err:
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5", reason="forgot")
    assert "Q1" in str(err.value) and "5А" in str(err.value)
    assert count_rows(engine, m.Mark) == 0


def test_pupil_not_in_the_class_that_day_is_refused(school) -> None:
    lesson = school.lesson("rus5", TODAY)  # Егоров left on 2026-10-15
    with school.uow() as uow, pytest.raises(NotInClass) as err:
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Егоров"], "4")
    assert "Егоров" in str(err.value)


def test_pupil_outside_the_group_is_refused(school) -> None:
    lesson = school.lesson("eng5", TODAY)  # group 1: Алексеев, Борисова, Волков
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["smirnova"], lesson, school.pupils["Борисова"], "5")
    with school.uow() as uow, pytest.raises(NotInClass):
        marks.add_mark(uow, school.actors["smirnova"], lesson, school.pupils["Дмитриев"], "5")


def test_oral_mark_past_its_deadline_needs_a_reason_and_is_flagged(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 17), work_kind="oral")  # 3 days ago, oral deadline 1 day
    with school.uow() as uow, pytest.raises(ReasonRequired):
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4")
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4", reason="was ill")
    assert ref.flagged
    log = events(engine)
    assert log[-1].flagged and log[-1].reason == "was ill"


def test_written_work_has_three_days_in_grade_five(school) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 17), work_kind="dictation")
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4")
    assert not ref.flagged


def test_correction_is_logged_with_before_and_after(school, engine) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "3")
    with school.uow() as uow:
        fixed = marks.correct_mark(uow, school.actors["ivanova"], ref.id, value="4", expected_version=ref.version)
    assert fixed.value == "4" and fixed.version == 2
    last = events(engine)[-1]
    assert last.action == "mark.correct" and '"3"' in last.before and '"4"' in last.after


def test_concurrent_correction_loses_with_a_conflict_and_keeps_the_winner(school) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "3")
    with school.uow() as uow:  # workstation A saves first
        marks.correct_mark(uow, school.actors["ivanova"], ref.id, value="4", expected_version=ref.version)
    with school.uow() as uow, pytest.raises(Conflict):  # workstation B still saw version 1
        marks.correct_mark(uow, school.actors["ivanova"], ref.id, value="5", expected_version=ref.version)
    with school.uow() as uow:
        assert marks.get_mark(uow, ref.id).value == "4"


def test_delete_of_a_mark_changed_elsewhere_is_a_conflict(school, engine) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "3")
        marks.correct_mark(uow, school.actors["ivanova"], ref.id, value="4")
    with school.uow() as uow, pytest.raises(Conflict):
        marks.delete_mark(uow, school.actors["ivanova"], ref.id, expected_version=ref.version)
    with school.uow() as uow:
        marks.delete_mark(uow, school.actors["ivanova"], ref.id)
    assert count_rows(engine, m.Mark) == 0
    assert events(engine)[-1].action == "mark.delete"


def test_every_use_case_in_one_unit_of_work_is_committed(school, engine) -> None:
    """Several use cases in one unit of work (each commits) all land, ORM or Core."""
    from ejournal_tui.services import attendance, lessons

    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        for value in "345":
            marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], value)
        lessons.record_lesson(uow, school.actors["ivanova"], lesson, topic="Глагол")
        attendance.set_attendance(uow, school.actors["ivanova"], lesson, school.pupils["Борисова"], "absent")
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Алексеев"], "5")
    assert count_rows(engine, m.Mark) == 4 and count_rows(engine, m.Attendance) == 1
    assert count_rows(engine, m.AuditEvent) == 6

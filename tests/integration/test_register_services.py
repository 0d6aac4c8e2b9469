"""Lessons, attendance, absence reasons, periods, final marks and the register read model."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    PeriodClosed,
    ReasonRequired,
    WrongBand,
)
from ejournal_tui.services import attendance, finals, lessons, marks, periods, register
from ejournal_tui.services.register import open_register, registers_for
from tests.conftest import count_rows

TODAY = date(2026, 11, 20)


def test_teacher_opens_a_lesson_and_records_topic_and_homework(school) -> None:
    with school.uow() as uow:
        ref = lessons.open_lesson(uow, school.actors["ivanova"], school.loads["rus5"], TODAY, 3)
    with school.uow() as uow:
        version = lessons.record_lesson(uow, school.actors["ivanova"], ref.id, topic="Глагол", homework="упр. 12",
                                        expected_version=ref.version)
    with school.uow() as uow:
        lesson = uow.session.get(m.Lesson, ref.id)
        assert (lesson.topic, lesson.homework, lesson.version) == ("Глагол", "упр. 12", version)
        assert lesson.homework_at is not None


def test_lesson_entry_for_an_old_lesson_needs_a_reason(school) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 16))
    with school.uow() as uow, pytest.raises(ReasonRequired):
        lessons.record_lesson(uow, school.actors["ivanova"], lesson, topic="Глагол")
    with school.uow() as uow:
        lessons.record_lesson(uow, school.actors["ivanova"], lesson, topic="Глагол", reason="система была недоступна")
    with school.uow() as uow:
        assert uow.session.get(m.Lesson, lesson).late_entry


def test_lesson_edit_conflict(school) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        lessons.record_lesson(uow, school.actors["ivanova"], lesson, topic="A", expected_version=1)
    with school.uow() as uow, pytest.raises(Conflict):
        lessons.record_lesson(uow, school.actors["ivanova"], lesson, topic="B", expected_version=1)


def test_absence_and_reason_by_the_class_leader(school) -> None:
    lesson = school.lesson("math5", TODAY)
    pupil = school.pupils["Волков"]
    with school.uow() as uow:
        ref = attendance.set_attendance(uow, school.actors["petrov"], lesson, pupil, "absent")
    assert ref.reason is None
    with school.uow() as uow, pytest.raises(NotAllowed):  # petrov does not lead 5А
        attendance.set_reason(uow, school.actors["petrov"], ref.id, "Б")
    with school.uow() as uow:
        coded = attendance.set_reason(uow, school.actors["ivanova"], ref.id, "б")
    assert coded.reason == "Б"


def test_sick_note_sets_every_absence_in_its_range(school) -> None:
    pupil = school.pupils["Волков"]
    days = [date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)]
    ids = [school.lesson("math5", d) for d in days] + [school.lesson("math5", date(2026, 11, 13))]
    with school.uow() as uow:
        for lid in ids:
            attendance.set_attendance(uow, school.actors["petrov"], lid, pupil, "absent", reason="late entry")
    with school.uow() as uow:
        changed = attendance.apply_note(uow, school.actors["ivanova"], pupil, days[0], days[-1], "Б", "справка")
    assert changed == 3
    with school.uow() as uow:
        reasons = dict(uow.session.execute(select(m.Attendance.lesson_id, m.Attendance.reason)).all())
    assert [reasons[i] for i in ids] == ["Б", "Б", "Б", None]


def test_absence_inside_an_existing_note_gets_its_reason(school) -> None:
    pupil = school.pupils["Волков"]
    with school.uow() as uow:
        attendance.apply_note(uow, school.actors["ivanova"], pupil, date(2026, 11, 19), date(2026, 11, 25), "Б")
    lesson = school.lesson("math5", TODAY)
    with school.uow() as uow:
        ref = attendance.set_attendance(uow, school.actors["petrov"], lesson, pupil, "absent")
    assert ref.reason == "Б"


def test_unknown_reason_code_is_refused(school) -> None:
    lesson = school.lesson("math5", TODAY)
    with school.uow() as uow:
        ref = attendance.set_attendance(uow, school.actors["petrov"], lesson, school.pupils["Волков"], "absent")
    with school.uow() as uow, pytest.raises(InvalidInput):
        attendance.set_reason(uow, school.actors["ivanova"], ref.id, "Z")


def test_marking_present_again_removes_the_absence(school, engine) -> None:
    lesson = school.lesson("math5", TODAY)
    with school.uow() as uow:
        attendance.set_attendance(uow, school.actors["petrov"], lesson, school.pupils["Волков"], "absent")
    with school.uow() as uow:
        attendance.set_attendance(uow, school.actors["petrov"], lesson, school.pupils["Волков"], None)
    assert count_rows(engine, m.Attendance) == 0


def test_period_close_and_reopen_with_a_reason(school) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow, pytest.raises(NotAllowed):
        periods.close_period(uow, school.actors["ivanova"], "Q2", "5А")
    with school.uow() as uow:
        assert periods.close_period(uow, school.actors["deputy"], "Q2", "5А") == ["5А"]
    with school.uow() as uow, pytest.raises(PeriodClosed):
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5")
    with school.uow() as uow, pytest.raises(InvalidInput):
        periods.reopen_period(uow, school.actors["deputy"], "Q2", "5А", "  ")
    with school.uow() as uow:
        assert periods.reopen_period(uow, school.actors["deputy"], "Q2", "5А", "ошибка в оценке")
    with school.uow() as uow:
        assert marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5").value == "5"


def test_closing_a_quarter_for_a_half_year_class_names_the_right_periods(school) -> None:
    with school.uow() as uow, pytest.raises(WrongBand) as err:
        periods.close_period(uow, school.actors["deputy"], "Q2", "10А")
    assert "H1" in str(err.value)


def test_closing_for_every_class_skips_other_bands(school) -> None:
    with school.uow() as uow:
        closed = periods.close_period(uow, school.actors["deputy"], "Q2")
    assert sorted(closed) == ["1А", "5А"]
    with school.uow() as uow:
        listed = {p.code: p for p in periods.list_periods(uow)}
    assert listed["Q2"].status == "closed" and listed["H1"].status == "open"


def test_final_marks_by_the_subject_teacher_and_suggestions(school) -> None:
    cls, subj, pupil = school.classes["5А"], school.subjects["Русский язык"], school.pupils["Волков"]
    with school.uow() as uow, pytest.raises(NotAllowed):
        finals.set_final_mark(uow, school.actors["petrov"], cls, subj, pupil, "period", "4", period_code="Q2")
    with school.uow() as uow, pytest.raises(PeriodClosed):
        finals.set_final_mark(uow, school.actors["ivanova"], cls, subj, pupil, "period", "4", period_code="Q1")
    with school.uow() as uow:
        for code, value in (("Q2", "4"), ("Q3", "5"), ("Q4", "5")):
            finals.set_final_mark(uow, school.actors["ivanova"], cls, subj, pupil, "period", value, period_code=code)
    with school.uow() as uow:
        assert finals.suggest_year(uow, cls, subj, pupil) is None  # Q1 has no mark yet
    with school.uow() as uow:
        periods.reopen_period(uow, school.actors["deputy"], "Q1", "5А", "итоговая не выставлена")
    with school.uow() as uow:
        finals.set_final_mark(uow, school.actors["ivanova"], cls, subj, pupil, "period", "4", period_code="Q1")
    with school.uow() as uow:
        assert finals.suggest_year(uow, cls, subj, pupil) == "5"  # 4, 4, 5, 5 → 4.5 → 5
        finals.set_final_mark(uow, school.actors["ivanova"], cls, subj, pupil, "year", "5")
        finals.set_final_mark(uow, school.actors["ivanova"], cls, subj, pupil, "exam", "4")
    with school.uow() as uow:
        assert finals.suggest_final(uow, cls, subj, pupil) == "5"


def test_register_read_model(school) -> None:
    l1 = school.lesson("rus5", date(2026, 11, 19), topic="Глагол", work_kind="control")
    l2 = school.lesson("rus5", TODAY, topic="Причастие")
    t = school.actors["ivanova"]
    p = school.pupils
    with school.uow() as uow:
        marks.add_mark(uow, t, l1, p["Волков"], "5")  # control, weight 2
        marks.add_mark(uow, t, l2, p["Волков"], "3", work_kind="oral")
        attendance.set_attendance(uow, t, l2, p["Борисова"], "absent")
    with school.uow() as uow:
        reg = open_register(uow, t, school.loads["rus5"], "Q2")
    assert [pp.name for pp in reg.pupils] == ["Алексеев Антон", "Борисова Бэлла", "Волков Виктор",
                                              "Григорьева Галина", "Дмитриев Денис"]  # Егоров left in Q1
    assert [ls.date for ls in reg.lessons] == [date(2026, 11, 19), TODAY]
    volkov = reg.summary[p["Волков"]]
    assert volkov.marks == 2 and volkov.average == pytest.approx(4.33) and volkov.suggested == "4"
    assert volkov.below_minimum and reg.minimum == 6
    assert reg.cell_text(p["Борисова"], l2) == "н"
    assert not reg.closed


def test_registers_visible_to_each_role(school) -> None:
    with school.uow() as uow:
        own = registers_for(uow, school.actors["petrov"])
        every = registers_for(uow, school.actors["deputy"])
    assert sorted(r.title for r in own) == ["10А / Алгебра", "5А / Математика"]
    assert len(every) == 5


def test_a_teacher_cannot_open_someone_elses_register(school) -> None:
    with school.uow() as uow, pytest.raises(NotAllowed):
        open_register(uow, school.actors["smirnova"], school.loads["math5"], "Q2")


def test_the_class_leader_can_read_every_register_of_their_class(school) -> None:
    with school.uow() as uow:
        reg = open_register(uow, school.actors["ivanova"], school.loads["math5"], "Q2")
    assert reg.ref.subject == "Математика"


def test_several_marks_in_one_cell_read_in_the_order_they_were_entered(school) -> None:
    lesson = school.lesson("rus5", TODAY, topic="Причастие")
    t, pupil = school.actors["ivanova"], school.pupils["Волков"]
    with school.uow() as uow:
        for value in ("5", "3", "4"):
            marks.add_mark(uow, t, lesson, pupil, value, work_kind="oral")
    with school.uow() as uow:
        reg = open_register(uow, t, school.loads["rus5"], "Q2")
        assert [mk.value for mk in reg.marks[pupil, lesson]] == ["5", "3", "4"]
        # the query has no ORDER BY; rows handed over in another order are put back by id
        rows = [(pupil, lesson, mk.id, *mk[1:]) for mk in reg.marks[pupil, lesson]]
        register._fill(uow, reg, list(reversed(rows)), [], {})
    assert [mk.value for mk in reg.marks[pupil, lesson]] == ["5", "3", "4"]
    assert reg.summary[pupil].marks == 3 and reg.summary[pupil].average == pytest.approx(4.0)


def test_a_marks_checks_hold_the_write_lock_until_it_is_written(school, engine) -> None:
    """The lesson's facts (period open, pupil in the class) are read inside the writing
    transaction, so no other workstation can close the period between the check and the mark."""
    from ejournal_tui.services.lookup import lesson_facts

    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        assert uow.settings  # kept for a few seconds: the check below is the first statement
    with school.uow() as uow:
        facts = lesson_facts(uow, lesson, school.pupils["Волков"])
        assert facts.pupil_in_lesson and not facts.period_closed
        assert uow.conn.in_transaction()
        if engine.dialect.name == "sqlite":
            import sqlite3

            other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()

"""The control report on the gap school (`test_control_school`): every figure of the week of
16 November and of the first quarter, the drill-down behind them, totals and reminders."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.services.control import Figures, control_report, my_reminders
from tests.integration.test_control_school import AS_OF, WEEK, gaps, utc_tz  # noqa: F401

pytestmark = pytest.mark.usefixtures("gaps")


def _week(school):  # noqa: ANN001, ANN202
    with school.uow() as uow:
        return control_report(uow, school.actors["deputy"], "Q2", week=WEEK, as_of=AS_OF)


def _row(report, load: str, school):  # noqa: ANN001, ANN202
    return report.row(school.loads[load])


def test_window_counts_monday_to_thursday(school) -> None:  # noqa: ANN001
    r = _week(school)
    assert (r.kind, r.start, r.end, r.counted_to) == ("week", WEEK, date(2026, 11, 22), date(2026, 11, 19))
    assert [(x.class_name, x.subject) for x in r.rows] == [
        ("5А", "Русский язык"), ("1А", "Математика"), ("5А", "Математика"), ("5А", "Иностранный язык (английский)"),
    ]


def test_russian_row_figures(school) -> None:  # noqa: ANN001
    row = _row(_week(school), "rus5", school)
    assert row.figures == Figures(scheduled=4, held=3, not_recorded=1, planned=4, plan_lag=1, no_topic=1,
                                  no_homework=1, late_lessons=1, late_homework=1, late_marks=1, pupils=5, no_marks=1,
                                  one_mark=2, below_minimum=0, substituted=0)
    assert row.minimum == 0 and row.late_marks_by_kind == (("oral", 1),)
    assert row.verdict == ("not_recorded", "plan_lag", "no_topic", "no_homework", "late_lessons", "late_homework",
                           "late_marks", "no_marks", "one_mark")


def test_drill_down_names_lessons_and_pupils(school, gaps) -> None:  # noqa: ANN001, F811
    row = _row(_week(school), "rus5", school)
    (missing,) = row.details("not_recorded")
    assert (missing.date, missing.count, missing.due) == (date(2026, 11, 19), 1, AS_OF)
    assert [i.lesson_id for i in row.details("no_topic")] == [gaps["tue"]]
    assert [i.lesson_id for i in row.details("no_homework")] == [gaps["wed"]]
    assert [i.lesson_id for i in row.details("late_lessons")] == [gaps["wed"]]
    (hw,) = row.details("late_homework")
    assert (hw.lesson_id, hw.detail) == (gaps["tue"], "11:10")
    (mark,) = row.details("late_marks")
    assert (mark.issue, mark.pupil, mark.date, mark.due) == ("late_mark_oral", "Григорьева Галина",
                                                             date(2026, 11, 17), date(2026, 11, 18))
    assert [i.pupil for i in row.details("no_marks")] == ["Волков Виктор"]
    assert sorted(i.pupil for i in row.details("one_mark")) == ["Борисова Бэлла", "Дмитриев Денис"]


def test_maths_row_has_the_substitution(school) -> None:  # noqa: ANN001
    r = _week(school)
    row = _row(r, "math5", school)
    assert row.figures == Figures(scheduled=2, held=2, planned=2, no_homework=1, pupils=5, no_marks=5, substituted=1)
    assert row.details("no_homework")[0].responsible_id == school.staff["smirnova"]
    (sub,) = r.substitutions
    assert (sub.date, sub.number, sub.class_name, sub.subject, sub.teacher, sub.substitute, sub.hours) == (
        WEEK, 2, "5А", "Математика", "Петров П.И.", "Смирнова Е.О.", 1)


def test_group_and_first_grade_rows(school) -> None:  # noqa: ANN001
    r = _week(school)
    assert _row(r, "eng5", school).figures == Figures(pupils=3, no_marks=3)
    first = _row(r, "math1", school)
    assert first.figures == Figures(pupils=2) and first.minimum is None


def test_totals_teachers_and_class_leaders(school) -> None:  # noqa: ANN001
    r = _week(school)
    assert r.totals == Figures(scheduled=6, held=5, not_recorded=1, planned=6, plan_lag=1, no_topic=1, no_homework=2,
                               late_lessons=1, late_homework=1, late_marks=1, pupils=15, no_marks=9, one_mark=2,
                               substituted=1)
    assert r.uncoded_absences == 1
    teachers = {t.teacher: (t.figures.held, t.substitutions_given, t.uncoded_absences) for t in r.teachers}
    assert teachers == {"Иванова А.П.": (3, 0, 1), "Козлова К.Ю.": (0, 0, 0), "Петров П.И.": (2, 0, 0),
                        "Смирнова Е.О.": (0, 1, 0)}
    assert [(x.class_name, x.leader, x.uncoded_absences) for x in r.leaders] == [
        ("1А", "Козлова К.Ю.", 0), ("5А", "Иванова А.П.", 1)]
    (absence,) = r.leaders[1].items
    assert (absence.pupil, absence.date) == ("Дмитриев Денис", WEEK)


def test_first_quarter_minimum_of_marks(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        r = control_report(uow, school.actors["deputy"], "Q1", as_of=AS_OF)
    row = _row(r, "eng5", school)
    assert row.minimum == 3
    f = row.figures
    assert (f.scheduled, f.held, f.not_recorded, f.pupils, f.no_marks, f.one_mark, f.below_minimum) == (8, 1, 7, 3, 1, 1, 2)
    assert sorted(i.pupil for i in row.details("below_minimum")) == ["Борисова Бэлла", "Волков Виктор"]


def test_month_window(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        r = control_report(uow, school.actors["deputy"], "Q2", month="2026-11", as_of=AS_OF)
    assert (r.start, r.end, r.counted_to) == (date(2026, 11, 5), date(2026, 11, 30), date(2026, 11, 19))
    f = _row(r, "rus5", school).figures
    assert (f.scheduled, f.held, f.not_recorded) == (11, 3, 8)


def test_teachers_are_refused_and_bad_input_is_typed(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        with pytest.raises(NotAllowed):
            control_report(uow, school.actors["ivanova"], "Q2")
        with pytest.raises(InvalidInput):
            control_report(uow, school.actors["deputy"], "Q9")
        with pytest.raises(InvalidInput):
            control_report(uow, school.actors["deputy"], "Q2", month="11-2026")
        with pytest.raises(InvalidInput):
            control_report(uow, school.actors["deputy"], "Q2", month="2026-09")
        with pytest.raises(NotFound):
            control_report(uow, school.actors["deputy"], "Q2", year=2030)


def test_reminders_of_the_russian_teacher(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        items = my_reminders(uow, school.actors["ivanova"], as_of=AS_OF)
    assert Counter(i.issue for i in items) == {"not_recorded": 8, "no_topic": 1, "no_homework": 1, "plan_lag": 1,
                                               "below_minimum": 1, "one_mark": 2, "uncoded_absence": 1}
    topic = next(i for i in items if i.issue == "no_topic")
    assert (topic.date, topic.due, topic.overdue) == (date(2026, 11, 17), date(2026, 11, 18), True)
    assert topic.text == "5А Русский язык: enter the topic of 2026-11-17"
    assert items[0].overdue and not items[-1].overdue
    below = next(i for i in items if i.issue == "below_minimum")
    assert below.text == "5А Русский язык: Волков Виктор has 0 of 1 marks needed"


def test_reminders_follow_who_held_the_lesson(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        items = my_reminders(uow, school.actors["smirnova"], as_of=AS_OF)
    assert Counter(i.issue for i in items) == {"not_recorded": 2, "no_marks": 3, "no_homework": 1}
    assert next(i for i in items if i.issue == "no_homework").subject == "Математика"

"""Activity, substitutions journal, time sheet and the class leader's report on the gap
school (`test_control_school`), figure by figure."""

from __future__ import annotations

from datetime import date

import pytest

from ejournal_tui.domain.errors import InvalidInput, NotAllowed, WrongBand
from ejournal_tui.services import marks
from ejournal_tui.services.control.activity import activity_report
from ejournal_tui.services.control.classreport import class_report
from ejournal_tui.services.control.journal import substitutions_journal, timesheet
from tests.integration.test_control_school import AS_OF, WEEK, gaps, utc_tz  # noqa: F401

pytestmark = pytest.mark.usefixtures("gaps")


def test_activity_counts_entries_per_day_and_names_the_idle(school) -> None:  # noqa: ANN001
    lesson = school.lesson("rus5", AS_OF)
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "4")
    with school.uow() as uow:
        a = activity_report(uow, school.actors["deputy"], "2026-11-18")
    assert (a.start, a.end) == (WEEK, date(2026, 11, 22))
    assert [(r.login, r.per_day, r.total) for r in a.rows] == [("ivanova", (0, 0, 0, 0, 1, 0, 0), 1)]
    assert a.idle == (("kozlova", "Козлова К.Ю."), ("petrov", "Петров П.И."), ("smirnova", "Смирнова Е.О."))
    with school.uow() as uow, pytest.raises(NotAllowed):
        activity_report(uow, school.actors["petrov"], WEEK)


def test_substitutions_journal_of_november(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        j = substitutions_journal(uow, school.actors["deputy"], "2026-11")
    assert [(e.date, e.number, e.class_name, e.subject, e.teacher, e.substitute, e.hours) for e in j.entries] == [
        (WEEK, 2, "5А", "Математика", "Петров П.И.", "Смирнова Е.О.", 1)]
    assert j.hours_by_substitute() == (("Смирнова Е.О.", 1),)
    with school.uow() as uow:
        assert substitutions_journal(uow, school.actors["deputy"], "2026-10").entries == ()
        with pytest.raises(InvalidInput):
            substitutions_journal(uow, school.actors["deputy"], "november")


def test_timesheet_counts_recorded_lessons_and_substitutions_apart(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        ts = timesheet(uow, school.actors["deputy"], "2026-11")
    rows = {r.teacher: r for r in ts.rows}
    assert sorted(rows) == ["Иванова А.П.", "Петров П.И.", "Смирнова Е.О."]
    iv, pe, sm = rows["Иванова А.П."], rows["Петров П.И."], rows["Смирнова Е.О."]
    assert (iv.own_total, iv.substitutions_total, iv.scheduled) == (3, 0, 18)
    assert [d.day for d, n in zip(ts.days, iv.own, strict=True) if n] == [16, 17, 18]
    assert (pe.own_total, pe.substitutions_total, pe.scheduled) == (1, 0, 7)
    assert (sm.own_total, sm.substitutions_total, sm.scheduled) == (0, 1, 4)
    assert sm.substitutions[15] == 1
    assert sum(ts.school_days) == 18 and len(ts.days) == 30


def test_teacher_sees_only_their_own_timesheet(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        ts = timesheet(uow, school.actors["petrov"], "2026-11")
        assert [r.teacher for r in ts.rows] == ["Петров П.И."]
        with pytest.raises(NotAllowed):
            timesheet(uow, school.actors["petrov"], "2026-11", "ivanova")


def test_final_class_report_lists_pupils_at_risk_first(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        c = class_report(uow, school.actors["ivanova"], "5A", "Q1", kind="final", as_of=AS_OF)
    assert c.subjects == ("Русский язык", "Математика", "Иностранный язык (английский)")
    assert (c.counted_to, c.leader) == (date(2026, 10, 24), "Иванова А.П.")
    assert [p.name for p in c.pupils] == ["Борисова Бэлла", "Волков Виктор", "Григорьева Галина", "Дмитриев Денис",
                                          "Егоров Егор", "Алексеев Антон"]
    by_name = {p.name: p for p in c.pupils}
    bor = by_name["Борисова Бэлла"]
    assert bor.risks == ("below_minimum:Русский язык", "below_minimum:Математика",
                         "below_minimum:Иностранный язык (английский)", "mark_2:Иностранный язык (английский)")
    dm = by_name["Дмитриев Денис"]
    assert dm.risks == ("unexcused:2",) and dm.cells[2] is None
    assert (dm.absences.missed, dm.absences.unexcused) == (2, 2)
    assert [(x.marks, x.suggested) for x in dm.cells[:2]] == [(6, "4"), (6, "4")]
    al = by_name["Алексеев Антон"]
    assert not al.at_risk
    assert [(x.marks, x.average, x.mark, x.final) for x in al.cells] == [
        (6, 5.0, "5", "5"), (6, 5.0, "5", None), (3, 4.67, "5", None)]


def test_preliminary_report_stops_two_weeks_before_the_end(school) -> None:  # noqa: ANN001
    with school.uow() as uow:
        early = class_report(uow, school.actors["deputy"], "5А", "Q2", as_of=AS_OF)
        late = class_report(uow, school.actors["deputy"], "5А", "Q2", as_of=date(2026, 12, 27))
        assert (early.kind, early.counted_to, late.counted_to) == ("preliminary", date(2026, 11, 19), date(2026, 12, 14))
        rus = {p.name: p.cells[0].marks for p in early.pupils}
        assert rus == {"Алексеев Антон": 2, "Борисова Бэлла": 1, "Волков Виктор": 0, "Григорьева Галина": 3,
                       "Дмитриев Денис": 1}
        with pytest.raises(InvalidInput):
            class_report(uow, school.actors["deputy"], "5А", "Q2", kind="final", as_of=AS_OF)
        with pytest.raises(WrongBand):
            class_report(uow, school.actors["deputy"], "10А", "Q1", as_of=AS_OF)
        with pytest.raises(NotAllowed):
            class_report(uow, school.actors["petrov"], "5А", "Q1", as_of=AS_OF)

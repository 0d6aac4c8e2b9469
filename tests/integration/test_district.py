"""A district server: two schools in one database. Everyone of school A, up to its
administrator and deputy director, tries to reach school B's register through every service,
by B's ids, and gets "not found", "not allowed" or nothing; B's rows stay as B wrote them.

School B's people and subjects carry the word `FOREIGN` in their names: it must never show
in anything school A's services return.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import (
    AuthFailed,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotInClass,
)
from ejournal_tui.services import (
    absence_sheet,
    accounts,
    admin,
    attendance,
    audit,
    audit_log,
    closure,
    finals,
    homework,
    lessons,
    marks,
    periods,
    register,
    register_view,
    stats,
    today,
)
from ejournal_tui.services.context import resolve_school
from tests.district_factory import B_ONLY_LOGIN, DAY, FOREIGN, build_district
from tests.factory import PASSWORD

REFUSED = (NotFound, NotAllowed, Conflict, NotInClass)


@pytest.fixture
def district(engine, clock):  # noqa: ANN001, ANN201
    return build_district(engine, clock)


def clean(value: object) -> None:
    assert FOREIGN not in repr(value), f"school B's data reached school A: {value!r}"


def row(engine, model, row_id: int):  # noqa: ANN001, ANN201
    with Session(engine) as s:
        return s.get(model, row_id)


def test_the_database_holds_two_schools_and_a_school_must_be_chosen(engine, district) -> None:  # noqa: ANN001
    a, b, _ = district
    assert resolve_school(engine, "school-a") == a.school_id
    assert resolve_school(engine, "school-b") == b.school_id
    with pytest.raises(InvalidInput, match="school-a, school-b"):
        resolve_school(engine, None)


def test_marks_of_another_school_cannot_be_added_corrected_or_removed(engine, district) -> None:  # noqa: ANN001
    a, b, data = district
    petrov = a.actors["petrov"]
    calls = [
        lambda uow: marks.add_mark(uow, petrov, data.lesson, b.pupils["Волков"], "4"),
        lambda uow: marks.correct_mark(uow, petrov, data.mark, value="2"),
        lambda uow: marks.delete_mark(uow, petrov, data.mark),
        lambda uow: marks.get_mark(uow, data.mark),
    ]
    for call in calls:
        with a.uow() as uow, pytest.raises(REFUSED):
            call(uow)
    own = a.lesson("math5", DAY, 2)
    with a.uow() as uow, pytest.raises(NotFound):  # not even the pupil's name
        marks.add_mark(uow, petrov, own, b.pupils["Волков"], "4")
    kept = row(engine, m.Mark, data.mark)
    assert (kept.value, kept.version, kept.school_id) == ("5", 1, b.school_id)


def test_absences_of_another_school_cannot_be_marked_or_given_reasons(engine, district) -> None:  # noqa: ANN001
    a, b, data = district
    petrov, leader = a.actors["petrov"], a.actors["ivanova"]
    with a.uow() as uow, pytest.raises(NotFound):
        attendance.set_attendance(uow, petrov, data.lesson, b.pupils["Волков"], "absent")
    with a.uow() as uow, pytest.raises(NotFound):
        attendance.set_reason(uow, leader, data.absence, "Н")
    with a.uow() as uow, pytest.raises(NotFound):
        attendance.apply_note(uow, leader, b.pupils["Борисова"], DAY, DAY, "У")
    with a.uow() as uow:
        assert attendance.absences_between(uow, b.pupils["Борисова"], DAY, DAY) == []
    assert row(engine, m.Attendance, data.absence).reason == "Б"


def test_lessons_of_another_school_cannot_be_opened_changed_or_read(engine, district) -> None:  # noqa: ANN001
    a, b, data = district
    petrov, deputy = a.actors["petrov"], a.actors["deputy"]
    calls = [
        lambda uow: lessons.open_lesson(uow, petrov, b.loads["math5"], DAY, 2),  # B's lesson exists
        lambda uow: lessons.open_lesson(uow, petrov, b.loads["math5"], DAY, 5),
        lambda uow: lessons.record_lesson(uow, petrov, data.lesson, topic="Чужая тема"),
        lambda uow: lessons.assign_substitute(uow, deputy, b.loads["math5"], DAY, 3, a.staff["petrov"]),
        lambda uow: lessons.assign_substitute(uow, deputy, a.loads["math5"], DAY, 3, b.staff["petrov"]),
        lambda uow: register_view.lesson_detail(uow, petrov, data.lesson),
    ]
    for call in calls:
        with a.uow() as uow, pytest.raises(REFUSED):
            call(uow)
    kept = row(engine, m.Lesson, data.lesson)
    assert FOREIGN in kept.topic and kept.version == 2 and kept.teacher_id == b.staff["petrov"]


def test_registers_of_another_school_are_neither_listed_nor_opened(district) -> None:  # noqa: ANN001
    a, b, _ = district
    deputy = a.actors["deputy"]
    with a.uow() as uow:
        listed = register.registers_for(uow, deputy)
    assert {r.load_id for r in listed} == set(a.loads.values())
    clean(listed)
    for call in (
        lambda uow: register.open_register(uow, deputy, b.loads["math5"], "Q2"),
        lambda uow: register.register_ref(uow, b.loads["math5"]),
        lambda uow: register_view.periods_of(uow, deputy, b.loads["math5"]),
    ):
        with a.uow() as uow, pytest.raises(NotFound):
            call(uow)


def test_plan_timetable_and_homework_of_another_school_stay_hidden(district) -> None:  # noqa: ANN001
    a, b, _ = district
    deputy = a.actors["deputy"]
    with a.uow() as uow:
        assert register_view.plan_of(uow, deputy, b.loads["math5"]) == []
        assert register_view.next_lesson_slot(uow, deputy, b.loads["math5"], DAY) is None
        assert admin.timetable(uow, b.classes["5А"]) == []
        assert admin.list_pupils(uow, b.classes["5А"]) == []
        assert homework.class_load(uow, deputy, b.classes["5А"]) == []
        clean(homework.teacher_homework(uow, a.actors["petrov"]))
        clean(today.today_view(uow, a.actors["petrov"], DAY))


def test_final_marks_of_another_school_cannot_be_set_or_suggested(engine, district) -> None:  # noqa: ANN001
    a, b, data = district
    deputy, petrov = a.actors["deputy"], a.actors["petrov"]
    calls = [
        lambda uow: finals.set_final_mark(uow, deputy, b.classes["10А"], b.subjects["Алгебра"], b.pupils["Ильин"],
                                          "period", "2", period_code="H1"),
        # school A's class and subject, school B's pupil
        lambda uow: finals.set_final_mark(uow, petrov, a.classes["10А"], a.subjects["Алгебра"], b.pupils["Ильин"],
                                          "period", "2", period_code="H1"),
        # school A's class, school B's subject
        lambda uow: finals.set_final_mark(uow, deputy, a.classes["10А"], b.subjects["Алгебра"], a.pupils["Ильин"],
                                          "period", "2", period_code="H1"),
        lambda uow: finals.suggest_year(uow, b.classes["10А"], b.subjects["Алгебра"], b.pupils["Ильин"]),
        lambda uow: finals.suggest_final(uow, b.classes["10А"], b.subjects["Алгебра"], b.pupils["Ильин"]),
    ]
    for call in calls:
        with a.uow() as uow, pytest.raises(REFUSED):
            call(uow)
    with Session(engine) as s:
        rows = s.scalars(select(m.FinalMark)).all()
    assert [(f.id, f.value, f.school_id) for f in rows] == [(data.final, "4", b.school_id)]


def test_closing_a_period_closes_it_in_the_own_school_only(engine, district) -> None:  # noqa: ANN001
    a, b, _ = district
    with a.uow() as uow:
        closed = periods.close_period(uow, a.actors["deputy"], "H1")
    assert closed == ["10А"]
    with Session(engine) as s:
        rows = s.scalars(select(m.PeriodClosure).where(m.PeriodClosure.period_id == b.periods["H1"])).all()
    assert rows == []
    with b.uow() as uow:
        h1 = {p.code: p for p in periods.list_periods(uow)}["H1"]
    assert h1.status == "open"


def test_accounts_of_another_school_cannot_sign_in_or_be_managed(engine, district) -> None:  # noqa: ANN001
    a, b, _ = district
    admin_a = a.actors["admin"]
    with a.uow() as uow, pytest.raises(AuthFailed):
        accounts.sign_in(uow, B_ONLY_LOGIN, "secret-pass-1")
    with a.uow() as uow:
        listed = accounts.list_accounts(uow)
    assert B_ONLY_LOGIN not in {acc.login for acc in listed}
    clean(listed)
    for call in (
        lambda uow: accounts.find_account(uow, B_ONLY_LOGIN),
        lambda uow: accounts.change_password(uow, admin_a, B_ONLY_LOGIN, "another-pass-2"),
        lambda uow: accounts.set_disabled(uow, admin_a, B_ONLY_LOGIN),
        lambda uow: accounts.set_roles(uow, admin_a, B_ONLY_LOGIN, ["admin"]),
    ):
        with a.uow() as uow, pytest.raises(NotFound):
            call(uow)
    # the same login in both schools signs in to the school of the workstation
    with a.uow() as uow:
        actor, _ = accounts.sign_in(uow, "petrov", PASSWORD)
    assert (actor.school_id, actor.id) == (a.school_id, a.staff["petrov"])
    with b.uow() as uow:
        actor, _ = accounts.sign_in(uow, B_ONLY_LOGIN, "secret-pass-1")
    assert actor.school_id == b.school_id


def test_change_log_shows_own_events_and_chains_stay_apart(engine, district) -> None:  # noqa: ANN001
    a, b, data = district
    deputy = a.actors["deputy"]
    with a.uow() as uow:
        marks.add_mark(uow, a.actors["petrov"], a.lesson("math5", DAY, 3), a.pupils["Волков"], "3")
    with a.uow() as uow:
        every = audit_log.query(uow, deputy)
        assert [e.action for e in every] == ["mark.add"]
        clean(every)
        assert audit_log.query(uow, deputy, class_id=b.classes["5А"]) == []
        assert audit_log.query(uow, deputy, pupil_id=b.pupils["Алексеев"]) == []
        assert audit_log.query(uow, deputy, user=B_ONLY_LOGIN) == []
    with Session(engine) as s:  # someone edits school B's log behind the program's back
        s.execute(update(m.AuditEvent).where(m.AuditEvent.school_id == b.school_id, m.AuditEvent.seq == 1)
                  .values(actor="intruder"))
        s.commit()
    with a.uow() as uow:
        assert audit.verify_chain(uow).ok
    with b.uow() as uow:
        report = audit.verify_chain(uow)
    assert not report.ok and report.broken_at == 1


def test_counts_are_of_the_own_school(district) -> None:  # noqa: ANN001
    a, b, _ = district
    with a.uow() as uow:
        own, own_class = stats.school_stats(uow), stats.school_stats(uow, "5А")
    with b.uow() as uow:
        other = stats.school_stats(uow)
    assert (own["marks"], own["absences"], own["lessons"], own["final_marks"]) == (0, 0, 0, 0)
    assert (other["marks"], other["absences"], other["lessons"], other["final_marks"]) == (1, 1, 1, 1)
    assert own["staff"] == 7 and other["staff"] == 8
    assert own_class["marks"] == 0


def test_closure_sheets_and_absence_sheets_refuse_another_school(district) -> None:  # noqa: ANN001
    a, b, _ = district
    deputy = a.actors["deputy"]
    for call in (
        lambda uow: closure.open_closure(uow, deputy, b.classes["5А"], "Q2"),
        lambda uow: absence_sheet.open_sheet(uow, deputy, b.classes["5А"], DAY, DAY),
        lambda uow: admin.set_leader(uow, a.actors["admin"], b.classes["5А"], "petrov"),
        lambda uow: admin.move_pupil(uow, a.actors["admin"], b.pupils["Волков"], a.classes["5А"], DAY),
    ):
        with a.uow() as uow, pytest.raises(REFUSED):
            call(uow)
    with a.uow() as uow:
        clean(closure.classes_for(uow, deputy))
        clean(absence_sheet.classes_for(uow, deputy))


def test_control_reports_hold_the_own_school_only(district) -> None:  # noqa: ANN001
    control = pytest.importorskip("ejournal_tui.services.control")
    from ejournal_tui.services.control.activity import activity_report
    from ejournal_tui.services.control.classreport import class_report
    from ejournal_tui.services.control.journal import substitutions_journal, timesheet

    a, _, _ = district
    deputy = a.actors["deputy"]
    with a.uow() as uow:
        report = control.control_report(uow, deputy, "Q2", as_of=date(2026, 11, 20))
        clean(report)
        clean(control.my_reminders(uow, a.actors["petrov"]))
        clean(class_report(uow, deputy, "5А", "Q2"))
        clean(activity_report(uow, deputy, DAY))
        clean(substitutions_journal(uow, deputy, "2026-11"))
        clean(timesheet(uow, deputy, "2026-11"))
    assert {r.class_name for r in report.rows} <= {"5А", "1А", "10А"}

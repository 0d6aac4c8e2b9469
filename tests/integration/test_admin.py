"""The school's reference data on both databases: pupils joining, moving and leaving as
dated memberships, subjects, load, timetable, bells, periods, holidays and rule settings;
each change logged, each refused change leaving the data as it was."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.services import admin, year_calendar
from ejournal_tui.services import register as reg_svc
from tests.conftest import count_rows


def _memberships(engine, pupil_id: int) -> list[tuple[int, date, date | None]]:  # noqa: ANN001
    with Session(engine) as s:
        rows = s.exec(select(m.Membership).where(m.Membership.pupil_id == pupil_id).order_by(m.Membership.start))
        return [(r.class_id, r.start, r.end) for r in rows]


def test_add_move_and_leave_pupils(school, engine) -> None:
    actor = school.actors["deputy"]
    c5, c10 = school.classes["5А"], school.classes["10А"]
    with school.uow() as uow:
        new = admin.add_pupil(uow, actor, c5, "Новиков Никита Олегович", date(2026, 11, 9))
    with school.uow() as uow:
        admin.move_pupil(uow, actor, school.pupils["Волков"], c10, date(2026, 11, 16))
    with school.uow() as uow:
        admin.pupil_leaves(uow, actor, school.pupils["Алексеев"], date(2026, 11, 18))
    assert _memberships(engine, new) == [(c5, date(2026, 11, 9), None)]
    assert _memberships(engine, school.pupils["Волков"]) == [
        (c5, date(2026, 9, 1), date(2026, 11, 15)), (c10, date(2026, 11, 16), None)]
    assert _memberships(engine, school.pupils["Алексеев"]) == [(c5, date(2026, 9, 1), date(2026, 11, 18))]
    with Session(engine) as s:  # the English group follows the class membership
        ends = {g.pupil_id: g.end for g in s.exec(select(m.GroupMember))}
    assert ends[school.pupils["Волков"]] == date(2026, 11, 15)
    with school.uow() as uow:
        on_20th = {p.name for p in admin.list_pupils(uow, c5) if p.end is None}
        classes = {c.name: c.pupils for c in admin.list_classes(uow)}
    assert "Новиков Никита Олегович" in on_20th and classes["5А"] == 4 and classes["10А"] == 4
    with Session(engine) as s:
        actions = [e.action for e in s.exec(select(m.AuditEvent).order_by(m.AuditEvent.seq))]
    assert actions == ["pupil.add", "pupil.move", "pupil.leave"]


def test_moved_pupil_is_in_each_register_for_their_days(school) -> None:
    with school.uow() as uow:
        admin.move_pupil(uow, school.actors["admin"], school.pupils["Волков"], school.classes["10А"],
                         date(2026, 11, 16))
    with school.uow() as uow:
        reg = reg_svc.open_register(uow, school.actors["deputy"], school.loads["alg10"], "H1")
    volkov = next(p for p in reg.pupils if p.id == school.pupils["Волков"])
    assert volkov.in_class_on(date(2026, 11, 16)) and not volkov.in_class_on(date(2026, 11, 13))


def test_refusals_change_nothing(school, engine) -> None:
    events = count_rows(engine, m.AuditEvent)
    with school.uow() as uow, pytest.raises(NotAllowed):
        admin.add_pupil(uow, school.actors["ivanova"], school.classes["5А"], "Кто То", date(2026, 11, 9))
    with school.uow() as uow, pytest.raises(InvalidInput):  # before they joined
        admin.move_pupil(uow, school.actors["deputy"], school.pupils["Волков"], school.classes["10А"],
                         date(2026, 9, 1))
    with school.uow() as uow, pytest.raises(InvalidInput):
        admin.move_pupil(uow, school.actors["deputy"], school.pupils["Волков"], school.classes["5А"],
                         date(2026, 11, 16))
    with school.uow() as uow, pytest.raises(InvalidInput):
        admin.add_class(uow, school.actors["deputy"], "5A")  # the look-alike of an existing 5А
    assert count_rows(engine, m.Pupil) == 11
    assert _memberships(engine, school.pupils["Волков"]) == [(school.classes["5А"], date(2026, 9, 1), None)]
    assert count_rows(engine, m.AuditEvent) == events


def test_subjects_load_and_timetable(school, engine) -> None:
    actor = school.actors["deputy"]
    with school.uow() as uow:
        subject = admin.add_subject(uow, actor, "История")
    with school.uow() as uow:
        load = admin.add_load(uow, actor, "ivanova", school.classes["5А"], subject, 2)
    with school.uow() as uow:
        admin.add_slot(uow, actor, load, 1, 1, "12")
    with school.uow() as uow, pytest.raises(InvalidInput):  # the same teacher at the same time
        admin.add_slot(uow, actor, school.loads["rus5"], 1, 1)
    with school.uow() as uow, pytest.raises(InvalidInput, match="no bell time"):  # no 10th bell
        admin.add_slot(uow, actor, load, 2, 10)
    with school.uow() as uow:
        admin.set_load_hours(uow, actor, load, 3)
    with school.uow() as uow:
        info = next(x for x in admin.list_load(uow) if x.id == load)
        slots = admin.timetable(uow, school.classes["5А"])
    assert (info.subject, info.hours, info.slots) == ("История", 3, 1)
    assert [(s.weekday, s.number, s.subject, s.room) for s in slots] == [(1, 1, "История", "12")]
    school.lesson("rus5", date(2026, 11, 16))
    with school.uow() as uow, pytest.raises(InvalidInput):  # held lessons keep their load
        admin.remove_load(uow, actor, school.loads["rus5"])
    with school.uow() as uow:
        admin.remove_load(uow, actor, load)
    assert count_rows(engine, m.TimetableSlot) == 0


def test_bells_periods_and_holidays(school) -> None:
    actor = school.actors["admin"]
    with school.uow() as uow:
        assert admin.set_bell(uow, actor, 1, "8.30", "9:15").start == "08:30"
    with school.uow() as uow, pytest.raises(InvalidInput):
        admin.set_bell(uow, actor, 2, "10:00", "09:00")
    with school.uow() as uow:
        year_calendar.set_period_dates(uow, actor, "Q2", date(2026, 11, 5), date(2026, 12, 27))
    with school.uow() as uow:
        hid = year_calendar.add_holiday(uow, actor, date(2026, 12, 1), date(2026, 12, 1), "Карантин")
    with school.uow() as uow:
        assert any(h.name == "Карантин" for h in year_calendar.holidays(uow))
        year_calendar.remove_holiday(uow, actor, hid)
    with school.uow() as uow:
        assert not any(h.name == "Карантин" for h in year_calendar.holidays(uow))
        assert admin.bells(uow)[0].start == "08:30"
        from ejournal_tui.services.lookup import find_period

        assert find_period(uow, "Q2").end == date(2026, 12, 27)


def test_settings_are_stored_and_take_effect(school, engine) -> None:
    actor = school.actors["admin"]
    with school.uow() as uow:
        assert uow.settings.min_marks_one_hour == 3
        info = admin.set_setting(uow, actor, "min_marks_one_hour", "4")
    assert info.changed and info.value == "4"
    with school.uow() as uow:
        assert uow.settings.min_marks_one_hour == 4
        admin.set_setting(uow, actor, "rounding_thresholds", "2.6, 3.6, 4.6")
    with school.uow() as uow:
        assert uow.settings.rounding_thresholds == (2.6, 3.6, 4.6)
    with school.uow() as uow, pytest.raises(InvalidInput):
        admin.set_setting(uow, actor, "min_marks_one_hour", "three")
    with school.uow() as uow:
        admin.set_setting(uow, actor, "min_marks_one_hour", "")
    with school.uow() as uow:
        assert uow.settings.min_marks_one_hour == 3
    assert count_rows(engine, m.Setting) == 1


def test_last_years_timetable_binds_no_one_this_year(school, engine) -> None:
    """A teacher's slot in last year's timetable does not make them busy in this year's."""
    with Session(engine) as s:
        last = m.AcademicYear(school_id=school.school_id, start_year=2025, start=date(2025, 9, 1),
                              end=date(2026, 5, 31))
        s.add(last)
        s.flush()
        old_class = m.SchoolClass(school_id=school.school_id, year_id=last.id, grade=4, letter="А", name="4А")
        s.add(old_class)
        s.flush()
        subject = s.get(m.TeachingLoad, school.loads["rus5"]).subject_id
        old_load = m.TeachingLoad(school_id=school.school_id, year_id=last.id, teacher_id=school.staff["ivanova"],
                                  class_id=old_class.id, subject_id=subject, hours_per_week=5)
        s.add(old_load)
        s.flush()
        s.add(m.TimetableSlot(school_id=school.school_id, load_id=old_load.id, weekday=3, number=2))
        s.commit()
    with school.uow() as uow:
        admin.add_slot(uow, school.actors["deputy"], school.loads["rus5"], 3, 2)
        uow.commit()
    with school.uow() as uow:
        assert (3, 2) in {(s.weekday, s.number) for s in admin.timetable(uow, school.classes["5А"])}

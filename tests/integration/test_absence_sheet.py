"""The class leader's absence sheet on both databases: grid, totals, reasons per lesson,
per day and from a sick note, and refusals that change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import Conflict, NotAllowed, PeriodClosed
from ejournal_tui.services import absence_sheet as sheet_svc
from ejournal_tui.services import attendance
from tests.conftest import count_rows

MON, TUE, WED = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)


def _absent(school, load: str, day: date, number: int, pupil: str, status: str = "absent") -> int:
    lesson = school.lesson(load, day, number)
    teacher = {"rus5": "ivanova", "math5": "petrov", "eng5": "smirnova"}[load]
    with school.uow() as uow:
        ref = attendance.set_attendance(uow, school.actors[teacher], lesson, school.pupils[pupil], status,
                                        reason="late entry")
    return ref.id


def _open(school, who: str = "ivanova", start: date = MON, end: date = WED):  # noqa: ANN202
    with school.uow() as uow:
        return sheet_svc.open_sheet(uow, school.actors[who], school.classes["5А"], start, end)


def _reasons(engine) -> list[str | None]:  # noqa: ANN001
    from sqlmodel import Session, select

    with Session(engine) as s:
        return [a.reason for a in s.exec(select(m.Attendance).order_by(m.Attendance.id))]


def test_sheet_shows_days_pupils_absences_and_totals(school) -> None:
    _absent(school, "rus5", MON, 1, "Волков")
    _absent(school, "math5", MON, 2, "Волков")
    _absent(school, "eng5", MON, 3, "Волков")
    _absent(school, "math5", TUE, 1, "Волков", "late")
    _absent(school, "rus5", TUE, 2, "Борисова")
    sheet = _open(school)
    assert sheet.days == [MON, TUE, WED]
    assert [p.name for p in sheet.pupils][:3] == ["Алексеев Антон", "Борисова Бэлла", "Волков Виктор"]
    assert "Егоров Егор" not in [p.name for p in sheet.pupils]  # left in October
    volkov = school.pupils["Волков"]
    assert sheet.cell_text(volkov, MON) == "ннн"
    assert [a.subject for a in sheet.cell(volkov, MON)] == ["Русский язык", "Математика",
                                                             "Иностранный язык (английский)"]
    totals = sheet.totals[volkov]
    assert (totals.missed, totals.uncoded, totals.late, totals.full_days) == (3, 3, 1, 1)
    # Борисова missed one of her two lessons on Tuesday: not a full day
    assert sheet.totals[school.pupils["Борисова"]].full_days == 0
    assert sheet.uncoded() == 4


def test_reason_per_lesson_is_stored_and_logged(school, engine) -> None:
    _absent(school, "rus5", MON, 1, "Волков")
    sheet = _open(school)
    (absence,) = sheet.cell(school.pupils["Волков"], MON)
    events = count_rows(engine, m.AuditEvent)
    with school.uow() as uow:
        sheet_svc.set_lesson_reason(uow, school.actors["ivanova"], absence, "б")
    assert _reasons(engine) == ["Б"]
    assert count_rows(engine, m.AuditEvent) == events + 1
    after = _open(school)
    assert after.totals[school.pupils["Волков"]].ill == 1
    with school.uow() as uow, pytest.raises(Conflict):  # the version read before the change
        sheet_svc.set_lesson_reason(uow, school.actors["ivanova"], absence, "Н")
    assert _reasons(engine) == ["Б"]


def test_day_and_sick_note_set_every_lesson_in_range(school, engine) -> None:
    for day in (MON, TUE, WED):
        _absent(school, "rus5", day, 1, "Волков")
        _absent(school, "math5", day, 2, "Волков")
    pupil = school.pupils["Волков"]
    with school.uow() as uow:
        assert sheet_svc.set_day_reason(uow, school.actors["ivanova"], pupil, MON, "У") == 2
    with school.uow() as uow:
        assert sheet_svc.apply_sick_note(uow, school.actors["ivanova"], pupil, TUE, WED, "Б", "справка") == 4
    assert _reasons(engine) == ["У", "У", "Б", "Б", "Б", "Б"]
    totals = _open(school).totals[pupil]
    assert (totals.missed, totals.ill, totals.excused, totals.full_days) == (6, 4, 2, 3)


def test_refused_actions_change_nothing(school, engine) -> None:
    _absent(school, "rus5", MON, 1, "Волков")
    pupil = school.pupils["Волков"]
    with school.uow() as uow, pytest.raises(NotAllowed):
        sheet_svc.open_sheet(uow, school.actors["petrov"], school.classes["5А"], MON, WED)
    with school.uow() as uow, pytest.raises(NotAllowed):
        sheet_svc.apply_sick_note(uow, school.actors["petrov"], pupil, MON, WED, "Б")
    assert _reasons(engine) == [None]
    assert count_rows(engine, m.AbsenceNote) == 0


def test_closed_period_refuses_a_sick_note(school, engine) -> None:
    with school.uow() as uow:  # Q1 is closed for 5А: an absence there cannot get a reason
        from sqlalchemy import insert

        lesson = school.lesson("rus5", date(2026, 10, 20))
        uow.session.execute(insert(m.Attendance.__table__).values(
            school_id=school.school_id, lesson_id=lesson, pupil_id=school.pupils["Волков"], status="absent",
            entered_by=school.staff["ivanova"], entered_at=uow.now(), version=1))
        uow.commit()
    with school.uow() as uow, pytest.raises(PeriodClosed):
        sheet_svc.apply_sick_note(uow, school.actors["ivanova"], school.pupils["Волков"], date(2026, 10, 19),
                                  date(2026, 10, 21), "Б")
    assert _reasons(engine) == [None]


def test_deputy_sees_every_class_and_leader_only_theirs(school) -> None:
    with school.uow() as uow:
        assert [c.name for c in sheet_svc.classes_for(uow, school.actors["ivanova"])] == ["5А"]
        assert [c.name for c in sheet_svc.classes_for(uow, school.actors["deputy"])] == ["1А", "5А", "10А"]

"""Substitutions through the services, on each backend: the deputy's day lists every lesson of
the timetable (held or not yet) with its teacher and substitute; assigning writes the lesson
with the substitute and a change-log event, cancelling gives it back (its own event), and
saying the same again writes nothing; the teachers free at the lesson come first; only the
deputy arranges substitutions; the substitute writes that lesson and no other of the load;
the printed register, the substitutions journal and the time sheet name who held it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import NotAllowed
from ejournal_tui.domain.register_cells import CellRef, FinalAccepted, MarkTyped
from ejournal_tui.services import marks
from ejournal_tui.services.lessons import record_lesson
from ejournal_tui.services.register import open_register
from ejournal_tui.services.register_editor import Plan, Refusal, RegisterEditor
from ejournal_tui.services.register_view import kinds_of_work
from ejournal_tui.services.substitutions import candidates, set_substitute, substitution_day
from tests.exporters.helpers import flat, pdf_pages
from tests.factory import PASSWORD
from tests.signin import person_env

TODAY = date(2026, 11, 20)  # a Friday
YESTERDAY = date(2026, 11, 19)


@pytest.fixture
def timetable(school):  # noqa: ANN001, ANN201
    """Friday: 5А Russian (ivanova) 1st; 5А maths (petrov) and 5А English (smirnova) 2nd;
    10А algebra (petrov) 3rd."""
    with Session(school.db.engine) as s:
        for load, number in (("rus5", 1), ("math5", 2), ("eng5", 2), ("alg10", 3)):
            s.add(m.TimetableSlot(school_id=school.school_id, load_id=school.loads[load], weekday=5, number=number))
        s.commit()
    return school


def _lesson(school, load: str, day: date, number: int) -> m.Lesson | None:  # noqa: ANN001
    with school.uow() as uow:
        found = uow.session.scalars(select(m.Lesson).where(
            m.Lesson.load_id == school.loads[load], m.Lesson.date == day, m.Lesson.number == number)).first()
        if found is not None:
            uow.session.expunge(found)
        return found


def _events(school, action: str) -> list[m.AuditEvent]:  # noqa: ANN001
    with school.uow() as uow:
        rows = list(uow.session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == action)))
        for row in rows:
            uow.session.expunge(row)
        return rows


def _substitute(school, load: str, number: int, who: str | None, day: date = TODAY):  # noqa: ANN001, ANN202
    with school.uow() as uow:
        return set_substitute(uow, school.actors["deputy"], school.loads[load], day, number,
                              school.staff[who] if who else None)


def test_the_day_lists_every_lesson_of_the_timetable(timetable) -> None:  # noqa: ANN001
    school = timetable
    held = school.lesson("rus5", TODAY, 1, topic="Причастие")
    _substitute(school, "math5", 2, "ivanova")
    with school.uow() as uow:
        day = substitution_day(uow, school.actors["deputy"], TODAY)
    rows = [(s.number, s.title, s.teacher, s.substitute, s.lesson_id is not None) for s in day.slots]
    assert rows == [
        (1, "5А · Русский язык", "Иванова А.П.", "", True),
        (2, "5А · Математика", "Петров П.И.", "Иванова А.П.", True),
        (2, "5А (Англ. гр. 1) · Иностранный язык (английский)", "Смирнова Е.О.", "", False),
        (3, "10А · Алгебра", "Петров П.И.", "", False),
    ]
    assert day.slots[0].lesson_id == held and day.substituted == 1
    assert (day.slots[1].start, day.slots[1].end) != ("", "")
    with school.uow() as uow:  # Saturday: no timetable; a holiday says so
        assert substitution_day(uow, school.actors["deputy"], date(2026, 11, 21)).slots == ()
        autumn = substitution_day(uow, school.actors["deputy"], date(2026, 10, 30))
    assert autumn.slots == () and autumn.holiday


def test_assigning_writes_the_lesson_with_the_substitute_and_an_event(timetable) -> None:  # noqa: ANN001
    school = timetable
    assert _lesson(school, "math5", TODAY, 2) is None
    ref = _substitute(school, "math5", 2, "ivanova")
    lesson = _lesson(school, "math5", TODAY, 2)
    assert lesson is not None and lesson.id == ref.id
    assert (lesson.teacher_id, lesson.substitute_for_id) == (school.staff["ivanova"], school.staff["petrov"])
    [event] = _events(school, "lesson.substitute")
    assert event.entity_id == lesson.id and json.loads(event.after) == {"teacher_id": school.staff["ivanova"]}
    again = _substitute(school, "math5", 2, "ivanova")  # the same again: nothing written
    assert again.version == ref.version and len(_events(school, "lesson.substitute")) == 1
    _substitute(school, "math5", 2, "smirnova")  # another substitute instead
    lesson = _lesson(school, "math5", TODAY, 2)
    assert (lesson.teacher_id, lesson.substitute_for_id) == (school.staff["smirnova"], school.staff["petrov"])


def test_cancelling_gives_the_lesson_back_to_its_teacher(timetable) -> None:  # noqa: ANN001
    school = timetable
    _substitute(school, "math5", 2, "ivanova")
    assert _substitute(school, "math5", 2, None) is not None
    lesson = _lesson(school, "math5", TODAY, 2)
    assert (lesson.teacher_id, lesson.substitute_for_id) == (school.staff["petrov"], None)
    [event] = _events(school, "lesson.unsubstitute")
    assert json.loads(event.before) == {"teacher_id": school.staff["ivanova"]}
    assert _substitute(school, "math5", 2, None) is None  # nothing to cancel: nothing written
    assert _substitute(school, "alg10", 3, None) is None and _lesson(school, "alg10", TODAY, 3) is None
    assert len(_events(school, "lesson.unsubstitute")) == 1


def test_teachers_free_at_the_lesson_come_first(timetable) -> None:  # noqa: ANN001
    school = timetable
    with school.uow() as uow:
        found = candidates(uow, school.actors["deputy"], school.loads["math5"], TODAY, 2)
    names = [c.name for c in found]
    assert "Петров П.И." not in names  # the lesson's own teacher
    assert "Завучева З.П." not in names and "Админов А.С." not in names  # not teachers
    assert names[-1] == "Смирнова Е.О." and "5А" in found[-1].busy  # she teaches 5А English then
    assert {c.name for c in found if not c.busy} == {"Иванова А.П.", "Козлова К.Ю."}
    assert next(c for c in found if c.name == "Козлова К.Ю.").same_subject  # she teaches maths in 1А
    assert names.index("Козлова К.Ю.") < names.index("Иванова А.П.")


def test_only_the_deputy_arranges_substitutions(timetable) -> None:  # noqa: ANN001
    school = timetable
    petrov = school.actors["petrov"]
    for call in (lambda uow: substitution_day(uow, petrov, TODAY),
                 lambda uow: candidates(uow, petrov, school.loads["math5"], TODAY, 2),
                 lambda uow: set_substitute(uow, petrov, school.loads["rus5"], TODAY, 1, school.staff["petrov"])):
        with school.uow() as uow, pytest.raises(NotAllowed):
            call(uow)
    assert _lesson(school, "rus5", TODAY, 1) is None


def test_the_substitute_writes_that_lesson_and_no_other_of_the_load(timetable) -> None:  # noqa: ANN001
    school = timetable
    other = school.lesson("rus5", YESTERDAY, 1, topic="Глагол")
    ref = _substitute(school, "rus5", 1, "petrov")
    petrov, volkov = school.actors["petrov"], school.pupils["Волков"]
    with school.uow() as uow:
        marks.add_mark(uow, petrov, ref.id, volkov, "5")
        record_lesson(uow, petrov, ref.id, topic="Замена: причастный оборот")
    with school.uow() as uow, pytest.raises(NotAllowed):
        marks.add_mark(uow, petrov, other, volkov, "4")
    with school.uow() as uow:  # he reads the colleague's register, and may write his lesson only
        reg = open_register(uow, petrov, school.loads["rus5"], "Q2")
        editor = RegisterEditor(reg, uow.settings, kinds_of_work(uow), actor_id=petrov.id)
    assert not editor.read_only and not editor.own
    assert isinstance(editor.plan(CellRef(volkov, ref.id), MarkTyped("4")), Plan)
    refused = editor.plan(CellRef(volkov, other), MarkTyped("4"))
    assert isinstance(refused, Refusal) and "20.11 № 1" in refused.message and "Иванова А.П." in refused.message
    assert isinstance(editor.plan(CellRef(volkov, ref.id), FinalAccepted()), Refusal)  # period marks: not his
    with school.uow() as uow, pytest.raises(NotAllowed):  # a teacher with no lesson there reads nothing
        open_register(uow, school.actors["smirnova"], school.loads["rus5"], "Q2")


def test_printed_register_and_reports_name_who_held_it(timetable, db_url: str, tmp_path: Path) -> None:  # noqa: ANN001
    from ejournal_tui.services.exports import export_register

    school = timetable
    ref = _substitute(school, "rus5", 1, "petrov")
    with school.uow() as uow:
        record_lesson(uow, school.actors["petrov"], ref.id, topic="Замена: причастный оборот", homework="упр. 7")
    out = tmp_path / "5А.pdf"
    export_register(school.db, school.actors["secretary"], "5А", "Q2", "pdf", out)
    text = flat(" ".join(pdf_pages(out)))
    # the lesson's row: date, number, topic, homework, «substitute noted», who held it
    row = text[text.index("20.11.2026 1 Замена: причастный оборот"):].replace(" ", "")
    assert row.startswith("20.11.20261Замена:причастныйоборотупр.7ПетровП.И.вместоИвановаА.П.ПетровП.И.")
    subs = _report(db_url, tmp_path, "substitutions", "--month", "2026-11")
    assert subs["hours_by_substitute"] == {"Петров П.И.": 1}
    [entry] = subs["entries"]
    assert (entry["date"], entry["class"], entry["substitute"]["name"]) == ("2026-11-20", "5А", "Петров П.И.")
    sheet = {row["teacher"]["name"]: row for row in _report(db_url, tmp_path, "timesheet", "--month", "2026-11")["rows"]}
    assert sheet["Петров П.И."]["substitutions_total"] == 1
    assert sheet["Петров П.И."]["substitutions"][19] == 1  # the 20th of November
    assert sheet.get("Иванова А.П.", {"own_total": 0})["own_total"] == 0


def _report(db_url: str, folder: Path, *args: str) -> dict:
    """`ejournal report ARGS --format json` as the deputy director (signed in from a password file in FOLDER)."""
    env = {**os.environ, "EJOURNAL_LANG": "en", "EJOURNAL_DB": db_url, "TZ": "UTC",
           **person_env(folder, "deputy", PASSWORD)}
    out = subprocess.run([sys.executable, "-m", "ejournal_tui", "report", *args, "--format", "json"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)

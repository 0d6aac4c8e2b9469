"""Remarks and thanks to parents through the service, on SQLite and PostgreSQL: written,
changed and removed by the lesson's teacher with a change-log event each; refused where a
mark would be (a closed period, another teacher's lesson, a pupil not in the class, a late
entry without a reason); the register editor's form writes them. The clock stands at
2026-11-20 (Friday, Q2; Q1 closed for 5А)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotInClass,
    PeriodClosed,
    ReasonRequired,
)
from ejournal_tui.domain.register_cells import CellRef
from ejournal_tui.domain.remarks import MAX_LENGTH
from ejournal_tui.services import remarks
from ejournal_tui.services.register import open_register
from ejournal_tui.services.register_editor import MarkForm, RegisterEditor, write
from ejournal_tui.services.register_remarks import AddRemark, DeleteRemark, EditRemark
from ejournal_tui.services.register_view import kinds_of_work
from tests.conftest import count_rows, events

TODAY = date(2026, 11, 20)


def stored(engine) -> list[tuple[str, bool, int]]:  # noqa: ANN001
    from sqlmodel import Session

    with Session(engine) as s:
        return [(r.text, r.praise, r.pupil_id) for r in s.scalars(select(m.Remark).order_by(m.Remark.id))]


def test_teacher_adds_edits_and_removes_a_remark_each_logged(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", TODAY), school.pupils["Волков"]
    ivanova = school.actors["ivanova"]
    with school.uow() as uow:
        ref = remarks.add_remark(uow, ivanova, lesson, volkov, "  Не выполнил  домашнее задание ")
    assert (ref.text, ref.praise) == ("Не выполнил домашнее задание", False)
    assert stored(engine) == [("Не выполнил домашнее задание", False, volkov)]
    with school.uow() as uow:
        edited = remarks.edit_remark(uow, ivanova, ref.id, text="Отлично отвечал у доски", praise=True,
                                     expected=(ref.text, ref.praise))
    assert (edited.text, edited.praise) == ("Отлично отвечал у доски", True)
    assert stored(engine) == [("Отлично отвечал у доски", True, volkov)]
    with school.uow() as uow:
        remarks.remove_remark(uow, ivanova, ref.id, expected=(edited.text, edited.praise))
    assert count_rows(engine, m.Remark) == 0
    log = events(engine)
    assert [e.action for e in log] == ["remark.add", "remark.edit", "remark.delete"]
    assert all(e.actor == "ivanova" and e.pupil_id == volkov and e.lesson_date == TODAY for e in log)
    assert json.loads(log[0].after) == {"text": "Не выполнил домашнее задание", "praise": False}
    assert json.loads(log[1].before)["text"] == "Не выполнил домашнее задание"
    assert json.loads(log[1].after) == {"text": "Отлично отвечал у доски", "praise": True}
    assert json.loads(log[2].before) == {"text": "Отлично отвечал у доски", "praise": True}


def test_an_unchanged_edit_writes_nothing(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", TODAY), school.pupils["Волков"]
    with school.uow() as uow:
        ref = remarks.add_remark(uow, school.actors["ivanova"], lesson, volkov, "Молодец", praise=True)
    with school.uow() as uow:
        remarks.edit_remark(uow, school.actors["ivanova"], ref.id, text=" Молодец ", praise=True)
    assert [e.action for e in events(engine)] == ["remark.add"]


@pytest.mark.parametrize("text", ["", "   ", "x" * (MAX_LENGTH + 1)])
def test_empty_or_too_long_text_is_refused(school, engine, text: str) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow, pytest.raises(InvalidInput):
        remarks.add_remark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], text)
    assert count_rows(engine, m.Remark) == 0 and count_rows(engine, m.AuditEvent) == 0


def test_the_longest_text_allowed_is_stored_whole(school, engine) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        remarks.add_remark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "я" * MAX_LENGTH)
    assert stored(engine)[0][0] == "я" * MAX_LENGTH


def test_closed_period_refuses_add_edit_and_remove(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", date(2026, 10, 20)), school.pupils["Волков"]  # Q1, closed
    with school.uow() as uow, pytest.raises(PeriodClosed):
        remarks.add_remark(uow, school.actors["ivanova"], lesson, volkov, "Опоздал", reason="забыла")
    assert count_rows(engine, m.Remark) == 0
    with school.uow() as uow:  # written before the period was closed
        uow.session.add(m.Remark(school_id=school.school_id, lesson_id=lesson, pupil_id=volkov, text="Опоздал",
                                 entered_by=school.staff["ivanova"]))
        uow.commit()
        remark_id = uow.session.scalars(select(m.Remark.id)).one()
    with school.uow() as uow, pytest.raises(PeriodClosed):
        remarks.edit_remark(uow, school.actors["ivanova"], remark_id, text="Не опоздал", reason="ошибка")
    with school.uow() as uow, pytest.raises(PeriodClosed):
        remarks.remove_remark(uow, school.actors["ivanova"], remark_id, reason="ошибка")
    assert stored(engine) == [("Опоздал", False, volkov)] and count_rows(engine, m.AuditEvent) == 0


def test_teacher_of_another_subject_is_refused(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", TODAY), school.pupils["Волков"]
    with school.uow() as uow, pytest.raises(NotAllowed):
        remarks.add_remark(uow, school.actors["petrov"], lesson, volkov, "Шумел")  # maths teacher of 5А
    with school.uow() as uow:
        ref = remarks.add_remark(uow, school.actors["ivanova"], lesson, volkov, "Шумел")
    with school.uow() as uow, pytest.raises(NotAllowed):
        remarks.edit_remark(uow, school.actors["petrov"], ref.id, text="Не шумел")
    with school.uow() as uow, pytest.raises(NotAllowed):
        remarks.remove_remark(uow, school.actors["petrov"], ref.id)
    with school.uow() as uow, pytest.raises(NotAllowed):
        remarks.add_remark(uow, school.actors["deputy"], lesson, volkov, "Шумел")
    assert stored(engine) == [("Шумел", False, volkov)]
    assert [e.action for e in events(engine)] == ["remark.add"]


def test_substitute_writes_a_remark_at_the_lesson_they_hold(school) -> None:
    from ejournal_tui.services.lessons import assign_substitute

    with school.uow() as uow:
        held = assign_substitute(uow, school.actors["deputy"], school.loads["rus5"], TODAY, 2, school.staff["petrov"])
    with school.uow() as uow:
        ref = remarks.add_remark(uow, school.actors["petrov"], held.id, school.pupils["Волков"], "Помог", praise=True)
    assert ref.praise


def test_grade_one_gets_remarks_though_no_marks(school) -> None:
    lesson = school.lesson("math1", TODAY)
    with school.uow() as uow:
        ref = remarks.add_remark(uow, school.actors["kozlova"], lesson, school.pupils["Жуков"], "Старался", praise=True)
    assert ref.text == "Старался"


def test_pupil_not_in_the_lesson_is_refused(school) -> None:
    with school.uow() as uow, pytest.raises(NotInClass):
        remarks.add_remark(uow, school.actors["ivanova"], school.lesson("rus5", TODAY), school.pupils["Егоров"], "?")
    with school.uow() as uow, pytest.raises(NotInClass):  # English group 1 has no Дмитриев
        remarks.add_remark(uow, school.actors["smirnova"], school.lesson("eng5", TODAY), school.pupils["Дмитриев"], "?")


def test_late_remark_needs_a_reason_and_is_flagged(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 16))  # four days ago: past the backdating window
    with school.uow() as uow, pytest.raises(ReasonRequired):
        remarks.add_remark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "Без формы")
    with school.uow() as uow:
        remarks.add_remark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "Без формы",
                           reason="была на курсах")
    last = events(engine)[-1]
    assert last.action == "remark.add" and last.flagged and last.reason == "была на курсах"


def test_a_remark_changed_elsewhere_is_a_conflict(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", TODAY), school.pupils["Волков"]
    ivanova = school.actors["ivanova"]
    with school.uow() as uow:
        ref = remarks.add_remark(uow, ivanova, lesson, volkov, "Шумел")
    with school.uow() as uow:  # workstation A
        remarks.edit_remark(uow, ivanova, ref.id, text="Шумел на уроке", expected=("Шумел", False))
    with school.uow() as uow, pytest.raises(Conflict):  # workstation B still saw «Шумел»
        remarks.edit_remark(uow, ivanova, ref.id, text="Болтал", expected=("Шумел", False))
    with school.uow() as uow:  # the same change again (sent twice): already so, nothing lost
        remarks.edit_remark(uow, ivanova, ref.id, text="Шумел на уроке", expected=("Шумел", False))
    assert [e.action for e in events(engine)] == ["remark.add", "remark.edit"]
    with school.uow() as uow, pytest.raises(Conflict):
        remarks.remove_remark(uow, ivanova, ref.id, expected=("Шумел", False))
    with school.uow() as uow:
        remarks.remove_remark(uow, ivanova, ref.id)
    with school.uow() as uow, pytest.raises(Conflict):  # removed meanwhile
        remarks.edit_remark(uow, ivanova, ref.id, text="Болтал")
    assert count_rows(engine, m.Remark) == 0


def test_lesson_remarks_are_listed_for_those_who_may_read_them(school) -> None:
    lesson = school.lesson("rus5", TODAY)
    with school.uow() as uow:
        remarks.add_remark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "Шумел")
        remarks.add_remark(uow, school.actors["ivanova"], lesson, school.pupils["Борисова"], "Молодец", praise=True)
    with school.uow() as uow:
        listed = remarks.lesson_remarks(uow, school.actors["deputy"], lesson)
    assert [(r.pupil, r.text, r.praise) for r in listed] == [("Борисова Бэлла", "Молодец", True),
                                                             ("Волков Виктор", "Шумел", False)]
    with school.uow() as uow:
        assert len(remarks.lesson_remarks(uow, school.actors["ivanova"], lesson)) == 2
    with school.uow() as uow, pytest.raises(NotAllowed):
        remarks.lesson_remarks(uow, school.actors["smirnova"], lesson)


def _editor(school, uow) -> RegisterEditor:  # noqa: ANN001
    actor = school.actors["ivanova"]
    reg = open_register(uow, actor, school.loads["rus5"], "Q2")
    reg.remarks = remarks.register_remarks(uow, reg)
    return RegisterEditor(reg, uow.settings, kinds_of_work(uow), actor_id=actor.id)


def _save(school, editor: RegisterEditor, cell: CellRef, text: str, praise: bool = False) -> list:  # noqa: ANN001
    """The cell editor's save with the remark field as given: the plans, written and applied."""
    plans = editor.form_plans(cell, MarkForm(None, "", "oral", "", None, remark=text, praise=praise))
    for plan in plans:
        editor.begin(plan)
        with school.uow() as uow:
            editor.apply(write(uow, school.actors["ivanova"], plan))
    return [type(plan.change) for plan in plans]


def test_the_register_editor_writes_changes_and_clears_a_cells_remark(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", TODAY), school.pupils["Волков"]
    cell = CellRef(volkov, lesson)
    with school.uow() as uow:
        editor = _editor(school, uow)
    assert _save(school, editor, cell, "") == []  # nothing typed: nothing written
    assert _save(school, editor, cell, "Шумел") == [AddRemark]
    assert editor.remark_at(cell).text == "Шумел"
    assert _save(school, editor, cell, "Шумел") == []
    assert _save(school, editor, cell, "Шумел", praise=True) == [EditRemark]  # the kind alone changed
    with school.uow() as uow:
        fresh = _editor(school, uow)
    assert fresh.remark_at(cell) == editor.remark_at(cell) and fresh.remark_at(cell).praise
    assert _save(school, editor, cell, "") == [DeleteRemark]
    assert editor.remark_at(cell) is None and count_rows(engine, m.Remark) == 0
    assert [e.action for e in events(engine)] == ["remark.add", "remark.edit", "remark.delete"]


def test_a_form_without_the_remark_field_leaves_the_remark_alone(school, engine) -> None:
    lesson, volkov = school.lesson("rus5", TODAY), school.pupils["Волков"]
    with school.uow() as uow:
        remarks.add_remark(uow, school.actors["ivanova"], lesson, volkov, "Шумел")
        editor = _editor(school, uow)
    assert editor.form_plans(CellRef(volkov, lesson), MarkForm(None, "", "oral", "", None)) == []
    assert count_rows(engine, m.Remark) == 1


def test_register_remarks_are_those_of_the_registers_lessons(school) -> None:
    rus, maths = school.lesson("rus5", TODAY), school.lesson("math5", TODAY)
    volkov = school.pupils["Волков"]
    with school.uow() as uow:
        remarks.add_remark(uow, school.actors["ivanova"], rus, volkov, "Шумел")
        remarks.add_remark(uow, school.actors["petrov"], maths, volkov, "Решил задачу", praise=True)
        editor = _editor(school, uow)
    assert {key: [r.text for r in cell] for key, cell in editor.reg.remarks.items()} == {(volkov, rus): ["Шумел"]}

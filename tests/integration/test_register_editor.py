"""The register editor without any user interface: what keys on cells plan, what the writes
store, what the register on screen becomes after them (cells and row figures the same as a
register opened afresh), a lesson not held yet written only with its first entry, a mark for
an absent pupil asked about first, the cell editor's form never adding a copy, and the
reason for a late entry asked once per lesson."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import ReasonRequired
from ejournal_tui.domain.register_cells import (
    AbsenceToggled,
    CellRef,
    Cleared,
    FinalAccepted,
    MarkTyped,
)
from ejournal_tui.services.register import open_register
from ejournal_tui.services.register_editor import (
    PLANNED_ID,
    AddMark,
    CorrectMark,
    LessonSlot,
    MarkForm,
    Plan,
    Refusal,
    RegisterEditor,
    lesson_page,
    write,
    write_lesson_page,
)
from ejournal_tui.services.register_view import kinds_of_work, slot_detail

TODAY = date(2026, 11, 20)
YESTERDAY = date(2026, 11, 19)


def _editor(school, login: str = "ivanova", period: str = "Q2", slot: LessonSlot | None = None) -> RegisterEditor:  # noqa: ANN001
    actor = school.actors[login]
    with school.uow() as uow:
        reg = open_register(uow, actor, school.loads["rus5"], period)
        return RegisterEditor(reg, uow.settings, kinds_of_work(uow), actor_id=actor.id, slot=slot)


def _run(school, editor: RegisterEditor, plan: Plan, reason: str = "") -> str:  # noqa: ANN001
    """What the screen does with a plan: begin, write in the writer's unit of work, apply."""
    editor.begin(plan)
    with school.uow() as uow:
        outcome = write(uow, school.actors["ivanova"], plan, reason=reason)
    return editor.apply(outcome)


def _stored(school, pupil: int, lesson: int) -> list[str]:  # noqa: ANN001
    with school.uow() as uow:
        return list(uow.session.scalars(select(m.Mark.value).where(
            m.Mark.pupil_id == pupil, m.Mark.lesson_id == lesson).order_by(m.Mark.id)))


def _lessons_today(school) -> list[int]:  # noqa: ANN001
    with school.uow() as uow:
        return list(uow.session.scalars(select(m.Lesson.id).where(m.Lesson.date == TODAY)))


def test_keys_plan_writes_and_the_row_is_recounted_as_a_fresh_register_would(school) -> None:
    lesson = school.lesson("rus5", YESTERDAY, work_kind="control")
    volkov = school.pupils["Волков"]
    editor = _editor(school)
    cell = CellRef(volkov, lesson)
    plan = editor.plan(cell, MarkTyped("5"))
    assert isinstance(plan.change, AddMark) and plan.change.work_kind == "control" and plan.shown == "5"
    assert "5" in _run(school, editor, plan)  # what the status line says
    assert isinstance(editor.plan(cell, MarkTyped("4")).change, CorrectMark)  # one mark: a digit corrects it
    _run(school, editor, editor.plan(cell, AbsenceToggled()))
    assert _stored(school, volkov, lesson) == ["5"]
    fresh = _editor(school).reg
    assert editor.reg.summary[volkov] == fresh.summary[volkov]
    assert editor.reg.cell_text(volkov, lesson) == fresh.cell_text(volkov, lesson) == "н 5"
    _run(school, editor, editor.plan(cell, Cleared()))
    assert editor.reg.summary[volkov] == _editor(school).reg.summary[volkov]
    assert editor.reg.summary[volkov].marks == 0 and _stored(school, volkov, lesson) == []


def test_the_period_mark_is_accepted_from_the_suggestion(school) -> None:
    lesson = school.lesson("rus5", YESTERDAY)
    volkov = school.pupils["Волков"]
    editor = _editor(school)
    assert isinstance(editor.plan(CellRef(volkov, None), FinalAccepted()), Refusal)  # no marks, no suggestion
    _run(school, editor, editor.plan(CellRef(volkov, lesson), MarkTyped("4")))
    plan = editor.plan(CellRef(volkov, lesson), FinalAccepted())
    assert plan.cell == CellRef(volkov, None)
    _run(school, editor, plan)
    assert editor.reg.summary[volkov].final == "4" == _editor(school).reg.summary[volkov].final


def test_a_lesson_not_held_is_shown_planned_and_written_with_its_first_entry(school) -> None:
    slot = LessonSlot(school.loads["rus5"], TODAY, 2)
    editor = _editor(school, slot=slot)
    assert editor.slot_lesson() == PLANNED_ID and editor.lesson(PLANNED_ID).date == TODAY
    assert _lessons_today(school) == []  # shown, not written
    borisova = school.pupils["Борисова"]
    _run(school, editor, editor.plan(CellRef(borisova, PLANNED_ID), AbsenceToggled()))
    [lesson] = _lessons_today(school)
    _run(school, editor, editor.plan(CellRef(school.pupils["Волков"], PLANNED_ID), MarkTyped("5")))
    assert _lessons_today(school) == [lesson]  # the second entry finds the lesson the first opened
    assert editor.reg.cell_text(borisova, PLANNED_ID) == "н"
    reopened = _editor(school, slot=slot)
    assert reopened.slot_lesson() == lesson  # held now: no planned column
    assert reopened.reg.cell_text(school.pupils["Волков"], lesson) == "5"


def test_a_lesson_page_writes_nothing_unchanged_and_opens_a_planned_lesson(school) -> None:
    actor = school.actors["ivanova"]
    with school.uow() as uow:
        detail = slot_detail(uow, actor, school.loads["rus5"], TODAY, 2)
    assert detail.id is None
    values = {"topic": "", "homework": "", "plan_item_id": None, "work_kind": ""}
    assert lesson_page(detail, values, None) is None
    page = lesson_page(detail, dict(values, topic="Причастие"), None)
    with school.uow() as uow:
        write_lesson_page(uow, actor, page)
    with school.uow() as uow:
        assert slot_detail(uow, actor, school.loads["rus5"], TODAY, 2).topic == "Причастие"


def test_a_mark_for_an_absent_pupil_is_asked_about_first(school) -> None:
    lesson = school.lesson("rus5", YESTERDAY)
    editor = _editor(school)
    absent, present = CellRef(school.pupils["Волков"], lesson), CellRef(school.pupils["Алексеев"], lesson)
    assert editor.plan(present, MarkTyped("5")).confirm == ""
    toggle = editor.plan(absent, AbsenceToggled())
    editor.begin(toggle)  # on its way: a mark typed right after it is asked about already
    plan = editor.plan(absent, MarkTyped("5"))
    assert "Волков Виктор" in plan.confirm and plan.shown == "н5"
    editor.abandon(toggle)
    assert editor.plan(absent, MarkTyped("5")).confirm == ""


def test_the_cell_form_corrects_the_mark_shown_and_never_adds_a_copy(school) -> None:
    lesson = school.lesson("rus5", YESTERDAY)
    volkov = school.pupils["Волков"]
    editor = _editor(school)
    cell = CellRef(volkov, lesson)
    [first] = editor.form_plans(cell, MarkForm(None, "4", "oral", "", None))  # an empty cell: its first mark
    _run(school, editor, first)
    mark = editor.marks_at(cell)[0]
    assert editor.form_plans(cell, MarkForm(mark.id, "4", "oral", "", None)) == []  # unchanged: nothing
    [fix] = editor.form_plans(cell, MarkForm(mark.id, "5", "oral", "молодец", None))
    assert isinstance(fix.change, CorrectMark)
    _run(school, editor, fix)
    _run(school, editor, editor.add_plan(cell, MarkForm(mark.id, "3", "oral", "", None)))  # asked for: another
    assert _stored(school, volkov, lesson) == ["5", "3"]
    assert [(mk.value, mk.comment) for mk in editor.marks_at(cell)] == [("5", "молодец"), ("3", "")]
    assert isinstance(editor.plan(cell, MarkTyped("4")), Refusal)  # two marks: the grid leaves them to the editor
    assert editor.reg.summary[volkov] == _editor(school).reg.summary[volkov]


def test_a_late_entry_reason_is_remembered_for_the_lesson(school) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 16))
    editor = _editor(school)
    plan = editor.plan(CellRef(school.pupils["Волков"], lesson), MarkTyped("4"))
    with school.uow() as uow, pytest.raises(ReasonRequired):
        write(uow, school.actors["ivanova"], plan, reason=editor.begin(plan))
    editor.abandon(plan)
    _run(school, editor, plan, reason="болел учитель")
    second = editor.plan(CellRef(school.pupils["Алексеев"], lesson), MarkTyped("5"))
    assert editor.begin(second) == "болел учитель"


def test_read_only_registers_refuse_with_a_reason(school) -> None:
    lesson = school.lesson("rus5", YESTERDAY)
    deputy = _editor(school, "deputy")
    refusal = deputy.plan(CellRef(school.pupils["Волков"], lesson), MarkTyped("5"))
    assert isinstance(refusal, Refusal) and refusal.message == deputy.refusal()
    closed = _editor(school, period="Q1", slot=LessonSlot(school.loads["rus5"], date(2026, 10, 1), 1))
    assert closed.read_only and closed.slot_lesson() is None  # nothing planned in a closed period
    with school.uow() as uow:  # refused before any write
        assert not uow.session.scalars(select(m.Mark)).all()

"""Editing the register the way a teacher does it, keys and clicks only: the register's forms
save by their button, Enter and Ctrl+S and Escape discards; Enter on a mark already in the
cell saves that mark and never adds a copy; opening a lesson writes nothing until something is
entered; a mark for a pupil marked «н» asks first; an unknown key says which keys work; the
lesson editor starts in the topic, opens the plan at the next topic due and keeps homework
text when typing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from tests.ui.harness import demo_database, screen_text, settle, signed_in_app

LOAD_5A_RUSSIAN = 9  # the demo teacher's 5А Русский язык; its last lesson is on 19.11
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _marks(url: str, pupil_id: int, lesson_id: int) -> list[str]:
    with demo_database(url).uow() as uow:
        return list(uow.session.scalars(select(m.Mark.value).where(
            m.Mark.pupil_id == pupil_id, m.Mark.lesson_id == lesson_id).order_by(m.Mark.id)))


def _homework(url: str, lesson_id: int) -> str:
    with demo_database(url).uow() as uow:
        return uow.session.get(m.Lesson, lesson_id).homework


def _todays_lessons(url: str) -> list[tuple[int, int, str]]:
    """(id, number, topic) of the register's lessons today."""
    with demo_database(url).uow() as uow:
        return [tuple(row) for row in uow.session.execute(select(m.Lesson.id, m.Lesson.number, m.Lesson.topic).where(
            m.Lesson.load_id == LOAD_5A_RUSSIAN, m.Lesson.date == TODAY))]


async def _register(app: Any, pilot: Any) -> Any:
    app.open_screen("register", load_id=LOAD_5A_RUSSIAN)
    await settle(pilot)
    return app.screen


async def _to_pupil(pilot: Any, screen: Any, wanted: Any) -> Any:
    """Down the grid to the first pupil (below the first) whose cell at the cursor's lesson
    satisfies `wanted(marks, absence)`; returns that cell."""
    grid, reg = screen.grid, screen.reg
    lesson = grid.current_cell().lesson_id
    row = next(i for i, p in enumerate(reg.pupils) if i > 0
               and wanted(reg.marks.get((p.id, lesson), []), reg.absences.get((p.id, lesson))))
    await pilot.press(*["down"] * (row - grid.row))
    return grid.current_cell()


async def _lesson_form(app: Any, pilot: Any, screen: Any, url: str, way: str) -> Callable[[bool], None]:
    """`t`, then more homework typed after what is there (Enter in the topic moves on to it)."""
    lesson_id = screen.grid.current_cell().lesson_id
    before = _homework(url, lesson_id)
    assert before  # the demo set homework at that lesson: typing must add to it
    await pilot.press("t")
    await settle(pilot)
    assert type(app.screen).__name__ == "LessonEditorModal"
    await pilot.press("enter" if way == "enter" else "tab", *" и упр. 7")

    def stored(saved: bool) -> None:
        assert _homework(url, lesson_id) == (f"{before} и упр. 7" if saved else before)

    return stored


async def _cell_form(app: Any, pilot: Any, screen: Any, url: str, way: str) -> Callable[[bool], None]:
    """Enter on a cell with one mark, the mark changed in the form (Enter: from the comment)."""
    cell = await _to_pupil(pilot, screen, lambda marks, absent: len(marks) == 1 and not absent)
    old = screen.reg.marks[(cell.pupil_id, cell.lesson_id)][0].value
    new = "2" if old != "2" else "3"
    await pilot.press("enter")
    await settle(pilot)
    assert type(app.screen).__name__ == "CellEditorModal"
    assert app.screen.query_one("#value").value == old  # the form shows the cell's mark
    await pilot.press("end", "backspace", new, *(["tab", "tab"] if way == "enter" else []))

    def stored(saved: bool) -> None:
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) == (new if saved else old)
        assert _marks(url, cell.pupil_id, cell.lesson_id) == [new if saved else old]

    return stored


async def _reason_form(app: Any, pilot: Any, screen: Any, url: str, way: str) -> Callable[[bool], None]:
    """A mark at the register's first lesson, long past: the reason asked for, typed."""
    await pilot.press("home")
    cell = await _to_pupil(pilot, screen, lambda marks, absent: not marks and not absent)
    await pilot.press("4")
    await settle(pilot)
    assert type(app.screen).__name__ == "ReasonModal"
    await pilot.press(*"болел учитель")

    def stored(saved: bool) -> None:
        assert _marks(url, cell.pupil_id, cell.lesson_id) == (["4"] if saved else [])
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) == ("4" if saved else "")

    return stored


FORMS = {"lesson editor": (_lesson_form, "#save"), "cell editor": (_cell_form, "#save"),
         "late entry reason": (_reason_form, "#ok")}


@pytest.mark.parametrize("way", ["button", "enter", "ctrl+s", "escape"])
@pytest.mark.parametrize("form", list(FORMS))
async def test_register_forms_save_three_ways_and_escape_discards(demo_url: str, form: str, way: str) -> None:
    fill, button = FORMS[form]
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        stored = await fill(app, pilot, screen, demo_url, way)
        if way == "button":
            assert await pilot.click(button)
        else:  # Enter: the form's last field has the focus now
            await pilot.press(way)
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        stored(way != "escape")


# ---- the cell editor never adds a copy ----------------------------------------------------


async def test_enter_on_a_mark_in_the_cell_editor_adds_no_copy(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        cell = await _to_pupil(pilot, screen, lambda marks, absent: len(marks) == 1 and not absent)
        old = _marks(demo_url, cell.pupil_id, cell.lesson_id)
        await pilot.press("enter", "enter")  # open the cell, Enter on the mark shown
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) == old[0]
    assert _marks(demo_url, cell.pupil_id, cell.lesson_id) == old


async def test_a_further_mark_is_added_only_when_asked(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        cell = await _to_pupil(pilot, screen, lambda marks, absent: len(marks) == 1 and not absent)
        old = _marks(demo_url, cell.pupil_id, cell.lesson_id)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("end", "backspace", "5", "ctrl+n")
        await settle(pilot)
        assert app.screen.query_one("#cell-marks").row_count == 2
        await pilot.press("escape")
        await settle(pilot)
        assert screen.reg.summary[cell.pupil_id].marks >= 2  # the row was recounted
    assert _marks(demo_url, cell.pupil_id, cell.lesson_id) == [*old, "5"]


# ---- opening a lesson records nothing -----------------------------------------------------


async def test_todays_lesson_is_written_with_its_first_mark_not_when_opened(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("enter")  # Today: the first lesson, 5А Русский язык, not held yet
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "RegisterScreen"
        cell = screen.grid.current_cell()
        assert screen.editor.lesson(cell.lesson_id).date == TODAY
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "right", "left")
        await settle(pilot)
        assert _todays_lessons(demo_url) == []  # looked at, not held
        cell = screen.grid.current_cell()
        await pilot.press("5")
        await settle(pilot)
        assert "Saved: 5" in screen_text(app)
    [(lesson_id, number, _topic)] = _todays_lessons(demo_url)
    assert number == 1
    assert _marks(demo_url, cell.pupil_id, lesson_id) == ["5"]


async def test_todays_lesson_is_written_with_its_topic(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t", *"Причастие", "ctrl+s")  # typed at once: it goes into the topic
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
    [(_id, _number, topic)] = _todays_lessons(demo_url)
    assert topic == "Причастие"


async def test_lesson_today_key_opens_it_without_writing(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        await pilot.press("home", "plus")
        await settle(pilot)
        lesson = screen.editor.lesson(screen.grid.current_cell().lesson_id)
        assert (lesson.date, lesson.number) == (TODAY, 1)
    assert _todays_lessons(demo_url) == []


# ---- a mark for an absent pupil asks first ------------------------------------------------


async def test_a_mark_for_a_pupil_marked_absent_asks_first(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        cell = await _to_pupil(pilot, screen, lambda marks, absent: not marks and not absent)
        await pilot.press("н")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmModal"
        assert "absent" in screen_text(app)
        await pilot.press("escape")  # no: nothing written
        await settle(pilot)
        assert _marks(demo_url, cell.pupil_id, cell.lesson_id) == []
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("enter")  # yes
        await settle(pilot)
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) == "н4"
    assert _marks(demo_url, cell.pupil_id, cell.lesson_id) == ["4"]


async def test_absence_then_mark_typed_at_once_asks_too(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        cell = await _to_pupil(pilot, screen, lambda marks, absent: not marks and not absent)
        await pilot.press("н", "5")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("escape")
        await settle(pilot)
    assert _marks(demo_url, cell.pupil_id, cell.lesson_id) == []


# ---- an unknown key says which keys work --------------------------------------------------


async def test_an_unknown_key_lists_the_keys(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        cell = await _to_pupil(pilot, screen, lambda marks, absent: not marks and not absent)
        await pilot.press("7")
        await settle(pilot)
        info = str(screen.query_one("#cell-info").render())
        assert "«7»" in info and "2–5" in info and "н/а" in info
        await pilot.press("t")  # a key of the screen still does its work
        await settle(pilot)
        assert type(app.screen).__name__ == "LessonEditorModal"
    assert _marks(demo_url, cell.pupil_id, cell.lesson_id) == []


# ---- the lesson editor ----------------------------------------------------------------------


async def test_lesson_editor_opens_the_plan_at_the_next_topic_due(demo_url: str) -> None:
    from ejournal_tui.services.register_view import next_due, plan_of
    from tests.ui.harness import actor

    db = demo_database(demo_url)
    with db.uow() as uow:
        due = next_due(plan_of(uow, actor(db, "teacher"), LOAD_5A_RUSSIAN))
    assert due is not None and due.seq > 1
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("enter")  # today's lesson: no topic chosen yet
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.focused.id == "topic"
        await pilot.press("shift+tab", "enter")  # the plan, opened
        await settle(pilot)
        plan = app.screen.query_one("#plan")
        overlay = plan.query_one("SelectOverlay")
        assert plan.expanded and str(overlay.get_option_at_index(overlay.highlighted).prompt).startswith(f"{due.seq}. ")
        await pilot.press("enter")  # taken: the topic follows
        await settle(pilot)
        assert app.screen.query_one("#topic").value == due.topic


async def test_the_cell_editor_saves_attendance_with_its_form(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await _register(app, pilot)
        cell = await _to_pupil(pilot, screen, lambda marks, absent: not marks and not absent)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "enter", "down", "enter")  # attendance: absent
        await settle(pilot)
        assert app.screen.query_one("#attendance").value == "absent"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) == "н"
    with demo_database(demo_url).uow() as uow:
        status = uow.session.scalars(select(m.Attendance.status).where(
            m.Attendance.pupil_id == cell.pupil_id, m.Attendance.lesson_id == cell.lesson_id)).one()
    assert status == "absent"


async def test_the_cell_editor_on_todays_lesson_writes_it_with_the_mark(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("enter")  # Today: the lesson not held yet
        await settle(pilot)
        screen = app.screen
        cell = screen.grid.current_cell()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("end", "4", "enter")
        await settle(pilot)
        assert screen.grid.cell_text(cell.pupil_id, cell.lesson_id) == "4"
    [(lesson_id, _number, _topic)] = _todays_lessons(demo_url)
    assert _marks(demo_url, cell.pupil_id, lesson_id) == ["4"]

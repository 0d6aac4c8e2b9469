"""Substitutions end to end in the TUI, by keys and clicks only: the deputy opens «Замены на
день» from Today (`z`, shown to the deputy only) or the palette, walks the days with ←/→ and
[ ], picks a lesson (Enter) and its substitute, and saves by the button, Enter or Ctrl+S
(Escape discards); «no substitute» gives the lesson back. The deputy's substitute picker in
the register's lesson page (`t`) stores its choice. The substitute finds the lesson on Today
marked «substitution», Enter opens the colleague's register at it, and marks, attendance and
topic are written there — but not at the load's other lessons. The register says who held a
substituted lesson."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from tests.ui.harness import SMALL, actor, demo_database, screen_text, settle, signed_in_app

TODAY = date(2026, 11, 20)  # Friday
MATHS_5A = 13  # 5А Математика, Соболева А.А. (staff 11); 2nd lesson on Fridays
SOBOLEVA, ERMAKOVA = 11, 8  # Ермакова А.М. is the demo `teacher`: free at the 2nd lesson on Fridays
LAST_HELD = date(2026, 11, 19)  # the load's last lesson held before today (2nd lesson)


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


async def keys(pilot: Any, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


def lesson_row(url: str, day: date = TODAY, number: int = 2, load_id: int = MATHS_5A) -> m.Lesson | None:
    with demo_database(url).uow() as uow:
        found = uow.session.scalars(select(m.Lesson).where(
            m.Lesson.load_id == load_id, m.Lesson.date == day, m.Lesson.number == number)).first()
        if found is not None:
            uow.session.expunge(found)
        return found


def events(url: str, action: str) -> int:
    with demo_database(url).uow() as uow:
        return len(list(uow.session.scalars(select(m.AuditEvent.id).where(m.AuditEvent.action == action))))


def substitute_beforehand(url: str, teacher_id: int = ERMAKOVA) -> int:
    """The deputy put the teacher in for today's 5А maths (the way the screen does it)."""
    from ejournal_tui.services.substitutions import set_substitute

    db = demo_database(url)
    deputy = actor(db, "deputy")
    with db.uow() as uow:
        return set_substitute(uow, deputy, MATHS_5A, TODAY, 2, teacher_id).id  # type: ignore[union-attr]


async def open_day(app: Any, pilot: Any) -> Any:
    """Today, then `z`."""
    assert type(app.screen).__name__ == "TodayScreen"
    await keys(pilot, "z")
    assert type(app.screen).__name__ == "SubstitutionsScreen"
    return app.screen


async def pick_lesson(app: Any, pilot: Any, screen: Any) -> Any:
    """Down the day's table to 5А maths, Enter: the picker."""
    row = next(i for i, s in enumerate(screen.view.slots) if (s.load_id, s.number) == (MATHS_5A, 2))
    await keys(pilot, *["down"] * row)
    assert "5А · Математика" in str(screen.query_one("#subs-detail").render())
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "SubstituteModal"
    return app.screen


async def highlight(pilot: Any, modal: Any, teacher_id: int | None) -> None:
    """Up or down the picker's list to a teacher (None: «no substitute», the first line)."""
    from textual.widgets import OptionList

    options = modal.query_one(OptionList)
    wanted = 0 if teacher_id is None else 1 + [c.id for c in modal.candidates].index(teacher_id)
    step = "down" if wanted >= options.highlighted else "up"
    await keys(pilot, *[step] * abs(wanted - options.highlighted))
    assert options.highlighted == wanted


# ---- the deputy's day ---------------------------------------------------------------------


@pytest.mark.parametrize("way", ["button", "enter", "ctrl+s", "escape"])
async def test_the_deputy_assigns_a_substitute_for_a_lesson_not_held_yet(demo_url: str, way: str) -> None:
    assert lesson_row(demo_url) is None  # today's 5А maths is not held yet
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        screen = await open_day(app, pilot)
        assert "Substitutions for Fri 2026-11-20 · lessons: 24 · substituted: 0" in screen_text(app)
        modal = await pick_lesson(app, pilot, screen)
        text = screen_text(app)
        assert "Timetable: Соболева А.А." in text and "No substitute — Соболева А.А. holds it" in text
        free = [c for c in modal.candidates if not c.busy]
        assert modal.candidates[: len(free)] == free  # the teachers free at the 2nd lesson come first
        await highlight(pilot, modal, ERMAKOVA)
        if way == "button":
            await pilot.click("#subs-save")
            await settle(pilot)
        else:
            await keys(pilot, way)
        assert type(app.screen).__name__ == "SubstitutionsScreen"
        lesson = lesson_row(demo_url)
        if way == "escape":
            assert lesson is None and events(demo_url, "lesson.substitute") == 0
            return
        assert lesson is not None and (lesson.teacher_id, lesson.substitute_for_id) == (ERMAKOVA, SOBOLEVA)
        assert events(demo_url, "lesson.substitute") == 1
        text = screen_text(app)
        assert "substituted: 1" in text and "Ермакова А.М." in text
        # the cursor stayed on the lesson: its line says who holds it now
        assert "held by Ермакова А.М." in str(screen.query_one("#subs-detail").render())


async def test_no_substitute_gives_the_lesson_back(demo_url: str) -> None:
    substitute_beforehand(demo_url)
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        screen = await open_day(app, pilot)
        assert "substituted: 1" in screen_text(app)
        modal = await pick_lesson(app, pilot, screen)
        assert modal.candidates[modal.query_one("OptionList").highlighted - 1].id == ERMAKOVA  # who holds it now
        await highlight(pilot, modal, None)
        await keys(pilot, "enter")
        lesson = lesson_row(demo_url)
        assert lesson is not None and (lesson.teacher_id, lesson.substitute_for_id) == (SOBOLEVA, None)
        assert events(demo_url, "lesson.unsubstitute") == 1
        assert "substituted: 0" in screen_text(app)


async def test_the_day_changes_with_the_arrows_and_brackets(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        await open_day(app, pilot)
        await keys(pilot, "right")
        assert "Substitutions for Sat 2026-11-21: no lessons that day" in screen_text(app)
        await keys(pilot, "right_square_bracket")  # Sunday is skipped
        assert "Mon 2026-11-23 · lessons: 27" in screen_text(app)
        await keys(pilot, "left", "left_square_bracket")
        assert "Fri 2026-11-20 · lessons: 24" in screen_text(app)
        await keys(pilot, "left")
        assert "Thu 2026-11-19" in screen_text(app)
        await keys(pilot, "home")
        assert "Fri 2026-11-20" in screen_text(app)


async def test_the_screen_reads_at_80_by_24(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        text = screen_text(app)
        assert "z Substitutions" in text  # the deputy's key on Today's footer
        await open_day(app, pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Class" in line)
        assert all(word in header for word in ("No.", "Class", "Subject", "Timetable", "Substitute"))
        footer = next(line for line in reversed(lines) if "f1" in line)
        assert all(label in footer for label in ("Substitute", "Prev. day", "Next day"))
        assert any("1А" in line and "Русский язык" in line and "Румянцева О.М." in line for line in lines)
        await keys(pilot, "down")
        assert "Lesson 1, 08:30–09:10 · 5А · Русский язык · timetable: Ермакова А.М." in screen_text(app)


async def test_only_the_deputy_has_the_key(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        footer = next(line for line in reversed(screen_text(app).splitlines()) if "f1" in line)
        assert "f2 Today" in footer and "Substitutions" not in footer
        await keys(pilot, "z")
        assert type(app.screen).__name__ == "TodayScreen"


async def test_the_palette_opens_the_day(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await keys(pilot, "ctrl+p", *"Substitutions for")
        await keys(pilot, "enter")
        assert type(app.screen).__name__ == "SubstitutionsScreen"
        assert "Fri 2026-11-20" in screen_text(app)


# ---- the register's lesson page ---------------------------------------------------------------


async def test_the_deputys_picker_on_the_lesson_page_stores_the_substitute(demo_url: str) -> None:
    held = lesson_row(demo_url, LAST_HELD)
    assert held is not None and held.teacher_id == SOBOLEVA
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await keys(pilot, "ctrl+p", *"5А / Математика")
        await keys(pilot, "enter")
        assert type(app.screen).__name__ == "RegisterScreen"
        assert app.screen.editor.lesson(app.screen.grid.current_cell().lesson_id).id == held.id
        await keys(pilot, "t")
        assert type(app.screen).__name__ == "LessonEditorModal"
        assert app.screen.focused.id == "substitute"  # another teacher's page: only the substitute is open
        await keys(pilot, "enter", *"Ермакова", "enter")
        await keys(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "RegisterScreen"
        lesson = lesson_row(demo_url, LAST_HELD)
        assert (lesson.teacher_id, lesson.substitute_for_id) == (ERMAKOVA, SOBOLEVA)  # type: ignore[union-attr]
        assert lesson.topic == held.topic  # the page's fields were not written  # type: ignore[union-attr]
        # the register now says who held it
        assert "Substitute: Ермакова А.М. for Соболева А.А." in screen_text(app)


# ---- the substitute -----------------------------------------------------------------------------


async def test_the_substitute_opens_the_lesson_from_today_and_writes_it(demo_url: str) -> None:
    lesson_id = substitute_beforehand(demo_url)
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        table = app.screen.query_one("#lessons")
        titles = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        row = titles.index("5А · Математика (substitution)")
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["1", "2", "3"]  # in lesson order
        await keys(pilot, *["down"] * row, "enter")
        screen = app.screen
        assert type(screen).__name__ == "RegisterScreen" and screen.editor.reg.ref.load_id == MATHS_5A
        assert screen.grid.current_cell().lesson_id == lesson_id  # the cursor on that lesson
        text = screen_text(app)
        assert "Substitute: lesson 20.11 № 2 only" in text  # the status line
        assert "Substitute: Ермакова А.М. for Соболева А.А." in text
        first, second = screen.reg.pupils[0].id, screen.reg.pupils[1].id
        await keys(pilot, "5", "down", "n")  # a mark for the first pupil, «н» for the second
        await keys(pilot, "t", *"Повторение", "ctrl+s")
        with demo_database(demo_url).uow() as uow:
            values = list(uow.session.scalars(select(m.Mark.value).where(
                m.Mark.lesson_id == lesson_id, m.Mark.pupil_id == first)))
            absent = uow.session.scalars(select(m.Attendance.status).where(
                m.Attendance.lesson_id == lesson_id, m.Attendance.pupil_id == second)).first()
            topic = uow.session.get(m.Lesson, lesson_id).topic  # type: ignore[union-attr]
        assert values == ["5"] and absent == "absent" and topic == "Повторение"
        # the load's lesson before: not hers to write
        await keys(pilot, "left", "4")
        assert screen.grid.current_cell().lesson_id != lesson_id
        other = screen.grid.current_cell()
        assert any("you hold only the lesson 20.11 № 2" in n.message for n in app._notifications)  # why not
        with demo_database(demo_url).uow() as uow:
            assert "4" not in [mk.value for mk in uow.session.scalars(select(m.Mark).where(
                m.Mark.lesson_id == other.lesson_id, m.Mark.pupil_id == other.pupil_id))]

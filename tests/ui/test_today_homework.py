"""Today and Homework: opening today's lesson, writing homework, an unreachable database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from tests.ui.harness import demo_database, settle, signed_in_app

TODAY = date(2026, 11, 20)


async def test_enter_on_todays_lesson_opens_it_in_the_register(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        view = app.screen.view
        assert [les.number for les in view.lessons] == [1, 3]
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"
        cell = app.screen.grid.current_cell()
        lesson = next(les for les in app.screen.reg.lessons if les.id == cell.lesson_id)
        assert lesson.date == TODAY
    with demo_database(demo_url).uow() as uow:  # opened, not held: written with its first entry
        assert uow.session.scalars(select(m.Lesson).where(m.Lesson.date == TODAY, m.Lesson.load_id == 9)).first() is None


async def test_homework_written_ahead_is_stored(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        app.open_screen("homework")
        await settle(pilot)
        screen = app.screen
        row = screen.rows[screen.query_one("#hw-lessons").cursor_row]
        await pilot.press("enter")
        screen.query_one("#hw-input").value = "стр. 70, упр. 5"
        await pilot.press("enter")
        await settle(pilot)
    with demo_database(demo_url).uow() as uow:
        lesson = uow.session.scalars(select(m.Lesson).where(
            m.Lesson.load_id == row.load_id, m.Lesson.date == row.day, m.Lesson.number == row.number)).one()
        assert lesson.homework == "стр. 70, упр. 5"


async def test_unreachable_database_is_shown_with_reconnect() -> None:
    from ejournal_tui.domain.errors import DatabaseUnavailable
    from ejournal_tui.tui.app import EjournalApp

    def connect():  # noqa: ANN202
        raise DatabaseUnavailable(detail="connection refused")

    app = EjournalApp(db=None, connect=connect)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "UnreachableScreen"
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "UnreachableScreen"
        assert "connection refused" in str(app.screen.query_one("#message").render())


async def test_homework_corrected_late_asks_for_the_reason_once_and_stores_it(demo_url: str) -> None:
    """A past lesson's homework changed after its deadline: the reason is asked once (the
    register's one way, widgets/reason_retry.py), then the homework is written with it."""
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#hw-lessons")
        row = max((i for i, r in enumerate(screen.rows) if r.lesson_id is not None and (TODAY - r.day).days >= 7),
                  key=lambda i: screen.rows[i].day)
        await pilot.press(*["up"] * (table.cursor_row - row), "enter")
        lesson_id = screen.rows[row].lesson_id
        await pilot.press(*"стр. 12", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReasonModal"
        await pilot.press(*"забыла", "space", *"записать", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeworkScreen"  # asked once: no second question
        assert not screen.query_one("#hw-edit").display
        assert not [n for n in app._notifications if n.severity == "error"]  # noqa: SLF001 - nothing refused
    with demo_database(demo_url).uow() as uow:
        lesson = uow.session.get(m.Lesson, lesson_id)
        assert (lesson.homework, lesson.late_reason) == ("стр. 12", "забыла записать")


async def test_enter_on_a_pupils_absences_without_a_reason_opens_them_and_b_gives_the_reason(demo_url: str) -> None:
    """A class leader's reminder on Today, followed as a person would: Tab to the list of what
    is due, down to the reminder, Enter; the sheet opens at the pupil's day, and б sets it."""
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await settle(pilot)
        reminders = app.screen.view.reminders
        index = next(i for i, r in enumerate(reminders) if r.issue == "uncoded_absence")
        reminder = reminders[index]
        due = app.screen.query_one("#due")
        await pilot.press("tab")
        assert app.focused is due
        row = due.get_row_index(f"r{index}")
        for _ in range(row - due.cursor_row):
            await pilot.press("down")
        await pilot.press("enter")
        for _ in range(100):
            await settle(pilot)
            if getattr(app.screen, "sheet", None) is not None:
                break
        assert type(app.screen).__name__ == "AbsencesScreen"
        assert app.screen._cursor() == (reminder.pupil_id, reminder.date)  # noqa: SLF001
        await pilot.press("б")
        await settle(pilot)
    A, L = m.Attendance, m.Lesson
    with demo_database(demo_url).uow() as uow:
        reasons = uow.session.scalars(select(A.reason).join(L, L.id == A.lesson_id).where(
            A.pupil_id == reminder.pupil_id, L.date == reminder.date, A.status == "absent")).all()
    assert reasons and set(reasons) == {"Б"}

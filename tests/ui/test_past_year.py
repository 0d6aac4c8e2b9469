"""After the rollover the TUI works in the new year; last year's registers are reached only by
asking for them (the palette), labelled with their year, readable, and closed to lesson entries
(issue 8)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.services.rollover import roll_over
from tests.ui.harness import actor, demo_database, screen_text, settle

SEPTEMBER = datetime(2027, 9, 2, 9, 0, tzinfo=UTC)


async def test_last_years_register_is_labelled_and_takes_no_marks(demo_url: str) -> None:
    from ejournal_tui.tui.app import EjournalApp

    db = demo_database(demo_url, SEPTEMBER)
    roll_over(db, actor(db, "admin"), 2027)
    app = EjournalApp(db=db, signed_in=actor(db, "teacher"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.registers == []  # the new year's load is not imported yet
        past = app.past_registers
        assert past and all(ref.year == "2026/2027" for ref in past)
        marks_before = _count(db, m.Mark)
        app.open_screen("register", load_id=past[0].load_id, period="Q2")
        await settle(pilot)
        shown = screen_text(app)
        assert type(app.screen).__name__ == "RegisterScreen" and "2026/2027" in shown
        await pilot.press("5")  # on a lesson of last year's Q2 (open, not closed)
        await settle(pilot)
        assert _count(db, m.Mark) == marks_before
        text = screen_text(app)
        assert "academic year is over" in text


async def test_last_years_final_marks_stay_writable(demo_url: str) -> None:
    from ejournal_tui.tui.app import EjournalApp

    db = demo_database(demo_url, SEPTEMBER)
    roll_over(db, actor(db, "admin"), 2027)
    app = EjournalApp(db=db, signed_in=actor(db, "teacher"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        finals_before = _count(db, m.FinalMark)
        app.open_screen("register", load_id=app.past_registers[0].load_id, period="Q4")
        await settle(pilot)
        await pilot.press("5")  # the period mark column: the teacher's until the year is closed
        await settle(pilot)
        assert _count(db, m.FinalMark) == finals_before + 1


def _count(db, model) -> int:  # noqa: ANN001
    with db.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()

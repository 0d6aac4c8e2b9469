"""Two workstations on one register (issue 7): two TUIs on the same database, the same pupil's
cell. What one enters, the other sees after F5; a correction made on a stale screen is refused
as a conflict, overwrites nothing, and the screen then shows what the other entered."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from ejournal_tui.data import models as m
from tests.ui.harness import SIZE, demo_database, make_app, settle

LOAD_5A_RUSSIAN = 9  # the demo teacher's 5А Русский язык


async def _open_register(app, pilot):  # noqa: ANN001, ANN202
    app.open_screen("register", load_id=LOAD_5A_RUSSIAN)
    await settle(pilot)
    return app.screen


def _marks(url: str, cell) -> list[tuple[str, int]]:  # noqa: ANN001
    with demo_database(url).uow() as uow:
        rows = uow.session.execute(select(m.Mark.value, m.Mark.version).where(
            m.Mark.lesson_id == cell.lesson_id, m.Mark.pupil_id == cell.pupil_id)).all()
    return [tuple(r) for r in rows]


def _shown(screen, cell) -> list[str]:  # noqa: ANN001
    return [mk.value for mk in screen.reg.marks.get((cell.pupil_id, cell.lesson_id), [])]


async def _both(demo_url: str) -> None:
    # two apps in one event loop: each settles only while the other waits, and neither
    # settles again on the way out (the harness's closing settle assumes a single app)
    app_a, app_b = make_app(demo_url, "teacher"), make_app(demo_url, "teacher")
    async with app_a.run_test(size=SIZE) as pilot_a, app_b.run_test(size=SIZE) as pilot_b:
        screen_a = await _open_register(app_a, pilot_a)
        screen_b = await _open_register(app_b, pilot_b)
        for pilot in (pilot_a, pilot_b):  # the same pupil, no mark there yet, last lesson
            await pilot.press("down", "down", "down", "down")
        cell = screen_a.grid.current_cell()
        assert screen_b.grid.current_cell() == cell
        assert _marks(demo_url, cell) == []

        # A gives a 4; B does not see it until F5
        await pilot_a.press("4")
        await settle(pilot_a)
        assert _marks(demo_url, cell) == [("4", 1)]
        assert _shown(screen_b, cell) == []
        await pilot_b.press("f5")
        await settle(pilot_b)
        assert _shown(screen_b, cell) == ["4"]
        assert screen_b.grid.current_cell() == cell  # the refresh kept B's cursor

        # A corrects it to 5; B, still showing the 4, corrects it to 3: refused as a conflict
        await pilot_a.press("5")
        await settle(pilot_a)
        assert _marks(demo_url, cell) == [("5", 2)]
        await pilot_b.press("3")
        await settle(pilot_b)
        assert _marks(demo_url, cell) == [("5", 2)], "B's stale correction must not overwrite A's"
        # B's screen reloaded on the conflict and shows what A entered, with a message saying why
        assert _shown(screen_b, cell) == ["5"]
        assert screen_b.grid.current_cell() == cell
        notes = " ".join(str(n.message) for n in app_b._notifications)  # noqa: SLF001
        assert "changed" in notes.lower() or "conflict" in notes.lower() or "изменен" in notes.lower(), notes

        # now that B sees the 5, B's correction goes through and A sees it after F5
        await pilot_b.press("3")
        await settle(pilot_b)
        assert _marks(demo_url, cell) == [("3", 3)]
        await pilot_a.press("f5")
        await settle(pilot_a)
        assert _shown(screen_a, cell) == ["3"]

    with demo_database(demo_url).uow() as uow:
        events = uow.session.execute(select(m.AuditEvent.action).where(
            m.AuditEvent.pupil_id == cell.pupil_id, m.AuditEvent.action.like("mark.%"),
            m.AuditEvent.lesson_date.is_not(None)).order_by(m.AuditEvent.seq)).scalars().all()
    assert events[-3:] == ["mark.add", "mark.correct", "mark.correct"]


async def test_two_tuis_on_one_cell(demo_url: str) -> None:
    # bounded: a refresh loop between the two apps must fail the test, not hang the suite
    await asyncio.wait_for(_both(demo_url), timeout=120)

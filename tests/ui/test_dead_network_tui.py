"""The TUI on a PostgreSQL server behind a network that dies (tests/netproxy.py: TCP stays
open, nothing is forwarded). A mark typed into the silence brings the reconnect screen within
seconds, named there as not saved; once the network forwards again, R stores it exactly once
— also when the server had committed it and only its answer was lost. Ctrl+Q with a mark on
its way says what is not saved and quits at once, leaving no thread waiting on the server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.data.network import NetworkLimits, in_flight
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.tui.app import EjournalApp
from tests.factory import TestSchool as School
from tests.factory import build_school
from tests.netproxy import SilentSwitch, pg_empty_url  # noqa: F401 - a fixture
from tests.ui.harness import FROZEN_NOW, SIZE, screen_text, settle

TODAY = date(2026, 11, 20)
BOUND = 30  # seconds: far above the limits below, for a slow CI machine

pytestmark = pytest.mark.postgres


@pytest.fixture
def school(pg_empty_url: str) -> School:  # noqa: F811
    engine = make_engine(pg_empty_url)
    yield build_school(engine, Clock(FROZEN_NOW))
    engine.dispose()


@asynccontextmanager
async def workstation(url: str, school: School, limits: NetworkLimits) -> AsyncIterator[tuple[Any, Any, Any]]:
    """ivanova's workstation behind a switch, on her 5А Русский язык register at today's
    lesson (the first pupil's cell); the app reconnects as `ejournal tui` does."""
    lesson = school.lesson("rus5", TODAY)
    with SilentSwitch() as switch:
        engine = make_engine(switch.url(url), limits=limits)

        def connect() -> Database:
            return Database(engine, school.school_id, Clock(FROZEN_NOW))

        app = EjournalApp(db=connect(), signed_in=school.actors["ivanova"], connect=connect)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await pilot.press("f3")
                await settle(pilot)
                screen = app.screen
                assert type(screen).__name__ == "RegisterScreen", screen_text(app)
                assert screen.grid.current_cell().lesson_id == lesson
                yield app, pilot, switch
        finally:
            switch.close()  # a connection still waiting gets its end: nothing hangs the test run
            engine.dispose()


async def until(pilot: Any, done: Callable[[], bool], what: str, seconds: float = BOUND) -> float:
    """Wait (the app running meanwhile) until `done()`; how long it took."""
    start = time.monotonic()
    while not done():
        assert time.monotonic() - start < seconds, f"{what}: not within {seconds} s\n{screen_text(pilot.app)}"
        await asyncio.sleep(0.05)
    return time.monotonic() - start


def marks(school: School, pupil_id: int) -> list[str]:
    with school.db.engine.connect() as conn:
        return list(conn.execute(select(m.Mark.value).where(m.Mark.pupil_id == pupil_id)).scalars())


@pytest.mark.parametrize("dies", ["before the write", "after its commit"])
async def test_a_mark_typed_into_a_dead_network_is_kept_named_and_stored_once_after_reconnecting(
        pg_empty_url: str, school: School, dies: str) -> None:  # noqa: F811
    async with workstation(pg_empty_url, school, NetworkLimits(silence_s=2)) as (app, pilot, switch):
        register = app.screen
        cell = register.grid.current_cell()
        pupil = register.editor.pupil(cell.pupil_id)
        if dies == "before the write":
            switch.go_silent()
        else:  # the server commits the mark; its answer never comes back
            switch.silent_after(b"COMMIT")
        await pilot.press("5")
        await until(pilot, lambda: type(app.screen).__name__ == "UnreachableScreen", "the reconnect screen")
        await pilot.pause()
        assert f"Not saved: 5А, Русский язык, 20.11, {pupil.name} — 5" in screen_text(app)
        assert marks(school, cell.pupil_id) == ([] if dies == "before the write" else ["5"])
        switch.forward()
        await pilot.press("r")
        await until(pilot, lambda: app.screen is register and not app.unsaved(), "back at the register, saved")
        await settle(pilot)
        assert [mk.value for mk in register.reg.marks[(cell.pupil_id, cell.lesson_id)]] == ["5"]
        assert "Saved: 5" in screen_text(app)
    assert marks(school, cell.pupil_id) == ["5"]  # once, not twice


async def test_quitting_with_a_mark_on_its_way_into_a_dead_network_says_so_and_quits_at_once(
        pg_empty_url: str, school: School) -> None:  # noqa: F811
    # a long limit: the watchdog stays quiet, quitting alone must free what waits on the server
    async with workstation(pg_empty_url, school, NetworkLimits(silence_s=60)) as (app, pilot, switch):
        engine = app.db.engine
        register = app.screen
        pupil = register.editor.pupil(register.grid.current_cell().pupil_id)
        switch.go_silent()
        await pilot.press("5", "f5")  # a mark to write, the register to read again: both wait
        await until(pilot, lambda: in_flight(engine) == 2, "the write and the read waiting on the server")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: type(app.screen).__name__ == "QuitUnsavedModal", "the question before quitting", 10)
        question = str(app.screen.query_one("#confirm-question").render())
        assert f"Not saved (1): 5А, Русский язык, 20.11, {pupil.name} — 5" in question
        await pilot.press("ctrl+q")  # again: quit without it
        took = await until(pilot, lambda: not app.is_running, "quitting", 10)
        assert took < 5
        await until(pilot, lambda: in_flight(engine) == 0, "the threads let go of the server", 5)
    assert marks(school, pupil.id) == []

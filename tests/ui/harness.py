"""Helpers for Pilot and snapshot tests of the TUI.

The small demo school is generated once per test session into a template file; each test
gets its own copy, so tests can write freely. Apps start signed in as a demo login with a
frozen clock (2026-11-20, a Friday in Q2; Q1 is closed).

    async def test_x(demo_url):
        async with signed_in_app(demo_url, "teacher") as (app, pilot):
            ...
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.services.context import Clock, Database

AS_OF = date(2026, 11, 20)
FROZEN_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIZE = (120, 40)
SMALL = (80, 24)


def build_demo(path: Path, as_of: date = AS_OF) -> str:
    """A small demo school as of `as_of` in a new SQLite file; returns its URL."""
    from ejournal_tui.data.db import open_database
    from ejournal_tui.demo.generator import DemoOptions, generate

    url = f"sqlite:///{path}"
    engine = open_database(url)
    generate(engine, DemoOptions("small", 1, as_of), today=as_of, force=True)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ui-demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_url(tmp_path: Path, demo_template: Path) -> str:
    """A private copy of the small demo for one test."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def frozen_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursors and no clock in the header: snapshots stay the same."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setenv("EJOURNAL_LANG", "en")


def demo_database(url: str, frozen: datetime = FROZEN_NOW) -> Database:
    from ejournal_tui.data.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        school_id = conn.execute(select(m.School.id)).scalar_one()
    return Database(engine, school_id, Clock(frozen))


def actor(db: Database, login: str) -> Any:
    from ejournal_tui.services.accounts import actor_of, find_account

    with db.uow() as uow:
        return actor_of(find_account(uow, login))


def make_app(url: str, login: str | None = "teacher", **kwargs: Any) -> Any:
    """An EjournalApp on the demo copy, signed in as `login` (None: at the login screen)."""
    from ejournal_tui.tui.app import EjournalApp

    db = demo_database(url)
    who = actor(db, login) if login else None
    return EjournalApp(db=db, signed_in=who, **kwargs)


async def settle(pilot: Any) -> None:
    """Wait until workers and queued writes are done and the screen is repainted: quiet
    for three checks in a row, because a worker's result may start another (a highlighted
    row loads its details)."""
    import asyncio

    from textual.worker import WorkerCancelled

    app = pilot.app
    quiet = 0
    for _ in range(300):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # replaced by a newer one of its group (exclusive): normal
            pass
        await pilot.pause()
        busy = app.pending_writes() or any(w.is_running for w in app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            break
        await asyncio.sleep(0.01)
    await pilot.pause()


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text (from the app's own screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


@asynccontextmanager
async def signed_in_app(url: str, login: str = "teacher", *, size: tuple[int, int] = SIZE,
                        **kwargs: Any) -> AsyncIterator[tuple[Any, Any]]:
    app = make_app(url, login, **kwargs)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot
        await settle(pilot)


async def painted(pilot: Any, widget: Any, offset: tuple[int, int], **meta: object) -> tuple[int, int]:
    """`offset` once `widget` is painted there with `meta` (e.g. row=2, column=5). DataTable
    and OptionList take a clicked row from what is painted, which follows new data a moment
    later: click only once it is on screen, as a user would."""
    screen = pilot.app.screen
    x, y = widget.region.x + offset[0], widget.region.y + offset[1]
    for _ in range(300):
        if all(screen.get_style_at(x, y).meta.get(key) == value for key, value in meta.items()):
            return offset
        await pilot.pause()
    raise AssertionError(f"{widget!r} shows no {meta} at {offset} but {screen.get_style_at(x, y).meta}; "
                         f"{screen.get_widget_at(x, y)}, region {widget.region}, scroll {widget.scroll_offset}")

"""`ejournal screenshots`: an SVG of every TUI screen, from the small demo school with the
clock frozen at 2026-11-20 (a Friday in Q2), for the README and for reviewing the screens."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

AS_OF = date(2026, 11, 20)
FROZEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIZE = (120, 40)
# who looks at each screen: the person it is made for
VIEWER = {"absences": "teacher", "closure": "deputy", "admin": "admin", "changelog": "deputy", "control": "deputy",
          "substitutions": "deputy"}


def _database(folder: Path) -> Any:
    from sqlalchemy import select

    from ejournal_tui.data import models as m
    from ejournal_tui.data.db import open_database
    from ejournal_tui.demo.generator import DemoOptions, generate
    from ejournal_tui.services.context import Clock, Database

    engine = open_database(f"sqlite:///{folder / 'demo.db'}")
    generate(engine, DemoOptions("small", 1, AS_OF), today=AS_OF, force=True)
    with engine.connect() as conn:
        school_id = conn.execute(select(m.School.id)).scalar_one()
    return Database(engine, school_id, Clock(FROZEN))


def _actor(db: Any, login: str) -> Any:
    from ejournal_tui.services.accounts import actor_of, find_account

    with db.uow() as uow:
        return actor_of(find_account(uow, login))


async def _settle(pilot: Any) -> None:
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.pending_writes() and not any(w.is_running for w in app.workers):
            break
        await asyncio.sleep(0.02)
    await pilot.pause(0.05)


async def _shoot(db: Any, name: str, login: str | None, out: Path, steps: Any = None) -> None:
    from ejournal_tui.tui.app import EjournalApp

    app = EjournalApp(db=db, signed_in=_actor(db, login) if login else None, user="teacher" if not login else None)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        if steps is not None:
            await steps(app, pilot)
            await _settle(pilot)
        app.save_screenshot(str(out / f"{name}.svg"))


def shots() -> list[tuple[str, str | None, Any]]:
    """(file name, login, steps) of every picture: the login and lock screens, then each
    screen of the registry present in this build."""
    from ejournal_tui.tui.screens import available

    def opener(key: str, **kwargs: Any) -> Any:
        async def steps(app: Any, pilot: Any) -> None:
            app.open_screen(key, **kwargs)
            await _settle(pilot)

        return steps

    async def lock(app: Any, pilot: Any) -> None:
        app.lock()

    async def cell_editor(app: Any, pilot: Any) -> None:
        app.open_screen("register")
        await _settle(pilot)
        await pilot.press("down", "down", "enter")

    async def lesson_editor(app: Any, pilot: Any) -> None:
        app.open_screen("register")
        await _settle(pilot)
        await pilot.press("t")

    out: list[tuple[str, str | None, Any]] = [("login", None, None), ("lock", "teacher", lock)]
    for key in available():
        out.append((key, VIEWER.get(key, "teacher"), None if key == "today" else opener(key)))
    out += [("cell_editor", "teacher", cell_editor), ("lesson_editor", "teacher", lesson_editor)]
    if "admin" in available():
        out.append(("admin_timetable", "admin", opener("admin", tab="timetable")))
    return out


def write_screenshots(out: Path) -> list[str]:
    from textual.widgets import Input

    from ejournal_tui.i18n import set_language

    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]  # no blinking cursor in pictures
    set_language("ru")
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = _database(Path(tmp))
        for name, login, steps in shots():
            try:
                asyncio.run(_shoot(db, name, login, out, steps))
            except Exception as exc:  # noqa: BLE001 - one broken screen must not stop the rest
                print(f"warning: {name}: {type(exc).__name__}: {exc}")
                continue
            written.append(name)
            print(f"{out / name}.svg")
        db.engine.dispose()
    return written


def register(app: typer.Typer) -> None:
    @app.command("screenshots")
    def screenshots_cmd(
        out: Annotated[Path, typer.Option("--out", help="Folder for the SVG files")] = Path("screens"),
    ) -> None:
        """Write an SVG of every TUI screen from the demo school (frozen time, 120×40).

        Example: ejournal screenshots --out screens/
        """
        written = write_screenshots(out)
        print(f"{len(written)} screenshots in {out}")

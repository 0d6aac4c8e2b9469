"""Snapshots of the login, lock, Today, register (and its editors) and homework screens on
the small demo with the clock frozen at 2026-11-20."""

from __future__ import annotations

import pytest

from tests.ui.harness import SIZE, SMALL, make_app, settle

pytestmark = pytest.mark.usefixtures("frozen_ui")


def _open(key: str, *keys: str):  # noqa: ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        if key:
            pilot.app.open_screen(key)
            await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        # the register focuses its grid once the register is read: on a busy machine that comes
        # after the first settle, and the picture would catch the screen before it
        for _ in range(100):
            if key != "register" or getattr(pilot.app.focused, "id", None) == "grid":
                break
            await pilot.pause(0.05)
        # the terminal has the focus, as a person's has: a picture after other apps' tests
        # otherwise showed the grid painted as if the window were in the background
        from textual import events

        pilot.app.post_message(events.AppFocus())
        await settle(pilot)


    return run_before


def test_login(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url, None, user="teacher"), terminal_size=SIZE, run_before=_open(""))


def test_lock(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open("", "ctrl+l"))


def test_today(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open(""))


def test_register(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open("register"))


def test_register_80x24(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SMALL, run_before=_open("register", "down", "down"))


def test_cell_editor(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open("register", "down", "down", "enter"))


def test_lesson_editor(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open("register", "t"))


def test_homework(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open("homework"))


def test_help(snap_compare, demo_url: str) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=_open("register", "f1"))

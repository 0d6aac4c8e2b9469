"""A new school's first run: on an empty database the TUI shows the form that creates the
school (not the unreachable-database screen); the button, Enter in the last field and Ctrl+S
each create it, and its administrator then signs in. A refusal keeps what was typed, puts
the cursor on the field at fault and writes nothing; Escape and Ctrl+Q leave no half school."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from ejournal_tui.cli.state import CliState
from ejournal_tui.config import AppConfig
from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.reference import year_for_new_school
from ejournal_tui.i18n import set_language
from ejournal_tui.tui.app import EjournalApp
from ejournal_tui.tui.screens.first_run import FIELDS, field_at_fault, parse_year
from tests.conftest import emptied_pg_url
from tests.ui.harness import SMALL, screen_text, settle

PASSWORD = "Zelyonaya-lampa-42"
# Pilot types only what has a key name: «№» would be lost on the way, not by the form
FORM = {"code": "sch1234", "name": "МБОУ СОШ 12", "city": "Тверь", "director": "Смирнова Ольга Викторовна",
        "admin-name": "Иванов Пётр Сергеевич", "password": PASSWORD, "repeat": PASSWORD}


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file not made yet (the app migrates it), or PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'new.db'}"
    return emptied_pg_url(request)


@pytest.fixture
def sqlite_empty(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'new.db'}"


@asynccontextmanager
async def first_run(url: str, size: tuple[int, int] = SMALL) -> AsyncIterator[tuple[Any, Any]]:
    """The app as `ejournal --db URL` starts it (run_app): no database yet, a way to connect
    and the engine; it is on the first-run form once settled."""
    state = CliState(db_url=url, _config=AppConfig())
    app = EjournalApp(db=None, config=state.config, connect=state.database, engine=state.engine)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            assert type(app.screen).__name__ == "FirstRunScreen", screen_text(app)
            yield app, pilot
            await settle(pilot)
    finally:
        if state._engine is not None:  # noqa: SLF001
            state._engine.dispose()  # type: ignore[attr-defined]  # noqa: SLF001


async def fill(pilot: Any, values: dict[str, str], move: str = "tab") -> None:
    """Type into the fields from the first to the last, as a person does: type, then Tab (or
    Enter) to the next; a field left out keeps what it shows. Ends in the last field."""
    for number, field in enumerate(FIELDS):
        assert pilot.app.focused.id == field.id, (pilot.app.focused, field.id)
        if field.id in values:
            await pilot.press(*values[field.id])
        if number < len(FIELDS) - 1:
            await pilot.press(move)


def value(app: Any, field_id: str) -> str:
    return app.screen.query_one(f"#{field_id}", Input).value


def count(url: str, model: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        engine.dispose()


def schools(url: str) -> list[tuple[str, str, str, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(m.School.code, m.School.name, m.School.city,
                                                           m.School.director))]
    finally:
        engine.dispose()


def admin_names(url: str) -> list[tuple[str, str, bool]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(m.Staff.login, m.Staff.last_name,
                                                           m.Staff.must_change_password))]
    finally:
        engine.dispose()


async def on_login_then_today(app: Any, pilot: Any) -> None:
    """The login screen shows the new administrator's login; the typed password signs in."""
    assert type(app.screen).__name__ == "LoginScreen"
    assert value(app, "login") == "admin"
    assert app.focused.id == "password"
    assert any("sch1234" in n.message for n in app._notifications)  # noqa: SLF001 - what is shown
    await pilot.press(*PASSWORD, "enter")
    await settle(pilot)
    assert type(app.screen).__name__ == "TodayScreen", screen_text(app)
    assert app.session is not None and app.session.actor.login == "admin"


async def test_empty_database_shows_the_form_and_the_button_creates_the_school(empty_url: str) -> None:
    async with first_run(empty_url) as (app, pilot):
        assert "No connection" not in screen_text(app)
        today = date.today()
        start = year_for_new_school(today.year, today.month)
        assert value(app, "year") == f"{start}/{start + 1}" and value(app, "login") == "admin"
        await fill(pilot, FORM)
        button = app.screen.query_one("#create")
        assert button.region.bottom <= SMALL[1] - 1 and button.region.right <= SMALL[0]  # above the footer
        assert await pilot.click("#create")
        await settle(pilot)
        assert schools(empty_url) == [("sch1234", "МБОУ СОШ 12", "Тверь", "Смирнова Ольга Викторовна")]
        assert admin_names(empty_url) == [("admin", "Иванов", False)]
        await on_login_then_today(app, pilot)


async def test_enter_in_the_last_field_creates_the_school(sqlite_empty: str) -> None:
    async with first_run(sqlite_empty) as (app, pilot):
        await fill(pilot, FORM, move="enter")  # Enter moves on from every field but the last
        assert app.focused.id == "year" and count(sqlite_empty, m.School) == 0
        await pilot.press("enter")
        await settle(pilot)
        assert [row[0] for row in schools(sqlite_empty)] == ["sch1234"]
        await on_login_then_today(app, pilot)


async def test_ctrl_s_creates_the_school_and_the_footer_says_so_in_russian(sqlite_empty: str) -> None:
    set_language("ru")
    async with first_run(sqlite_empty) as (app, pilot):
        labels = [key.render().plain.strip() for key in app.screen.query(FooterKey)]
        assert "^s Создать школу" in labels and not [k for k in labels if k.split()[0] in ("f2", "f3", "f4")]
        text = screen_text(app)
        assert "Новая школа" in text and "Первый учебный год" in text
        await fill(pilot, {**FORM, "code": "sch1234"})
        await pilot.press("shift+tab", "ctrl+s")  # from a field in the middle
        await settle(pilot)
        assert [row[0] for row in schools(sqlite_empty)] == ["sch1234"]
        assert type(app.screen).__name__ == "LoginScreen"
        assert any("создана" in n.message for n in app._notifications)  # noqa: SLF001


@pytest.mark.parametrize(("password", "repeat", "says"), [
    ("short", "short", "at least"),
    (PASSWORD, PASSWORD + "x", "The passwords differ"),
])
async def test_a_refusal_keeps_the_form_and_points_at_the_password(
    sqlite_empty: str, password: str, repeat: str, says: str,
) -> None:
    async with first_run(sqlite_empty) as (app, pilot):
        await fill(pilot, {**FORM, "password": password, "repeat": repeat})
        await pilot.click("#create")
        await settle(pilot)
        assert type(app.screen).__name__ == "FirstRunScreen"
        assert says in str(app.screen.query_one("#firstrun-error").render())
        assert value(app, "name") == FORM["name"] and value(app, "code") == "sch1234"
        assert value(app, "password") == password and value(app, "repeat") == repeat
        assert app.focused.id == "password"
        assert all(app.screen.query_one(f"#{f}", Input).password for f in ("password", "repeat"))
        assert password not in screen_text(app)
        assert count(sqlite_empty, m.School) == 0 and count(sqlite_empty, m.Staff) == 0

        # put right: the password typed again (focusing selects it) and the repeat too
        await pilot.press(*PASSWORD, "tab", *PASSWORD, "ctrl+s")
        await settle(pilot)
        assert [row[0] for row in schools(sqlite_empty)] == ["sch1234"]
        assert type(app.screen).__name__ == "LoginScreen"


@pytest.mark.parametrize(("typed", "field", "says"), [
    ({"code": "школа"}, "code", "Latin letters"),  # refused by the service
    ({"year": "2026/2028"}, "year", "write it as e.g."),  # refused by the form
    ({"admin-name": ""}, "admin-name", "needs a name"),  # refused in the middle of the transaction
])
async def test_a_refusal_points_at_its_field(sqlite_empty: str, typed: dict[str, str], field: str,
                                             says: str) -> None:
    async with first_run(sqlite_empty) as (app, pilot):
        await fill(pilot, {**FORM, "year": "2026/2027", **typed})  # what Tab selects, typing replaces
        await pilot.press("enter")
        await settle(pilot)
        assert says in str(app.screen.query_one("#firstrun-error").render())
        assert app.focused.id == field and value(app, "name") == FORM["name"]
        assert count(sqlite_empty, m.School) == 0 and count(sqlite_empty, m.Staff) == 0


async def test_escape_and_ctrl_q_leave_no_half_school(sqlite_empty: str) -> None:
    async with first_run(sqlite_empty) as (app, pilot):
        await pilot.press(*"sch1", "tab", *"Школа")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "FirstRunScreen" and value(app, "name") == "Школа"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert count(sqlite_empty, m.School) == 0 and count(sqlite_empty, m.Staff) == 0


async def test_ctrl_t_repaints_the_form(sqlite_empty: str) -> None:
    set_language("ru")
    async with first_run(sqlite_empty) as (app, pilot):
        await pilot.press(*"sch1")
        await pilot.press("ctrl+t")
        await settle(pilot)
        text = screen_text(app)
        assert "School code" in text and "Create the school" in text and "Код школы" not in text
        assert value(app, "code") == "sch1"


def test_the_year_as_people_write_it() -> None:
    assert [parse_year(s) for s in ("2026/2027", "2026/27", "2026-2027", " 2026 ", "2026")] == [2026] * 5
    assert [parse_year(s) for s in ("2026/2028", "26/27", "двадцать", "")] == [None] * 4


def test_a_refusal_names_its_field() -> None:
    from ejournal_tui.domain.errors import InvalidInput
    from ejournal_tui.i18n import Phrase

    def fault(key: str, **params: object) -> str:
        return field_at_fault(InvalidInput(what=Phrase(key, **params)))

    assert fault("setup.code_taken", code="x") == "code" and fault("acc.pw_short", n=8) == "password"
    assert fault("setup.long", field="director", n=200) == "director" and fault("acc.no_name") == "admin-name"

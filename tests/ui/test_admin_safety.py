"""The administration screen can't break the school, driven the way a person uses it: keys,
typing, the «Сохранить» button, Enter in the last field, Ctrl+S. Settings in words, a refused
value kept; a password never in clear and the focus on the field at fault; destructive keys
ask first; holidays editable and a holiday over lessons asks; pupil data editable; a moved
pupil joins the new class's groups; the footer fits 80 columns. Each asserts what the
database holds afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from tests.ui.harness import SMALL, demo_database, screen_text, settle, signed_in_app


async def _tab(app: Any, pilot: Any, tab: str) -> None:
    app.screen.query_one("TabbedContent").active = f"tab-{tab}"
    await settle(pilot)


async def _type(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def _clear_and_type(app: Any, pilot: Any, text: str) -> None:
    app.screen.focused.value = ""  # as select-all + delete would
    await _type(pilot, text)


async def _row(app: Any, pilot: Any, tab: str, pick: Any) -> Any:
    items = app.screen.items[tab]
    row = next(i for i, it in enumerate(items) if pick(it))
    app.screen.query_one(f"#t-{tab}").move_cursor(row=row)
    await pilot.pause()
    return items[row]


def _one(url: str, stmt: Any) -> Any:
    with demo_database(url).uow() as uow:
        return uow.session.execute(stmt).all()


def _is_holiday(item: Any) -> bool:
    return hasattr(item, "name") and not hasattr(item, "code")


# --- 1. settings in words --------------------------------------------------------------

async def test_settings_listed_by_label_and_a_refused_value_keeps_the_form(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="settings")
        await settle(pilot)
        text = screen_text(app)
        assert "Средний балл" in text and "idle_lock_minutes" not in text
        await _row(app, pilot, "settings", lambda s: s.name == "idle_lock_minutes")
        await pilot.press("e")
        await settle(pilot)
        assert "минут" in str(app.screen.query_one("#prompt-note").render())  # the explanation line
        await _clear_and_type(app, pilot, "0")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PromptModal"  # kept, with what was typed
        assert app.screen.query_one("#f-value").value == "0"
        assert any("1–60" in n.message or "1-60" in n.message for n in app._notifications)
    assert _one(demo_url, select(m.Setting.value).where(m.Setting.key == "idle_lock_minutes")) == []


# --- 2. a password never in clear; the focus on the field at fault ----------------------

async def _add_account(app: Any, pilot: Any, password: str, login: str = "newbie") -> None:
    await pilot.press("a")
    await settle(pilot)
    await _type(pilot, login)
    await pilot.press("enter")
    await _type(pilot, "Новикова Нина")
    await pilot.press("enter", "enter")  # roles: teacher, as offered
    await _type(pilot, password)
    await pilot.press("enter")
    await settle(pilot)


async def test_refused_password_stays_hidden_and_keeps_the_focus(demo_url: str) -> None:
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="users")
        await settle(pilot)
        await _add_account(app, pilot, "short")
        assert type(app.screen).__name__ == "PromptModal"
        assert app.screen.query_one("#f-password").password  # hidden after the refusal too
        assert app.screen.focused is app.screen.query_one("#f-password")
        await _clear_and_type(app, pilot, "long-enough-42")  # the correction goes to the password
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
    assert _one(demo_url, select(m.Staff.login).where(m.Staff.login == "newbie")) == [("newbie",)]


async def test_taken_login_puts_the_focus_on_the_login(demo_url: str) -> None:
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="users")
        await settle(pilot)
        await _add_account(app, pilot, "long-enough-42", login="teacher")
        assert app.screen.focused is app.screen.query_one("#f-login")
        assert app.screen.query_one("#f-password").password


# --- 3. destructive keys confirm -------------------------------------------------------

async def test_d_on_a_holiday_asks_and_escape_keeps_it(demo_url: str) -> None:
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="periods")
        await settle(pilot)
        holiday = await _row(app, pilot, "periods", _is_holiday)
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("escape")
        await settle(pilot)
        assert _one(demo_url, select(m.Holiday.id).where(m.Holiday.id == holiday.id))
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")  # «Да» has the focus
        await settle(pilot)
    assert _one(demo_url, select(m.Holiday.id).where(m.Holiday.id == holiday.id)) == []


async def test_d_on_an_account_asks_before_disabling(demo_url: str) -> None:
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="users")
        await settle(pilot)
        await _row(app, pilot, "users", lambda a: a.login == "secretary")
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.click("#confirm-no")
        await settle(pilot)
        assert _one(demo_url, select(m.Staff.disabled).where(m.Staff.login == "secretary")) == [(False,)]
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#confirm-yes")
        await settle(pilot)
    assert _one(demo_url, select(m.Staff.disabled).where(m.Staff.login == "secretary")) == [(True,)]


# --- 4. holidays editable; a holiday over lessons asks ---------------------------------

async def test_e_edits_a_holiday(demo_url: str) -> None:
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="periods")
        await settle(pilot)
        holiday = await _row(app, pilot, "periods", _is_holiday)
        await pilot.press("e")
        await settle(pilot)
        await _clear_and_type(app, pilot, "Renamed")
        await pilot.click("#prompt-save")
        await settle(pilot)
    rows = _one(demo_url, select(m.Holiday.name, m.Holiday.start, m.Holiday.end).where(m.Holiday.id == holiday.id))
    assert rows == [("Renamed", holiday.start, holiday.end)]


async def test_a_holiday_over_lessons_asks_and_is_added_on_yes(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "admin") as (app, pilot):
        app.open_screen("admin", tab="periods")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await _clear_and_type(app, pilot, "Karantin")
        await pilot.press("enter")
        await _type(pilot, "16.11.2026")  # one day: inside a quarter only a one-day holiday may lie
        await pilot.press("enter")
        await _type(pilot, "16.11.2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmModal"
        question = str(app.screen.query_one("#confirm-question").render())
        assert question.startswith("На эти дни уже есть") and "Всё равно добавить?" in question
        await pilot.press("enter")
        await settle(pilot)
    assert _one(demo_url, select(m.Holiday.start, m.Holiday.end).where(m.Holiday.name == "Karantin")) == [
        (date(2026, 11, 16), date(2026, 11, 16))]


# --- 5. pupil data editable ------------------------------------------------------------

async def _first_pupil(app: Any, pilot: Any, class_name: str) -> Any:
    return (await _row(app, pilot, "classes", lambda it: isinstance(it, tuple) and it[0].name == class_name
                       and it[1].end is None))[1]


async def test_e_on_a_pupil_edits_the_details(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("admin", tab="classes")
        await settle(pilot)
        pupil = await _first_pupil(app, pilot, "5А")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-birth").value = "01.01.2030"  # in the future: refused, kept
        app.screen.query_one("#f-phone").focus()
        await pilot.pause()
        await _clear_and_type(app, pilot, "+7 900 123-45-67")
        await pilot.press("enter")  # Enter in the last field saves
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#f-birth")
        assert app.screen.query_one("#f-phone").value == "+7 900 123-45-67"
        await _clear_and_type(app, pilot, "02.03.2014")
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = _one(demo_url, select(m.Pupil.phone, m.Pupil.birth_date).where(m.Pupil.id == pupil.id))
    assert rows == [("+7 900 123-45-67", date(2014, 3, 2))]


# --- 6. a moved pupil joins the new class's groups --------------------------------------

def _groups_of(url: str, pupil_id: int) -> list[tuple[str, date, date | None]]:
    G, SG, C = m.GroupMember, m.StudyGroup, m.SchoolClass
    return [tuple(r) for r in _one(url, select(C.name, G.start, G.end).join(SG, SG.id == G.group_id)
                                   .join(C, C.id == SG.class_id).where(G.pupil_id == pupil_id).order_by(G.start))]


async def test_moved_pupil_joins_the_chosen_groups_and_they_can_be_changed(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        app.open_screen("admin", tab="classes")
        await settle(pilot)
        pupil = await _first_pupil(app, pilot, "5А")
        await pilot.press("m")
        await settle(pilot)
        await _type(pilot, "7Б")
        await pilot.press("enter")
        await _clear_and_type(app, pilot, "23.11.2026")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query("Select")  # one drop-down per split of 7Б
        await pilot.press("ctrl+s")
        await settle(pilot)
        joined = [g for g in _groups_of(demo_url, pupil.id) if g[0] == "7Б"]
        assert joined and all(g[1] == date(2026, 11, 23) and g[2] is None for g in joined)
        moved = await _row(app, pilot, "classes", lambda it: isinstance(it, tuple) and it[1].id == pupil.id
                           and it[0].name == "7Б")
        await pilot.press("g")
        await settle(pilot)
        assert app.screen.query_one("#f-day").value == "2026-11-23"  # from the day they join (English: ISO)
        assert app.screen.query_one("#f-split0").value != ""  # the group joined on the move
        app.screen.query_one("#f-split0").value = ""  # leaves the first split's group
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert moved[1].id == pupil.id
    after = [g for g in _groups_of(demo_url, pupil.id) if g[0] == "7Б"]
    assert len([g for g in after if g[2] is None]) == len(joined) - 1


# --- 7. the footer fits 80 columns -------------------------------------------------------

async def test_admin_footer_fits_80_columns(demo_url: str) -> None:
    from textual.widgets._footer import FooterKey

    set_language("ru")
    async with signed_in_app(demo_url, "admin", size=SMALL) as (app, pilot):
        app.open_screen("admin", tab="classes")
        await settle(pilot)
        line = [ln for ln in screen_text(app).splitlines() if ln.strip()][-1]
        keys = [k.render().plain.strip() for k in app.screen.query(FooterKey)]
        assert keys and all(k in line for k in keys), (keys, line)
        assert "g Группы" in line  # F1 still works and lists every key

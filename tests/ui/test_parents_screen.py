"""The class leader's «Родители» screen, driven by keys as a person drives it: opened from
Today with `p` by the demo's `teacher` (who leads 5А); a new parent typed into the empty line
of a family's form and saved by Enter in the last field, by the button and by Ctrl+S, the row
then counting one parent more; a bad address brought back with what was typed; Escape saving
nothing; readable at 80×24; the deputy going from class to class; and "send now" delivering a
family's digest to a real SMTP server on loopback, the row then showing it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ejournal_tui.config import AppConfig
from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from tests.mailserver import SENDER, MailServer
from tests.ui.harness import SMALL, demo_database, screen_text, settle, signed_in_app

NEW = "Бабушкина Вера Ивановна"


@pytest.fixture(autouse=True)
def _russian() -> None:
    set_language("ru")


def contacts(url: str, pupil_id: int) -> list[tuple[str, str, bool]]:
    with demo_database(url).uow() as uow:
        C = m.ParentContact
        return [tuple(r) for r in uow.session.execute(  # type: ignore[misc]
            select(C.name, C.email, C.consent).where(C.pupil_id == pupil_id).order_by(C.id))]


async def open_parents(pilot: Any) -> Any:
    await pilot.press("p")
    await settle(pilot)
    screen = pilot.app.screen
    assert type(screen).__name__ == "ParentsScreen"
    assert screen.sheet is not None and screen.sheet.klass.name == "5А"
    return screen


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def fill_new_parent(pilot: Any, email: str) -> Any:
    """Enter on the first family, Enter through its parents to the empty line, the new
    parent's name and e-mail typed, on to the consent (the form's last field), ticked."""
    await pilot.press("enter")
    await settle(pilot)
    form = pilot.app.screen
    assert type(form).__name__ == "ParentsModal"
    await pilot.press(*["enter"] * (4 * (len(form.lines) - 1)))
    await type_text(pilot, NEW)
    await pilot.press("enter")
    await type_text(pilot, email)
    await pilot.press("enter", "enter", "space")
    assert pilot.app.focused.id == f"p{len(form.lines) - 1}-consent"
    return form


@pytest.mark.parametrize("way", ["enter", "button", "ctrl+s"])
async def test_a_parent_added_and_saved_three_ways_shows_in_the_row(demo_url: str, way: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await open_parents(pilot)
        family = screen.sheet.families[0]
        before = screen.query_one("#families").get_row_at(0)[1]
        await fill_new_parent(pilot, "Vera.B@Example.org")
        if way == "button":
            assert await pilot.click("#pform-save")
        else:
            await pilot.press(way)
        await settle(pilot)
        assert type(app.screen).__name__ == "ParentsScreen"
        assert contacts(demo_url, family.pupil_id)[-1] == (NEW, "vera.b@example.org", True)
        row = screen.query_one("#families").get_row_at(0)
        assert row[1] == before.split(" +")[0] + f" +{len(family.parents)}"  # one parent more
        assert NEW in str(screen.query_one("#par-detail").render())


async def test_escape_saves_nothing(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await open_parents(pilot)
        family = screen.sheet.families[0]
        before = contacts(demo_url, family.pupil_id)
        await fill_new_parent(pilot, "vera@example.org")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "ParentsScreen"
        assert contacts(demo_url, family.pupil_id) == before


async def test_a_bad_address_comes_back_with_what_was_typed(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await open_parents(pilot)
        family = screen.sheet.families[0]
        before = contacts(demo_url, family.pupil_id)
        form = await fill_new_parent(pilot, "vera@example")
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = app.screen
        assert type(again).__name__ == "ParentsModal" and again is not form
        new = len(family.parents)
        assert again.query_one(f"#p{new}-email").value == "vera@example"
        assert app.focused.id == f"p{new}-email"  # in the field the refusal names
        assert any("vera@example" in n.message for n in app._notifications)  # noqa: SLF001
        assert contacts(demo_url, family.pupil_id) == before
        for key in ".org":  # the correction typed as a person would: it adds to what is there
            await pilot.press("full_stop" if key == "." else key)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ParentsScreen"
        assert "vera@example.org" in [c[1] for c in contacts(demo_url, family.pupil_id)]


async def test_readable_at_80_by_24(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        screen = await open_parents(pilot)
        table = screen.query_one("#families")
        assert table.region.width <= SMALL[0] and table.virtual_size.width <= SMALL[0]
        text = screen_text(app)
        family = screen.sheet.families[0]
        for words in (" ".join(family.pupil.split()[:2])[:17], "Согл.", "Последнее", "e Изменить",
                      "s Отправить сейчас", family.parents[0].email):
            assert words in text, words


async def test_the_deputy_goes_from_class_to_class_a_teacher_sees_no_such_key(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy") as (app, pilot):
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        names = [screen.sheet.klass.name]
        for _ in range(len(screen.sheet.classes) - 1):
            await pilot.press("c")
            await settle(pilot)
            names.append(screen.sheet.klass.name)
        assert names == ["1А", "5А", "7Б", "10А"]
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await open_parents(pilot)
        assert "c" not in {key for key, b in app.screen.active_bindings.items() if b.enabled}


async def test_a_teacher_who_leads_no_class_has_no_parents_key(demo_url: str) -> None:
    async with signed_in_app(demo_url, "andreev.fs") as (app, pilot):
        await pilot.press("p")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"


async def test_send_now_delivers_the_familys_digest_and_the_row_shows_it(demo_url: str) -> None:
    with MailServer() as server:
        config = AppConfig(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none", smtp_from=SENDER)
        async with signed_in_app(demo_url, "teacher", config=config) as (app, pilot):
            screen = await open_parents(pilot)
            row = next(i for i, f in enumerate(screen.sheet.families) if f.consenting)
            family = screen.sheet.families[row]
            await pilot.press(*["down"] * row, "s")
            await settle(pilot)
            for _ in range(100):
                if not screen.sending:
                    break
                await settle(pilot)
            status = str(screen.query_one("#par-status").render())
            assert status.startswith("Отправлено: 1 письмо"), status
            assert [r.recipients for r in server.received] == [list(family.consenting)]
            assert family.pupil.split()[0] in server.received[0].text
            cells = screen.query_one("#families").get_row_at(row)
            assert cells[-1].endswith("e-mail ✓"), cells
            assert "отправлено" in str(screen.query_one("#par-detail").render())
            # a family without a consenting address gets paper: nothing is sent
            paper = next((i for i, f in enumerate(screen.sheet.families) if not f.consenting), None)
            if paper is not None:
                await pilot.press(*(["down"] * (paper - row) if paper > row else ["up"] * (row - paper)), "s")
                await settle(pilot)
                assert len(server.received) == 1
                assert any("на бумаге" in n.message for n in app._notifications)  # noqa: SLF001


async def test_send_now_without_mail_settings_says_so(demo_url: str) -> None:
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        screen = await open_parents(pilot)
        row = next(i for i, f in enumerate(screen.sheet.families) if f.consenting)
        await pilot.press(*["down"] * row, "s")
        await settle(pilot)
        assert not screen.sending
        assert "Traceback" not in str(screen.query_one("#par-status").render())
        assert screen.query_one("#par-status").has_class("error")

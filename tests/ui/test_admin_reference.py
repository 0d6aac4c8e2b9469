"""The administration screen's reference tabs, driven by keys as a person does: a kind of work
added through the form (button), one's weight changed with Enter, another made oral with
Ctrl+S, a weight of 0 refused with the reason on screen and nothing stored, reason У
renamed; Ctrl+T repaints the tabs' headers and words, and their keys fit 80 columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from textual.widgets import DataTable, TabbedContent

from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from ejournal_tui.services.reference import KindInfo, list_kinds, list_reasons
from tests.ui.harness import SMALL, demo_database, screen_text, settle, signed_in_app

# `[` from the users tab, the first: wraps round to the last tabs
STEPS_BACK = {"reasons": 1, "kinds": 2}


def _kinds(url: str) -> dict[str, KindInfo]:
    """The kinds of work by name, as stored (the WorkKind rows and the short-name setting)."""
    with demo_database(url).uow() as uow:
        return {k.name: k for k in list_kinds(uow)}


def _reasons(url: str) -> dict[str, str]:
    with demo_database(url).uow() as uow:
        return {r.code: r.name for r in list_reasons(uow)}


def _events(url: str, action: str) -> int:
    with demo_database(url).uow() as uow:
        return uow.session.execute(select(func.count()).select_from(m.AuditEvent)
                                   .where(m.AuditEvent.action == action)).scalar_one()


async def _open(app: Any, pilot: Any, tab: str) -> Any:
    """The admin screen, then the tab reached with `[` as a user does; returns its pane."""
    app.open_screen("admin", tab="users")
    await settle(pilot)
    await pilot.press(*["left_square_bracket"] * STEPS_BACK[tab])
    await settle(pilot)
    assert app.screen.tab == tab
    return app.screen.query_one(f"#pane-{tab}")


async def _to_row(pilot: Any, pane: Any, name: str) -> None:
    """The cursor on the row of `name`, moved there with the arrow keys."""
    row = [item.name for item in pane.items].index(name)
    assert pane.table.has_focus
    await pilot.press("ctrl+home", *["down"] * row)
    await pilot.pause()
    assert pane.current().name == name


async def _type(pilot: Any, text: str, *then: str) -> None:
    """Replace the focused field's text with `text` (End, Shift+Home selects it), then keys."""
    await pilot.press("end", "shift+home", *text, *then)


def _value(app: Any, field: str) -> str:
    return app.screen.query_one(f"#f-{field}").value


async def test_add_a_kind_of_work_with_the_save_button(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open(app, pilot, "kinds")
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "KindModal"
        await _type(pilot, "Срез знаний", "enter")
        await _type(pilot, "срез", "enter")
        await _type(pilot, "2")
        assert (_value(app, "name"), _value(app, "short"), _value(app, "weight")) == ("Срез знаний", "срез", "2")
        assert app.screen.query_one("#f-category").pressed_button.id == "cat-written"  # a new kind: written
        assert await pilot.click("#kind-save")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
        assert "Срез знаний" in [k.name for k in pane.items]  # the tab shows it
    added = _kinds(demo_url)["Срез знаний"]
    assert (added.code, added.short, added.weight, added.category, added.marks) == ("срез", "срез", 2.0, "written", 0)
    assert _events(demo_url, "workkind.set") == 1


async def test_change_a_kinds_weight_with_enter(demo_url: str) -> None:
    before = _kinds(demo_url)["Диктант"]
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open(app, pilot, "kinds")
        await _to_row(pilot, pane, "Диктант")
        await pilot.press("enter")  # Enter on a row: its form
        await settle(pilot)
        assert (_value(app, "name"), _value(app, "weight")) == ("Диктант", "1.5")
        await pilot.press("enter", "enter")  # name, short name: kept
        await _type(pilot, "2,5", "enter")  # to the category
        assert app.screen.query_one("#f-category").has_focus
        await pilot.press("enter")  # the last field: saves
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
    after = _kinds(demo_url)["Диктант"]
    assert after == KindInfo(before.code, "Диктант", before.short, 2.5, "written", before.marks)


async def test_make_a_kind_oral_with_ctrl_s(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open(app, pilot, "kinds")
        await _to_row(pilot, pane, "Тест")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter", "enter", "enter", "left", "space", "ctrl+s")  # to oral, chosen, saved
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
    assert _kinds(demo_url)["Тест"].category == "oral"


async def test_weight_zero_is_refused_says_why_and_keeps_what_was_typed(demo_url: str) -> None:
    set_language("ru")
    before = _kinds(demo_url)
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open(app, pilot, "kinds")
        await _to_row(pilot, pane, "Контрольная работа")
        await pilot.press("e")
        await settle(pilot)
        await _type(pilot, "Контрольная работа за четверть", "enter", "enter")
        await _type(pilot, "0", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "KindModal"  # asked again, with what was typed
        assert (_value(app, "name"), _value(app, "weight")) == ("Контрольная работа за четверть", "0")
        assert "вес «0.0»: нужно число больше 0" in screen_text(app)  # in the form, under its title

        await pilot.press("enter", "enter")  # the form again: from its first field to the weight
        await _type(pilot, "два", "ctrl+s")  # not a number: refused before it is sent
        await settle(pilot)
        assert type(app.screen).__name__ == "KindModal" and _value(app, "weight") == "два"
        assert "вес «два»: нужно число больше 0" in screen_text(app)
        await pilot.press("escape")  # and Escape discards
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
    assert _kinds(demo_url) == before
    assert _events(demo_url, "workkind.set") == 0


async def test_rename_reason_u(demo_url: str) -> None:
    async with signed_in_app(demo_url, "deputy", size=SMALL) as (app, pilot):
        pane = await _open(app, pilot, "reasons")
        assert [r.code for r in pane.items] == ["Б", "У", "Н", "О"]
        await _to_row(pilot, pane, "по уважительной причине")
        await pilot.press("e")
        await settle(pilot)
        assert _value(app, "name") == "по уважительной причине"
        await _type(pilot, "по заявлению родителей", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdminScreen"
        assert str(pane.table.get_row_at(1)[1]) == "по заявлению родителей"
    assert _reasons(demo_url) == {"Б": "по болезни", "У": "по заявлению родителей",
                                  "Н": "без уважительной причины", "О": "опоздание"}
    assert _events(demo_url, "reason.rename") == 1


def _headers(app: Any, table: str) -> list[str]:
    return [column.label.plain for column in app.screen.query_one(table, DataTable).ordered_columns]


def _footer(app: Any) -> str:
    return [line for line in screen_text(app).splitlines() if line.strip()][-1]


async def test_ctrl_t_repaints_the_reference_tabs(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "admin", size=SMALL) as (app, pilot):
        await _open(app, pilot, "kinds")
        text = screen_text(app)
        for words in ("Виды работ", "Название", "Кратко", "Вес", "Категория", "Отметок", "Код", "письменная"):
            assert words in text, words
        assert "a Добавить" in _footer(app) and "e Изменить" in _footer(app)

        await pilot.press("ctrl+t")
        await settle(pilot)
        text = screen_text(app)
        for words in ("Kinds of work", "Name", "Short name", "Weight", "Category", "Marks", "Code", "written"):
            assert words in text, words
        assert "Название" not in text and "письменная" not in text
        assert "a Add" in _footer(app) and "e Edit" in _footer(app)
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.get_tab("tab-reasons").label.plain == "Absence reasons"
        assert _headers(app, "#t-reasons") == ["Code", "Name", "Counts as"]  # the tab not shown yet

        await pilot.press("right_square_bracket")  # the reasons tab: rows in English too
        await settle(pilot)
        text = screen_text(app)
        assert "Counts as" in text and "excused" in text and "уважительная" not in text
        assert "e Edit" in _footer(app) and "a Add" not in _footer(app)

        await pilot.press("ctrl+t")  # and back
        await settle(pilot)
        text = screen_text(app)
        assert "Причины отсутствия" in text and "Считается" in text and "болезнь" in text
        assert _headers(app, "#t-kinds")[:3] == ["Название", "Кратко", "Вес"]


def test_a_new_kinds_code_comes_from_its_short_name_and_is_new() -> None:
    from ejournal_tui.tui.screens.admin_reference import new_code

    assert new_code("срез", "Срез знаний", {"oral"}) == "срез"
    assert new_code("", "Срез знаний", set()) == "срез_знаний"  # no short name: the name
    assert new_code("С/Р", "", {"с/р", "с/р-2"}) == "с/р-3"  # never an existing kind's code
    assert new_code("", "", set()) == "kind"  # the service then asks for a name

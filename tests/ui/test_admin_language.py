"""Ctrl+T on the administration screen: the tab titles, the column headers and the words in
the rows follow the switch (they are painted once, so the screen repaints them itself), and
the screen's own keys fit the footer at 80 columns in both languages."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, TabbedContent

from ejournal_tui.i18n import set_language
from ejournal_tui.tui.screens.admin import TAB_ACTIONS
from tests.ui.harness import screen_text, settle, signed_in_app

TABS = ("users", "classes", "subjects", "load", "timetable", "periods", "settings")
KEYS_RU = ("a Добавить", "e Изменить", "p Сбросить пароль", "d Откл./удалить")  # of the users tab
KEYS_EN = ("a Add", "e Edit", "p Reset password", "d Disable/remove")


def tab_titles(app: Any) -> list[str]:
    tabs = app.screen.query_one(TabbedContent)
    return [tabs.get_tab(f"tab-{tab}").label.plain for tab in TABS]


def headers(app: Any, table_id: str) -> list[str]:
    return [column.label.plain for column in app.screen.query_one(table_id, DataTable).ordered_columns]


def states(app: Any) -> set[str]:
    """The users table's State column (right of what 80 columns show)."""
    table = app.screen.query_one("#t-users", DataTable)
    return {str(table.get_row_at(i)[3]) for i in range(table.row_count)}


def painted_footer(app: Any) -> str:
    """The bottom line painted (the SVG's text ends with blank lines of its markup)."""
    return [line for line in screen_text(app).splitlines() if line.strip()][-1]


async def test_ctrl_t_repaints_tab_titles_and_headers_of_the_open_admin_screen(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "admin", size=(80, 24)) as (app, pilot):
        app.open_screen("admin", tab="users")
        await settle(pilot)
        text = screen_text(app)
        assert "Пользователи" in text and "Логин" in text and "ФИО" in text and states(app) == {"активна"}
        assert all(key in painted_footer(app) for key in KEYS_RU), painted_footer(app)

        await pilot.press("ctrl+t")
        await settle(pilot)
        text = screen_text(app)
        # painted: the visible tab titles, the headers and the rows' words of the open tab
        for words in ("Users", "Classes and pupils", "Subjects", "Login", "Full name", "Roles"):
            assert words in text, words
        for words in ("Пользователи", "Логин", "ФИО", "Роли"):
            assert words not in text, words
        assert states(app) == {"active"} and headers(app, "#t-users")[-1] == "State"
        assert all(key in painted_footer(app) for key in KEYS_EN), painted_footer(app)
        # and the tabs not shown yet
        assert tab_titles(app) == ["Users", "Classes and pupils", "Subjects", "Teaching load",
                                   "Timetable and bells", "Periods and holidays", "Settings"]
        assert headers(app, "#t-load") == ["Class", "Subject", "Group", "Teacher", "Hours a week", "Timetabled"]
        assert headers(app, "#t-timetable") == ["Lesson", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

        await pilot.press("right_square_bracket")  # the classes tab, painted after the switch
        await settle(pilot)
        text = screen_text(app)
        assert "Class" in text and "Pupil" in text and "From" in text and "pupils" in text
        assert "Ученик" not in text and "уч." not in text

        await pilot.press("ctrl+t")  # and back
        await settle(pilot)
        text = screen_text(app)
        assert "Классы и ученики" in text and "Ученик" in text and "уч." in text
        assert "Pupil" not in text
        assert headers(app, "#t-timetable") == ["Урок №", "Пн", "Вт", "Ср", "Чт", "Пт", "Сб"]
        assert "m Перевести" in painted_footer(app)


def own_keys(app: Any) -> list[str]:
    """The footer labels of the admin screen's own keys ("d Disable/remove"), as Textual
    lays them out, before any cut at the terminal's edge."""
    from textual.widgets._footer import FooterKey

    actions = {"add", "edit", "move", "leave", "groups", "password", "remove", "choose_class"}
    return [key.render().plain.strip() for key in app.screen.query(FooterKey) if key.action in actions]


async def test_every_key_of_each_tab_fits_the_footer_at_80_columns_in_both_languages(demo_url: str) -> None:
    set_language("en")
    async with signed_in_app(demo_url, "admin", size=(80, 24)) as (app, pilot):
        app.open_screen("admin", tab="users")
        await settle(pilot)
        for language in ("en", "ru"):
            for tab in TABS:
                app.screen.query_one(TabbedContent).active = f"tab-{tab}"
                await settle(pilot)
                keys, line = own_keys(app), painted_footer(app)
                # the tab's keys only (the timetable's c chooses its class), each painted whole
                assert len(keys) == len(TAB_ACTIONS[tab]) + (tab == "timetable"), (tab, keys)
                assert all(key in line for key in keys), (language, tab, keys, line)
            await pilot.press("ctrl+t")
            await settle(pilot)

"""Ctrl+T switches the interface language at run time: the footer of the current screen, of
the screens below it and of every screen opened later, and F1 help, all follow."""

from __future__ import annotations

import re
from typing import Any

from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from ejournal_tui.i18n import set_language
from tests.ui.harness import screen_text, settle, signed_in_app

CYRILLIC = re.compile("[А-Яа-яЁё]")
APP_KEYS_RU = {"f1 Справка", "f2 Сегодня", "f3 Журнал", "f4 Д/з", "^l Заблокировать", "^q Выход"}
APP_KEYS_EN = {"f1 Help", "f2 Today", "f3 Register", "f4 Homework", "^l Lock", "^q Quit"}
REGISTER_KEYS_RU = {"f1 Справка", "f2 Сегодня", "f3 Журнал"}
REGISTER_KEYS_EN = {"f1 Help", "f2 Today", "f3 Register"}


def footer(app: Any) -> set[str]:
    """The key labels the footer of the current screen paints ("f2 Today")."""
    return {key.render().plain.strip() for key in app.screen.query(FooterKey)}


async def press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def help_rows(app: Any) -> list[tuple[str, str]]:
    """The (key, action) rows the help table shows (its third column: the details)."""
    table = app.screen.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)[:2]) for i in range(table.row_count)]


async def test_ctrl_t_switches_footers_of_this_lower_and_later_screens(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await press(pilot, "f3")
        assert type(app.screen).__name__ == "RegisterScreen"
        assert REGISTER_KEYS_RU | {"t Урок", "esc Сегодня"} <= footer(app)

        await press(pilot, "ctrl+t")
        labels = footer(app)
        # the screen's and the app's keys, all in English now (the register's footer leaves
        # out F4, ^l, ^q and the grid's keys for room: tests/ui/test_binding_texts.py)
        assert REGISTER_KEYS_EN | {"t Lesson", "esc Today"} <= labels
        assert not [label for label in labels if CYRILLIC.search(label)]
        assert "t Lesson" in screen_text(app)

        await press(pilot, "f2")  # back down the stack: Today was made before the switch
        assert type(app.screen).__name__ == "TodayScreen"
        assert APP_KEYS_EN | {"f5 Refresh"} <= footer(app)
        assert not [label for label in footer(app) if CYRILLIC.search(label)]

        await press(pilot, "f4")  # a screen made after the switch
        assert type(app.screen).__name__ == "HomeworkScreen"
        assert APP_KEYS_EN | {"esc Today", "f5 Refresh"} <= footer(app)
        assert "f4 Homework" in screen_text(app)

        await press(pilot, "ctrl+t")
        assert APP_KEYS_RU | {"esc Сегодня", "f5 Обновить"} <= footer(app)
        assert "f4 Д/з" in screen_text(app)
        await press(pilot, "f3")
        assert REGISTER_KEYS_RU | {"t Урок"} <= footer(app)


async def test_help_lists_keys_in_the_language_switched_to(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await press(pilot, "ctrl+t", "f1")
        assert type(app.screen).__name__ == "HelpModal"
        rows = help_rows(app)
        assert {("F1", "Help"), ("F2", "Today"), ("F3", "Register"), ("^l", "Lock")} <= set(rows)
        assert ("F5", "Refresh") in rows  # Today's own key
        assert not [row for row in rows if CYRILLIC.search(row[1])]
        assert str(app.screen.query_one("#help-title", Static).render()) == "Keys"

        await press(pilot, "ctrl+t")  # also works with the help open: it lists the keys again
        assert type(app.screen).__name__ == "HelpModal"
        rows = help_rows(app)
        assert {
            ("F1", "Справка"),
            ("F2", "Сегодня"),
            ("F5", "Обновить"),
            ("^l", "Заблокировать"),
        } <= set(rows)
        assert ("F2", "Today") not in rows
        assert str(app.screen.query_one("#help-title", Static).render()) == "Клавиши"

        await press(pilot, "escape")
        assert type(app.screen).__name__ == "TodayScreen"
        assert APP_KEYS_RU <= footer(app)


async def test_a_new_app_follows_the_language_set_after_import(demo_url: str) -> None:
    """`--lang` is set after the screens' modules are imported; a test may leave the other
    language behind: each app starts in the language current when it starts."""
    import ejournal_tui.tui.app  # noqa: F401 - the bindings are made here, before the choice

    for lang, expected in (("ru", APP_KEYS_RU), ("en", APP_KEYS_EN), ("ru", APP_KEYS_RU)):
        set_language(lang)
        async with signed_in_app(demo_url, "teacher") as (app, _pilot):
            assert expected <= footer(app)

"""Key descriptions and tooltips speak the user's language: every one is a catalog message
(`bt(key)`), so a Russian teacher hovering over the footer reads Russian, and Ctrl+T turns
the tooltips to English with the rest. And the register's footer fits 80 columns: the keys
to Today, to the register and Esc are painted whole, in either language."""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module
from typing import Any

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from ejournal_tui.i18n import set_language
from ejournal_tui.tui.bindings_i18n import BindingText
from tests.ui.harness import SMALL, settle, signed_in_app

CYRILLIC = re.compile("[А-Яа-яЁё]")


def tui_modules() -> list[str]:
    """Every module of the TUI package: a screen added later is checked without a list to edit."""
    import ejournal_tui.tui

    return sorted(m.name for m in pkgutil.walk_packages(ejournal_tui.tui.__path__, "ejournal_tui.tui."))


def own_bindings(module: str) -> list[tuple[str, Binding]]:
    """(class, binding) of every binding declared by a DOM class of `module`."""
    found = []
    for obj in vars(import_module(module)).values():
        if isinstance(obj, type) and issubclass(obj, DOMNode) and obj.__module__ == module:
            for binding in obj.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    found.append((f"{module}.{obj.__name__}", binding))
    return found


def not_in_catalog(modules: list[str]) -> list[tuple[str, str, str, str]]:
    """Descriptions and tooltips that are plain strings, or (in Russian) have no Russian word."""
    set_language("ru")
    bad = []
    for module in modules:
        for cls, b in own_bindings(module):
            for field in ("description", "tooltip"):
                text = getattr(b, field)
                if text and (not isinstance(text, BindingText) or not CYRILLIC.search(t_now(text))):
                    bad.append((cls, b.key, field, str(text)))
    return bad


def test_every_description_and_tooltip_is_a_catalog_message() -> None:
    modules = tui_modules()
    assert {"ejournal_tui.tui.app", "ejournal_tui.tui.screens.register", "ejournal_tui.tui.screens.admin",
            "ejournal_tui.tui.widgets.register_grid", "ejournal_tui.tui.widgets.admin_prompt"} <= set(modules)
    tooltips = [b for m in modules for _, b in own_bindings(m) if b.tooltip]
    assert len(tooltips) >= 55  # the walk reached the screens
    assert not_in_catalog(modules) == []


def t_now(text: BindingText) -> str:
    return str(BindingText(text.msg_key))


def footer_keys(app: Any) -> dict[str, FooterKey]:
    """The footer's keys of the current screen by their painted label ("f2 Today")."""
    return {key.render().plain.strip(): key for key in app.screen.query(FooterKey)}


async def press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def test_footer_tooltips_are_russian_then_english_after_ctrl_t(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await press(pilot, "f3")
        keys = footer_keys(app)
        assert str(keys["t Урок"].tooltip) == "Тема из КТП, домашнее задание, вид работы, замена"
        assert str(keys["f2 Сегодня"].tooltip) == "Ваши уроки на сегодня и просроченные записи"
        tips = {label: str(key.tooltip) for label, key in keys.items() if key.tooltip}
        assert len(tips) == len(keys)
        assert all(CYRILLIC.search(tip) for tip in tips.values()), tips

        await press(pilot, "ctrl+t")
        keys = footer_keys(app)
        assert str(keys["t Lesson"].tooltip) == "Topic from the plan, homework, kind of work, substitute"
        assert str(keys["esc Today"].tooltip) == "Back to Today"
        assert not [tip for key in keys.values() if CYRILLIC.search(tip := str(key.tooltip))]
        # keys the footer leaves out, e.g. the grid's, follow too (F1 help reads them)
        grid_tips = {str(b.tooltip) for bs in app.screen.grid._bindings.key_to_bindings.values() for b in bs}
        assert "Remove the last mark or the absence" in grid_tips


def footer_line(app: Any) -> str:
    """The bottom line of the terminal as painted (the screen's composed strips)."""
    return app.screen._compositor.render_strips()[-1].text  # noqa: SLF001 - what is painted


@pytest.mark.parametrize(("lang", "wanted"), [
    ("ru", ["t Урок", "esc Сегодня", "f1 Справка", "f2 Сегодня", "f3 Журнал", "^p Команды"]),
    ("en", ["t Lesson", "esc Today", "f1 Help", "f2 Today", "f3 Register", "^p Commands"]),
])
async def test_register_footer_fits_80_columns(demo_url: str, lang: str, wanted: list[str]) -> None:
    set_language(lang)
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        await press(pilot, "f3")
        assert type(app.screen).__name__ == "RegisterScreen"
        line = footer_line(app)
        for label in wanted:
            assert re.search(rf"(^|[\s▏]){re.escape(label)}(\s|$)", line), f"{label!r} not whole in {line!r}"
        # every key is inside the screen and clear of the palette's key docked on the right
        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        assert all(k.region.right <= palette.region.x for k in keys if k is not palette)
        assert palette.region.right <= SMALL[0]

        assert await pilot.click(next(k for k in keys if k.key == "f2"))  # painted, so clickable
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"

        await press(pilot, "f3")
        await pilot.resize_terminal(120, 40)  # a wider window: the keys left out come back
        await settle(pilot)
        assert "⏎" in {label.split()[0] for label in footer_keys(app)}


async def test_help_lists_the_keys_the_register_footer_leaves_out(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "teacher", size=SMALL) as (app, pilot):
        await press(pilot, "f3")
        shown = set(footer_keys(app))
        await press(pilot, "f1")
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)[1:]]
                for i in range(table.row_count)}
        left_out = {"del": "Удалить последнюю отметку или отсутствие", "⏎": "Несколько отметок, вид работы, комментарий",
                    "F5": "Показать, что изменили на других рабочих местах", "F4": "Домашние задания к вашим урокам",
                    "^l": "Заблокировать рабочее место сейчас", "^q": "Закрыть программу"}
        for key, details in left_out.items():
            assert not [label for label in shown if label.split()[0].lower() == key.lower()]
            assert rows[key][1] == details, (key, rows.get(key))
        # Textual's own keys (Tab, Ctrl+C) too are in Russian
        assert rows["tab"][0] == "Следующее поле"
        assert not [(key, action) for key, (action, _) in rows.items() if not CYRILLIC.search(action)]


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_register_footer_shows_more_keys_at_120_columns(demo_url: str, lang: str) -> None:
    """What 80 columns leave out comes back as room allows: the cell editor and F5 at 120."""
    set_language(lang)
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        await press(pilot, "f3")
        labels = {label.split()[0] for label in footer_keys(app)}
        assert {"⏎", "f5", "t", "esc", "f1", "f2", "f3", "f4", "^p"} <= labels
        assert not labels & {"del", "f", "insert"}  # the first to go: even 120 columns lack the room
        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        assert all(k.region.right <= palette.region.x for k in keys if k is not palette)


async def test_textual_own_words_are_said_in_russian(demo_url: str) -> None:
    """The command palette (its search field and Textual's commands) and the Ctrl+C hint."""
    set_language("ru")
    async with signed_in_app(demo_url, "teacher") as (app, pilot):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Выход", "Оформление", "Справка", "Снимок экрана"} <= titles
        assert not [title for title in titles if not CYRILLIC.search(title)]

        await press(pilot, "ctrl+c")
        assert [(n.title, n.message) for n in app._notifications] == [  # noqa: SLF001 - what is shown
            ("Выйти из программы?", "Чтобы выйти из программы, нажмите Ctrl+Q")]

        await press(pilot, "ctrl+p")
        assert type(app.screen).__name__ == "CommandPalette"
        assert app.screen.query_one("CommandInput").placeholder == "Найти команду, экран или журнал…"


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize(("login", "screen"), [
    ("teacher", "today"), ("teacher", "homework"), ("deputy", "absences"), ("deputy", "closure"),
    ("deputy", "changelog"), ("deputy", "control"),
])
async def test_other_screens_footers_fit_80_columns(demo_url: str, lang: str, login: str, screen: str) -> None:
    """Every key the footer paints is whole, inside 80 columns and clear of the palette's key;
    F1 help and the way back (F2, or Esc) stay on it."""
    set_language(lang)
    async with signed_in_app(demo_url, login, size=SMALL) as (app, pilot):
        app.open_screen(screen)
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        assert palette.region.right <= SMALL[0]
        cut = [str(k.key) for k in keys if k is not palette and k.region.right > palette.region.x]
        assert cut == [], f"{screen}: keys under or past the palette's: {cut} in {footer_line(app)!r}"
        shown = {k.key for k in keys}
        assert "f1" in shown and shown & {"f2", "escape"}, (screen, shown)

"""F6 (printing) is painted in the footer of the main screens for those who may print (the
office, class leaders), whole and inside 80 columns with the screen's own keys; a teacher
who prints nothing is not shown it (the key still opens the printing screen)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from ejournal_tui.i18n import set_language
from tests.ui.harness import SMALL, settle, signed_in_app

# what each screen's footer keeps at 80 columns with F6 (the way to Today, help, the register)
STAYS = {"today": {"f1", "f3"}, "register": {"t", "escape", "f1", "f2", "f3"}, "control": {"f1", "f2"}}
TITLES = {("control", "ru"): "Контроль", ("control", "en"): "Register control"}


async def open_by_keys(pilot: Any, screen: str, lang: str) -> None:
    """F2/F3 for Today and the register; the palette (the screen's title typed) for the rest."""
    if screen in ("today", "register"):
        await pilot.press("f2" if screen == "today" else "f3")
    else:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*("space" if ch == " " else ch for ch in TITLES[screen, lang]))
        await settle(pilot)
        await pilot.press("enter")
    await settle(pilot)
    assert getattr(pilot.app.screen, "screen_key", "today") == screen


@pytest.fixture(autouse=True)
def _english_afterwards() -> Any:
    """Each test here picks its language; the tests after them expect English again."""
    yield
    set_language("en")


def footer_keys(app: Any) -> list[Any]:
    return list(app.screen.query(FooterKey))


def uncut(app: Any) -> list[str]:
    """The keys painted whole: inside the window, clear of the palette's key on the right,
    each as wide as its key and words."""
    keys = footer_keys(app)
    palette = next(k for k in keys if k.has_class("-command-palette"))
    assert palette.region.right <= SMALL[0]
    whole = []
    for key in keys:
        text = key.render().plain.strip()
        inside = key is palette or key.region.right <= palette.region.x
        assert inside and key.region.width >= cell_len(text), f"cut: {text!r} at {key.region}"
        whole.append(text)
    return whole


@pytest.mark.parametrize(("lang", "words"), [("ru", "Печать"), ("en", "Print")])
@pytest.mark.parametrize(("login", "screen"), [
    ("teacher", "today"), ("teacher", "register"), ("deputy", "today"), ("deputy", "control"),
    ("secretary", "today"), ("secretary", "register"),
])
async def test_f6_is_painted_whole_at_80_columns(demo_url: str, lang: str, words: str, login: str,
                                                 screen: str) -> None:
    set_language(lang)
    async with signed_in_app(demo_url, login, size=SMALL) as (app, pilot):
        await open_by_keys(pilot, screen, lang)
        labels = uncut(app)
        assert f"f6 {words}" in labels, labels
        assert STAYS[screen] <= {k.key for k in footer_keys(app)}  # F6 took no room of these
        await pilot.press("f6")
        await settle(pilot)
        assert type(app.screen).__name__ == "PrintScreen"
        assert "f6" not in {k.key for k in footer_keys(app)}  # not on the printing screen itself


async def test_f6_is_not_painted_for_a_teacher_who_prints_nothing(demo_url: str) -> None:
    set_language("ru")
    async with signed_in_app(demo_url, "andreev.fs", size=SMALL) as (app, pilot):
        assert "f6" not in {k.key for k in footer_keys(app)}
        uncut(app)

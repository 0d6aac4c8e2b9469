"""Key bindings that follow the interface language (Ctrl+T) at run time.

Why this exists: Textual reads `BINDINGS` once, when a class is defined, into a class-wide
map that every new instance copies; a `t("app.today")` written there is frozen in the
language of import time, so after a language switch the footer, F1 help and every screen
opened later would keep the old words. A description or tooltip written as `bt(key)` is a
plain `str` in the current language that also remembers its catalog key (Textual passes the
same object through when it expands "a,b" keys), so `follow_language` can translate again:

- the class-wide maps of every DOM class (for nodes created later, e.g. a screen opened
  after the switch, or a widget composed after its screen was pushed),
- the live maps of the app and of every node on every screen of the stack (modal ones too),
- and, through `install`, each screen as it becomes current, so a screen built before a
  switch but shown after it still speaks the current language.

Only bindings declared with `bt(...)` are touched; Textual's own bindings stay as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from ejournal_tui.i18n import t

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


class BindingText(str):
    """The message of `msg_key` in the language current when it was made."""

    msg_key: str

    def __new__(cls, msg_key: str) -> BindingText:
        text = super().__new__(cls, t(msg_key))
        text.msg_key = msg_key
        return text


def bt(msg_key: str) -> BindingText:
    """A binding's description (or tooltip) from the catalog, in place of `t(msg_key)`:
    `Binding("f5", "refresh", bt("today.refresh"))`."""
    return BindingText(msg_key)


def _translated(binding: Binding) -> Binding:
    changes: dict[str, BindingText] = {}
    for field in ("description", "tooltip"):
        text = getattr(binding, field)
        if isinstance(text, BindingText) and text != t(text.msg_key):
            changes[field] = BindingText(text.msg_key)
    return dataclasses.replace(binding, **changes) if changes else binding


def _retranslate_map(bindings: BindingsMap | None) -> bool:
    """Translate `bindings` in place; True if anything changed."""
    if bindings is None:
        return False
    changed = False
    keys: dict[str, list[Binding]] = {}
    for key, items in bindings.key_to_bindings.items():
        keys[key] = [_translated(b) for b in items]
        changed = changed or any(new is not old for new, old in zip(keys[key], items, strict=True))
    if changed:
        # new lists, not edits of the old ones: node maps share their lists with the class map
        bindings.key_to_bindings = keys
    return changed


def _dom_classes(cls: type[DOMNode] = DOMNode) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _dom_classes(sub)


def _retranslate_classes() -> None:
    for cls in set(_dom_classes()):
        _retranslate_map(cls.__dict__.get("_merged_bindings"))


def _retranslate_nodes(nodes: Iterable[DOMNode]) -> bool:
    changed = False
    for node in nodes:
        changed = _retranslate_map(node._bindings) or changed  # noqa: SLF001 - see the docstring
    return changed


def retranslate_screen(screen: Screen) -> None:
    """The bindings of `screen` and of every widget on it, in the current language."""
    if _retranslate_nodes(screen.walk_children(with_self=True)):
        screen.refresh_bindings()


def follow_language(app: App) -> None:
    """After a language change: every binding, then every footer, in the new language."""
    _retranslate_classes()
    _retranslate_nodes([app])
    for screen in app.screen_stack:
        _retranslate_nodes(screen.walk_children(with_self=True))
        screen.refresh_bindings()


def install(app: App) -> None:
    """Call from the app's `on_mount`: bindings follow the language set after import (from
    `--lang`, a test), and each screen is translated as it becomes current."""
    follow_language(app)
    app.screen_change_signal.subscribe(app, retranslate_screen, immediate=True)

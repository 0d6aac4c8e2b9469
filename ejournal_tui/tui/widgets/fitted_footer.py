"""A footer that fits the terminal: a screen leaves out some keys when they would not fit.

Textual's Footer paints every active key in a row and cuts the row at the window's edge, so at
80 columns the last keys (often F2/F3, the way back) were cut in half or missing. A screen
that mixes in `FittedFooter` names, in `FOOTER_LEAVES_OUT`, the actions whose keys the footer
may leave out, in the order to drop them, until the rest fit. The keys keep working, and F1
help lists every one of them with its long text.

F6 (printing) is the app's key but painted only here, for those who may print: the office
(secretary, deputy, director, administrator) and class leaders. A screen names its place
among the keys to drop (`PRINT`); a screen that does not drops it first, so its own keys
never make room for it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from ejournal_tui.domain import permissions as perm

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import ActiveBinding


PRINT = "open_screen('print')"  # F6's action (EjournalApp.BINDINGS)


class FittedFooter:
    """Mix into a `Screen` before it: `class TodayScreen(FittedFooter, Screen[None])`."""

    # the keys everyone knows go first; a screen puts its own rare keys before these
    FOOTER_LEAVES_OUT: tuple[str, ...] = ("quit", "lock")

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer shows: the active keys (F6 too, for those who may print), less
        FOOTER_LEAVES_OUT's as its width needs."""
        active = super().active_bindings  # type: ignore[misc]
        if getattr(self, "screen_key", None) != "print" and may_print(self.app):  # type: ignore[attr-defined]
            active = {key: _painted(shown) if shown.binding.action == PRINT else shown for key, shown in active.items()}
        width = self.size.width  # type: ignore[attr-defined]
        order = self.FOOTER_LEAVES_OUT if PRINT in self.FOOTER_LEAVES_OUT else (PRINT, *self.FOOTER_LEAVES_OUT)
        for action in order:
            if footer_width(self.app, active) <= width:  # type: ignore[attr-defined]
                break
            active = {key: shown for key, shown in active.items() if shown.binding.action != action}
        return active

    def on_resize(self) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined] # room for more keys now, or for fewer


def may_print(app: Any) -> bool:
    """Whether the signed-in person prints anything: any class (the office), or their own
    class (a class leader; `permissions.may_print_class` decides which class)."""
    session = getattr(app, "session", None)
    if session is None:
        return False
    roles = session.actor.roles
    return perm.may(roles, "print_any_class") or perm.CLASS_LEADER in roles


def _painted(shown: ActiveBinding) -> ActiveBinding:
    return shown._replace(binding=dataclasses.replace(shown.binding, show=True))


def footer_width(app: App[Any], active: dict[str, ActiveBinding]) -> int:
    """The columns Textual's Footer takes for `active`: one key per action, each " key " and
    "description ", and the palette's key docked on the right: its border, "key description"
    and its right padding (measured: 2 columns narrower than the other keys' padding and border
    suggest; counting them left a key out that fitted)."""
    actions: set[str] = set()
    width = 0
    for shown in active.values():
        binding = shown.binding
        if binding.show and binding.action not in actions:
            actions.add(binding.action)
            width += cell_len(app.get_key_display(binding)) + cell_len(binding.description) + 3
    palette = active.get(app.COMMAND_PALETTE_BINDING)
    if palette is not None and app.ENABLE_COMMAND_PALETTE:
        width += cell_len(app.get_key_display(palette.binding)) + cell_len(palette.binding.description) + 3
    return width

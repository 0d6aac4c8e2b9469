"""A footer that fits the terminal: a screen leaves out some keys when they would not fit.

Textual's Footer paints every active key in a row and cuts the row at the window's edge, so at
80 columns the last keys (often F2/F3, the way back) were cut in half or missing. A screen
that mixes in `FittedFooter` names, in `FOOTER_LEAVES_OUT`, the actions whose keys the footer
may leave out, in the order to drop them, until the rest fit. The keys keep working, and F1
help lists every one of them with its long text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import ActiveBinding


class FittedFooter:
    """Mix into a `Screen` before it: `class TodayScreen(FittedFooter, Screen[None])`."""

    # the keys everyone knows go first; a screen puts its own rare keys before these
    FOOTER_LEAVES_OUT: tuple[str, ...] = ("quit", "lock")

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer shows: the active keys, less FOOTER_LEAVES_OUT's as its width needs."""
        active = super().active_bindings  # type: ignore[misc]
        width = self.size.width  # type: ignore[attr-defined]
        for action in self.FOOTER_LEAVES_OUT:
            if footer_width(self.app, active) <= width:  # type: ignore[attr-defined]
                break
            active = {key: shown for key, shown in active.items() if shown.binding.action != action}
        return active

    def on_resize(self) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined] # room for more keys now, or for fewer


def footer_width(app: App[Any], active: dict[str, ActiveBinding]) -> int:
    """The columns Textual's Footer takes for `active`: one key per action, each " key " and
    "description ", and the palette's key docked on the right with its border and padding."""
    actions: set[str] = set()
    width = 0
    for shown in active.values():
        binding = shown.binding
        if binding.show and binding.action not in actions:
            actions.add(binding.action)
            width += cell_len(app.get_key_display(binding)) + cell_len(binding.description) + 3
    palette = active.get(app.COMMAND_PALETTE_BINDING)
    if palette is not None and app.ENABLE_COMMAND_PALETTE:
        width += cell_len(app.get_key_display(palette.binding)) + cell_len(palette.binding.description) + 5
    return width

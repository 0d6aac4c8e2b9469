"""F1: every key of the screen underneath and of the app, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

register_many({
    "help.title": ("Клавиши", "Keys"),
    "help.key": ("Клавиша", "Key"),
    "help.action": ("Действие", "Action"),
    "help.close_key": ("Закрыть", "Close"),
    "help.close": ("Esc или F1 — закрыть", "Esc or F1 closes this"),
})


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) of every binding active on `screen`, the app's included, and any
    extra keys a screen lists in HELP_KEYS (typed keys that are not bindings)."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    nodes = [*screen.focused.ancestors_with_self] if screen.focused else [screen, screen.app]
    for node in nodes:
        for key, description in getattr(node, "HELP_KEYS", ()):
            if (key, description) not in seen:
                seen.add((key, description))
                rows.append((key, t(description) if description.startswith("key.") else description))
        for binding in node._bindings.key_to_bindings.values():  # noqa: SLF001 - the app's own map
            for b in binding:
                label = b.key_display or screen.app.get_key_display(b)
                label = label.upper() if label[:1] == "f" and label[1:].isdigit() else label
                if b.description and (label, b.description) not in seen:
                    seen.add((label, b.description))
                    rows.append((label, b.description))
    return rows


class HelpModal(ModalScreen[None]):
    """The keys of the screen it was opened over."""

    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > Vertical { width: 80; max-width: 100%; height: 90%; border: round $primary; background: $surface; }
    HelpModal #help-title { text-style: bold; padding: 0 1; }
    HelpModal DataTable { height: 1fr; }
    HelpModal #help-close { color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", bt("help.close_key"), tooltip="Close the help"),
        Binding("f1", "dismiss", bt("help.close_key"), show=False, tooltip="Close the help"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows = keys_of(under)

    def retranslate(self) -> None:
        """After Ctrl+T (the app translates the bindings first): the keys in the new language."""
        self.rows = keys_of(self.under)
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("help.title"), id="help-title")
            table: DataTable = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns(t("help.key"), t("help.action"))
            for key, description in self.rows:
                table.add_row(key, description)
            yield table
            yield Static(t("help.close"), id="help-close")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)

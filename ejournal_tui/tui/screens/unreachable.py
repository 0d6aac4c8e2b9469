"""The database cannot be reached: say so, name the entries typed and not saved (they are
sent again after reconnecting), offer to reconnect. And the question before quitting with
entries not saved."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.confirm import ConfirmModal

register_many({
    "unreachable.title": ("Нет связи с базой данных", "No connection to the database"),
    "unreachable.hint": (
        "Проверьте сеть или сервер и нажмите «Подключиться» (R). Введённые данные не потеряны: "
        "несохранённые записи будут сохранены после подключения.",
        "Check the network or the server and press Reconnect (R). Nothing typed is lost: "
        "entries not saved are saved after reconnecting.",
    ),
    "unreachable.unsaved": ("Не сохранено: {what}", "Not saved: {what}"),
    "unreachable.retry": ("Подключиться", "Reconnect"),
    "unreachable.quit": ("Выход", "Quit"),
    "unreachable.back": ("Связь с базой данных восстановлена", "The database is reachable again"),
    "unreachable.retry.tip": ("Снова подключиться к базе данных", "Try to reach the database again"),
    "unreachable.quit.tip": ("Закрыть программу", "Quit the program"),
    "unreachable.quit_anyway": ("Выйти", "Quit"),
    "unreachable.quit_anyway.tip": ("Выйти, не дожидаясь сохранения", "Quit without waiting for the entries to be saved"),
})


class UnreachableScreen(Screen[None]):
    """Shown instead of a crash when the database is out of reach."""

    DEFAULT_CSS = """
    UnreachableScreen { align: center middle; }
    UnreachableScreen #box { width: 70; max-width: 100%; height: auto; border: heavy $error; padding: 1 2; }
    UnreachableScreen #title { text-style: bold; color: $error; }
    UnreachableScreen #message { margin: 1 0; }
    UnreachableScreen #unsaved { margin-bottom: 1; color: $warning; }
    """
    BINDINGS = [
        Binding("r", "reconnect", bt("unreachable.retry"), tooltip=bt("unreachable.retry.tip")),
        Binding("ctrl+q", "app.quit", bt("unreachable.quit"), tooltip=bt("unreachable.quit.tip")),
    ]
    message: reactive[str] = reactive("")

    def __init__(self, message: str, unsaved: Sequence[str] = ()) -> None:
        super().__init__()
        self.set_reactive(UnreachableScreen.message, message)
        self.unsaved = list(unsaved)

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(t("unreachable.title"), id="title")
            yield Static(self.message, id="message")
            yield Static(self._unsaved_text(), id="unsaved")
            yield Static(t("unreachable.hint"))
            yield Button(t("unreachable.retry"), id="retry", variant="warning")
        yield Footer()

    def watch_message(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#message", Static).update(message)

    def show(self, message: str, unsaved: Sequence[str] | None = None) -> None:
        self.message = message
        self.watch_message(message)
        if unsaved is not None:
            self.unsaved = list(unsaved)
            if self.is_mounted:
                self._show_unsaved()

    def on_mount(self) -> None:
        self._show_unsaved()

    def _show_unsaved(self) -> None:
        unsaved = self.query_one("#unsaved", Static)
        unsaved.update(self._unsaved_text())
        unsaved.display = bool(self.unsaved)

    def _unsaved_text(self) -> str:
        from rich.markup import escape

        return "\n".join(escape(t("unreachable.unsaved", what=what)) for what in self.unsaved)

    def on_button_pressed(self) -> None:
        self.action_reconnect()

    def action_reconnect(self) -> None:
        self.query_one("#message", Static).update("…")
        self.app.reconnect()  # type: ignore[attr-defined]


class QuitUnsavedModal(ConfirmModal):
    """«Not saved (1): …. Quit without them?» — «Да», Enter or Ctrl+Q again quits."""

    BINDINGS = [Binding("ctrl+q", "quit_anyway", bt("unreachable.quit_anyway"),
                        tooltip=bt("unreachable.quit_anyway.tip"))]

    def action_quit_anyway(self) -> None:
        self.dismiss(True)

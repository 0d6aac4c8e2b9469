"""The database cannot be reached: say so, keep what is on screen, offer to reconnect."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

register_many({
    "unreachable.title": ("Нет связи с базой данных", "No connection to the database"),
    "unreachable.hint": (
        "Проверьте сеть или сервер и нажмите «Подключиться» (R). Введённые данные не потеряны: "
        "несохранённые записи не были приняты и будут показаны как есть после подключения.",
        "Check the network or the server and press Reconnect (R). Nothing typed is lost "
        "silently: entries not saved were refused and show as they are after reconnecting.",
    ),
    "unreachable.retry": ("Подключиться", "Reconnect"),
    "unreachable.quit": ("Выход", "Quit"),
    "unreachable.back": ("Связь с базой данных восстановлена", "The database is reachable again"),
    "unreachable.retry.tip": ("Снова подключиться к базе данных", "Try to reach the database again"),
    "unreachable.quit.tip": ("Закрыть программу", "Quit the program"),
})


class UnreachableScreen(Screen[None]):
    """Shown instead of a crash when the database is out of reach."""

    DEFAULT_CSS = """
    UnreachableScreen { align: center middle; }
    UnreachableScreen #box { width: 70; max-width: 100%; height: auto; border: heavy $error; padding: 1 2; }
    UnreachableScreen #title { text-style: bold; color: $error; }
    UnreachableScreen #message { margin: 1 0; }
    """
    BINDINGS = [
        Binding("r", "reconnect", bt("unreachable.retry"), tooltip=bt("unreachable.retry.tip")),
        Binding("ctrl+q", "app.quit", bt("unreachable.quit"), tooltip=bt("unreachable.quit.tip")),
    ]
    message: reactive[str] = reactive("")

    def __init__(self, message: str) -> None:
        super().__init__()
        self.set_reactive(UnreachableScreen.message, message)

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(t("unreachable.title"), id="title")
            yield Static(self.message, id="message")
            yield Static(t("unreachable.hint"))
            yield Button(t("unreachable.retry"), id="retry", variant="warning")
        yield Footer()

    def watch_message(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#message", Static).update(message)

    def show(self, message: str) -> None:
        self.message = message
        self.watch_message(message)

    def on_button_pressed(self) -> None:
        self.action_reconnect()

    def action_reconnect(self) -> None:
        self.query_one("#message", Static).update("…")
        self.app.reconnect()  # type: ignore[attr-defined]

"""A yes/no question before something that cannot be taken back (a holiday deleted, an account
disabled, a lesson removed from the timetable). «Да» has the focus, so Enter agrees; Escape
and «Нет» say no. Dismisses with True or False.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

register_many({
    "yesno.yes": ("Да", "Yes"),
    "yesno.no": ("Нет", "No"),
    "yesno.no.tip": ("Не делать этого", "Do not do it"),
    "yesno.hint": ("Enter — да · Esc — нет", "Enter: yes · Esc: no"),
})


class ConfirmModal(ModalScreen[bool]):
    """Ask `question`; True for «Да», False for «Нет» or Escape."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 64; max-width: 100%; height: auto; border: round $warning;
                              background: $surface; padding: 0 1; }
    ConfirmModal #confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmModal Button { margin-left: 1; }
    ConfirmModal .confirm-hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "no", bt("yesno.no"), tooltip=bt("yesno.no.tip"))]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(t("yesno.yes"), id="confirm-yes", variant="warning")
                yield Button(t("yesno.no"), id="confirm-no")
            yield Static(t("yesno.hint"), classes="confirm-hint")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_no(self) -> None:
        self.dismiss(False)


def confirm_then(app: Any, question: str, then: Callable[[], None],
                 otherwise: Callable[[], None] | None = None) -> None:
    """Ask `question`; call `then()` on «Да», `otherwise()` (if given) on «Нет» or Escape."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()
        elif otherwise is not None:
            otherwise()

    app.push_screen(ConfirmModal(question), answered)

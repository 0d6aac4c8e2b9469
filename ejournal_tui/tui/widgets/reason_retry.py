"""The one way a write that needs a reason asks for it and is sent again.

A service refuses an entry made after its deadline (a mark, a lesson's page, homework) with
`ReasonRequired`. `write_asking_reason` queues the write; on that refusal it asks the person
for the reason once (`ReasonModal`) and sends the same write again with it. A reason not
given, or any other refusal, goes to the caller's `on_error`: the form keeps what was typed.
The register, the cell editor, the lesson editor and the homework screen all write this way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "reason.title": ("Нужна причина", "A reason is needed"),
    "reason.label": ("Причина записи задним числом", "Reason for the late entry"),
    "reason.ok": ("Сохранить с причиной", "Save with the reason"),
    "reason.cancel": ("Отмена", "Cancel"),
    "reason.hint": ("Enter или Ctrl+S — сохранить · Esc — не сохранять", "Enter or Ctrl+S: save · Esc: don't save"),
    "reason.ok.tip": ("Записать с этой причиной", "Write it with this reason"),
    "reason.cancel.tip": ("Не сохранять: запись останется как была", "Don't save: the entry stays as it was"),
})


def write_asking_reason(screen: Screen[Any], fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None],
                        on_error: Callable[[Exception], None] | None = None, reason: str = "", **kwargs: Any) -> None:
    """Queue the write `fn(uow, actor, *args, reason=…, **kwargs)`. When the service asks
    for a reason (an entry after its deadline), ask the person and send the same write again
    with the answer. `on_error` hears of a refusal, and of a reason not given."""
    from ejournal_tui.domain.errors import ReasonRequired

    def failed(exc: Exception) -> None:
        if not isinstance(exc, ReasonRequired) or reason:
            if on_error is not None:
                on_error(exc)
            return
        exc.handled = True  # type: ignore[attr-defined] # asked here, not shown as an error

        def answered(why: str | None) -> None:
            if why:
                write_asking_reason(screen, fn, *args, on_result=on_result, on_error=on_error, reason=why, **kwargs)
            elif on_error is not None:
                on_error(exc)

        screen.app.push_screen(ReasonModal(str(exc)), answered)

    if reason:
        kwargs["reason"] = reason
    app: EjournalApp = screen.app  # type: ignore[assignment]
    app.write(fn, *args, on_result=on_result, on_error=failed, **kwargs)


class ReasonModal(ModalScreen[str | None]):
    """Asks why an entry is late; the entry is then sent again with the reason."""

    DEFAULT_CSS = """
    ReasonModal { align: center middle; }
    ReasonModal > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning; padding: 0 2; background: $surface; }
    ReasonModal Horizontal { height: auto; margin-top: 1; }
    ReasonModal Button { margin-right: 1; }
    ReasonModal .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", bt("reason.cancel"), tooltip=bt("reason.cancel.tip")),
        Binding("ctrl+s", "ok", bt("reason.ok"), tooltip=bt("reason.ok.tip")),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{t('reason.title')}[/b]\n{self.message}")
            yield Label(t("reason.label"))
            yield Input(id="reason")
            with Horizontal():
                yield Button(t("reason.ok"), id="ok", variant="primary")
                yield Button(t("reason.cancel"), id="cancel")
            yield Static(t("reason.hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_ok()

    def action_ok(self) -> None:
        reason = self.query_one(Input).value.strip()
        if reason:
            self.dismiss(reason)
        else:
            self.query_one(Input).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

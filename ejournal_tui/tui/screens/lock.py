"""The idle lock: an opaque screen over the register; only the same person's password
opens it again, or "switch user" signs them out (a pupil must never work under a
teacher's account). Repeated failures lock the account (accounts.sign_in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "lock.title": ("Рабочее место заблокировано", "The workstation is locked"),
    "lock.who": ("Вошёл: {name} ({login}). Введите пароль, чтобы продолжить.",
                 "Signed in: {name} ({login}). Enter the password to continue."),
    "lock.unlock": ("Разблокировать", "Unlock"),
    "lock.switch": ("Сменить пользователя", "Switch user"),
    "lock.switch.tip": ("Выйти из учётной записи, чтобы вошёл другой пользователь", "Sign out and let someone else sign in"),
})


class LockScreen(Screen[None]):
    """Hides everything until the signed-in person's password is given."""

    CSS_PATH = "lock.tcss"
    BINDINGS = [
        Binding("f9", "switch_user", bt("lock.switch"), priority=True, tooltip=bt("lock.switch.tip")),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static(t("lock.title"), id="lock-title")
            yield Static(t("lock.who", name=self.actor.name or self.actor.login, login=self.actor.login))
            yield Input(id="lock-password", password=True)
            yield Static("", id="lock-error")
            with Horizontal(id="lock-buttons"):
                yield Button(t("lock.unlock"), id="unlock", variant="primary")
                yield Button(t("lock.switch"), id="switch")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Button.Pressed, "#switch")
    def action_switch_user(self) -> None:
        self.app.sign_out()  # type: ignore[attr-defined]

    @on(Input.Submitted)
    @on(Button.Pressed, "#unlock")
    def unlock(self) -> None:
        password = self.query_one(Input).value
        if password:
            self.check(password)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, password: str) -> None:
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.accounts import sign_in

        app: EjournalApp = self.app  # type: ignore[assignment]
        try:
            with app.db.uow() as uow:  # type: ignore[union-attr]
                sign_in(uow, self.actor.login, password)
        except EjournalError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(app.show_error, exc)
            return
        self.app.call_from_thread(self._opened)

    def _refused(self, message: str) -> None:
        self.query_one("#lock-error", Static).update(message)
        field = self.query_one(Input)
        field.value = ""
        field.focus()

    def _opened(self) -> None:
        import time

        self.app.last_input = time.monotonic()  # type: ignore[attr-defined]
        self.app.pop_screen()

"""Sign-in: login and password; demo databases list their logins; a first sign-in with an
initial password asks for a new one before anything else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, Static

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "login.title": ("Вход в электронный журнал", "Sign in to the electronic register"),
    "login.login": ("Логин", "Login"),
    "login.password": ("Пароль", "Password"),
    "login.submit": ("Войти", "Sign in"),
    "login.checking": ("Проверка…", "Checking…"),
    "login.connecting": ("Подключение к базе данных…", "Connecting to the database…"),
    "login.demo": ("Демо-школа. Логины: {logins}; пароль у всех: {password}",
                   "Demo school. Logins: {logins}; the password of each: {password}"),
    "login.clear": ("Очистить", "Clear"),
    "login.empty": ("Введите логин и пароль", "Enter your login and password"),
    "passwd.title": ("Смените начальный пароль", "Change your initial password"),
    "passwd.why": ("Начальный пароль выдан администратором; задайте свой, известный только вам.",
                   "The initial password was set by the administrator; choose one only you know."),
    "passwd.new": ("Новый пароль", "New password"),
    "passwd.again": ("Новый пароль ещё раз", "New password again"),
    "passwd.mismatch": ("Пароли не совпадают", "The passwords differ"),
    "passwd.save": ("Сохранить", "Save"),
    "passwd.cancel": ("Отмена", "Cancel"),
    "login.clear.tip": ("Стереть введённый пароль", "Clear the password"),
    "passwd.cancel.tip": ("Вернуться ко входу, пароль не меняется", "Back to sign-in; the password stays as it is"),
    "passwd.save.tip": ("Сохранить новый пароль и войти", "Save the new password and sign in"),
    "passwd.hint": ("Enter или Ctrl+S — сохранить · Esc — отмена", "Enter or Ctrl+S: save · Esc: cancel"),
})


class LoginScreen(Screen[None]):
    """Login and password."""

    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("escape", "clear", bt("login.clear"), tooltip=bt("login.clear.tip")),
    ]

    def __init__(self, login: str = "") -> None:
        super().__init__()
        self.login = login

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static(t("login.title"), id="login-title")
            yield Label(t("login.login"))
            yield Input(self.login, id="login", placeholder=t("login.login"))
            yield Label(t("login.password"))
            yield Input(id="password", password=True, placeholder=t("login.password"))
            yield Button(t("login.submit"), id="submit", variant="primary")
            yield Static("", id="login-error")
            yield Static("", id="demo-logins")
        yield Footer()

    def on_mount(self) -> None:
        app: EjournalApp = self.app  # type: ignore[assignment]
        self.query_one("#password" if self.login else "#login", Input).focus()
        if app.demo_logins:
            self.show_demo_logins(app.demo_logins)
        if getattr(app, "exit_after_paint", False):
            self.call_after_refresh(self._painted)
        else:
            self.call_after_refresh(app.connect_if_needed)

    def _painted(self) -> None:
        """Benchmarks (EJOURNAL_TUI_EXIT_AFTER_PAINT=1): say when the screen was painted, quit."""
        import sys
        import time

        print(f"painted {time.time():.6f}", file=sys.stderr, flush=True)
        self.app.exit()

    def show_demo_logins(self, logins: tuple[str, ...]) -> None:
        from ejournal_tui.services.workstation import DEMO_PASSWORD

        if logins:
            self.query_one("#demo-logins", Static).update(
                t("login.demo", logins=", ".join(logins), password=DEMO_PASSWORD))

    def action_clear(self) -> None:
        self.query_one("#password", Input).value = ""

    @on(Input.Submitted, "#login")
    def _next(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not login or not password:
            self._error(t("login.empty"))
            return
        if getattr(self.app, "db", None) is None:
            self._error(t("login.connecting"))
            return
        self._error(t("login.checking"))
        self.query_one("#submit", Button).disabled = True
        self.sign_in(login, password)

    def _error(self, text: str) -> None:
        self.query_one("#login-error", Static).update(text)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def sign_in(self, login: str, password: str) -> None:
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.accounts import sign_in

        app: EjournalApp = self.app  # type: ignore[assignment]
        try:
            with app.db.uow() as uow:  # type: ignore[union-attr]
                actor, must_change = sign_in(uow, login, password)
        except EjournalError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._refused, "")
            self.app.call_from_thread(app.show_error, exc)
            return
        self.app.call_from_thread(self._accepted, actor, must_change, password)

    def _refused(self, message: str) -> None:
        self._error(message)
        self.query_one("#submit", Button).disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def _accepted(self, actor: Actor, must_change: bool, password: str) -> None:
        app: EjournalApp = self.app  # type: ignore[assignment]
        if not must_change:
            app.signed_in(actor)
            return

        def changed(ok: bool | None) -> None:
            if ok:
                app.signed_in(actor)
            else:
                self._refused("")

        self.app.push_screen(ChangePasswordModal(actor, password), changed)


class ChangePasswordModal(ModalScreen[bool]):
    """The first sign-in with an initial password: choose a new one."""

    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("escape", "cancel", bt("passwd.cancel"), tooltip=bt("passwd.cancel.tip")),
        # the third way every form saves (with its button and Enter in the last field)
        Binding("ctrl+s", "save", bt("passwd.save"), tooltip=bt("passwd.save.tip")),
    ]

    def __init__(self, actor: Actor, old_password: str) -> None:
        super().__init__()
        self.actor = actor
        self.old_password = old_password

    def compose(self) -> ComposeResult:
        with Vertical(id="passwd-box"):
            yield Static(t("passwd.title"), id="passwd-title")
            yield Static(t("passwd.why"))
            yield Label(t("passwd.new"))
            yield Input(id="new1", password=True)
            yield Label(t("passwd.again"))
            yield Input(id="new2", password=True)
            yield Static("", id="passwd-error")
            yield Button(t("passwd.save"), id="save", variant="primary")
            yield Static(t("passwd.hint"), id="passwd-hint")

    def on_mount(self) -> None:
        self.query_one("#new1", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#new1")
    def _next(self) -> None:
        self.query_one("#new2", Input).focus()

    @on(Input.Submitted, "#new2")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        new1 = self.query_one("#new1", Input).value
        if new1 != self.query_one("#new2", Input).value:
            self.query_one("#passwd-error", Static).update(t("passwd.mismatch"))
            return
        self.change(new1)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def change(self, new_password: str) -> None:
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.accounts import change_password

        app: EjournalApp = self.app  # type: ignore[assignment]
        try:
            with app.db.uow() as uow:  # type: ignore[union-attr]
                change_password(uow, self.actor, self.actor.login, new_password, old_password=self.old_password)
        except EjournalError as exc:
            self.app.call_from_thread(self.query_one("#passwd-error", Static).update, str(exc))
            return
        self.app.call_from_thread(self.dismiss, True)

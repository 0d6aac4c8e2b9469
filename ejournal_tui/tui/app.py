"""The staff TUI's application shell: sign-in and idle lock, opening screens by registry key,
the command palette, F1 help, language, service calls in thread workers, and an unreachable
database shown as such (with reconnect) rather than a crash."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from ejournal_tui.i18n import language, register_many, set_language, t
from ejournal_tui.tui.bindings_i18n import bt, follow_language, install
from ejournal_tui.tui.commands import RegisterCommands, ScreenCommands
from ejournal_tui.tui.messages import EntrySaved
from ejournal_tui.tui.writer import PendingWrite, Writer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ejournal_tui.config import AppConfig
    from ejournal_tui.services.context import Actor, Database
    from ejournal_tui.services.register import RegisterRef
    from ejournal_tui.tui.session import TuiSession

register_many({
    "app.title": ("Электронный журнал", "Electronic register"),
    "app.help": ("Справка", "Help"),
    "app.lock": ("Заблокировать", "Lock"),
    "app.quit": ("Выход", "Quit"),
    "app.lang": ("Язык", "Language"),
    "app.palette": ("Команды", "Commands"),
    "app.today": ("Сегодня", "Today"),
    "app.register": ("Журнал", "Register"),
    "app.homework": ("Д/з", "Homework"),
    "app.print": ("Печать", "Print"),
    "app.lang_set": ("Язык интерфейса: русский", "Interface language: English"),
    "app.db_lost": (
        "База данных недоступна: {detail}. Запись не сохранена; проверьте сеть и повторите",
        "The database cannot be reached: {detail}. The entry was not saved; check the network and retry",
    ),
    "app.unexpected": ("Непредвиденная ошибка: {detail}", "Unexpected error: {detail}"),
    "app.unexpected_logged": ("Непредвиденная ошибка: {detail}. Подробности для администратора: {path}",
                              "Unexpected error: {detail}. Details for the administrator: {path}"),
    "app.no_screen": ("Экран «{key}» в этой сборке отсутствует", "Screen '{key}' is not part of this build"),
    "app.help.tip": ("Все клавиши этого экрана и что они делают", "Every key of this screen and what it does"),
    "app.today.tip": ("Ваши уроки на сегодня и просроченные записи", "Your lessons today and what is due"),
    "app.register.tip": ("Классный журнал: отметки и пропуски", "The class register: marks and absences"),
    "app.homework.tip": ("Домашние задания к вашим урокам", "Homework of your lessons"),
    "app.print.tip": ("Напечатать журнал, ведомость или отчёт", "Print a register, a summary sheet or a report"),
    "app.paper": ("Реестр копий", "Paper copies"),
    "app.paper.tip": ("Реестр бумажных копий журнала", "The registry of paper copies of the register"),
    "app.lock.tip": ("Заблокировать рабочее место сейчас", "Lock the workstation now"),
    "app.lang.tip": ("Язык интерфейса: русский / English", "Interface language: English / русский"),
    "app.quit.tip": ("Закрыть программу", "Quit the program"),
    "app.palette.tip": ("Найти экран, журнал или команду по названию", "Find a screen, a register or a command by name"),
    "app.quit_hint_title": ("Выйти из программы?", "Do you want to quit?"),
    "app.quit_hint": ("Чтобы выйти из программы, нажмите Ctrl+Q", "Press Ctrl+Q to quit"),
    "app.palette_search": ("Найти команду, экран или журнал…", "Search for a command, a screen or a register…"),
    "app.sys.Theme": ("Оформление", "Theme"),
    "app.sys.Theme.help": ("Сменить цветовую тему", "Change the colour theme"),
    "app.sys.Quit": ("Выход", "Quit"),
    "app.sys.Quit.help": ("Закрыть программу, когда всё введённое сохранено", "Quit once every entry typed is saved"),
    "app.sys.Minimize": ("Обычный размер", "Minimize"),
    "app.sys.Minimize.help": ("Вернуть развёрнутой части экрана обычный размер", "Restore the widget to its normal size"),
    "app.sys.Maximize": ("Во весь экран", "Maximize"),
    "app.sys.Maximize.help": ("Развернуть выбранную часть экрана во весь экран", "Maximize the focused widget"),
    "app.sys.Screenshot": ("Снимок экрана", "Screenshot"),
    "app.sys.Screenshot.help": ("Сохранить снимок экрана в файл SVG", "Save an SVG picture of the screen"),
    "app.entry": ("запись", "an entry"),
    "app.quit_unsaved": ("Не сохранено ({n}): {what}. Выйти без них? (Ctrl+Q ещё раз — выйти)",
                         "Not saved ({n}): {what}. Quit without them? (Ctrl+Q again: quit)"),
})

IDLE_CHECK_SECONDS = 5.0
# Ctrl+Q waits this long for writes on their way (a healthy server takes milliseconds); a
# write still not stored then is named and quitting asked about
QUIT_WAIT_SECONDS = 2.0
# Textual's own palette commands (English titles) said in the user's language; its "Keys" is F1
SYSTEM_COMMANDS = ("Theme", "Quit", "Minimize", "Maximize", "Screenshot")


class EjournalApp(App[None]):
    """The electronic class register on a staff workstation."""

    CSS_PATH = "app.tcss"
    TITLE = "ejournal"
    COMMANDS = App.COMMANDS | {ScreenCommands, RegisterCommands}
    BINDINGS = [
        Binding("f1", "help", bt("app.help"), tooltip=bt("app.help.tip")),
        Binding("f2", "open_screen('today')", bt("app.today"), tooltip=bt("app.today.tip")),
        Binding("f3", "open_screen('register')", bt("app.register"), tooltip=bt("app.register.tip")),
        Binding("f4", "open_screen('homework')", bt("app.homework"), tooltip=bt("app.homework.tip")),
        # painted only by the main screens' fitted footers, for those who may print, where it fits
        # (widgets/fitted_footer.py); F1 and the palette list it everywhere
        Binding("f6", "open_screen('print')", bt("app.print"), show=False, tooltip=bt("app.print.tip")),
        Binding("f9", "open_screen('paper_registry')", bt("app.paper"), show=False, tooltip=bt("app.paper.tip")),
        Binding("ctrl+l", "lock", bt("app.lock"), tooltip=bt("app.lock.tip")),
        Binding("ctrl+t", "toggle_language", bt("app.lang"), show=False, priority=True, tooltip=bt("app.lang.tip")),
        Binding("ctrl+q", "quit", bt("app.quit"), tooltip=bt("app.quit.tip")),
        # Textual's own palette key would say "palette" in English, in the footer and in F1 help
        Binding("ctrl+p", "command_palette", bt("app.palette"), show=False, priority=True,
                tooltip=bt("app.palette.tip")),
        # Tab moves the focus before the next key is handed on: a burst «login Tab password
        # Enter» (a password manager's auto-type) otherwise typed the password into the login
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]

    def __init__(
        self, *, db: Database | None = None, config: AppConfig | None = None,
        connect: Callable[[], Database] | None = None, user: str | None = None,
        register: str | None = None, signed_in: Actor | None = None,
        engine: Callable[[], Engine] | None = None,
    ) -> None:
        super().__init__()
        from ejournal_tui.config import AppConfig

        self.db = db
        self.config = config or AppConfig()
        self._connect = connect
        self._engine = engine  # the database's engine even when it holds no school yet
        self.prefill_user = user or ""
        self.start_register = register
        self.session: TuiSession | None = None
        self.registers: list[RegisterRef] = []
        self.past_registers: list[RegisterRef] = []  # earlier years: in the palette, labelled
        self.idle_limit: float = 0.0  # seconds; 0 until known from the settings
        self.last_input = time.monotonic()
        self.demo_logins: tuple[str, ...] = ()
        self.school_name = ""
        self.writer = Writer(lambda outcome, entry, value: self.call_from_thread(self._write_ended, outcome, entry, value))
        self._quitting = False
        self._leaving = False
        self._preset_actor = signed_in
        self.exit_after_paint = os.environ.get("EJOURNAL_TUI_EXIT_AFTER_PAINT") == "1"

    # ---- start-up -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.title = t("app.title")
        install(self)
        self.writer.start()
        self.set_interval(IDLE_CHECK_SECONDS, self._check_idle)
        if self.db is None:
            # the login screen paints at once; it asks for the database once it is painted
            # (connect_if_needed), so the heavy imports never hold up the first paint
            from ejournal_tui.tui.screens.login import LoginScreen

            self.push_screen(LoginScreen(self.prefill_user))
            return
        self._start()

    def connect_if_needed(self) -> None:
        """Reach the database if the app has none yet (called by the painted login screen)."""
        self._warm_up()
        if self.db is None and self._connect is not None:
            self.reconnect()

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """Babel's date and number data, loaded while the person types the password, so
        the first date on screen costs nothing."""
        from ejournal_tui.i18n import warm_up

        warm_up()

    def _start(self) -> None:
        if self._preset_actor is not None:
            self.signed_in(self._preset_actor)
            return
        from ejournal_tui.tui.screens.login import LoginScreen

        if not isinstance(self.screen, LoginScreen):
            self.push_screen(LoginScreen(self.prefill_user))
        self.load_school_info()

    @work(thread=True, exclusive=True, exit_on_error=False, group="connect")
    def reconnect(self) -> None:
        """Connect (again) to the database; on success, back to the login screen."""
        from ejournal_tui.domain.errors import EjournalError
        from ejournal_tui.services.context import EmptyDatabase

        if self._connect is None and self.db is None:
            return
        try:
            db = self._connect() if self._connect is not None else self._checked(self.db)  # type: ignore[arg-type]
        except EjournalError as exc:
            if isinstance(exc, EmptyDatabase) and self._engine is not None:  # a new school's first run
                self.call_from_thread(self.show_first_run, self._engine())
            else:
                self.call_from_thread(self.show_unreachable, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - still out of reach: said on the screen
            self.call_from_thread(self.show_unreachable, t("err.db_unreachable", detail=_detail(exc)))
            return
        self.call_from_thread(self._connected, db)

    @staticmethod
    def _checked(db: Database) -> Database:
        """The database the app was given, once it answers again."""
        from ejournal_tui.services.workstation import school_info

        with db.uow(read_only=True) as uow:
            school_info(uow)
        return db

    def _connected(self, db: Database) -> None:
        from ejournal_tui.tui.screens.unreachable import UnreachableScreen

        self.db = db
        if isinstance(self.screen, UnreachableScreen):
            self.pop_screen()
        if self.session is None:
            self._start()
        else:
            self.session.db = db
            self.notify(t("unreachable.back"))
        self.writer.resend_held()

    def show_unreachable(self, message: str) -> None:
        """The unreachable screen, with `message` (kept when empty) and the entries not saved."""
        from ejournal_tui.tui.screens.unreachable import UnreachableScreen

        if self._leaving:
            return
        unsaved = self.unsaved()
        screen = next((s for s in self.screen_stack if isinstance(s, UnreachableScreen)), None)
        if screen is not None:
            screen.show(message or screen.message, unsaved)
            return
        self.push_screen(UnreachableScreen(message or t("err.db_unreachable", detail="…"), unsaved))

    def show_first_run(self, engine: Engine) -> None:
        """No school in the database yet: the form that creates it (screens/first_run.py)."""
        from ejournal_tui.tui.screens.first_run import FirstRunScreen
        from ejournal_tui.tui.screens.unreachable import UnreachableScreen

        if isinstance(self.screen, UnreachableScreen):
            self.pop_screen()
        if not isinstance(self.screen, FirstRunScreen):
            self.push_screen(FirstRunScreen(engine))

    def school_created(self, login: str) -> None:
        """The first-run form made the school: its administrator signs in; the login screen,
        once painted, connects again and now finds the school."""
        from ejournal_tui.tui.screens.login import LoginScreen

        self.prefill_user = login
        self._reset_stack()
        self.push_screen(LoginScreen(login))

    @work(thread=True, exclusive=True, exit_on_error=False, group="school")
    def load_school_info(self) -> None:
        from ejournal_tui.services.workstation import school_info

        try:
            with self.db.uow() as uow:  # type: ignore[union-attr]
                info = school_info(uow)
        except Exception as exc:  # noqa: BLE001 - shown, not raised
            self.call_from_thread(self.show_error, exc)
            return
        self.call_from_thread(self._school_loaded, info)

    def _school_loaded(self, info: Any) -> None:
        self.school_name, self.demo_logins = info.name, info.demo_logins
        if not self.idle_limit:
            self.idle_limit = 60.0 * (self.config.idle_lock_minutes or info.idle_lock_minutes)
        self.sub_title = info.name
        for screen in self.screen_stack:
            if hasattr(screen, "show_demo_logins"):
                screen.show_demo_logins(info.demo_logins)

    # ---- sessions -------------------------------------------------------------------------

    def signed_in(self, actor: Actor) -> None:
        """Called by the login screen once the password (and a new one, if due) is accepted."""
        from ejournal_tui.tui.session import TuiSession

        assert self.db is not None
        self.session = TuiSession(self.db, actor, self.config)
        self.sub_title = f"{self.school_name} · {actor.name or actor.login}".strip(" ·")
        self.last_input = time.monotonic()
        if not self.idle_limit:
            self.load_school_info()
        self._reset_stack()
        self.push_screen(self.make_screen("today"))
        self.load_registers()

    def _reset_stack(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def sign_out(self) -> None:
        """Back to the login screen ("switch user"): nothing of the register stays on screen."""
        from ejournal_tui.tui.screens.login import LoginScreen

        self.session = None
        self.registers, self.past_registers = [], []
        self._reset_stack()
        self.push_screen(LoginScreen(""))

    @work(thread=True, exclusive=True, exit_on_error=False, group="registers")
    def load_registers(self) -> None:
        from ejournal_tui.services.register import past_registers_for, registers_for

        session = self.session
        if session is None:
            return
        try:
            with session.db.uow() as uow:
                refs, past = registers_for(uow, session.actor), past_registers_for(uow, session.actor)
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self.show_error, exc)
            return
        self.call_from_thread(self._registers_loaded, refs, past)

    def _registers_loaded(self, refs: list[RegisterRef], past: list[RegisterRef] | None = None) -> None:
        self.registers, self.past_registers = refs, past or []
        if self.start_register:
            wanted, self.start_register = self.start_register, None
            ref = find_register(refs, wanted)
            if ref is None:
                self.notify(t("err.not_found", what=wanted), severity="error")
            else:
                self.open_screen("register", load_id=ref.load_id)

    # ---- screens --------------------------------------------------------------------------

    def make_screen(self, key: str, **kwargs: Any) -> Screen:
        from ejournal_tui.tui.screens import screen_class

        return screen_class(key)(**kwargs)

    def open_screen(self, key: str, **kwargs: Any) -> None:
        """Open a screen of the registry by key: above Today, replacing another main screen."""
        from ejournal_tui.tui.screens import SCREENS, available
        from ejournal_tui.tui.screens.lock import LockScreen

        if self.session is None or isinstance(self.screen, LockScreen):
            return
        if key not in SCREENS or key not in available():
            self.notify(t("app.no_screen", key=key), severity="warning")
            return
        self._close_modals()
        top = self.screen
        if getattr(top, "screen_key", None) == key and not kwargs:
            return
        if key == "today":
            while len(self.screen_stack) > 2:
                self.pop_screen()
            return
        screen = self.make_screen(key, **kwargs)
        screen.screen_key = key  # type: ignore[attr-defined]
        if getattr(top, "screen_key", "today") != "today" and len(self.screen_stack) > 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _close_modals(self) -> None:
        from textual.screen import ModalScreen

        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            self.pop_screen()

    def action_open_screen(self, key: str) -> None:
        self.open_screen(key)

    def action_help(self) -> None:
        from ejournal_tui.tui.screens.help import HelpModal

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(self.screen))

    def action_lock(self) -> None:
        self.lock()

    def lock(self) -> None:
        from ejournal_tui.tui.screens.lock import LockScreen

        if self.session is None or isinstance(self.screen, LockScreen):
            return
        self._close_modals()
        self.push_screen(LockScreen(self.session.actor))

    def action_toggle_language(self) -> None:
        set_language("en" if language() == "ru" else "ru")
        self.title = t("app.title")
        follow_language(self)
        for screen in self.screen_stack:
            if hasattr(screen, "retranslate"):
                screen.retranslate()
        self.notify(t("app.lang_set"))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("app.palette_search")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Keys":  # Textual's English key panel: our F1 help says more
                yield SystemCommand(t("app.help"), t("app.help.tip"), self.action_help)
            elif command.title in SYSTEM_COMMANDS:
                yield command._replace(title=t(f"app.sys.{command.title}"), help=t(f"app.sys.{command.title}.help"))
            else:
                yield command

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own hint is in English; say where the exit is in the user's language."""
        self.notify(t("app.quit_hint"), title=t("app.quit_hint_title"))

    # ---- idle lock ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        if self.session is None or not self.idle_limit:
            return
        if time.monotonic() - self.last_input >= self.idle_limit:
            self.lock()

    # ---- service calls --------------------------------------------------------------------

    def call_service(
        self, fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None, group: str = "read",
        exclusive: bool = True, **kwargs: Any,
    ) -> None:
        """Run the read `fn(uow, actor, *args, **kwargs)` in a thread worker; the result (or
        the error, after it is shown) comes back on the UI thread. Reads never take SQLite's
        write lock, and the answer of a worker replaced by a newer one (exclusive) is
        dropped, so an older answer never paints over a newer one."""
        session = self.session
        if session is None:
            return

        def job() -> None:
            worker = get_current_worker()
            try:
                with session.db.uow(read_only=True) as uow:
                    result = fn(uow, session.actor, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure is shown, never raised
                if not worker.is_cancelled:
                    self.call_from_thread(self._failed, exc, on_error)
                return
            if on_result is not None and not worker.is_cancelled:
                self.call_from_thread(on_result, result)

        self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)

    def write(
        self, fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None, label: str = "", **kwargs: Any,
    ) -> None:
        """Queue the write `fn(uow, actor, *args, **kwargs)`: writes run one after another in
        the order typed (tui/writer.py). `label` names it where it is listed as not saved
        («5А, Русский язык, 20.11, Волков Виктор — 5»); a write whose `fn` takes `again` is
        kept when the database cannot be reached and sent again after reconnecting."""
        session = self.session
        if session is None:
            return
        self.writer.put(PendingWrite(fn, args, kwargs, session, on_result, on_error, label))

    def _write_ended(self, outcome: str, entry: PendingWrite, value: Any) -> None:
        """On the UI thread: a write stored, refused, or kept for after reconnecting."""
        if self._leaving:
            return
        if outcome == "held":
            if self.writer.hold(entry):
                detail = _detail(value) if value is not None else ""
                self.show_unreachable(t("err.db_unreachable", detail=detail) if detail else "")
            return
        self.writer.done(entry)
        if outcome == "stored":
            if entry.on_result is not None:
                entry.on_result(value)
            self.post_message(EntrySaved())
        else:
            self._failed(value, entry.on_error)

    def pending_writes(self) -> int:
        return self.writer.pending()

    def unsaved(self) -> list[str]:
        """The writes typed and not stored yet, named."""
        return [label or t("app.entry") for label in self.writer.labels()]

    def _failed(self, exc: Exception, on_error: Callable[[Exception], None] | None) -> None:
        if self._leaving:  # a round trip cut by quitting: nothing more to show
            return
        if on_error is not None:
            on_error(exc)
        self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        """A typed error as a notification; a lost database as such; anything else briefly,
        logged for the administrator, never as a traceback."""
        from sqlalchemy.exc import DBAPIError, OperationalError

        from ejournal_tui.domain.errors import DatabaseUnavailable, EjournalError, ReasonRequired

        if isinstance(exc, ReasonRequired) and getattr(exc, "handled", False):
            return
        if isinstance(exc, EjournalError) and not isinstance(exc, DatabaseUnavailable):
            self.notify(str(exc), severity="error", timeout=8)
        elif isinstance(exc, (OperationalError, DatabaseUnavailable, DBAPIError)):
            detail = _detail(exc)
            self.notify(t("app.db_lost", detail=detail), severity="error", timeout=15)
            if self._connect is not None:
                self.show_unreachable(t("err.db_unreachable", detail=detail))
        else:
            from ejournal_tui.crashlog import one_line, write_crash

            self.log.error(repr(exc))
            path = write_crash(exc)
            text = t("app.unexpected_logged", detail=one_line(exc), path=path) if path else \
                t("app.unexpected", detail=one_line(exc))
            self.notify(text, severity="error", timeout=15)

    async def action_quit(self) -> None:
        """Quit once every entry typed has been written. One that is not (the database fell
        silent) is named and quitting asked about; Ctrl+Q again, or «Да», quits at once."""
        import asyncio

        from ejournal_tui.tui.screens.unreachable import QuitUnsavedModal

        if self._quitting or isinstance(self.screen, QuitUnsavedModal):
            return
        self._quitting = True
        try:
            deadline = time.monotonic() + QUIT_WAIT_SECONDS
            while self.writer.busy() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        finally:
            self._quitting = False
        unsaved = self.unsaved()
        if not unsaved:
            self._leave()
            return
        question = t("app.quit_unsaved", n=len(unsaved), what="; ".join(unsaved))
        self.push_screen(QuitUnsavedModal(question), lambda yes: self._leave() if yes else None)

    def _leave(self) -> None:
        """Quit now, whatever the network does: the writer is told to stop, round trips in
        flight are cut so no thread waits on a silent server (Textual's and Python's exit wait
        for worker threads), and the pool is let go without waiting for it."""
        from ejournal_tui.data.network import release

        self._leaving = True
        self.writer.stop()
        if self.db is not None:
            release(self.db.engine)
        self.exit()


def _detail(exc: BaseException) -> str:
    """The first line of a database error, short."""
    lines = str(getattr(exc, "orig", None) or exc).splitlines()
    return lines[0][:120] if lines else exc.__class__.__name__


def find_register(refs: list[RegisterRef], wanted: str) -> RegisterRef | None:
    """`5А/Русский язык` (a Latin look-alike letter, any case) → the register."""
    from ejournal_tui.services.lookup import normalize_class_name

    klass, _, subject = wanted.partition("/")
    klass, subject = normalize_class_name(klass), subject.strip().lower().replace("ё", "е")
    for ref in refs:
        if ref.class_name == klass and subject in (ref.subject.lower().replace("ё", "е"),):
            return ref
    return None


def run_app(state: Any, school: str | None = None, user: str | None = None, register: str | None = None) -> None:
    """Entry point of `ejournal tui`: connect (or show the database as unreachable), then run."""
    if school:
        state.school = school
    state.interactive = True  # a person waits: statements get the server's time limit

    def connect() -> Database:
        return state.database()

    app = EjournalApp(db=None, config=state.config, connect=connect, user=user, register=register,
                      engine=state.engine)
    app.run(headless=os.environ.get("EJOURNAL_TUI_HEADLESS") == "1")

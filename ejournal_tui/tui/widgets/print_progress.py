"""The printing screen's status line and progress bar, and the thread worker that makes the
file. `start(make)` runs `make()` in a worker with the bar moving; the answer comes back as
a status line in the current language (where the file went, or why not) and a
`PrintProgress.Finished` message for the screen. If the screen was closed meanwhile, the
answer is a notification instead, so the person still learns where the file went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ProgressBar, Static

from ejournal_tui.i18n import register_many, t

if TYPE_CHECKING:
    from textual.screen import Screen

    from ejournal_tui.services.exports import ExportResult
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "print.busy": ("Печатается…", "Printing…"),
    "print.done": ("Готово ({unit}: {n}): {path}", "Done ({unit}: {n}): {path}"),
    "print.pages": ("страниц", "pages"),
    "print.sheets": ("листов", "sheets"),
    "print.exists": ("Файл уже есть: {path}. Чтобы заменить его, отметьте «Заменить существующий файл»",
                     "The file exists: {path}. To replace it, tick «Replace an existing file»"),
    "print.failed": ("Не напечатано: {detail}", "Not printed: {detail}"),
})


def done_text(result: ExportResult) -> str:
    unit = t("print.pages") if result.path.suffix == ".pdf" else t("print.sheets")
    return t("print.done", path=result.path, unit=unit, n=result.pages)


def refusal_text(exc: Exception) -> str | None:
    """What a foreseeable refusal says on the form, or None for a lost database or a bug. A
    file already there is the export's own refusal, said with the form's way to replace it."""
    from ejournal_tui.domain.errors import DatabaseUnavailable, EjournalError
    from ejournal_tui.services.exports.common import TargetExists

    if isinstance(exc, TargetExists):
        return t("print.exists", path=exc.path)
    if isinstance(exc, EjournalError) and not isinstance(exc, DatabaseUnavailable):
        return str(exc)
    return None


class PrintProgress(Vertical):
    """The status line (`say`) and, while a file is being made, a moving bar."""

    DEFAULT_CSS = """
    PrintProgress { height: auto; }
    PrintProgress #print-status { height: auto; padding: 0 1; }
    PrintProgress #print-status.error { color: $error; }
    PrintProgress #print-progress { display: none; height: 1; }
    """

    @dataclass
    class Finished(Message):
        """The file is made (`result`) or refused (`error`); the status line says which."""

        result: ExportResult | None
        error: Exception | None

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.busy = False
        self._said: Callable[[], str] = str  # asked again when the language changes

    def compose(self) -> ComposeResult:
        yield Static("", id="print-status")
        yield ProgressBar(id="print-progress", show_eta=False, show_percentage=False)

    def say(self, text: Callable[[], str], error: bool = False) -> None:
        """The status line; `text` is asked again by `retranslate`."""
        self._said = text
        status = self.query_one("#print-status", Static)
        status.update(text())
        status.set_class(error, "error")

    def retranslate(self) -> None:
        self.query_one("#print-status", Static).update(self._said())

    def start(self, make: Callable[[], ExportResult]) -> None:
        """Make the file in a thread worker; the UI answers meanwhile."""
        self._set_busy(True)
        self._make(self.app, self.screen, make)  # type: ignore[arg-type]

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        bar = self.query_one("#print-progress", ProgressBar)
        bar.display = busy
        bar.update(total=None)
        if busy:
            self.say(lambda: t("print.busy"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="print")
    def _make(self, app: EjournalApp, screen: Screen[None], make: Callable[[], ExportResult]) -> None:
        """`app` and `screen` are passed in: once the screen is closed, neither can be
        reached from here through the widget."""
        try:
            result = make()
        except Exception as exc:  # noqa: BLE001 - every failure is shown, never raised
            app.call_from_thread(self._deliver, app, screen, None, exc)
            return
        app.call_from_thread(self._deliver, app, screen, result, None)

    def _deliver(self, app: EjournalApp, screen: Screen[None], result: ExportResult | None,
                 error: Exception | None) -> None:
        """Show the answer here; if the screen was closed meanwhile, say where the file went
        (or why not) in a notification."""
        if screen not in app.screen_stack:
            self._notify(app, result, error)
            return
        self._set_busy(False)
        if result is not None:
            self.say(lambda: done_text(result))
        else:
            self._failed(app, error)  # type: ignore[arg-type]
        self.post_message(self.Finished(result, error))

    def _failed(self, app: EjournalApp, exc: Exception) -> None:
        """A refusal stays on the form; a lost database or a bug is also reported as the app
        reports them (the unreachable screen, the administrator's log)."""
        refused = refusal_text(exc) is not None
        self.say(lambda: refusal_text(exc) or t("print.failed", detail=type(exc).__name__), error=True)
        if not refused:
            app.show_error(exc)

    @staticmethod
    def _notify(app: EjournalApp, result: ExportResult | None, error: Exception | None) -> None:
        from ejournal_tui.services.exports.common import TargetExists

        if result is not None:
            app.notify(done_text(result), timeout=10)
        elif isinstance(error, TargetExists):
            app.notify(t("print.exists", path=error.path), severity="error", timeout=10)
        elif error is not None:
            app.show_error(error)

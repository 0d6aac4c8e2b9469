"""Printing from the TUI (F6): the register of a class for a period, the year's summary sheet,
parents' progress reports and the class leader's report, made by the same export services as
`ejournal export …` and `ejournal report class`, into a folder of the user's documents; the
file can then be opened with the system's viewer.

This module is the form: what to print, for which class and period, in which format, where.
What it offers and how a file is made are in `printing_jobs` (no Textual); the worker, its
progress bar and the status line are the `PrintProgress` widget.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static

from ejournal_tui.domain.calendar import period_name
from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.screens.printing_jobs import (
    KINDS,
    PERIODS,
    WEEKS,
    WHATS,
    PrintChoices,
    PrintJob,
    default_folder,
    load_choices,
    make_file,
)
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter
from ejournal_tui.tui.widgets.print_progress import PrintProgress

if TYPE_CHECKING:
    from ejournal_tui.tui.app import EjournalApp

register_many({
    "print.what": ("Что печатать", "What to print"),
    "print.what.register": ("Классный журнал", "Class register"),
    "print.what.summary": ("Сводная ведомость", "Summary sheet"),
    "print.what.cards": ("Отчёты для родителей", "Parents' reports"),
    "print.what.class": ("Отчёт классного руководителя", "Class leader's report"),
    "print.class": ("Класс", "Class"),
    "print.class_hint": ("например, 5А", "e.g. 5А"),
    "print.period": ("Период", "Period"),
    "print.kind.preliminary": ("предварительный", "preliminary"),
    "print.kind.final": ("итоговый", "final"),
    "print.weeks": ("за {n} нед.", "last {n} wk"),
    "print.format": ("Формат", "Format"),
    "print.overwrite": ("Заменить существующий файл", "Replace an existing file"),
    "print.folder": ("Папка", "Folder"),
    "print.print": ("Печать", "Print"),
    "print.open": ("Открыть", "Open"),
    "print.close": ("Закрыть", "Close"),
    "print.print.tip": ("Сделать файл для печати", "Make the file to print"),
    "print.open.tip": ("Открыть сделанный файл программой просмотра", "Open the file made in the system's viewer"),
    "print.close.tip": ("Закрыть печать", "Close printing"),
    "print.hint": ("Enter в поле «Папка» или Ctrl+S — печать · Ctrl+O — открыть · Esc — закрыть",
                   "Enter in Folder or Ctrl+S: print · Ctrl+O: open · Esc: close"),
    "print.loading": ("Загрузка…", "Loading…"),
    "print.no_class": ("Укажите класс, например 5А", "Type the class, e.g. 5А"),
    "print.nothing": ("Сначала напечатайте документ", "Print a document first"),
    "print.opened": ("Открывается в программе просмотра: {path}", "Opening in the viewer: {path}"),
    "print.no_viewer": ("Программа просмотра не найдена; откройте файл сами: {path}",
                        "No viewer found; open the file yourself: {path}"),
})


def open_with_viewer(path: Path) -> bool:
    """Hand the file to the system's viewer; False when there is none to hand it to."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]
            return True
        program = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
        if program is None:
            return False
        subprocess.Popen([program, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    return True


class PrintScreen(FittedFooter, Screen[None]):
    """Choose a document, a class, a period, a format and a folder; print; open the file."""

    CSS_PATH = "printing.tcss"
    BINDINGS = [
        Binding("ctrl+s", "print", bt("print.print"), tooltip=bt("print.print.tip")),
        Binding("ctrl+o", "open", bt("print.open"), tooltip=bt("print.open.tip")),
        Binding("escape", "close", bt("print.close"), tooltip=bt("print.close.tip")),
    ]
    # left out of a narrow footer in this order (they still work; F1 lists them)
    FOOTER_LEAVES_OUT = ("lock", "quit", "open_screen('homework')", "open_screen('print')",
                         "open_screen('register')", "open")

    def __init__(self) -> None:
        super().__init__()
        self.choices: PrintChoices | None = None
        self.last_path: Path | None = None

    @property
    def ejournal(self) -> EjournalApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="print-form"):
            with Horizontal(classes="row"):
                yield Label(id="l-what", classes="label")
                yield Select([(w, w) for w in WHATS], id="what", allow_blank=False, value="register")
            with Horizontal(classes="row"):
                yield Label(id="l-class", classes="label")
                yield Input(id="klass")
            with Horizontal(classes="row", id="row-period"):
                yield Label(id="l-period", classes="label")
                yield Select([(p, p) for p in PERIODS], id="period", allow_blank=False)
                yield Select([(k, k) for k in KINDS], id="kind", allow_blank=False)
                yield Select([(str(n), n) for n in WEEKS], id="weeks", allow_blank=False, value=2)
            with Horizontal(classes="row"):
                yield Label(id="l-format", classes="label")
                yield Select([("PDF", "pdf"), ("XLSX", "xlsx")], id="fmt", allow_blank=False)
                yield Checkbox(id="overwrite")
            with Horizontal(classes="row"):
                yield Label(id="l-folder", classes="label")
                yield Input(str(default_folder()), id="folder")
            with Horizontal(id="print-buttons"):
                yield Button(id="print", variant="primary")
                yield Button(id="open", disabled=True)
                yield Button(id="close")
            yield PrintProgress(id="print-answer")
            yield Static(id="print-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.retranslate()
        self._arrange()
        self._answer.say(lambda: t("print.loading"))
        self.query_one("#what", Select).focus()
        self.ejournal.call_service(load_choices, on_result=self._loaded, group="print-choices")

    # ---- texts ------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every word of the form in the current language (Ctrl+T); choices are kept."""
        for name in ("what", "class", "period", "format", "folder"):
            self.query_one(f"#l-{name}", Label).update(t(f"print.{name}"))
        self.query_one("#klass", Input).placeholder = t("print.class_hint")
        self.query_one("#overwrite", Checkbox).label = t("print.overwrite")
        for name in ("print", "open", "close"):
            self.query_one(f"#{name}", Button).label = t(f"print.{name}")
        self.query_one("#print-hint", Static).update(t("print.hint"))
        self._options("#what", [(t(f"print.what.{w}"), w) for w in WHATS])
        self._options("#kind", [(t(f"print.kind.{k}"), k) for k in KINDS])
        self._options("#weeks", [(t("print.weeks", n=n), n) for n in WEEKS])
        self._fill_periods()
        self._answer.retranslate()

    def _options(self, selector: str, options: list[tuple[str, Any]]) -> None:
        """New options for a Select, keeping its value when it is still offered."""
        select: Select[Any] = self.query_one(selector, Select)
        value = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if value in [v for _, v in options]:
                select.value = value
            select.mutate_reactive(Select.value)  # the same value in other words is painted anew

    @property
    def _answer(self) -> PrintProgress:
        """The status line, the progress bar and the worker that makes the file."""
        return self.query_one(PrintProgress)

    # ---- the form ---------------------------------------------------------------------

    def _loaded(self, choices: PrintChoices) -> None:
        self.choices = choices
        klass = self.query_one("#klass", Input)
        klass.suggester = SuggestFromList([c.name for c in choices.classes], case_sensitive=False)
        if not klass.value and choices.classes:
            klass.value = choices.classes[0].name
        self._fill_periods(keep=False)
        self._answer.say(str)

    def _value(self, selector: str) -> Any:
        return self.query_one(selector, Select).value

    def _fill_periods(self, keep: bool = True) -> None:
        """The periods of the class typed (a quarter class has no half-years); today's first."""
        choices = self.choices
        klass = self.query_one("#klass", Input).value
        codes = choices.periods_of(klass) if choices else PERIODS
        if self._value("#what") == "class":
            codes = tuple(c for c in codes if c != "Y")
        before = self._value("#period")
        self._options("#period", [(str(period_name(c)), c) for c in codes])
        if (before not in codes or not keep) and choices:
            current = [c for c in choices.current if c in codes]
            self.query_one("#period", Select).value = current[0] if current else codes[0]
        self._fill_kind()

    def _fill_kind(self) -> None:
        """A period already over gets its final class report, the running one a preliminary."""
        if self.choices is not None:
            ended = self._value("#period") in self.choices.ended
            self.query_one("#kind", Select).value = "final" if ended else "preliminary"

    def _arrange(self) -> None:
        """Show the fields the chosen document has."""
        what = self._value("#what")
        self.query_one("#row-period").display = what != "summary"
        self.query_one("#period").display = what in ("register", "class")
        self.query_one("#kind").display = what == "class"
        self.query_one("#weeks").display = what == "cards"
        formats = [("PDF", "pdf")] if what == "cards" else [("PDF", "pdf"), ("XLSX", "xlsx")]
        self._options("#fmt", formats)
        self._fill_periods()

    @on(Select.Changed, "#what")
    def _what_changed(self) -> None:
        self._arrange()

    @on(Select.Changed, "#period")
    def _period_changed(self) -> None:
        self._fill_kind()

    @on(Input.Changed, "#klass")
    def _class_changed(self) -> None:
        self._fill_periods()

    @on(Input.Submitted, "#klass")
    def _class_submitted(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#folder")
    def _folder_submitted(self) -> None:
        self.action_print()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        {"print": self.action_print, "open": self.action_open, "close": self.action_close}[str(event.button.id)]()

    def _job(self) -> PrintJob:
        folder = self.query_one("#folder", Input).value.strip() or str(default_folder())
        return PrintJob(self._value("#what"), self.query_one("#klass", Input).value.strip(), self._value("#period"),
                        self._value("#kind"), int(self._value("#weeks")), self._value("#fmt"),
                        Path(folder).expanduser(), self.query_one("#overwrite", Checkbox).value)

    # ---- printing ---------------------------------------------------------------------

    def action_print(self) -> None:
        session, choices = self.ejournal.session, self.choices
        if self._answer.busy or choices is None or session is None:
            return
        job = self._job()
        if not job.class_name:
            self._answer.say(lambda: t("print.no_class"), error=True)
            self.query_one("#klass", Input).focus()
            return
        self.query_one("#print", Button).disabled = True
        self._answer.start(lambda: make_file(session.db, session.actor, job, choices.start_year, choices.today))

    @on(PrintProgress.Finished)
    def _finished(self, event: PrintProgress.Finished) -> None:
        """The file is made: Enter opens it. Refused because it is there: the way to replace it."""
        from ejournal_tui.services.exports.common import TargetExists

        self.query_one("#print", Button).disabled = False
        if event.result is not None:
            self.last_path = event.result.path
            open_button = self.query_one("#open", Button)
            open_button.disabled = False
            open_button.focus()
        elif isinstance(event.error, TargetExists):
            self.query_one("#overwrite", Checkbox).focus()

    # ---- after printing ---------------------------------------------------------------

    def action_open(self) -> None:
        path = self.last_path
        if path is None:
            self._answer.say(lambda: t("print.nothing"), error=True)
            return
        if open_with_viewer(path):
            self._answer.say(lambda: t("print.opened", path=path))
        else:
            self._answer.say(lambda: t("print.no_viewer", path=path), error=True)

    def action_close(self) -> None:
        self.app.pop_screen()

"""Printing from the TUI (F6): the register of a class for a period, the year's summary sheet,
parents' progress reports and the class leader's report, made by the same export services as
`ejournal export …` and `ejournal report class`, in a thread worker, into a folder of the
user's documents; the file can then be opened with the system's viewer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)

from ejournal_tui.i18n import register_many, t
from ejournal_tui.tui.bindings_i18n import bt
from ejournal_tui.tui.widgets.fitted_footer import FittedFooter

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor, Database, UnitOfWork
    from ejournal_tui.services.exports import ExportResult
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
    "print.period.Q1": ("I четверть", "Quarter 1"),
    "print.period.Q2": ("II четверть", "Quarter 2"),
    "print.period.Q3": ("III четверть", "Quarter 3"),
    "print.period.Q4": ("IV четверть", "Quarter 4"),
    "print.period.H1": ("I полугодие", "Half-year 1"),
    "print.period.H2": ("II полугодие", "Half-year 2"),
    "print.period.Y": ("Год", "Year"),
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
    "print.busy": ("Печатается…", "Printing…"),
    "print.done": ("Готово ({unit}: {n}): {path}", "Done ({unit}: {n}): {path}"),
    "print.pages": ("страниц", "pages"),
    "print.sheets": ("листов", "sheets"),
    "print.no_class": ("Укажите класс, например 5А", "Type the class, e.g. 5А"),
    "print.exists": ("Файл уже есть: {path}. Чтобы заменить его, отметьте «Заменить существующий файл»",
                     "The file exists: {path}. To replace it, tick «Replace an existing file»"),
    "print.bad_folder": ("Не удалось создать папку {path}: {detail}", "Cannot create the folder {path}: {detail}"),
    "print.failed": ("Не напечатано: {detail}", "Not printed: {detail}"),
    "print.nothing": ("Сначала напечатайте документ", "Print a document first"),
    "print.opened": ("Открывается в программе просмотра: {path}", "Opening in the viewer: {path}"),
    "print.no_viewer": ("Программа просмотра не найдена; откройте файл сами: {path}",
                        "No viewer found; open the file yourself: {path}"),
})

WHATS = ("register", "summary", "cards", "class")
PERIODS = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "Y")
WEEKS = (1, 2, 3, 4, 6, 8)
KINDS = ("preliminary", "final")


@dataclass(frozen=True)
class ClassChoice:
    name: str
    periods: tuple[str, ...]  # the periods of the class's band, and Y


@dataclass(frozen=True)
class PrintChoices:
    """What the form offers, read once in a worker."""

    classes: tuple[ClassChoice, ...]
    current: tuple[str, ...]  # today's quarter and half-year
    ended: frozenset[str]  # periods already over: their class report is the final one
    start_year: int
    today: date

    def periods_of(self, class_name: str) -> tuple[str, ...]:
        from ejournal_tui.services.lookup import normalize_class_name

        wanted = normalize_class_name(class_name)
        return next((c.periods for c in self.classes if c.name == wanted), PERIODS)


@dataclass(frozen=True)
class PrintJob:
    """One document to make, as the form says."""

    what: str  # one of WHATS
    class_name: str
    period: str
    kind: str  # the class report's: preliminary | final
    weeks: int  # the parents' reports': marks of the last N weeks
    fmt: str
    folder: Path
    overwrite: bool

    def file_name(self, start_year: int, today: date) -> str:
        """The name `ejournal export` would give the file by default."""
        from ejournal_tui.services.exports.common import default_name
        from ejournal_tui.services.lookup import normalize_class_name

        kind, what = {"register": ("register", f"{self.period}-{start_year}"),
                      "summary": ("summary", str(start_year)),
                      "cards": ("report-cards", f"{today:%Y-%m-%d}"),
                      "class": ("class", f"{self.period}-{self.kind}")}[self.what]
        return default_name(kind, normalize_class_name(self.class_name), what, self.fmt)


class TargetExists(Exception):
    """The file is there already and replacing it was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def load_choices(uow: UnitOfWork, actor: Actor) -> PrintChoices:
    """The classes the person teaches or leads (every class for those who see all registers)."""
    from ejournal_tui.services.closure import classes_for
    from ejournal_tui.services.control.reminders import current_periods
    from ejournal_tui.services.lookup import current_year
    from ejournal_tui.services.periods import list_periods

    today = uow.today()
    classes = tuple(ClassChoice(c.name, c.periods) for c in classes_for(uow, actor))
    ended = frozenset(p.code for p in list_periods(uow) if p.end < today)
    return PrintChoices(classes, tuple(current_periods(uow, today)), ended, current_year(uow).start_year, today)


def default_folder() -> Path:
    from platformdirs import user_documents_path

    return user_documents_path() / "ejournal"


def make_file(db: Database, actor: Actor, job: PrintJob, start_year: int, today: date) -> ExportResult:
    """Make the folder (0700) and run the export. A file already there is replaced only when
    asked (the service checks it again as it writes); a refused export leaves no folder it made."""
    path = job.folder / job.file_name(start_year, today)
    if path.is_file() and not job.overwrite:
        raise TargetExists(path)  # said in the form's words, before anything is rendered
    created = prepare_folder(job.folder)
    try:
        return run_export(db, actor, job, path)
    except Exception:
        if created and not any(job.folder.iterdir()):
            job.folder.rmdir()
        raise


def prepare_folder(folder: Path) -> bool:
    """Create the folder, readable by its owner only; True if it was made now."""
    from ejournal_tui.domain.errors import InvalidInput
    from ejournal_tui.i18n import Phrase

    if folder.is_dir():
        return False
    try:
        folder.mkdir(mode=0o700, parents=True)
    except OSError as exc:
        raise InvalidInput(what=Phrase("print.bad_folder", path=folder, detail=exc.strerror or exc)) from exc
    return True


def run_export(db: Database, actor: Actor, job: PrintJob, path: Path) -> ExportResult:
    """The export service the CLI calls for the same document."""
    from ejournal_tui.services import exports

    force = job.overwrite
    if job.what == "register":
        return exports.export_register(db, actor, job.class_name, job.period, job.fmt, path, force=force)
    if job.what == "summary":
        return exports.export_summary(db, actor, job.class_name, job.fmt, path, force=force)
    if job.what == "cards":
        return exports.export_report_cards(db, actor, job.class_name, job.weeks, path, force=force)
    return export_class_report(db, actor, job, path)


def export_class_report(db: Database, actor: Actor, job: PrintJob, path: Path) -> ExportResult:
    """`ejournal report class` to a file, written as the exports write and recorded in the
    change log as the CLI records it."""
    from ejournal_tui.services.control.classreport import class_report
    from ejournal_tui.services.exports.common import ExportResult, record_report, write_file
    from ejournal_tui.services.exports.single import font_for

    with db.uow(read_only=True) as uow:
        report = class_report(uow, actor, job.class_name, job.period, kind=job.kind)
        font = font_for(uow.settings) if job.fmt == "pdf" else None
        binding, now = uow.settings.binding_margin_mm, uow.clock.local_now()
    data, pages = render_class_report(report, job.fmt, font, now, binding)
    result = ExportResult(path, report.class_name, "class-report", pages, write_file(path, data, job.overwrite))
    details = {"class": report.class_name, "period": report.period, "kind": report.kind, "format": job.fmt}
    record_report(db, actor, "class", details, path, data)
    return result


def render_class_report(report: Any, fmt: str, font: Any, now: datetime, binding: float) -> tuple[bytes, int]:
    """The CLI's rendering of `report class`: the same document, as XLSX or PDF."""
    from ejournal_tui.exporters.control_tables import class_document

    document = class_document(report)
    if fmt == "xlsx":
        from ejournal_tui.exporters.control_xlsx import document_xlsx

        return document_xlsx(document)
    from ejournal_tui.exporters.control_pdf import document_pdf

    return document_pdf(document, font, now, binding)


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


def done_text(result: ExportResult) -> str:
    unit = t("print.pages") if result.path.suffix == ".pdf" else t("print.sheets")
    return t("print.done", path=result.path, unit=unit, n=result.pages)


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
        self.busy = False
        self.last_path: Path | None = None
        self._said: Callable[[], str] = str  # what the status line says, in the current language

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
            yield Static("", id="print-status")
            yield ProgressBar(id="print-progress", show_eta=False, show_percentage=False)
            yield Static(id="print-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.retranslate()
        self._arrange()
        self._status(lambda: t("print.loading"))
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
        self.query_one("#print-status", Static).update(self._said())

    def _options(self, selector: str, options: list[tuple[str, Any]]) -> None:
        """New options for a Select, keeping its value when it is still offered."""
        select: Select[Any] = self.query_one(selector, Select)
        value = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if value in [v for _, v in options]:
                select.value = value
            select.mutate_reactive(Select.value)  # the same value in other words is painted anew

    def _status(self, text: Callable[[], str], error: bool = False) -> None:
        """The status line; `text` is asked again when the language changes."""
        self._said = text
        status = self.query_one("#print-status", Static)
        status.update(text())
        status.set_class(error, "error")

    # ---- the form ---------------------------------------------------------------------

    def _loaded(self, choices: PrintChoices) -> None:
        self.choices = choices
        klass = self.query_one("#klass", Input)
        klass.suggester = SuggestFromList([c.name for c in choices.classes], case_sensitive=False)
        if not klass.value and choices.classes:
            klass.value = choices.classes[0].name
        self._fill_periods(keep=False)
        self._status(str)

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
        self._options("#period", [(t(f"print.period.{c}"), c) for c in codes])
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
        if self.busy or self.choices is None:
            return
        job = self._job()
        if not job.class_name:
            self._status(lambda: t("print.no_class"), error=True)
            self.query_one("#klass", Input).focus()
            return
        self._set_busy(True)
        self.print_job(self.ejournal, job, self.choices.start_year, self.choices.today)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#print", Button).disabled = busy
        progress = self.query_one("#print-progress", ProgressBar)
        progress.display = busy
        progress.update(total=None)
        if busy:
            self._status(lambda: t("print.busy"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="print")
    def print_job(self, app: EjournalApp, job: PrintJob, start_year: int, today: date) -> None:
        """`app` is passed in: once the screen is closed, `self.app` cannot be reached from a thread."""
        session = app.session
        if session is None:
            return
        try:
            result = make_file(session.db, session.actor, job, start_year, today)
        except Exception as exc:  # noqa: BLE001 - every failure is shown, never raised
            app.call_from_thread(self._deliver, self._failed, exc)
            return
        app.call_from_thread(self._deliver, self._printed, result)

    def _deliver(self, show: Any, value: Any) -> None:
        """Show the answer; if the screen was closed meanwhile, say where the file went (or why not)."""
        if self in self.app.screen_stack:
            show(value)
        elif isinstance(value, TargetExists):
            self.app.notify(t("print.exists", path=value.path), severity="error", timeout=10)
        elif isinstance(value, Exception):
            self.ejournal.show_error(value)
        else:
            self.app.notify(done_text(value), timeout=10)

    def _printed(self, result: ExportResult) -> None:
        self._set_busy(False)
        self.last_path = result.path
        self._status(lambda: done_text(result))
        open_button = self.query_one("#open", Button)
        open_button.disabled = False
        open_button.focus()

    def _failed(self, exc: Exception) -> None:
        """A refusal stays on the form with the input kept; a lost database or a bug is also
        reported as the app reports them (the unreachable screen, the administrator's log)."""
        from ejournal_tui.domain.errors import DatabaseUnavailable, EjournalError

        self._set_busy(False)
        if isinstance(exc, TargetExists):
            self._status(lambda: t("print.exists", path=exc.path), error=True)
            self.query_one("#overwrite", Checkbox).focus()
            return
        refused = isinstance(exc, EjournalError) and not isinstance(exc, DatabaseUnavailable)
        self._status(lambda: str(exc) if refused else t("print.failed", detail=type(exc).__name__), error=True)
        if not refused:
            self.ejournal.show_error(exc)

    # ---- after printing ---------------------------------------------------------------

    def action_open(self) -> None:
        path = self.last_path
        if path is None:
            self._status(lambda: t("print.nothing"), error=True)
            return
        if open_with_viewer(path):
            self._status(lambda: t("print.opened", path=path))
        else:
            self._status(lambda: t("print.no_viewer", path=path), error=True)

    def action_close(self) -> None:
        self.app.pop_screen()

"""What the printing screen (F6) offers and does, without Textual: the choices of its form
(read once in a worker), the document asked for as a `PrintJob`, and making its file with
the export service the CLI calls for the same document, into a folder readable by its owner
only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ejournal_tui.domain.calendar import ALL_PERIODS
from ejournal_tui.i18n import register_many

if TYPE_CHECKING:
    from ejournal_tui.services.context import Actor, Database, UnitOfWork
    from ejournal_tui.services.exports import ExportResult

register_many({
    "print.bad_folder": ("Не удалось создать папку {path}: {detail}", "Cannot create the folder {path}: {detail}"),
})

WHATS = ("register", "summary", "cards", "class")
PERIODS = ALL_PERIODS
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
        """The name the CLI's export would give the file by default."""
        from ejournal_tui.services.exports import class_report
        from ejournal_tui.services.exports.common import default_name
        from ejournal_tui.services.lookup import normalize_class_name

        klass = normalize_class_name(self.class_name)
        if self.what == "class":
            return class_report.file_name(klass, self.period, self.kind, self.fmt)
        kind, what = {"register": ("register", f"{self.period}-{start_year}"),
                      "summary": ("summary", str(start_year)),
                      "cards": ("report-cards", f"{today:%Y-%m-%d}")}[self.what]
        return default_name(kind, klass, what, self.fmt)


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
    """Make the folder (0700) and run the export. A file already there is refused before
    anything is rendered unless replacing it was asked (the service checks it again as it
    writes); a refused export leaves no folder it made."""
    from ejournal_tui.services.exports.common import check_target

    path = job.folder / job.file_name(start_year, today)
    check_target(path, job.overwrite)
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
    from ejournal_tui.services.exports.class_report import export_class_report

    force = job.overwrite
    if job.what == "register":
        return exports.export_register(db, actor, job.class_name, job.period, job.fmt, path, force=force)
    if job.what == "summary":
        return exports.export_summary(db, actor, job.class_name, job.fmt, path, force=force)
    if job.what == "cards":
        return exports.export_report_cards(db, actor, job.class_name, job.weeks, path, force=force)
    return export_class_report(db, actor, job.class_name, job.period, job.kind, job.fmt, path, force=force)


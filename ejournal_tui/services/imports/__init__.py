"""Start-of-year imports (`ejournal import students|staff|load|timetable|plan FILE`).

Each import reads the whole file, checks every row, and writes everything in one
transaction, or nothing: one bad row rejects the file with a list of every bad row and its
reason. A row already in the database as the file has it is left alone, so importing the
same file twice changes nothing the second time. `dry_run` checks and counts, then rolls back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, Database, UnitOfWork
from ejournal_tui.services.years import year_for_work

KINDS = ("students", "staff", "load", "timetable", "plan")

register_many({
    "import.denied": ("импорт списков школы (администратор, заместитель директора)",
                      "importing the school's lists (administrator, deputy director)"),
    "import.kind": ("неизвестный вид импорта {kind!r}: {kinds}", "unknown import {kind!r}: {kinds}"),
    "import.rejected": ("{file}: строк с ошибками: {count}; ничего не импортировано",
                        "{file}: {count} bad row(s); nothing was imported"),
    "import.row": ("строка {row}: {reason}", "row {row}: {reason}"),
})


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str

    def __str__(self) -> str:
        return t("import.row", row=self.row, reason=self.reason)


class ImportRejected(InvalidInput):
    """The file has bad rows; `problems` lists each with its row number and reason."""

    key = "import.rejected"

    def __init__(self, file: str, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(file=file, count=len(problems))


@dataclass
class ImportReport:
    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class Batch:
    """What one import collects while it walks the rows."""

    def __init__(self, uow: UnitOfWork, report: ImportReport, start_year: int | None = None) -> None:
        self.uow = uow
        self.report = report
        self.problems: list[RowProblem] = []
        self.start_year = start_year
        self._year: m.AcademicYear | None = None

    @property
    def year(self) -> m.AcademicYear:
        """The academic year the file is for (`--year`, else the running one; refused between
        years, see services.years.year_for_work)."""
        if self._year is None:
            self._year = year_for_work(self.uow, self.start_year)
        return self._year

    def bad(self, row: int, reason: str) -> None:
        self.problems.append(RowProblem(row, reason))

    def done(self, outcome: str) -> None:
        """outcome: created | updated | unchanged."""
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)


def import_file(db: Database, actor: Actor, kind: str, path: str | Path, dry_run: bool = False,
                year: int | None = None) -> ImportReport:
    """Import one file of `kind` into the academic year starting in `year` (default: see
    `Batch.year`); raises `ImportRejected` (nothing written) on any bad row."""
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=t("import.denied"))
    if kind not in KINDS:
        raise InvalidInput(what=t("import.kind", kind=kind, kinds=", ".join(KINDS)))
    from ejournal_tui.services.imports import people, school

    runner = {"students": people.import_students, "staff": people.import_staff, "load": school.import_load,
              "timetable": school.import_timetable, "plan": school.import_plan}[kind]
    file = Path(path)
    report = ImportReport(kind, file.name, dry_run=dry_run)
    with db.uow() as uow:
        batch = Batch(uow, report, year)
        batch.year  # noqa: B018 - a wrong or ambiguous year is refused before the file is read
        runner(batch, file)
        if batch.problems:
            raise ImportRejected(file.name, sorted(batch.problems, key=lambda p: p.row))
        if dry_run or not report.changed:
            return report  # the unit of work rolls back
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        audit.record(uow, actor, f"import.{kind}", entity="file",
                     after={"file": file.name, "year": batch.year.start_year, "sha256": digest, "rows": report.rows, "created": report.created,
                            "updated": report.updated})
        uow.commit()
    db.forget()
    return report

"""The class leader's report (отчёт классного руководителя) of a class for a period, as a PDF
or XLSX file: the one export behind both `ejournal report class --format pdf|xlsx` and the
TUI's printing screen, so the same arguments give the same document, the same refusals and
the same change-log event."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.services.context import Actor, Database
from ejournal_tui.services.control.classreport import PRELIMINARY, ClassReport, class_report
from ejournal_tui.services.exports.common import (
    ExportResult,
    check_format,
    check_target,
    default_name,
    record_report,
    target_path,
    write_file,
)
from ejournal_tui.services.exports.single import font_for

KIND = "class-report"


def file_name(class_name: str, period: str, kind: str, fmt: str) -> str:
    """The file's name when none is given: `class-5А-Q1-final.pdf`."""
    return default_name("class", class_name, f"{period}-{kind}", fmt)


def export_class_report(db: Database, actor: Actor, class_name: str, period: str, kind: str = PRELIMINARY,
                        fmt: str = "pdf", out: str | Path | None = None, *, year: int | None = None,
                        as_of: date | None = None, force: bool = False) -> ExportResult:
    """Check, assemble, render and write the report (`kind`: preliminary or final), then
    record in the change log that pupils' data left the system, and into which file. `out` is
    a file, a folder, or None for the current folder; an existing file is replaced only with
    `force`. `year` and `as_of` as `ejournal report class` takes them (default: now)."""
    fmt = check_format(fmt)
    with db.uow(read_only=True) as uow:
        report = class_report(uow, actor, class_name, period, kind=kind, year=year, as_of=as_of)
        font = font_for(uow.settings) if fmt == "pdf" else None
        binding, now = uow.settings.binding_margin_mm, uow.clock.local_now()
    path = target_path(out, file_name(report.class_name, report.period, report.kind, fmt))
    check_target(path, force)  # refused before anything is rendered
    data, pages = render(report, fmt, font, now, binding)
    result = ExportResult(path, report.class_name, KIND, pages, write_file(path, data, force))
    details = {"class": report.class_name, "period": report.period, "kind": report.kind, "format": fmt}
    record_report(db, actor, "class", details, path, data)
    return result


def render(report: ClassReport, fmt: str, font: FontFiles | None, printed_at: datetime,
           binding_mm: float) -> tuple[bytes, int]:
    """The document's bytes and its pages (PDF) or sheets (XLSX)."""
    from ejournal_tui.exporters.control_tables import class_document

    document = class_document(report)
    if fmt == "xlsx":
        from ejournal_tui.exporters.control_xlsx import document_xlsx

        return document_xlsx(document)
    from ejournal_tui.exporters.control_pdf import document_pdf

    return document_pdf(document, font, printed_at, binding_mm)  # type: ignore[arg-type]

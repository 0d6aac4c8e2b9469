"""One class's export to one file: register, summary sheet or report cards."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ejournal_tui.domain.settings import RuleSettings
from ejournal_tui.exporters.fonts import FontFiles, find_font
from ejournal_tui.services.context import Actor, Database
from ejournal_tui.services.exports.common import (
    ExportResult,
    check_format,
    default_name,
    record_export,
    target_path,
    write_file,
)


def font_for(settings: RuleSettings) -> FontFiles:
    return find_font(settings.pdf_font)


def render_register(db: Database, actor: Actor, class_name: str, period: str, fmt: str,
                    out: str | Path | None, subject: str | None = None,
                    start_year: int | None = None, force: bool = False) -> tuple[ExportResult, int]:
    """Assemble, render and write one register without recording it; (result, class id).
    An existing file is replaced only with `force`."""
    from ejournal_tui.services.exports.register_doc import build_register_doc

    fmt = check_format(fmt)
    with db.uow(read_only=True) as uow:
        doc, class_id = build_register_doc(uow, actor, class_name, period, subject, start_year)
        font = font_for(uow.settings) if fmt == "pdf" else None
        binding = uow.settings.binding_margin_mm
    if fmt == "pdf":
        from ejournal_tui.exporters.register_pdf import render_register as draw

        data, pages = draw(doc, font, binding)  # type: ignore[arg-type]
    else:
        from ejournal_tui.exporters.xlsx import register_xlsx

        data, pages = register_xlsx(doc, binding)
    what = f"{doc.head.period_code}-{doc.head.year_label.split('/')[0]}"
    path = target_path(out, default_name("register", doc.head.class_name, what, fmt))
    digest = write_file(path, data, force)
    return ExportResult(path, doc.head.class_name, "register", pages, digest), class_id


def export_register(db: Database, actor: Actor, class_name: str, period: str, fmt: str = "pdf",
                    out: str | Path | None = None, subject: str | None = None,
                    start_year: int | None = None, force: bool = False) -> ExportResult:
    """The printed register of a class for a period (CLI: `export register`)."""
    result, class_id = render_register(db, actor, class_name, period, fmt, out, subject, start_year, force)
    with db.uow() as uow:
        record_export(uow, actor, result, class_id, {"period": period.upper(), "format": fmt, "subject": subject or ""})
        uow.commit()
    return result


def render_summary(db: Database, actor: Actor, class_name: str, fmt: str, out: str | Path | None,
                   start_year: int | None = None, force: bool = False) -> tuple[ExportResult, int]:
    from ejournal_tui.services.exports.summary_doc import build_summary_doc

    fmt = check_format(fmt)
    with db.uow(read_only=True) as uow:
        doc, class_id = build_summary_doc(uow, actor, class_name, start_year)
        font = font_for(uow.settings) if fmt == "pdf" else None
        binding = uow.settings.binding_margin_mm
    if fmt == "pdf":
        from ejournal_tui.exporters.summary import summary_pdf

        data, pages = summary_pdf(doc, font, binding)  # type: ignore[arg-type]
    else:
        from ejournal_tui.exporters.summary import summary_xlsx

        data, pages = summary_xlsx(doc, binding)
    path = target_path(out, default_name("summary", doc.head.class_name, doc.head.year_label.split("/")[0], fmt))
    digest = write_file(path, data, force)
    return ExportResult(path, doc.head.class_name, "summary", pages, digest), class_id


def export_summary(db: Database, actor: Actor, class_name: str, fmt: str = "pdf",
                   out: str | Path | None = None, start_year: int | None = None,
                   force: bool = False) -> ExportResult:
    """The year's summary sheet of a class (CLI: `export summary`)."""
    result, class_id = render_summary(db, actor, class_name, fmt, out, start_year, force)
    with db.uow() as uow:
        record_export(uow, actor, result, class_id, {"format": fmt, "year": start_year})
        uow.commit()
    return result


def export_report_cards(db: Database, actor: Actor, class_name: str, weeks: int = 2,
                        out: str | Path | None = None, force: bool = False,
                        pupil_ids: Collection[int] | None = None) -> ExportResult:
    """Parents' progress reports, one page per pupil, one PDF (CLI: `export report-cards`);
    `pupil_ids`: only these pupils (the families on paper, `notify parents`)."""
    from ejournal_tui.exporters.report_cards import report_cards_pdf
    from ejournal_tui.services.exports.summary_doc import build_report_cards

    with db.uow(read_only=True) as uow:
        doc, class_id = build_report_cards(uow, actor, class_name, weeks, pupil_ids)
        font, binding = font_for(uow.settings), uow.settings.binding_margin_mm
    data, pages = report_cards_pdf(doc, font, binding)
    path = target_path(out, default_name("report-cards", doc.head.class_name, f"{doc.end:%Y-%m-%d}", "pdf"))
    result = ExportResult(path, doc.head.class_name, "report-cards", pages, write_file(path, data, force))
    with db.uow() as uow:
        record_export(uow, actor, result, class_id, {"weeks": weeks, "from": doc.start, "to": doc.end})
        uow.commit()
    return result

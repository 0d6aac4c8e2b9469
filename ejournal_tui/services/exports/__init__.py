"""Exports of a class's data: the printed register, the summary sheet, parents' progress
reports, the class leader's report (`class_report.export_class_report`), and every class at
once. Each export checks the permission, assembles plain data
in one short transaction, renders it with `ejournal_tui.exporters`, writes the file and
records who exported what in the change log. The CLI and the TUI both call these."""

from __future__ import annotations

from ejournal_tui.services.exports.common import FORMATS, ExportResult
from ejournal_tui.services.exports.single import (
    export_register,
    export_report_cards,
    export_summary,
)

__all__ = ["FORMATS", "ExportResult", "export_register", "export_report_cards", "export_summary"]


def export_all(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - see batch.export_all
    """Every class of a period into a folder with manifest.json (see `batch.export_all`)."""
    from ejournal_tui.services.exports.batch import export_all as run

    return run(*args, **kwargs)

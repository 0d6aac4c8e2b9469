"""Control reports as spreadsheets (openpyxl): one sheet per table of the document, the
title on row 1, the headers on row 3, frozen below them, the table ruled; prints A4
landscape, fit to width, the header row on every page, the binding margin on the left."""

from __future__ import annotations

from ejournal_tui.exporters.control_tables import Document
from ejournal_tui.exporters.pdfbase import BINDING_MM
from ejournal_tui.exporters.xlsx import (
    TITLE_PT,
    Band,
    font,
    new_workbook,
    put,
    ruled,
    save,
    setup_sheet,
    sheet_title,
)


def document_xlsx(doc: Document, binding_mm: float = BINDING_MM) -> tuple[bytes, int]:
    """The workbook's bytes and its number of sheets."""
    wb = new_workbook()
    taken: set[str] = set()
    for sheet in doc.sheets:
        ws = wb.create_sheet(sheet_title(sheet.name, taken))
        put(ws, 1, 1, f"{doc.title} · {sheet.title}").font = font(TITLE_PT, True)
        put(ws, 2, 1, doc.subtitle).font = font()
        for c, title in enumerate(sheet.headers, start=1):
            put(ws, 3, c, title)
        for r, row in enumerate(sheet.rows, start=4):
            for c, value in enumerate(row, start=1):
                put(ws, r, c, value)
        last = len(sheet.headers)
        ruled(ws, 3, max(3 + len(sheet.rows), 4), 1, last, 1, wrap=False)
        ws.row_dimensions[3].height = 3 * 8 * 1.35 + 4
        widths = {i + 1: max(w, 4) for i, w in enumerate(sheet.widths)}
        band = Band(f"{doc.title} · {sheet.title}", note=doc.subtitle)
        setup_sheet(ws, "B4", widths, 12, last, band, binding_mm, (3, 3))
    return save(wb), len(wb.worksheets)

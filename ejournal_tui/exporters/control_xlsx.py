"""Control reports as spreadsheets (openpyxl): one sheet per table of the document, the
title on row 1, the headers on row 3, frozen below them; prints landscape, fit to width."""

from __future__ import annotations

from ejournal_tui.exporters.control_tables import Document
from ejournal_tui.exporters.xlsx import (
    new_workbook,
    put,
    save,
    setup_sheet,
    sheet_title,
    style_header,
)


def document_xlsx(doc: Document) -> tuple[bytes, int]:
    """The workbook's bytes and its number of sheets."""
    wb = new_workbook()
    taken: set[str] = set()
    for sheet in doc.sheets:
        ws = wb.create_sheet(sheet_title(sheet.name, taken))
        put(ws,1, 1, f"{doc.title} · {sheet.title}")
        put(ws,2, 1, doc.subtitle)
        for c, title in enumerate(sheet.headers, start=1):
            put(ws,3, c, title)
        for r, row in enumerate(sheet.rows, start=4):
            for c, value in enumerate(row, start=1):
                put(ws,r, c, value)
        style_header(ws, 3, 3, len(sheet.headers))
        widths = {i + 1: max(w, 4) for i, w in enumerate(sheet.widths)}
        setup_sheet(ws, "B4", widths, 12, len(sheet.headers))
    return save(wb), len(wb.worksheets)

"""Export benchmarks (issue 4): the printed register's seconds per page next to a bare fpdf2
page of the same marks grid drawn with `cell()` (target ≤ 1.5 × its time per page), and
`export all` for every class of the `school` demo for Q1 (target under 60 s on two cores)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

from common import AS_OF, Context, Sample, benchmark, repeat
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.exporters.fonts import find_font, light
from ejournal_tui.exporters.register_pdf import (
    DATE_W,
    DATES_PER_PAGE,
    MARK_ROW_H,
    MARK_W,
    NAME_W,
    NO_W,
    render_register,
)
from ejournal_tui.services.context import Clock, Database, os_actor
from ejournal_tui.services.exports import export_all
from ejournal_tui.services.exports.register_doc import build_register_doc

RUNS = 9
CLASS, PERIOD = "5А", "Q1"
BARE_PAGES = 10


def _db(ctx: Context) -> Database:
    engine = make_engine(ctx.demo_url("school"))
    with engine.connect() as conn:
        sid = conn.execute(select(m.School.id)).scalar_one()
    return Database(engine, sid, Clock(datetime.combine(AS_OF, time(12), UTC)))


def _doc(ctx: Context):  # noqa: ANN202
    db = _db(ctx)
    with db.uow() as uow:
        doc, _ = build_register_doc(uow, os_actor(db.school_id, ("admin",)), CLASS, PERIOD)
    return doc


@benchmark("pdf_register_pages_per_s", baseline="pdf_bare_grid_page", target="≤ 1.5 × bare grid per page")
def pdf_register_pages(ctx: Context) -> Sample:
    """Median seconds per page of the whole register of 5А for Q1 (font, drawing, output)."""
    doc = _doc(ctx)
    font = find_font()
    _, pages = render_register(doc, font)
    seconds = repeat(lambda: render_register(doc, font), RUNS, warmup=1)
    return Sample([s / pages for s in seconds], {"pages": pages, "pages_per_s": pages / min(seconds)})


@benchmark("pdf_bare_grid_page", target="baseline")
def pdf_bare_grid_page(ctx: Context) -> Sample:
    """The register's first marks grid (pupils × dates, month row, day row, period mark)
    drawn with fpdf2's `cell()` on bare pages with the same font: seconds per page."""
    doc = _doc(ctx)
    sheet = doc.sheets[0]
    dates = sheet.dates[:DATES_PER_PAGE]
    font = light(find_font())

    def once() -> None:
        from fpdf import FPDF

        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.add_font("body", "", str(font.regular))
        pdf.set_auto_page_break(False)
        for _ in range(BARE_PAGES):
            pdf.add_page()
            pdf.set_font("body", "", 7)
            pdf.set_xy(10, 21)
            pdf.cell(NO_W, 4.5, "№", border=1)
            pdf.cell(NAME_W, 4.5, "Фамилия, имя обучающегося", border=1)
            for day in dates:
                pdf.cell(DATE_W, 4.5, f"{day.day:02d}", border=1, align="C")
            pdf.cell(MARK_W, 4.5, sheet.mark_column, border=1, align="C")
            for r, row in enumerate(sheet.rows):
                pdf.set_xy(10, 25.5 + r * MARK_ROW_H)
                pdf.cell(NO_W, MARK_ROW_H, str(row.no), border=1, align="C")
                pdf.cell(NAME_W, MARK_ROW_H, row.name, border=1)
                for i in range(len(dates)):
                    pdf.cell(DATE_W, MARK_ROW_H, row.cells[i], border=1, align="C")
                pdf.cell(MARK_W, MARK_ROW_H, row.period_mark, border=1, align="C")
        pdf.output()

    return Sample([s / BARE_PAGES for s in repeat(once, RUNS, warmup=1)], {"pages": BARE_PAGES})


@benchmark("export_all_school_s", target="< 60 s on two cores")
def export_all_school(ctx: Context) -> Sample:
    """`export all --period Q1` of every class of the school demo with two processes."""
    db = _db(ctx)
    actor = os_actor(db.school_id, ("admin",))
    folder = Path(tempfile.mkdtemp(prefix="ejournal-bench-all-"))
    results: list = []

    def once() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        results[:] = export_all(db, actor, PERIOD, folder, "pdf", workers=2)

    seconds = repeat(once, 3, warmup=0)
    extra = {"files": len(results), "pages": sum(r.pages for r in results)}
    shutil.rmtree(folder, ignore_errors=True)
    return Sample(seconds, extra)

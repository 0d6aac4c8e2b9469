"""Room to bind (issue 14, item 6): every printed form leaves the binding margin (the left
edge, 20 mm by default, a school setting of 10–40 mm) free of text, the other margins as
they were. Read back from the PDF: the x of the leftmost text on each page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ejournal_tui.services.admin import set_setting
from ejournal_tui.services.exports import export_register, export_report_cards
from tests.exporters.helpers import Q1_DAYS, fill_lessons

MM = 72 / 25.4  # points per millimetre


def leftmost(path: Path) -> list[float]:
    """Per page, the smallest x (in mm) at which text is drawn."""
    out = []
    for page in PdfReader(str(path)).pages:
        xs: list[float] = []

        def visit(text: str, cm, tm, font, size, xs=xs) -> None:  # noqa: ANN001
            if text.strip():
                xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

        page.extract_text(visitor_text=visit)
        out.append(min(xs) / MM)
    return out


def test_register_and_report_cards_leave_20_mm(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q1_DAYS)
    register = export_register(school.db, school.actors["deputy"], "5А", "Q1", "pdf", tmp_path / "r.pdf")
    cards = export_report_cards(school.db, school.actors["deputy"], "5А", 8, tmp_path / "c.pdf")
    for result in (register, cards):
        lefts = leftmost(result.path)
        assert lefts and min(lefts) >= 20.0, (result.kind, lefts)
        assert min(lefts) < 22.0  # the margin, not a page shifted further than asked


def test_the_margin_is_a_setting(school, tmp_path) -> None:  # noqa: ANN001
    fill_lessons(school, Q1_DAYS)
    with school.uow() as uow:
        set_setting(uow, school.actors["admin"], "binding_margin_mm", "30")
    result = export_register(school.db, school.actors["deputy"], "5А", "Q1", "pdf", tmp_path / "r.pdf")
    assert 30.0 <= min(leftmost(result.path)) < 32.0



def test_the_other_margins_stay() -> None:
    from ejournal_tui.exporters.fonts import find_font
    from ejournal_tui.exporters.pdfbase import make_pdf

    pdf = make_pdf(find_font(""), "L", 30).pdf
    assert (pdf.l_margin, pdf.t_margin, pdf.r_margin) == (30, 8, 10)


@pytest.mark.parametrize("value", ["9", "41"])
def test_the_setting_has_bounds(school, value: str) -> None:  # noqa: ANN001
    from ejournal_tui.domain.errors import InvalidInput

    with school.uow() as uow, pytest.raises(InvalidInput):
        set_setting(uow, school.actors["admin"], "binding_margin_mm", value)

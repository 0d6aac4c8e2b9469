"""The registry of paper copies as a service, on each engine: who may keep it (the secretary,
the director, the administrator) and who may only record their own countersignature (the
deputy director); who printed a copy comes from its export in the change log; a PDF whose
footer the reader cannot follow is judged by whether the period was closed when it was
exported; the PDF reader agrees with pypdf on our own forms and refuses what is no PDF."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import update

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.services import audit
from ejournal_tui.services.exports import export_register
from ejournal_tui.services.paper_copies import list_copies, register_copy, sign
from ejournal_tui.services.paper_copies.pdf_facts import NotAPdf, read_pdf
from ejournal_tui.services.paper_copies.recognise import printed_form
from tests.exporters.helpers import Q2_DAYS, fill_lessons


@pytest.fixture
def printed(school, tmp_path: Path) -> Path:  # noqa: ANN001
    """The secretary's export of 5А's second quarter (not closed: a draft)."""
    fill_lessons(school, Q2_DAYS)
    return export_register(school.db, school.actors["secretary"], "5А", "Q2", "pdf", tmp_path / "5А-Q2.pdf").path


def test_the_secretary_keeps_the_registry_and_the_deputy_only_countersigns(school, printed: Path) -> None:  # noqa: ANN001
    actors = school.actors
    with school.uow() as uow:
        for login in ("ivanova", "deputy", "petrov"):
            with pytest.raises(NotAllowed):
                register_copy(uow, actors[login], printed, "5А", "Q2", draft=True)
        row = register_copy(uow, actors["secretary"], printed, "5А", "Q2", draft=True)
    assert (row.number, row.draft, row.sheets) == (1, True, len(PdfReader(str(printed)).pages))
    assert row.printed_by == "Секретарёва С.И."  # who exported it, by name
    with school.uow() as uow:
        with pytest.raises(NotAllowed):
            list_copies(uow, actors["ivanova"])
        with pytest.raises(NotAllowed):
            sign(uow, actors["deputy"], 1, "director")
        with pytest.raises(NotAllowed):
            sign(uow, actors["ivanova"], 1, "leader")
        assert sign(uow, actors["deputy"], 1, "deputy").deputy_signed == date(2026, 11, 20)
        assert sign(uow, actors["admin"], "1", "director", date(2026, 11, 20)).director_signed == date(2026, 11, 20)
        (listed,) = list_copies(uow, actors["deputy"])
    assert (listed.deputy_signed, listed.director_signed, listed.teachers_signed) == (
        date(2026, 11, 20), date(2026, 11, 20), None)


def _foreign_pdf(pages: int) -> bytes:
    """A PDF made by another program: no title of ours, no footer this reader can read."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_file_without_our_footer_is_judged_by_the_closure_at_export(school, tmp_path: Path) -> None:  # noqa: ANN001
    import hashlib

    path = tmp_path / "scan.pdf"
    path.write_bytes(_foreign_pdf(3))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    secretary = school.actors["secretary"]
    with school.uow() as uow:  # as if the program had exported exactly these bytes
        audit.record(uow, secretary, "export.register", entity="class", entity_id=school.classes["5А"],
                     class_id=school.classes["5А"], after={"file": str(path), "pages": 3, "sha256": digest,
                                                          "period": "Q2", "format": "pdf", "subject": ""})
        uow.commit()
    with school.uow() as uow:
        with pytest.raises(InvalidInput, match="draft"):
            register_copy(uow, secretary, path, "5А", "Q2")
    closure = m.PeriodClosure(school_id=school.school_id, period_id=school.periods["Q2"], class_id=school.classes["5А"],
                              closed=True, changed_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    with school.uow() as uow:  # closed two hours after that export: the file is still a draft
        uow.session.add(closure)
        uow.commit()
    with school.uow() as uow:
        with pytest.raises(InvalidInput, match="draft"):
            register_copy(uow, secretary, path, "5А", "Q2")
    with school.uow() as uow:  # closed the day before the export
        uow.session.execute(update(m.PeriodClosure).where(m.PeriodClosure.period_id == school.periods["Q2"])
                            .values(changed_at=datetime(2026, 11, 19, 12, 0, tzinfo=UTC)))
        uow.commit()
    with school.uow() as uow:
        row = register_copy(uow, secretary, path, "5А", "Q2")
    assert (row.draft, row.sheets, row.printed_by, row.period_code) == (False, 3, "Секретарёва С.И.", "Q2")


def test_the_reader_agrees_with_pypdf_on_our_forms(school, printed: Path) -> None:  # noqa: ANN001
    facts = read_pdf(printed.read_bytes())
    assert facts.pages == len(PdfReader(str(printed)).pages)
    assert facts.title == "Классный журнал 5А 2026/2027" and facts.creator == "ejournal"
    assert facts.created is not None and facts.created.year == 2026
    form = printed_form(facts)
    assert (form.kind, form.class_name, form.start_year, form.period_code, form.draft) == (
        "register", "5А", 2026, "Q2", True)
    first_page = PdfReader(str(printed)).pages[0].extract_text()
    assert "ЧЕРНОВИК" in first_page and "ЧЕРНОВИК" in facts.first_page_text


@pytest.mark.parametrize("data", [b"", b"plain text", b"%PDF-1.4\n%%EOF\n", "Реестр".encode()])
def test_what_is_no_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(NotAPdf):
        read_pdf(data)


def test_another_programs_pdf_has_pages_and_no_facts() -> None:
    facts = read_pdf(_foreign_pdf(2))
    assert facts.pages == 2 and facts.title == ""
    assert printed_form(facts).draft is None and printed_form(facts).kind is None


def test_the_registry_imports_no_toolkit() -> None:
    code = ("import sys\nimport ejournal_tui.services.paper_copies, ejournal_tui.exporters.registry_pdf\n"
            "print(sorted(m for m in ('textual', 'typer', 'fpdf', 'openpyxl') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

"""The class leader's report as a file (`services.exports.class_report`), the one export behind
`ejournal report class --format pdf|xlsx` and the TUI's printing screen: who may print it
(the class leader their own class; the secretary, deputy, director and admin any class), the
file read back, the change-log event, and every refusal a typed error with its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound, WrongBand
from ejournal_tui.i18n import set_language
from ejournal_tui.services.exports.class_report import export_class_report
from ejournal_tui.services.exports.common import TargetExists
from tests.exporters.helpers import Q1_DAYS, fill_lessons, flat, pdf_pages


@pytest.fixture(autouse=True)
def russian() -> None:
    set_language("ru")


def report_events(school) -> list[m.AuditEvent]:  # noqa: ANN001
    with school.uow() as uow:
        events = list(uow.session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "report.class")
                                          .order_by(m.AuditEvent.seq)))
        uow.session.expunge_all()
    return events


@pytest.mark.parametrize(("roles", "own", "allowed"), [
    (("secretary",), False, True), (("deputy",), False, True), (("director",), False, True),
    (("admin",), False, True), (("teacher", "class_leader"), True, True),
    (("teacher", "class_leader"), False, False), (("teacher",), False, False), (("sysadmin",), False, False),
])
def test_who_may_print_a_class(roles: tuple[str, ...], own: bool, allowed: bool) -> None:
    assert perm.may_print_class(roles, 7, 7 if own else 8) is allowed
    assert perm.may_print_class(roles, None, None) is (allowed and not own)


def test_the_secretary_prints_any_classs_report_into_a_folder(school, tmp_path: Path) -> None:  # noqa: ANN001
    fill_lessons(school, Q1_DAYS)
    secretary = school.actors["secretary"]
    result = export_class_report(school.db, secretary, "5A", "Q1", "final", "pdf", tmp_path)

    assert result.path == tmp_path / "class-5А-Q1-final.pdf"
    assert (result.class_name, result.kind, result.pages) == ("5А", "class-report", len(pdf_pages(result.path)))
    text = flat(" ".join(pdf_pages(result.path)))
    assert "Отчёт классного руководителя (итоговый)" in text and "5А" in text and "Алексеев Антон" in text
    [event] = report_events(school)
    after = json.loads(event.after)
    assert event.actor == "secretary"
    assert (after["class"], after["period"], after["kind"], after["format"]) == ("5А", "Q1", "final", "pdf")
    assert (after["file"], after["sha256"]) == (str(result.path.absolute()), result.sha256)


def test_xlsx_and_a_file_named_by_the_caller(school, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "отчёт.xlsx"
    result = export_class_report(school.db, school.actors["ivanova"], "5А", "Q2", "preliminary", "xlsx", out)
    assert result.path == out and result.pages == len(load_workbook(out).sheetnames)
    cells = [str(c.value) for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("5А" in c for c in cells) and any("Борисова Бэлла" in c for c in cells)


def test_an_existing_file_is_replaced_only_when_asked(school, tmp_path: Path) -> None:  # noqa: ANN001
    deputy = school.actors["deputy"]
    path = tmp_path / "class-5А-Q1-final.pdf"
    path.write_bytes(b"signed copy")
    with pytest.raises(TargetExists) as refused:
        export_class_report(school.db, deputy, "5А", "Q1", "final", "pdf", tmp_path)
    assert refused.value.path == path and isinstance(refused.value, InvalidInput)
    assert str(refused.value) == f"Неверные данные: файл {path} уже есть; чтобы заменить его, добавьте --force"
    assert path.read_bytes() == b"signed copy" and report_events(school) == []
    export_class_report(school.db, deputy, "5А", "Q1", "final", "pdf", tmp_path, force=True)
    assert path.read_bytes().startswith(b"%PDF") and len(report_events(school)) == 1


@pytest.mark.parametrize(("login", "klass", "period", "kind", "error", "message"), [
    ("petrov", "5А", "Q1", "final", NotAllowed,
     "Нет прав: отчёт класса 5А доступен его классному руководителю, секретарю и администрации"),
    ("smirnova", "5А", "Q2", "preliminary", NotAllowed, "Нет прав: отчёт класса 5А"),
    ("secretary", "9Я", "Q1", "final", NotFound, "Не найдено: класс «9Я»"),
    ("secretary", "5А", "Q7", "final", InvalidInput, "Неверные данные: период «Q7»: используйте Q1–Q4, H1–H2 или Y"),
    ("secretary", "10А", "Q1", "preliminary", WrongBand, "Период Q1 не подходит для 10А: используйте H1, H2, Y"),
    ("secretary", "5А", "Q2", "final", InvalidInput, "Неверные данные: итоговый отчёт за Q2 можно сделать после 28.12.2026"),
])
def test_refusals_are_typed_and_leave_nothing(school, tmp_path: Path, login: str, klass: str, period: str,  # noqa: ANN001
                                              kind: str, error: type, message: str) -> None:
    with pytest.raises(error) as refused:
        export_class_report(school.db, school.actors[login], klass, period, kind, "pdf", tmp_path / "out")
    assert str(refused.value).startswith(message), str(refused.value)
    assert not (tmp_path / "out").exists() and report_events(school) == []


def test_a_format_other_than_pdf_or_xlsx_is_refused(school, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput, match="pdf или xlsx"):
        export_class_report(school.db, school.actors["secretary"], "5А", "Q1", "final", "doc", tmp_path)


def test_the_service_and_the_screens_jobs_import_light() -> None:
    """Neither the service nor what the printing screen does (no Textual there) loads a
    toolkit or a renderer before a file is made."""
    import subprocess
    import sys

    code = ("import sys, ejournal_tui.services.exports.class_report, ejournal_tui.tui.screens.printing_jobs\n"
            "print(sorted(m for m in ('textual', 'typer', 'fpdf', 'openpyxl') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

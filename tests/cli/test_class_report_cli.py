"""`ejournal report class --format pdf|xlsx` run in this process as the console script runs it
(tests/acceptance/runner.py), by the secretary signed in with her password: she prints any
class's report; the command makes the very file the TUI's printing screen makes for the same
arguments; and its refusals are the export service's typed errors, in the same words.

The CLI has no sign-in yet (`--user`, CLI.md "who acts"): it acts as the operating-system user
with the administrator's roles. These tests put the signed-in person in its place, the one
seam (`CliState.actor`) through which every command learns who acts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ejournal_tui.cli.state import CliState, one_line
from ejournal_tui.data import models as m
from ejournal_tui.i18n import set_language
from ejournal_tui.services.context import Actor
from ejournal_tui.services.exports.class_report import export_class_report
from ejournal_tui.tui.screens.printing_jobs import PrintJob, make_file
from tests.acceptance.runner import Calendar, School, cli
from tests.exporters.helpers import Q1_DAYS, fill_lessons, flat, pdf_pages
from tests.factory import PASSWORD
from tests.integration.test_control_school import utc_tz  # noqa: F401

pytestmark = pytest.mark.usefixtures("utc_tz")

REPORT = ("report", "class", "--class", "5А", "--period", "Q1", "--kind", "final")


@pytest.fixture
def people(school, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[School]:  # noqa: ANN001
    """The factory school on the command line's clock (2026-11-20), in Russian."""
    fill_lessons(school, Q1_DAYS)
    Calendar(monkeypatch).go(date(2026, 11, 20), 10)
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("EJOURNAL_LANG", "ru")
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.delenv("EJOURNAL_SCHOOL", raising=False)
    set_language("ru")
    place = School(db_url)
    yield place
    place.close()


def acting(monkeypatch: pytest.MonkeyPatch, person: Actor) -> None:
    monkeypatch.setattr(CliState, "actor", lambda self, db: person)


def report_events(people: School) -> list[m.AuditEvent]:
    with people.uow() as uow:
        events = list(uow.session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "report.class")
                                          .order_by(m.AuditEvent.seq)))
        uow.session.expunge_all()
    return events


def test_the_secretary_prints_any_classs_report(people: School, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    acting(monkeypatch, people.sign_in("secretary", PASSWORD))
    folder = f"{tmp_path / 'печать'}/"
    done = cli(*REPORT, "--format", "pdf", "--out", folder).ok()

    path = tmp_path / "печать" / "class-5А-Q1-final.pdf"
    assert done.out.strip() == f"записано: {path} ({len(pdf_pages(path))} стр.)"
    text = flat(" ".join(pdf_pages(path)))
    assert "Отчёт классного руководителя (итоговый)" in text and "5А" in text and "Алексеев Антон" in text
    [event] = report_events(people)
    assert event.actor == "secretary" and json.loads(event.after)["file"] == str(path)

    again = cli(*REPORT, "--format", "pdf", "--out", folder)  # a printed copy is never replaced silently
    assert again.code == 1
    assert again.err == f"error: Неверные данные: файл {path} уже есть; чтобы заменить его, добавьте --force\n"
    cli(*REPORT, "--format", "pdf", "--out", folder, "--force").ok()
    assert [e.actor for e in report_events(people)] == ["secretary", "secretary"]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_command_and_the_printing_screen_make_the_same_file(people: School, tmp_path: Path, fmt: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    secretary = people.sign_in("secretary", PASSWORD)
    acting(monkeypatch, secretary)
    cli(*REPORT, "--format", fmt, "--out", f"{tmp_path / 'cli'}/").ok()
    job = PrintJob("class", "5A", "Q1", "final", 2, fmt, tmp_path / "tui", False)
    printed = make_file(people.db, secretary, job, 2026, date(2026, 11, 20))

    name = f"class-5А-Q1-final.{fmt}"
    made = tmp_path / "cli" / name
    assert printed.path == tmp_path / "tui" / name and made.is_file()
    assert read_back(printed.path) == read_back(made)
    details = [json.loads(e.after) for e in report_events(people)]
    assert [{k: v for k, v in d.items() if k not in ("file", "sha256")} for d in details] == [
        {"class": "5А", "period": "Q1", "kind": "final", "format": fmt, "stdout": False}] * 2


def read_back(path: Path) -> object:
    if path.suffix == ".pdf":
        return pdf_pages(path)
    return [[c.value for c in row] for ws in load_workbook(path).worksheets for row in ws.iter_rows()]


@pytest.mark.parametrize(("login", "args"), [
    ("petrov", ("--class", "5А", "--period", "Q1", "--kind", "final")),  # not his class
    ("secretary", ("--class", "9Я", "--period", "Q1")),  # no such class
    ("secretary", ("--class", "5А", "--period", "Q7")),  # no such period
    ("secretary", ("--class", "10А", "--period", "Q1")),  # a half-year class
    ("secretary", ("--class", "5А", "--period", "Q2", "--kind", "final")),  # Q2 is not over
    ("secretary", ("--class", "5А", "--period", "Q1", "--kind", "final")),  # the file is there
])
def test_refusals_are_the_services_in_the_same_words(people: School, tmp_path: Path, login: str,
                                                     args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    from ejournal_tui.services.exports.common import TargetExists
    from ejournal_tui.tui.widgets.print_progress import refusal_text

    person = people.sign_in(login, PASSWORD)
    acting(monkeypatch, person)
    (tmp_path / "class-5А-Q1-final.pdf").write_bytes(b"a signed copy")
    refused = cli("report", "class", *args, "--format", "pdf", "--out", f"{tmp_path}/")
    assert refused.code == 1 and refused.err.count("\n") == 1

    set_language("ru")
    values = dict(zip(args[::2], args[1::2], strict=True))
    with pytest.raises(Exception) as raised:  # noqa: PT011 - which one is the point of the test
        export_class_report(people.db, person, values["--class"], values["--period"],
                            values.get("--kind", "preliminary"), "pdf", tmp_path)
    assert refused.err == f"error: {one_line(raised.value)}\n"
    if not isinstance(raised.value, TargetExists):  # the printing screen names its own checkbox instead of --force
        assert refusal_text(raised.value) == str(raised.value)
    assert (tmp_path / "class-5А-Q1-final.pdf").read_bytes() == b"a signed copy" and report_events(people) == []

"""The deputy director's control report printed (item 3): `ejournal report control --format
pdf` as the CLI contract promises, with the percentages the regulation asks for (001 §3.5:
pupils with no marks, with one mark) computed once (`domain.control_shares`) and the same in
the PDF and the spreadsheet as the JSON's counts give them, every cell whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal_tui.domain.control_shares import percent
from tests.exporters.helpers import flat
from tests.factory import PASSWORD
from tests.integration.test_control_school import build_gaps, utc_tz  # noqa: F401
from tests.signin import person_env

pytestmark = pytest.mark.usefixtures("utc_tz")

WEEK_ARGS = ("--period", "Q2", "--week", "2026-11-16", "--as-of", "2026-11-20")


def run(db: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EJOURNAL_LANG": "en", "EJOURNAL_DB": db, "TZ": "UTC"}
    return subprocess.run([sys.executable, "-m", "ejournal_tui", "report", "control", *WEEK_ARGS, *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def db(school, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    """The gap school, the deputy director signed in to print the report (CLI.md, "who acts")."""
    build_gaps(school)
    for name, value in person_env(tmp_path, "deputy", PASSWORD).items():
        monkeypatch.setenv(name, value)
    return db_url


def test_pdf_xlsx_and_json_tell_the_same_shares(db: str, tmp_path: Path) -> None:
    data = json.loads(run(db, "--format", "json").stdout)
    pupils = data["rows"][0]["pupils"]  # Иванова, 5А, Русский язык: 5 pupils, 1 with none, 2 with one
    no_marks, one_mark = percent(pupils["no_marks"], pupils["total"]), percent(pupils["one_mark"], pupils["total"])
    assert (no_marks, one_mark) == (20.0, 40.0)

    out = run(db, "--format", "xlsx", "--out", str(tmp_path / "c.xlsx"))
    assert out.returncode == 0, out.stderr
    ws = load_workbook(tmp_path / "c.xlsx")["Контроль"]
    head = [c.value for c in ws[3]]
    row = [c.value for c in ws[4]]
    assert row[:3] == ["Иванова А.П.", "5А", "Русский язык"]
    assert row[head.index("% без отметок")] == no_marks and row[head.index("% с одной отметкой")] == one_mark
    assert head.index("% без отметок") == head.index("Без отметок") + 1
    # the other shares 3.5 names: lessons recorded of those due, with a topic, with homework
    cell = {h: v for h, v in zip(head, row, strict=False)}
    assert cell["% участия"] == percent(cell["По расписанию"] - cell["Не записано"], cell["По расписанию"])
    assert cell["% с темой"] == percent(cell["Проведено"] - cell["Без темы"], cell["Проведено"])
    assert cell["% с д/з"] == percent(cell["Проведено"] - cell["Без д/з"], cell["Проведено"])
    assert cell["Не записано"] >= 1 and cell["% участия"] < 100

    out = run(db, "--format", "pdf", "--out", str(tmp_path / "c.pdf"))
    assert out.returncode == 0, out.stderr
    assert "c.pdf" in out.stdout
    text = flat(" ".join(p.extract_text() for p in PdfReader(tmp_path / "c.pdf").pages))
    assert "Контроль ведения электронного журнала" in text
    assert "% без отметок" in text and "% с одной отметкой" in text
    assert "% участия" in text and "% с темой" in text and "% с д/з" in text
    # the row as printed: … pupils 5, with none 1 (20 %), with one 2 (40 %) …
    assert "Иванова А.П. 5А Русский язык" in text and " 5 1 20 2 40 " in text
    assert "не записаны уроки: 1; отставание от КТП: 1; нет темы: 1" in text  # what to fix, whole


def test_a_share_is_printed_with_a_decimal_comma(tmp_path: Path) -> None:
    from datetime import datetime

    from ejournal_tui.exporters.control_pdf import document_pdf
    from ejournal_tui.exporters.control_tables import Document, Sheet
    from ejournal_tui.exporters.fonts import find_font

    doc = Document("Контроль", "Школа", (Sheet("Контроль", "Учитель", ("Учитель", "% без отметок"),
                                               (("Иванова А.П.", 33.3),), (20, 8)),))
    data, pages = document_pdf(doc, find_font(""), datetime(2026, 11, 20, 10))
    path = tmp_path / "share.pdf"
    path.write_bytes(data)
    assert "33,3" in PdfReader(path).pages[0].extract_text()

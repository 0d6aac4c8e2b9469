"""`ejournal report …` run as a user would, on the gap school (`test_control_school`) on each
backend: the JSON contract, the XLSX and PDF read back, and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factory import PASSWORD
from tests.integration.test_control_school import build_gaps, utc_tz  # noqa: F401
from tests.signin import person_env

pytestmark = pytest.mark.usefixtures("utc_tz")

WEEK_ARGS = ("--period", "Q2", "--week", "2026-11-16", "--as-of", "2026-11-20")


def run(db: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EJOURNAL_LANG": "en", "EJOURNAL_DB": db, "TZ": "UTC"}
    return subprocess.run([sys.executable, "-m", "ejournal_tui", "report", *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def db(school, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    """The gap school, the deputy director signed in to read the reports (CLI.md, "who acts")."""
    build_gaps(school)
    for name, value in person_env(tmp_path, "deputy", PASSWORD).items():
        monkeypatch.setenv(name, value)
    return db_url


RUS5_JSON = {
    "teacher": {"name": "Иванова А.П."}, "class": "5А", "group": "", "subject": "Русский язык",
    "hours_per_week": 5.0, "minimum": 0,
    "timetable": {"scheduled": 4, "held": 3, "not_recorded": 1},
    "plan": {"planned": 4, "held": 3, "lag": 1},
    "no_topic": 1, "no_homework": 1,
    "late": {"lessons": 1, "homework": 1, "marks": 1, "marks_by_kind": {"oral": 1}},
    "pupils": {"total": 5, "no_marks": 1, "one_mark": 2, "below_minimum": 0},
    "substituted": 0,
    "verdict": ["not_recorded", "plan_lag", "no_topic", "no_homework", "late_lessons", "late_homework",
                "late_marks", "no_marks", "one_mark"],
}


def test_control_json_contract(db: str) -> None:
    out = run(db, "control", *WEEK_ARGS, "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["report"], data["version"], data["period"]) == ("control", 1, "Q2")
    assert data["window"] == {"kind": "week", "start": "2026-11-16", "end": "2026-11-22", "as_of": "2026-11-20",
                              "counted_to": "2026-11-19"}
    row = data["rows"][0]
    row.pop("load_id")
    row["teacher"].pop("id")
    assert row == RUS5_JSON
    assert data["totals"]["timetable"] == {"scheduled": 6, "held": 5, "not_recorded": 1}
    assert (data["totals"]["substitutions"], data["totals"]["uncoded_absences"]) == (1, 1)
    assert data["substitutions"][0]["substitute"]["name"] == "Смирнова Е.О."
    assert [c["uncoded_absences"] for c in data["class_leaders"]] == [0, 1]
    assert "items" not in row


def test_control_xlsx_and_table(db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "control.xlsx"
    out = run(db, "control", *WEEK_ARGS, "--format", "xlsx", "--out", str(path))
    assert out.returncode == 0, out.stderr
    wb = load_workbook(path)
    assert wb.sheetnames == ["Контроль", "Учителя", "Кл. руководители", "Замены", "Подробно"]
    ws = wb["Контроль"]
    assert [c.value for c in ws[3]][:9] == ["Учитель", "Класс", "Предмет", "Ч/нед", "По расписанию", "Проведено",
                                            "Не записано", "% участия", "По КТП"]
    row = [c.value for c in ws[4]]
    assert row[:10] == ["Иванова А.П.", "5А", "Русский язык", 5, 4, 3, 1, 75.0, 4, 1]  # 3 of 4 lessons recorded
    assert row[-1].startswith("не записаны уроки: 1; отставание от КТП: 1; нет темы: 1")
    table = run(db, "control", *WEEK_ARGS)
    assert table.returncode == 0 and "no topic: 1; no homework: 1" in table.stdout


def test_timesheet_xlsx_and_pdf(db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    out = run(db, "timesheet", "--month", "2026-11", "--format", "xlsx", "--out", str(tmp_path / "ts.xlsx"))
    assert out.returncode == 0, out.stderr
    ws = load_workbook(tmp_path / "ts.xlsx")["Табель"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["Иванова А.П."][16:19] == ("1", "1", "1") and rows["Иванова А.П."][-4:] == (3, 0, 3, 18)
    assert rows["Смирнова Е.О."][16] == "0+1" and rows["Смирнова Е.О."][-4:] == (0, 1, 1, 4)
    out = run(db, "timesheet", "--month", "2026-11", "--format", "pdf", "--out", str(tmp_path / "ts.pdf"))
    assert out.returncode == 0, out.stderr
    reader = PdfReader(tmp_path / "ts.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1
    assert "Табель учёта рабочего времени учителей" in text and "Петров П.И." in text and "ноябрь 2026" in text


def test_class_report_pdf_lists_risk_first(db: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = run(db, "class", "--class", "5А", "--period", "Q1", "--kind", "final", "--as-of", "2026-11-20",
              "--format", "pdf", "--out", str(tmp_path / "c.pdf"))
    assert out.returncode == 0, out.stderr
    text = PdfReader(io.BytesIO((tmp_path / "c.pdf").read_bytes())).pages[0].extract_text()
    assert "Отчёт классного руководителя (итоговый)" in text
    assert text.index("Борисова Бэлла") < text.index("Егоров Егор") < text.index("Алексеев Антон")
    data = json.loads(run(db, "class", "--class", "5А", "--period", "Q1", "--kind", "final", "--as-of",
                          "2026-11-20", "--format", "json").stdout)
    assert [p["at_risk"] for p in data["pupils"]] == [True] * 5 + [False]


def test_journals_json(db: str) -> None:
    subs = json.loads(run(db, "substitutions", "--month", "2026-11", "--format", "json").stdout)
    assert subs["hours_by_substitute"] == {"Смирнова Е.О.": 1} and subs["entries"][0]["date"] == "2026-11-16"
    act = json.loads(run(db, "activity", "--week", "2026-11-16", "--format", "json").stdout)
    assert act["rows"] == [] and [i["login"] for i in act["idle"]] == ["ivanova", "kozlova", "petrov", "smirnova"]


@pytest.mark.parametrize("args", [
    ("control", "--period", "Q7"),
    ("control", "--period", "Q2", "--month", "2026/11"),
    ("control", "--period", "Q2", "--month", "2026-11", "--week", "2026-11-16"),
    ("control", "--period", "Q2", "--week", "yesterday"),
    ("class", "--class", "10А", "--period", "Q1"),
    ("class", "--class", "9Я", "--period", "Q1"),
    ("timesheet", "--month", "2026-11", "--teacher", "nobody"),
])
def test_foreseeable_errors_are_one_line(db: str, args: tuple[str, ...]) -> None:
    out = run(db, *args)
    assert out.returncode == 1
    assert out.stderr.startswith("error: ") and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_help_has_examples_and_bad_format_is_usage(sqlite_url: str) -> None:
    for cmd in ("control", "activity", "substitutions", "timesheet", "class"):
        out = run(sqlite_url, cmd, "--help")
        assert out.returncode == 0 and "Example: ejournal report " + cmd in out.stdout
    assert run(sqlite_url, "control", "--period", "Q1", "--format", "csv").returncode == 2

"""`ejournal import …` in a subprocess: counts printed, the second run changes nothing,
a bad file lists its bad rows, exits 1 and leaves the database as it was."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from tests.cli.test_export_cli import ejournal, school_db  # noqa: F401 - the fixture
from tests.conftest import count_rows
from tests.factory import PASSWORD
from tests.signin import person_env

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _counts(url: str) -> tuple[int, ...]:
    """Pupils, memberships, classes, staff and change-log events other than sign-ins."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            events = conn.execute(select(func.count()).select_from(m.AuditEvent)
                                  .where(~m.AuditEvent.action.startswith("auth."))).scalar_one()
        return (*(count_rows(engine, t) for t in (m.Pupil, m.Membership, m.SchoolClass, m.Staff)), events)
    finally:
        engine.dispose()


def admin(folder: Path) -> dict[str, str]:
    """The factory school's administrator, who imports."""
    return person_env(folder, "admin", PASSWORD)


def test_import_twice(school_db, tmp_path) -> None:  # noqa: F811
    before = _counts(school_db)
    first = ejournal("--db", school_db, "import", "students", str(SAMPLES / "students.xlsx"), person=admin(tmp_path))
    assert first.returncode == 0, first.stderr
    assert _counts(school_db)[0] == before[0] + 8
    after_first = _counts(school_db)
    second = ejournal("--db", school_db, "import", "students", str(SAMPLES / "students.xlsx"), person=admin(tmp_path))
    assert "added 0, updated 0, unchanged 8" in second.stdout
    assert _counts(school_db) == after_first


def test_bad_file_lists_rows_and_changes_nothing(school_db, tmp_path) -> None:  # noqa: F811
    wb = Workbook()
    for row in (["ФИО", "Логин", "Роли"], ["Кузьмин Кирилл", "kuzmin", "учитель"], ["Лаптев", "", "учитель"],
                ["Мухина Мария", "", "волшебник"]):
        wb.active.append(row)
    path = tmp_path / "staff.xlsx"
    wb.save(path)
    before = _counts(school_db)
    done = ejournal("--db", school_db, "import", "staff", str(path), person=admin(tmp_path))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("staff.xlsx: row 3:") and "row 4:" in lines[1] and "волшебник" in lines[1]
    assert lines[-1].startswith("error:") and "nothing was imported" in lines[-1]
    assert "Traceback" not in done.stderr
    assert _counts(school_db) == before


def test_every_import_command_has_help_with_an_example() -> None:
    from typer.testing import CliRunner

    from ejournal_tui.cli.main import app

    for kind in ("students", "staff", "load", "timetable", "plan"):
        done = CliRunner().invoke(app, ["import", kind, "--help"])
        assert done.exit_code == 0 and f"Example: ejournal import {kind}" in done.output


def test_bad_group_cell_exits_1_and_changes_nothing(school_db, tmp_path) -> None:  # noqa: F811
    wb = Workbook()
    for row in (["ФИО", "Класс", "Группа (англ. яз.)"], ["Яковлев Ян", "5А", "англ-1"], ["Юдина Юлия", "5А", ""]):
        wb.active.append(row)
    path = tmp_path / "groups.xlsx"
    wb.save(path)
    before = _counts(school_db)
    done = ejournal("--db", school_db, "import", "students", str(path), person=admin(tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("groups.xlsx: row 3: no group in column 'Группа (англ. яз.)'")
    assert len(lines) == 2 and lines[-1].startswith("error:") and "nothing was imported" in lines[-1]
    assert _counts(school_db) == before

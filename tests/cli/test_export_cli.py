"""`ejournal export …` as a secretary runs it: files written, one-line errors, help with
examples. Runs the real command in a subprocess against the factory school on SQLite."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ejournal_tui.data.db import make_engine
from tests.exporters.helpers import flat, pdf_pages
from tests.factory import PASSWORD
from tests.signin import person_env


@pytest.fixture
def school_db(sqlite_url, clock) -> str:  # noqa: ANN001
    from tests.factory import build_school

    engine = make_engine(sqlite_url)
    build_school(engine, clock)
    engine.dispose()
    return sqlite_url


def ejournal(*args: str, person: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`ejournal ARGS` in a process of its own; `person` signs a person's command in
    (`tests.signin.person_env`)."""
    return subprocess.run([sys.executable, "-m", "ejournal_tui", *args], capture_output=True, text=True,
                          env={"EJOURNAL_LANG": "en", "PATH": "/usr/bin:/bin", "HOME": "/tmp", **(person or {})},
                          timeout=120)


def secretary(folder) -> dict[str, str]:  # noqa: ANN001
    """The factory school's secretary, who prints."""
    return person_env(folder, "secretary", PASSWORD)


def test_register_pdf_and_errors(school_db, tmp_path) -> None:
    out = tmp_path / "5А.pdf"
    done = ejournal("--db", school_db, "export", "register", "--class", "5A", "--period", "Q1", "--out", str(out),
                    person=secretary(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "5А" in done.stdout and out.exists()
    assert "Копия из закрытого периода" in flat(pdf_pages(out)[0])
    wrong = ejournal("--db", school_db, "export", "register", "--class", "10А", "--period", "Q1",
                     person=secretary(tmp_path))
    assert wrong.returncode == 1
    assert wrong.stderr.strip().startswith("error:") and "H1, H2, Y" in wrong.stderr
    assert "Traceback" not in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    bad = ejournal("--db", school_db, "export", "summary", "--class", "5А", "--format", "doc", person=secretary(tmp_path))
    assert bad.returncode == 1 and "pdf or xlsx" in bad.stderr


def test_all_writes_manifest(school_db, tmp_path) -> None:
    done = ejournal("--db", school_db, "export", "all", "--period", "Q1", "--out", str(tmp_path / "q1"),
                    "--workers", "1", person=secretary(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "q1" / "manifest.json").exists() and "2 files" in done.stdout


def test_every_export_command_has_help_with_an_example() -> None:
    from typer.testing import CliRunner

    from ejournal_tui.cli.main import app

    for command in ("register", "summary", "report-cards", "all"):
        done = CliRunner().invoke(app, ["export", command, "--help"])
        assert done.exit_code == 0 and "Example: ejournal export" in done.output

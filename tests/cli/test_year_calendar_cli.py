"""`ejournal year periods|set-period|holidays|holiday-add|holiday-edit|holiday-remove` on
the demo school, run as a user would: a broken calendar is refused with one `error:` line and
nothing changes; a good change is stored and in the change log; a holiday over days with
lessons waits for --yes and says how many lessons."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli_core import run

COMMANDS = ("periods", "set-period", "holidays", "holiday-add", "holiday-edit", "holiday-remove")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("calendar") / "demo.db"
    out = run("demo", "--size", "small", "--as-of", "2026-11-20", "--no-tui", db=f"sqlite:///{path}")
    assert out.returncode == 0, out.stderr
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> str:
    """A copy of the demo for one test: the tests change the calendar."""
    for suffix in ("", "-wal", "-shm"):
        source = demo_file.with_name(demo_file.name + suffix)
        if source.exists():
            shutil.copy(source, tmp_path / ("demo.db" + suffix))
    return f"sqlite:///{tmp_path / 'demo.db'}"


def _ok(*args: str, db: str) -> subprocess.CompletedProcess:
    out = run(*args, db=db, user="admin")  # the demo's administrator keeps the calendar
    assert out.returncode == 0, out.stderr
    return out


def _refused(*args: str, db: str) -> str:
    out = run(*args, db=db, user="admin")
    assert out.returncode == 1 and out.stderr.startswith("error:"), out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    return out.stderr


def _periods(db: str) -> dict[str, tuple[str, str]]:
    return {p["code"]: (p["start"], p["end"]) for p in json.loads(_ok("year", "periods", "--json", db=db).stdout)}


def _holidays(db: str) -> list[dict]:
    return json.loads(_ok("year", "holidays", "--json", db=db).stdout)


def _log(db: str, action: str) -> list[dict]:
    return [e for e in json.loads(_ok("audit", "log", "--json", db=db).stdout) if e["action"] == action]


def _lessons_on(db: str, day: str) -> int:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return conn.execute("SELECT count(*) FROM lesson WHERE date = ?", (day,)).fetchone()[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    out = run("year", command, "--help")
    assert out.returncode == 0 and f"Example: ejournal year {command}" in " ".join(out.stdout.split())


def test_overlapping_quarters_are_refused_and_nothing_changes(db: str) -> None:
    before = _periods(db)
    error = _refused("year", "set-period", "Q2", "--start", "2026-11-05", "--end", "2027-01-15", db=db)
    assert "Q2 (2026-11-05 – 2027-01-15) overlaps Q3 (2027-01-09 – 2027-03-21)" in error
    assert _periods(db) == before and not _log(db, "period.dates")


def test_a_refusal_in_russian_writes_dates_as_russians_do(db: str) -> None:
    error = _refused("--lang", "ru", "year", "set-period", "Q3", "--start", "2026-12-20", "--end", "2027-03-21", db=db)
    assert "Q2 (05.11.2026 – 28.12.2026) пересекается с Q3 (20.12.2026 – 21.03.2027)" in error


def test_a_good_change_is_stored_moves_the_half_year_and_is_logged(db: str) -> None:
    out = _ok("year", "set-period", "Q2", "--start", "2026-11-05", "--end", "2026-12-27", "--year", "2026", db=db)
    assert out.stdout.split("\n")[:2] == ["Q2  2026-11-05 – 2026-12-27", "H1  2026-09-01 – 2026-12-27"]
    periods = _periods(db)
    assert periods["Q2"] == ("2026-11-05", "2026-12-27")
    assert periods["H1"] == ("2026-09-01", "2026-12-27") and periods["Y"] == ("2026-09-01", "2027-05-26")
    events = {e["after"].get("with", "Q2"): e for e in _log(db, "period.dates")}
    assert events["Q2"]["before"] == {"start": "2026-11-05", "end": "2026-12-28"}
    assert events["Q2"]["after"] == {"start": "2026-11-05", "end": "2026-12-27"} and events["Q2"]["actor"] == "admin"


def test_moving_the_last_quarter_moves_the_year(db: str) -> None:
    _ok("year", "set-period", "Q4", "--start", "2027-03-31", "--end", "2027-05-29", db=db)
    periods = _periods(db)
    assert periods["H2"][1] == periods["Y"][1] == "2027-05-29"
    assert "2026-09-01 – 2027-05-29" in _ok("year", "list", db=db).stdout


def test_a_half_year_apart_from_the_quarters_is_refused_with_the_dates_it_must_have(db: str) -> None:
    error = _refused("year", "set-period", "H1", "--start", "2026-09-01", "--end", "2026-12-20", db=db)
    assert "it must be 2026-09-01 – 2026-12-28" in error


def test_a_holiday_over_lessons_needs_yes_and_says_how_many(db: str) -> None:
    lessons = _lessons_on(db, "2026-11-18")
    assert lessons > 0
    args = ("year", "holiday-add", "--start", "2026-11-18", "--end", "2026-11-18", "--name", "Карантин")
    error = _refused(*args, db=db)
    assert f"{lessons} lessons are already in the register on 2026-11-18" in error and "--yes" in error
    assert not any(h["name"] == "Карантин" for h in _holidays(db))
    assert "added" in _ok(*args, "--yes", db=db).stdout
    assert any(h["name"] == "Карантин" and h["start"] == "2026-11-18" for h in _holidays(db))
    assert _log(db, "holiday.add")[0]["after"]["lessons"] == lessons


def test_holidays_off_the_quarters_and_inside_the_year(db: str) -> None:
    error = _refused("year", "holiday-add", "--start", "2026-11-16", "--end", "2026-11-17", "--name", "Карантин",
                     "--yes", db=db)
    assert "falls on days of Q2 (2026-11-05 – 2026-12-28)" in error
    error = _refused("year", "holiday-add", "--start", "2027-06-01", "--end", "2027-06-01", "--name", "Лето", db=db)
    assert "lies outside the academic year (2026-09-01 – 2027-05-26)" in error
    assert len(_holidays(db)) == 7


def test_edit_and_remove_a_holiday(db: str) -> None:
    spring = next(h for h in _holidays(db) if h["name"] == "Весенние каникулы")
    hid = str(spring["id"])
    error = _refused("year", "holiday-edit", hid, "--start", "2027-03-20", db=db)
    assert "falls on days of Q3" in error
    out = _ok("year", "holiday-edit", hid, "--end", "2027-03-30", "--name", "Весна", db=db)
    assert out.stdout.strip() == f"holiday {hid}: 2027-03-22 – 2027-03-30 Весна"
    _ok("year", "holiday-remove", hid, db=db)
    assert all(h["id"] != spring["id"] for h in _holidays(db))
    logged = json.loads(_ok("audit", "log", "--json", "--limit", "10", db=db).stdout)
    assert [e["action"] for e in logged if e["action"] != "auth.login"][:2] == ["holiday.remove", "holiday.edit"]
    assert "holiday 999" in _refused("year", "holiday-remove", "999", db=db)


def test_a_year_that_is_not_there_and_a_bad_date(db: str) -> None:
    assert "academic year 2030/2031" in _refused("year", "periods", "--year", "2030", db=db)
    out = run("year", "set-period", "Q2", "--start", "5.11.2026", "--end", "2026-12-27", db=db, user="admin")
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr

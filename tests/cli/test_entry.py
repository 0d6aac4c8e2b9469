"""The console script's fast path: `ejournal` / `ejournal tui` open the TUI without Typer,
with the same options and environment variables; everything else goes to Typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ejournal_tui.cli import entry
from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import language, set_language


@pytest.mark.parametrize("argv, expected", [
    ([], ({}, None, None)),
    (["tui"], ({}, None, None)),
    (["--db", "sqlite:///a.db", "tui", "--user", "teacher"], ({"db_url": "sqlite:///a.db"}, "teacher", None)),
    (["--lang=en", "--school", "S1", "tui", "--register=5А/Алгебра"],
     ({"lang": "en", "school": "S1"}, None, "5А/Алгебра")),
    (["--config", "c.toml"], ({"config_file": "c.toml"}, None, None)),
])
def test_plain_tui_starts_are_understood(argv, expected):
    launch = entry.parse_tui_launch(argv)
    assert launch is not None
    assert (launch.globals, launch.user, launch.register_name) == expected


@pytest.mark.parametrize("argv", [
    ["--help"], ["--version"], ["stats"], ["--db", "x", "stats", "--json"], ["tui", "--help"],
    ["--db"], ["tui", "--user"], ["--user", "teacher"], ["tui", "tui"], ["--bogus", "1"],
])
def test_anything_else_goes_to_the_full_command_line(argv):
    assert entry.parse_tui_launch(argv) is None


def test_options_win_over_environment_and_reach_the_tui(monkeypatch, tmp_path):
    opened = {}
    monkeypatch.setattr(entry, "open_tui", lambda **kw: opened.update(kw, db=STATE.db_url, school=STATE.school))
    monkeypatch.setenv("EJOURNAL_DB", "sqlite:///from-env.db")
    monkeypatch.setenv("EJOURNAL_SCHOOL", "ENV")
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setattr(STATE, "_config", None)
    launch = entry.parse_tui_launch(["--db", "sqlite:///given.db", "--lang", "en", "tui", "--user", "deputy"])
    before = language()
    try:
        entry._launch(launch)
    finally:
        chosen = language()
        set_language(before)
    assert chosen == "en"
    assert opened == {"user": "deputy", "register_name": None, "db": "sqlite:///given.db", "school": "ENV"}


def test_a_bad_config_file_is_one_error_line_on_the_fast_path(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("db = [unclosed", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ejournal_tui", "--config", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    assert "Traceback" not in done.stderr


def test_the_tui_opens_without_loading_typer(tmp_path):
    """The reason for the fast path: the login screen is painted and Typer was never imported."""
    db = tmp_path / "fresh.db"
    probe = (
        "import sys\n"
        f"sys.argv = ['ejournal', '--db', {f'sqlite:///{db}'!r}, 'tui', '--user', 'teacher']\n"
        "from ejournal_tui.cli.entry import run\n"
        "run()\n"
        "print('typer loaded' if 'typer' in sys.modules else 'typer not loaded', file=sys.stderr)\n"
    )
    env = dict(os.environ, EJOURNAL_TUI_EXIT_AFTER_PAINT="1", EJOURNAL_TUI_HEADLESS="1")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env=env, cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stderr
    assert "painted " in done.stderr
    assert "typer not loaded" in done.stderr


def test_an_argument_that_is_not_utf8_is_a_usage_error(tmp_path):
    """Bytes that are not UTF-8 on the command line: one error line, exit 2, nothing opened."""
    db = tmp_path / "never.db"
    done = subprocess.run([os.fsencode(sys.executable), b"-m", b"ejournal_tui", b"--db",
                           f"sqlite:///{db}".encode(), b"audit", b"log", b"--class", b"5\xff"],
                          capture_output=True, timeout=60)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert err.startswith("error: an argument is not valid UTF-8 text") and err.count("\n") == 1, err
    assert not db.exists()

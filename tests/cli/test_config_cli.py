"""`ejournal config init|show` as a sysadmin uses them: the settings file written readable by
its owner only whatever the umask, never overwritten without --force, read back by every
command, and each setting in effect shown with where it came from."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ejournal_tui.config import AppConfig
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Clock
from tests.cli.test_backup_cli import cli
from tests.conftest import FROZEN_NOW
from tests.factory import build_school


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user with no settings yet, no EJOURNAL_* variables and a careless umask."""
    for name in list(os.environ):
        if name.startswith("EJOURNAL_") and name != "EJOURNAL_LANG":
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    old = os.umask(0)
    try:
        yield tmp_path
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_writes_an_owner_only_file_that_every_command_reads_back(home: Path, sqlite_url: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_BACKUP_DIRS", os.pathsep.join(["/srv/ejournal-backup", "/mnt/nas/ejournal"]))
    code, out, err = cli("--db", sqlite_url, "--lang", "en", "config", "init")
    assert code == 0, err
    path = home / "config" / "ejournal" / "config.toml"
    assert out == f"written: {path} (readable by its owner only)\n"
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"db": sqlite_url, "lang": "en", "backup_dirs": ["/srv/ejournal-backup", "/mnt/nas/ejournal"]}
    text = path.read_text(encoding="utf-8")
    for name in ("school", "backup_passphrase_file", "pool_size", "idle_lock_minutes"):
        assert f"\n# {name} = " in text  # every other setting explained and left at its default
    monkeypatch.delenv("EJOURNAL_BACKUP_DIRS")
    code, out, err = cli("config", "show", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["file"] == str(path) and shown["exists"] and shown["mode"] == "0600" and shown["unknown"] == []
    source = f"file {path}"
    assert shown["settings"]["db"] == {"value": sqlite_url, "source": source}
    assert shown["settings"]["backup_dirs"] == {"value": ["/srv/ejournal-backup", "/mnt/nas/ejournal"], "source": source}
    assert shown["settings"]["pool_size"] == {"value": 5, "source": "default"}
    assert AppConfig.load().backup_dirs == ["/srv/ejournal-backup", "/mnt/nas/ejournal"]
    engine = make_engine(sqlite_url)
    build_school(engine, Clock(FROZEN_NOW))
    engine.dispose()
    code, out, err = cli("stats", "--json")  # no --db, no EJOURNAL_DB: the database named in the file
    assert code == 0, err
    assert json.loads(out)["classes"] > 0 and not (home / "data").exists()


def test_init_never_overwrites_without_force(home: Path) -> None:
    path = home / "config" / "ejournal" / "config.toml"
    assert cli("config", "init")[0] == 0
    path.write_text('school = "mine"\nbackup_dir = "/typo"\n', encoding="utf-8")
    path.chmod(0o644)
    code, out, err = cli("config", "init")
    assert code == 1 and out == "" and err.count("\n") == 1 and err.startswith("error: ") and "--force" in err
    assert path.read_text(encoding="utf-8").startswith('school = "mine"')
    code, out, _ = cli("config", "show")
    assert code == 0 and "chmod 600" in out and "backup_dir" in out and "mine" in out
    code, _, err = cli("config", "init", "--force")
    assert code == 0, err
    assert _mode(path) == 0o600  # a new file, not the old one's mode
    # the old file's setting kept, with what the environment gives (EJOURNAL_LANG, set for the tests)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"school": "mine", "lang": "en"}


def test_init_at_an_explicit_path_creates_its_folders_owner_only(home: Path) -> None:
    path = home / "etc" / "ejournal" / "config.toml"
    code, _, err = cli("--config", str(path), "config", "init")
    assert code == 0, err
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"lang": "en"}  # EJOURNAL_LANG, set for the tests


def test_show_says_where_each_setting_comes_from(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "settings.toml"
    path.write_text('db = "postgresql+psycopg://ejournal:secret@server/school"\nschool = "from-file"\n'
                    'idle_lock_minutes = 7\n', encoding="utf-8")
    path.chmod(0o600)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(path))
    monkeypatch.setenv("EJOURNAL_IDLE_LOCK_MINUTES", "3")
    code, out, err = cli("--school", "from-option", "config", "show", "--json")
    assert code == 0, err
    settings = json.loads(out)["settings"]
    assert settings["db"] == {"value": "postgresql+psycopg://ejournal:***@server/school", "source": f"file {path}"}
    assert settings["school"] == {"value": "from-option", "source": "option --school"}
    assert settings["idle_lock_minutes"] == {"value": 3, "source": "EJOURNAL_IDLE_LOCK_MINUTES"}
    assert settings["lang"]["source"] == "EJOURNAL_LANG"
    assert "secret" not in out


def test_a_setting_of_the_wrong_type_is_one_error_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "settings.toml"
    path.write_text('backup_dirs = "/srv/backup"\n', encoding="utf-8")
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(path))
    for args in (("config", "show"), ("backup", "list")):
        code, out, err = cli(*args)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert err.startswith("error: ") and "backup_dirs must be a list of strings" in err

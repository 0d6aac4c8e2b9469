"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def fresh_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated, empty database (each engine) as the CLI's database, with an empty settings
    file, no school chosen and no one signed in: a new school's first command."""
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.delenv("EJOURNAL_SCHOOL", raising=False)
    monkeypatch.delenv("EJOURNAL_USER", raising=False)
    return db_url

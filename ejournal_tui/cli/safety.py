"""The safety backup taken before a command replaces or rewrites much of the database
(`year new`, `demo --force`; `backup restore` takes its own): written to the configured backup
folders, else beside the SQLite file, else into the user data directory."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from ejournal_tui.cli.state import STATE


def safety_folders() -> list[str | Path]:
    """The configured backup folders, else the SQLite file's folder, else the user data folder."""
    if STATE.config.backup_dirs:
        return list(STATE.config.backup_dirs)
    file = make_url(str(STATE.engine().url)).database if STATE.engine().dialect.name == "sqlite" else None
    if file and file != ":memory:":
        return [Path(file).resolve().parent]
    from platformdirs import user_data_path

    folder = user_data_path("ejournal") / "backups"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # a backup is written only into a folder that exists
    return [folder]


def safety_backup(passphrase_file: str | None) -> Path:
    """Take the backup (the passphrase as `backup create` reads it); returns its first file."""
    from ejournal_tui.cli.backup_cmd import _admin, read_passphrase
    from ejournal_tui.services.backup import create_backup

    passphrase = read_passphrase(passphrase_file, confirm=True)
    result = create_backup(STATE.engine(), _admin(), safety_folders(), passphrase, kind="safety")
    return Path(result.files[0])

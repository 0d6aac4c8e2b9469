"""How a test signs the CLI in as a staff account, the way a nightly job does (CLI.md, "who
acts"): `EJOURNAL_USER` and a password file only its owner can read, named by
`EJOURNAL_PASSWORD_FILE`. The demo's accounts all have the password `demo`."""

from __future__ import annotations

import os
from pathlib import Path


def password_file(folder: Path, password: str = "demo", name: str = "password") -> Path:
    """A password file as the README tells a sysadmin to make it: first line, mode 0600."""
    path = Path(folder) / name
    path.write_text(password + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def person_env(folder: Path, login: str = "admin", password: str = "demo") -> dict[str, str]:
    """Environment variables that sign the CLI in as LOGIN (for CliRunner(env=…) or subprocess)."""
    return {"EJOURNAL_USER": login,
            "EJOURNAL_PASSWORD_FILE": str(password_file(folder, password, f"password-{login}"))}

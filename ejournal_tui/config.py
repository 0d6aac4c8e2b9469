"""Program settings: a TOML file in the user config directory, overridden by environment
variables `EJOURNAL_<NAME>` and then by command-line options.

These are the workstation's settings (which database, which school, language, backup
destinations). The school's rules (DOMAIN.md's settings table) live in the database.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from ejournal_tui.domain.errors import InvalidInput


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("ejournal") / "config.toml"


@dataclass
class AppConfig:
    # database URL: sqlite:///path or postgresql+psycopg://user@host/db
    db: str = ""
    # school code, when the database holds several
    school: str = ""
    # interface language: ru | en | "" (from the system locale)
    lang: str = ""
    # folders every backup is written to (two media in different rooms)
    backup_dirs: list[str] = field(default_factory=list)
    # connection pool size for PostgreSQL
    pool_size: int = 5
    # minutes before an idle workstation locks (overrides the school's setting when > 0)
    idle_lock_minutes: int = 0

    @classmethod
    def load(cls, path: str | Path | None = None) -> AppConfig:
        """The settings file (if any), then `EJOURNAL_*` variables on top."""
        explicit = path or os.environ.get("EJOURNAL_CONFIG_FILE")
        file = Path(explicit) if explicit else default_config_path()
        data: dict = {}
        if file.exists():
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise InvalidInput(what=f"settings file {file}: {exc}") from exc
        elif explicit:
            raise InvalidInput(what=f"settings file {file} does not exist")
        config = cls()
        for f in fields(cls):
            if f.name in data:
                setattr(config, f.name, data[f.name])
            env = os.environ.get(f"EJOURNAL_{f.name.upper()}")
            if env is not None:
                setattr(config, f.name, _coerce(env, getattr(config, f.name)))
        return config


def _coerce(raw: str, current: object) -> object:
    if isinstance(current, list):
        return [p for p in raw.split(os.pathsep) if p]
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise InvalidInput(what=f"expected a number, got {raw!r}") from exc
    return raw

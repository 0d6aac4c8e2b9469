"""What every command shares: the settings, the database (opened on first use) and the
acting user, plus one-line error output."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from ejournal_tui.config import AppConfig
from ejournal_tui.domain import permissions as perm


@dataclass
class CliState:
    db_url: str | None = None
    school: str | None = None
    config_file: str | None = None
    _config: AppConfig | None = field(default=None, repr=False)
    _engine: object | None = field(default=None, repr=False)

    @property
    def config(self) -> AppConfig:
        if self._config is None:
            self._config = AppConfig.load(self.config_file)
        return self._config

    @property
    def url(self) -> str | None:
        return self.db_url or self.config.db or None

    def engine(self, *, upgrade_empty: bool = True):  # noqa: ANN201
        if self._engine is None:
            from ejournal_tui.data.db import open_database

            self._engine = open_database(self.url, upgrade_empty=upgrade_empty,
                                         pool_size=max(1, int(self.config.pool_size)))
        return self._engine

    def database(self):  # noqa: ANN201
        from ejournal_tui.services.context import Database, resolve_school

        engine = self.engine()
        return Database(engine, resolve_school(engine, self.school or self.config.school or None))

    def actor(self, db) -> object:  # noqa: ANN001
        from ejournal_tui.services.context import os_actor

        # The person at the server's command line administers it (CLI.md, "who acts").
        return os_actor(db.school_id, (perm.ADMIN, perm.SYSADMIN))


STATE = CliState()


def one_line(message: object) -> str:
    """The error contract is one line: typed input can carry newlines into a message."""
    return " ".join(str(message).split())


def fail(message: str) -> None:
    print(f"error: {one_line(message)}", file=sys.stderr)
    raise SystemExit(1)

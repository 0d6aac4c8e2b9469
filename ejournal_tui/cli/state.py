"""What every command shares: the settings, the database (opened on first use) and who
acts, plus one-line error output.

Who acts (CLI.md, "who acts") is decided here, once. A command that reads pupils' data or
changes the register acts as a staff account: it calls `STATE.actor(db)`, which signs the
person named by `--user` / `EJOURNAL_USER` in (cli/signin.py) and their roles decide. The
machine's jobs act as the operating-system user (`STATE.machine_actor`), and reading the
school's calendar and reference data needs no one. `who_acts` says which is which for every
command; tests/cli/test_cli_signin.py runs every command of the program against it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ejournal_tui.config import AppConfig
from ejournal_tui.domain import permissions as perm

if TYPE_CHECKING:
    from ejournal_tui.cli.signin import Person
    from ejournal_tui.services.context import Actor, Database

PERSON, MACHINE, NO_ONE = "person", "machine", "no one"

# CLI.md, "who acts": the machine's jobs. `school create` only while the database has no
# staff account (its first administrator is being made); adding a school to a district's
# database is a person's. `stats` prints counts, no pupil; `tui` signs people in itself.
MACHINE_JOBS = frozenset({"db", "backup", "audit verify", "config", "demo", "screenshots", "stats", "tui",
                          "school create", "users recover"})
# the school's calendar and reference data, read: no pupil's data, nothing changed
REFERENCE_READS = frozenset({"period list", "year list", "year periods", "year holidays", "school show",
                             "school kinds", "school reasons", "school bells"})


def who_acts(command: str) -> str:
    """PERSON, MACHINE or NO_ONE for a command path such as "users passwd"; a person unless
    named above (imports, exports, reports, periods, users, audit log, archive, notify, …)."""
    words = command.split()
    prefixes = {" ".join(words[:n]) for n in range(1, len(words) + 1)}
    if prefixes & MACHINE_JOBS:
        return MACHINE
    return NO_ONE if command in REFERENCE_READS else PERSON


@dataclass
class CliState:
    db_url: str | None = None
    school: str | None = None
    config_file: str | None = None
    user: str | None = None
    _person: Person | None = field(default=None, repr=False)
    _config: AppConfig | None = field(default=None, repr=False)
    _engine: object | None = field(default=None, repr=False)
    # the TUI's engine: the server cuts a statement after `statement_timeout` (a person waits);
    # the CLI's batch work (a whole school's backup or export) is never cut
    interactive: bool = False

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
            from ejournal_tui.data.network import NetworkLimits

            limits = NetworkLimits(self.config.network_timeout, self.config.statement_timeout if self.interactive else 0)
            self._engine = open_database(self.url, upgrade_empty=upgrade_empty,
                                         pool_size=max(1, int(self.config.pool_size)), limits=limits)
        return self._engine

    def database(self):  # noqa: ANN201
        from ejournal_tui.services.context import Database, resolve_school

        engine = self.engine()
        return Database(engine, resolve_school(engine, self.school or self.config.school or None))

    def person(self, db: Database) -> Person:
        """The staff account this process acts as: signed in at the first call (a prompt or
        EJOURNAL_PASSWORD_FILE), then kept for the rest of the command."""
        if self._person is None or self._person.actor.school_id != db.school_id:
            from ejournal_tui.cli.signin import sign_in_person

            self._person = sign_in_person(db, self.user)
        return self._person

    def actor(self, db: Database) -> Actor:
        """Who a person's command acts as; an account whose password an administrator set
        must change it first (in the TUI or with `users passwd` of its own login)."""
        person = self.person(db)
        if person.must_change:
            from ejournal_tui.cli.signin import PasswordMustChange

            raise PasswordMustChange(login=person.actor.login)
        return person.actor

    def machine_actor(self, db: Database | None = None) -> Actor:
        """The operating-system user, for the machine's jobs only (MACHINE_JOBS): administers
        the server, recorded as `os:<name>`; without `db`, not tied to one school (a backup
        covers them all)."""
        from ejournal_tui.services.context import os_actor

        return os_actor(db.school_id if db is not None else 0, (perm.ADMIN, perm.SYSADMIN))

    def forget_person(self, user: str | None) -> None:
        """A new command line: who acts is asked anew."""
        self.user, self._person = user, None


STATE = CliState()


def one_line(message: object) -> str:
    """The error contract is one line: typed input can carry newlines into a message, and a
    50,000-character argument would fill the screen: a run of over 120 characters without a
    space is shown by its start and its length."""
    text = " ".join(str(message).split())
    return _LONG_WORD.sub(lambda w: f"{w.group()[:40]}… ({len(w.group())})", text)


_LONG_WORD = re.compile(r"\S{121,}")


def fail(message: str) -> None:
    print(f"error: {one_line(message)}", file=sys.stderr)
    raise SystemExit(1)

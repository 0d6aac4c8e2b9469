"""What the acceptance tests work with: the `ejournal` command line run in this process the way
the console script runs it (its error contract included), on a calendar the test moves forward
day by day (every clock of the program reads it), and the people of the school signed in
with the passwords they were given."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from ejournal_tui.data.db import make_engine
from ejournal_tui.services import accounts
from ejournal_tui.services.context import Actor, Clock, Database, resolve_school


@dataclass
class Result:
    code: int
    out: str
    err: str

    def ok(self) -> Result:
        assert self.code == 0, f"exit {self.code}: {self.err or self.out}"
        return self


def cli(*args: str, stdin: str = "") -> Result:
    """`ejournal ARGS` as a fresh process would run it (EJOURNAL_DB and friends from the
    environment)."""
    from ejournal_tui.cli import main
    from ejournal_tui.cli.state import STATE

    STATE._engine, STATE._config, STATE.db_url, STATE.school = None, None, None, None
    out, err = io.StringIO(), io.StringIO()
    old_argv, old_stdin = sys.argv, sys.stdin
    sys.argv, sys.stdin = ["ejournal", *args], io.StringIO(stdin)
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main.run()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, sys.stdin = old_argv, old_stdin
        if STATE._engine is not None:
            STATE._engine.dispose()  # type: ignore[attr-defined]
        STATE._engine = None
    return Result(code, out.getvalue(), err.getvalue())


class Calendar:
    """The date the school has reached: every `Clock()` of the program reads it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = datetime(2026, 8, 25, 9, 0, tzinfo=UTC)
        real_now = Clock.now
        calendar = self

        def now(clock: Clock) -> datetime:
            return clock.frozen if clock.frozen is not None else calendar.at

        monkeypatch.setattr(Clock, "now", now)
        self._real_now = real_now

    def go(self, day: date, hour: int = 9) -> None:
        self.at = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


class School:
    """The school as its people reach it: the database of the one school in it, and each
    person signed in with their own password."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.db = Database(self.engine, resolve_school(self.engine, None))
        self.people: dict[str, Actor] = {}

    def sign_in(self, login: str, password: str) -> Actor:
        with self.db.uow() as uow:
            actor, _must_change = accounts.sign_in(uow, login, password)
        self.people[login] = actor
        return actor

    def uow(self):  # noqa: ANN201
        return self.db.uow()

    def close(self) -> None:
        self.engine.dispose()

"""What every use case runs in: the database (engine + school), the clock, the acting
person, and the unit of work (one session, one transaction, explicit commit).
"""

from __future__ import annotations

import getpass
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.data.fastpath import execute
from ejournal_tui.domain.errors import DatabaseUnavailable, InvalidInput, NotFound
from ejournal_tui.domain.settings import RuleSettings
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.lengths import CheckedSession

register_many(
    {
        "school.code": ("школа «{code}»", "school {code!r}"),
        "school.empty_db": ("школа (база данных пуста: создайте школу — «ejournal school create --code … "
                            "--name …» — или попробуйте «ejournal demo»)",
                            "school (the database is empty: create the school with 'ejournal school create "
                            "--code … --name …', or try 'ejournal demo')"),
        "school.several": ("в базе данных несколько школ ({codes}): выберите одну через --school",
                           "the database holds several schools ({codes}): choose one with --school"),
    }
)


@dataclass
class Clock:
    """Real time unless frozen (tests, the demo generator, screenshots)."""

    frozen: datetime | None = None

    def now(self) -> datetime:
        return self.frozen if self.frozen is not None else datetime.now(UTC)

    def local_now(self) -> datetime:
        return self.now().astimezone().replace(tzinfo=None)

    def today(self) -> date:
        return self.local_now().date()


@dataclass(frozen=True)
class Actor:
    """The person a use case acts for. `id` is None for the operating-system user of the
    CLI, who acts with the roles given (a sysadmin at the server)."""

    login: str
    school_id: int
    roles: tuple[str, ...]
    id: int | None = None
    name: str = ""

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


_CACHE_SECONDS = 30.0


@dataclass
class Database:
    """One school's view of one database: every use case is scoped to `school_id`."""

    engine: Engine
    school_id: int
    clock: Clock = field(default_factory=Clock)
    _cache: dict[str, tuple[float, object]] = field(default_factory=dict, repr=False)
    _read_engine: Engine | None = field(default=None, repr=False)

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work; `read_only` ones never take SQLite's write lock."""
        return UnitOfWork(self, read_only=read_only)

    @property
    def read_engine(self) -> Engine:
        """The same pool, with connections marked read-only (see data/db.py's BEGIN)."""
        if self._read_engine is None:
            self._read_engine = self.engine.execution_options(ejournal_read_only=True)
        return self._read_engine

    def cached(self, key: str, load: Callable[[], object]) -> object:
        """Reference data that changes rarely (settings, kinds of work), kept a few seconds
        so that a mark typed does not reload it; `forget()` after changing it here."""
        hit = self._cache.get(key)
        now = _time.monotonic()
        if hit and now - hit[0] < _CACHE_SECONDS:
            return hit[1]
        value = load()
        self._cache[key] = (now, value)
        return value

    def forget(self) -> None:
        self._cache.clear()


class UnitOfWork:
    """One session and one transaction; rolls back unless `commit()` was called."""

    def __init__(self, db: Database, *, read_only: bool = False) -> None:
        self.db = db
        self.school_id = db.school_id
        self.clock = db.clock
        self.read_only = read_only
        self._engine = db.read_engine if read_only else db.engine
        self._conn: Connection | None = None
        self._session: Session | None = None
        self._before_commit: list[Callable[[UnitOfWork], None]] = []
        self.audit_queue: list[dict] = []  # change-log events waiting for the commit (services/audit.py)
        self.commit_writes: list[tuple[Any, dict]] = []  # see write_at_commit

    @property
    def conn(self) -> Connection:
        """The transaction's connection, for prebuilt Core statements on hot paths."""
        if self._conn is None:
            self._conn = self._engine.connect()
        return self._conn

    @property
    def session(self) -> Session:
        """An ORM session on the same connection and transaction, made when first needed:
        the hottest use cases (a mark typed) need none and skip its cost."""
        if self._session is None:
            # a text longer than its column is refused at the flush, on SQLite as on PostgreSQL
            self._session = CheckedSession(bind=self.conn, expire_on_commit=False, join_transaction_mode="control_fully")
        return self._session

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        # A read-only unit of work that ended well is committed, not rolled back: the same for
        # the database, but psycopg forgets every prepared statement of the session at each
        # ROLLBACK, and the next mark typed would be planned anew (data/fastpath.py).
        finish = "commit" if self.read_only and exc_type is None else "rollback"
        try:
            if self._session is not None:
                getattr(self._session, finish)()
                self._session.close()
        finally:
            if self._conn is not None:
                if self._conn.in_transaction():
                    getattr(self._conn, finish)()
                self._conn.close()

    def commit(self) -> None:
        """Commit everything written through the session and the connection. Several use
        cases may run in one unit of work, each committing: after the first commit the
        connection begins anew by itself, outside the session's own transaction, so the
        connection is committed too whenever it is still in one.

        What was queued to be written last (the change-log events, see services/audit.py)
        is written after the session's own changes, right before the commit."""
        if self._before_commit:
            if self._session is not None:
                self._session.flush()
            for write in self._before_commit:
                write(self)
        self.run_commit_writes()
        if self._session is not None:
            self._session.commit()
        if self._conn is not None and self._conn.in_transaction():
            self._conn.commit()

    def write_at_commit(self, stmt: Any, params: dict) -> None:
        """A write whose result the use case does not need (an INSERT given its id), made at
        the commit: on PostgreSQL it travels with the change-log append and the COMMIT, in one
        message, a round trip fewer for a mark typed (services/audit.py)."""
        self.commit_writes.append((stmt, params))

    def run_commit_writes(self) -> None:
        """The writes of `write_at_commit` no one took along yet, on the connection now."""
        writes, self.commit_writes = self.commit_writes, []
        for stmt, params in writes:
            execute(self.conn, stmt, params)

    def before_commit(self, write: Callable[[UnitOfWork], None]) -> None:
        """Have `write` run at every commit, after everything else this unit of work wrote."""
        if write not in self._before_commit:
            self._before_commit.append(write)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.today()

    @property
    def settings(self) -> RuleSettings:
        return self.db.cached("settings", self._load_settings)  # type: ignore[return-value]

    def _load_settings(self) -> RuleSettings:
        rows = self.conn.execute(
            select(m.Setting.key, m.Setting.value).where(m.Setting.school_id == self.school_id)
        ).all()
        return RuleSettings.from_overrides(dict(rows))


class EmptyDatabase(NotFound):
    """The database holds no school yet: a new school's first run (not a network fault)."""


def os_actor(school_id: int, roles: tuple[str, ...]) -> Actor:
    """The CLI acts as the operating-system user (CLI.md, "who acts")."""
    try:
        login = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        login = "system"
    return Actor(login=f"os:{login}", school_id=school_id, roles=roles)


def resolve_school(engine: Engine, code: str | None) -> int:
    """The school's id: by code, or the only school in the database."""
    try:
        with Session(engine) as session:
            rows = session.execute(select(m.School.id, m.School.code)).all()
    except OperationalError as exc:
        raise DatabaseUnavailable(detail=str(exc.orig).splitlines()[0]) from exc
    if code and rows:
        for sid, scode in rows:
            if scode == code:
                return sid
        raise NotFound(what=Phrase("school.code", code=code))
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        raise EmptyDatabase(what=Phrase("school.empty_db"))
    codes = ", ".join(c for _, c in rows)
    raise InvalidInput(what=Phrase("school.several", codes=codes))

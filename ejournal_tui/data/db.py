"""Engine and schema: building the engine from a URL, connection pragmas, migrations.

No engine exists at import time: `open_database(url)` builds one, upgrades an empty database
with Alembic and refuses a database whose schema is newer than this program.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from ejournal_tui.crashlog import hide_url_password
from ejournal_tui.data import network, pool_check
from ejournal_tui.data.network import NetworkLimits
from ejournal_tui.domain.errors import DatabaseUnavailable, SchemaError
from ejournal_tui.i18n import Phrase, register_many

register_many(
    {
        "db.bad_url": ("неверный адрес базы данных «{url}»", "bad database URL {url!r}"),
        "db.unsupported": ("база данных «{name}» не поддерживается", "unsupported database {name!r}"),
    }
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def default_url() -> str:
    """A SQLite file in the user's data directory (created readable by its owner only)."""
    from platformdirs import user_data_path

    folder = user_data_path("ejournal")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{folder / 'ejournal.db'}"


def resolve_url(url: str | None) -> str:
    return url or os.environ.get("EJOURNAL_DB") or default_url()


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url if isinstance(engine_or_url, str) else str(engine_or_url.url)
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API types
    # Every pooled connection needs these, so they live in the connect listener.
    # synchronous=FULL: the register is a legal record; an acknowledged mark must survive
    # a power cut, not only a killed process.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn) -> None:  # noqa: ANN001
    # A writing transaction takes the write lock at BEGIN (IMMEDIATE), so two workstations
    # never both read-then-write and deadlock on the lock upgrade. Read-only units of work
    # (engine option ejournal_read_only) begin deferred and never block anyone in WAL mode.
    if conn.get_execution_options().get("ejournal_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _secure_sqlite_file(url: str) -> None:
    path = make_url(url).database
    if not path or path == ":memory:":
        return
    file = Path(path)
    if not file.parent.exists():
        # a folder we create holds personal data: its owner only (152-ФЗ)
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not file.exists():
        file.touch(mode=0o600)
    os.chmod(file, 0o600)


def make_engine(url: str, *, pool_size: int = 5, limits: NetworkLimits | None = None) -> Engine:
    """An engine for `url` with the pragmas and pool this program needs.

    The URL's query options reach the driver untouched (PostgreSQL's `sslmode`,
    `sslrootcert`, `application_name`, `options=-csearch_path%3D…`): TLS is configured in
    the URL, not here. `pool_size` is how many connections a workstation keeps open.
    `limits`: how soon a PostgreSQL connection gives up on a dead network (data/network.py);
    by default 10 s and no statement timeout (what batch work needs; the TUI adds one).
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise DatabaseUnavailable(detail=Phrase("db.bad_url", url=hide_url_password(url))) from exc
    if parsed.get_backend_name() == "sqlite":
        _secure_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is switched off so BEGIN IMMEDIATE is ours.
        event.listen(engine, "connect", lambda c, r: setattr(c, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # keepalives, tcp_user_timeout, the server's options: added per connection by
        # network.install, so that a URL's own value of any of them wins
        engine = create_engine(url, pool_size=pool_size, max_overflow=10)
        network.install(engine, limits or NetworkLimits())
        pool_check.install(engine)  # a ping only where it is needed, not at every checkout
        return engine
    raise DatabaseUnavailable(detail=Phrase("db.unsupported", name=parsed.get_backend_name()))


def _alembic_config(engine: Engine):  # noqa: ANN202 - alembic is imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return ScriptDirectory.from_config(cfg).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}


def head_lineage() -> list[str]:
    """The revisions of this program's migrations from head back to the first, head first:
    a database or a backup at any of them can be brought to head by `alembic upgrade`."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return [s.revision for s in ScriptDirectory.from_config(cfg).iterate_revisions("heads", "base")]


def upgrade_to(engine: Engine, revision: str) -> None:
    """Create or migrate the schema to `revision` of this program's migrations exactly (a
    scratch database for a backup made at an older revision)."""
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)
    if revision in ("head", head_revision()):
        install_guards(engine)


def upgrade(engine: Engine) -> str:
    """Create or migrate the schema to this program's version; returns the revision."""
    from alembic import command

    check_not_newer(engine)
    command.upgrade(_alembic_config(engine), "head")
    install_guards(engine)
    return head_revision()


def install_guards(engine: Engine) -> None:
    """PostgreSQL: (re)install the triggers and policies that make the database itself refuse
    a change to the change log, or to the register without its event, and grant the
    workstation role (made NOLOGIN when this role may make roles) its rights
    (data/pg_security.py; `ejournal db upgrade` names the role and gives it a password)."""
    if engine.dialect.name != "postgresql":
        return
    from ejournal_tui.data import pg_security

    pg_security.install(engine)


def check_not_newer(engine: Engine) -> None:
    rev = current_revision(engine)
    if rev is not None and rev not in known_revisions():
        raise SchemaError("err.schema_newer", rev=rev)


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def schema_state(engine: Engine) -> SchemaState:
    return SchemaState(current_revision(engine), head_revision())


def open_database(url: str | None = None, *, upgrade_empty: bool = True, pool_size: int = 5,
                  older: bool = False, limits: NetworkLimits | None = None) -> Engine:
    """The engine for the configured database, checked and (when empty) upgraded.

    Raises `DatabaseUnavailable` when the server cannot be reached and `SchemaError` when
    the schema is older (and the database not empty) or newer than this program. `older`
    accepts a schema of an older revision of this program's migrations, for a caller that
    only reads the whole database (a backup taken before `db upgrade`). `limits`: see
    `make_engine`.
    """
    engine = make_engine(resolve_url(url), pool_size=pool_size, limits=limits)
    try:
        state = schema_state(engine)
        if state.current is None and upgrade_empty:
            upgrade(engine)
        elif state.current not in known_revisions():
            raise SchemaError("err.schema_newer", rev=state.current)
        elif not state.is_current and not older:
            raise SchemaError()
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnavailable(detail=_short(exc)) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseUnavailable(detail=_short(exc)) from exc
    return engine


def _short(exc: Exception) -> str:
    first = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return first[0] if first else exc.__class__.__name__


def refresh_statistics(engine: Engine) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (demo, restore, import).

    Autovacuum does it within minutes; until then a freshly loaded database has no
    statistics and the planner may scan whole tables where an index lookup is right.
    SQLite plans from its indexes alone and is left as it is.
    """
    if is_sqlite(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")


def integrity_ok(engine: Engine) -> tuple[bool, str]:
    """SQLite's integrity check, or a trivial query on PostgreSQL (the server checks pages)."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            result = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            return result == "ok", str(result)
        conn.execute(text("SELECT 1"))
        return True, "ok"

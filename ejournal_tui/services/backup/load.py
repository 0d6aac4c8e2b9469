"""Writing a backup's content into a database: all or nothing, in one transaction.

The content is checked as it streams (each encrypted chunk's tag, then the manifest's hash and
counts at the end); anything wrong raises before COMMIT, so the database is left as it was.
The log of backup use (`backuprecord`) is never rolled back by a restore: a database that
already has one keeps it, an empty one takes the backup's.

SQLite is loaded as a bulk load: foreign keys are checked once at the end instead of row by
row, secondary indexes are dropped and rebuilt inside the same transaction (a rollback brings
them back), the page cache is made large enough to hold the load, and an empty target takes
a rollback journal for the load (a crash leaves a hot journal that rolls back to the empty
database, and it writes each page once where WAL writes it twice). Only a scratch database of
our own (`backup verify`) is loaded without a journal and without syncing. Every pragma is
put back afterwards, whatever happened.

A backup made at an older revision of the migrations is loaded only into a scratch database
at that revision (`migrate` brings it to head): the tables are then those the scratch has,
not the program's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, Table
from sqlalchemy.exc import SQLAlchemyError

from ejournal_tui.data.db import current_revision, head_lineage, head_revision, refresh_statistics
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.backup.content import Manifest, TableBlock
from ejournal_tui.services.backup.errors import BackupAltered, RestoreFailed, SchemaMismatch
from ejournal_tui.services.backup.snapshot import reflected_tables, tables

LOG_TABLE = "backuprecord"
# A page cache this large (KiB; allocated only as used) keeps a school's load in memory
# until COMMIT instead of spilling half-built pages to the journal.
_LOAD_CACHE_KIB = 256 * 1024
# Rows per INSERT statement: one statement step per this many rows, within SQLite's oldest
# limit of 999 bound parameters.
_ROWS_PER_INSERT, _MAX_PARAMS = 50, 999


@cache
def program_schema() -> str:
    """This program's schema revision, read once: reading the migration scripts costs about
    0.1 s, so callers read it while the backup's key is being derived."""
    return head_revision()


@cache
def older_schemas() -> frozenset[str]:
    """The older revisions of this program's migrations: a backup made at one of them is
    restored by migrating it."""
    return frozenset(head_lineage()[1:])


def backup_revision(header: Any, where: str) -> str:
    """The schema revision the backup was made at, read from its header: this program's, or
    an older one its migrations lead from. Any other is a newer (or foreign) ejournal's."""
    if not isinstance(header, dict) or "schema_revision" not in header:
        raise BackupAltered(path=where, detail=Phrase("backup.detail.no_header"))
    found = str(header["schema_revision"])
    if found != program_schema() and found not in older_schemas():
        raise SchemaMismatch(path=where, found=found, expected=program_schema())
    return found


def check_header(header: Any, where: str, revision: str | None = None) -> None:
    """The content must be at `revision` (by default this program's)."""
    found, expected = backup_revision(header, where), revision or program_schema()
    if found != expected:
        raise RestoreFailed(detail=Phrase("backup.detail.revision", found=found, expected=expected))


def occupied(engine: Engine) -> str:
    """What the database holds besides its backup log, as text ("" when empty)."""
    held = []
    with engine.connect() as conn:
        q = conn.dialect.identifier_preparer.quote
        for table in tables():
            if table.name != LOG_TABLE and conn.exec_driver_sql(f"SELECT 1 FROM {q(table.name)} LIMIT 1").first():
                held.append(table.name)
    return ", ".join(held[:4]) + (" …" if len(held) > 4 else "")


def restore_into(engine: Engine, items: Iterator[Any], where: str, *, replace: bool,
                 scratch: bool = False, revision: str | None = None) -> Manifest:
    """Write the content of `items` (from `read_content`) into `engine`; returns the manifest.
    `scratch`: the target is a new file of our own that nobody else will open if we crash.
    `revision`: the schema revision of both the content and `engine` (by default the program's)."""
    try:
        return _restore(engine, items, where, replace=replace, scratch=scratch, revision=revision)
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()  # the backup file is closed even when the load stopped half-way


def _restore(engine: Engine, items: Iterator[Any], where: str, *, replace: bool, scratch: bool,
             revision: str | None) -> Manifest:
    check_header(next(items, None), where, revision)
    try:
        schema = _schema(engine, revision)
        with engine.connect() as conn, _bulk_mode(conn, empty=not replace, scratch=scratch), conn.begin():
            _ensure_write_transaction(conn)
            keep_log = _has_log(conn)
            if replace:
                _clear(conn, schema)
            manifest = _load(conn, items, where, keep_log, schema)
    except (SQLAlchemyError, engine.dialect.dbapi.Error) as exc:  # type: ignore[union-attr]
        detail = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
        raise RestoreFailed(detail=detail[0] if detail else exc.__class__.__name__) from exc
    refresh_statistics(engine)  # a freshly loaded PostgreSQL database has no planner statistics
    return manifest


def _schema(engine: Engine, revision: str | None) -> list[Table]:
    """The tables to load: the program's, or those of a database at an older `revision`."""
    if revision is None or revision == program_schema():
        return tables()
    found = current_revision(engine)
    if found != revision:
        raise RestoreFailed(detail=Phrase("backup.detail.revision", found=revision, expected=found))
    return reflected_tables(engine)


def _load(conn: Connection, items: Iterable[Any], where: str, keep_log: bool, schema: list[Table]) -> Manifest:
    if conn.dialect.name != "sqlite":
        manifest = _write_all(conn, items, where, keep_log, schema)
        _fix_sequences(conn, schema)
        return manifest
    indexes = _drop_indexes(conn, schema)
    manifest = _write_all(conn, items, where, keep_log, schema)
    raw = conn.connection.dbapi_connection
    for sql in indexes:
        raw.execute(sql)  # type: ignore[union-attr]
    broken = raw.execute("PRAGMA foreign_key_check").fetchone()  # type: ignore[union-attr]
    if broken:
        raise RestoreFailed(detail=Phrase("backup.detail.foreign_rows", table=broken[0], other=broken[2]))
    return manifest


@contextmanager
def _bulk_mode(conn: Connection, *, empty: bool, scratch: bool) -> Iterator[None]:
    """SQLite's connection settings for a bulk load (set outside any transaction, as SQLite
    requires), put back as they were afterwards."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    saved = {name: raw.execute(f"PRAGMA {name}").fetchone()[0]  # type: ignore[union-attr]
             for name in ("foreign_keys", "cache_size", "synchronous", "busy_timeout")}
    journal = raw.execute("PRAGMA journal_mode").fetchone()[0]  # type: ignore[union-attr]
    raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    raw.execute(f"PRAGMA cache_size=-{_LOAD_CACHE_KIB}")  # type: ignore[union-attr]
    if scratch:
        raw.execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]
    if scratch or empty:
        _journal_mode(raw, "OFF" if scratch else "DELETE")
    try:
        yield
    finally:
        try:
            _journal_mode(raw, journal)
            for name, value in saved.items():
                raw.execute(f"PRAGMA {name}={int(value)}")  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - never hand the pool a connection without foreign keys
            conn.invalidate()


def _journal_mode(raw: Any, mode: str) -> None:
    # Leaving WAL needs the only connection to the file: if another is open the load simply
    # stays in WAL, without waiting for the busy timeout.
    if raw.execute("PRAGMA journal_mode").fetchone()[0] == mode.lower():
        return
    raw.execute("PRAGMA busy_timeout=0")
    with suppress(Exception):
        raw.execute(f"PRAGMA journal_mode={mode}").fetchone()


def _drop_indexes(conn: Connection, schema: list[Table]) -> list[str]:
    """Drop the secondary indexes (the rebuild after the load is cheaper than keeping them up
    row by row); returns their definitions. DDL is transactional in SQLite: a rollback keeps
    them, and a unique index that no longer fits fails its rebuild, so the restore fails."""
    names = {t.name for t in schema}
    raw = conn.connection.dbapi_connection
    rows = raw.execute(  # type: ignore[union-attr]
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    kept = [(name, sql) for name, table, sql in rows if table in names]
    q = conn.dialect.identifier_preparer.quote
    for name, _sql in kept:
        raw.execute(f"DROP INDEX {q(name)}")  # type: ignore[union-attr]
    return [sql for _name, sql in kept]


def _ensure_write_transaction(conn: Connection) -> None:
    # All or nothing rests on one transaction; an SQLite engine built without the program's
    # BEGIN IMMEDIATE listener would otherwise run every statement on its own.
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and not raw.in_transaction:  # type: ignore[union-attr]
        raw.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]


def _has_log(conn: Connection) -> bool:
    return conn.exec_driver_sql(f"SELECT 1 FROM {LOG_TABLE} LIMIT 1").first() is not None


def _clear(conn: Connection, schema: list[Table]) -> None:
    names = [t.name for t in schema if t.name != LOG_TABLE]
    q = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"TRUNCATE {', '.join(q(n) for n in names)}")
        return
    for name in reversed(names):
        conn.exec_driver_sql(f"DELETE FROM {q(name)}")


def _write_all(conn: Connection, items: Iterable[Any], where: str, keep_log: bool,
               schema: list[Table]) -> Manifest:
    known = {t.name: t for t in schema}
    writer: _Inserter | None = None
    try:
        for item in items:
            if isinstance(item, TableBlock | Manifest) and writer is not None:
                writer.close()
                writer = None
            if isinstance(item, Manifest):
                return item
            if isinstance(item, TableBlock):
                table = known.get(item.name)
                if table is None or not set(item.columns) <= set(table.c.keys()):
                    raise BackupAltered(path=where, detail=Phrase("backup.detail.bad_table", table=item.name))
                skip = item.name == LOG_TABLE and keep_log
                writer = None if skip else _Inserter(conn, table, item.columns, where)
            elif writer is not None:
                writer.insert(item)
    except BaseException as exc:
        if writer is not None:
            writer.close(exc)
        raise
    raise BackupAltered(path=where, detail=Phrase("backup.detail.no_manifest"))


class _Inserter:
    """Rows of one table into the database by the fastest plain route of each engine: one
    COPY per table for PostgreSQL; for SQLite, INSERTs of many rows each (one statement step
    per `_ROWS_PER_INSERT` rows instead of one per row)."""

    def __init__(self, conn: Connection, table: Table, columns: list[str], where: str) -> None:
        q = conn.dialect.identifier_preparer.quote
        raw = conn.connection.dbapi_connection
        self.where, self.cursor, self.width = where, raw.cursor(), len(columns)  # type: ignore[union-attr]
        self.pg = conn.dialect.name == "postgresql"
        cols = ", ".join(q(c) for c in columns)
        if self.pg:
            # canonical timestamps are UTC; say so, or the server reads them in its own zone
            self.ts = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, DateTime)]
            self.copying = self.cursor.copy(f"COPY {q(table.name)} ({cols}) FROM STDIN")
            self.copy = self.copying.__enter__()
            return
        one = f"({', '.join('?' * self.width)})"
        self.per = max(1, min(_ROWS_PER_INSERT, _MAX_PARAMS // max(1, self.width)))
        self.sql = f"INSERT INTO {q(table.name)} ({cols}) VALUES {one}"
        self.many = f"INSERT INTO {q(table.name)} ({cols}) VALUES {', '.join([one] * self.per)}"

    def insert(self, rows: list[list[Any]]) -> None:
        if self.pg:
            for row in rows:
                for i in self.ts:
                    if row[i] is not None:
                        row[i] = row[i] + "+00"
                self.copy.write_row(row)
            return
        whole = len(rows) - len(rows) % self.per
        if whole:
            try:
                flat = list(chain.from_iterable(rows[:whole]))
            except TypeError:
                flat = []
            if len(flat) != whole * self.width:  # else the rows would slide into each other's columns
                raise BackupAltered(path=self.where, detail=Phrase("backup.detail.bad_row"))
            step = self.per * self.width
            self.cursor.executemany(self.many, [flat[i:i + step] for i in range(0, len(flat), step)])
        if whole < len(rows):
            self.cursor.executemany(self.sql, rows[whole:])

    def close(self, error: BaseException | None = None) -> None:
        """End the table's COPY: sent whole, or abandoned when the load failed."""
        if self.pg and not getattr(self, "closed", False):
            self.closed = True
            if error is None:
                self.copying.__exit__(None, None, None)
            else:
                with suppress(Exception):  # the error that stopped the load is the one to tell
                    self.copying.__exit__(type(error), error, error.__traceback__)


def _fix_sequences(conn: Connection, schema: list[Table]) -> None:
    # rows came with their ids, so each id sequence must move past the largest one
    for table in schema:
        if "id" in table.c:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )

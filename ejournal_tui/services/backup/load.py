"""Writing a backup's content into a database: all or nothing, in one transaction.

The content is checked as it streams (each encrypted chunk's tag, then the manifest's hash and
counts at the end); anything wrong raises before COMMIT, so the database is left as it was.
The log of backup use (`backuprecord`) is never rolled back by a restore: a database that
already has one keeps it, an empty one takes the backup's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, Table
from sqlalchemy.exc import SQLAlchemyError

from ejournal_tui.data.db import head_revision, refresh_statistics
from ejournal_tui.services.backup.content import Manifest, TableBlock
from ejournal_tui.services.backup.errors import BackupAltered, RestoreFailed, SchemaMismatch
from ejournal_tui.services.backup.snapshot import tables

LOG_TABLE = "backuprecord"


def check_header(header: Any, where: str) -> None:
    if not isinstance(header, dict) or "schema_revision" not in header:
        raise BackupAltered(path=where, detail="no backup header")
    head = head_revision()
    if header["schema_revision"] != head:
        raise SchemaMismatch(found=header["schema_revision"], expected=head)


def occupied(engine: Engine) -> str:
    """What the database holds besides its backup log, as text ("" when empty)."""
    held = []
    with engine.connect() as conn:
        q = conn.dialect.identifier_preparer.quote
        for table in tables():
            if table.name != LOG_TABLE and conn.exec_driver_sql(f"SELECT 1 FROM {q(table.name)} LIMIT 1").first():
                held.append(table.name)
    return ", ".join(held[:4]) + (" …" if len(held) > 4 else "")


def restore_into(engine: Engine, items: Iterator[Any], where: str, *, replace: bool) -> Manifest:
    """Write the content of `items` (from `read_content`) into `engine`; returns the manifest."""
    check_header(next(items, None), where)
    try:
        with engine.begin() as conn:
            _ensure_write_transaction(conn)
            keep_log = _has_log(conn)
            if replace:
                _clear(conn)
            manifest = _write_all(conn, items, where, keep_log)
            if conn.dialect.name == "postgresql":
                _fix_sequences(conn)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
        raise RestoreFailed(detail=detail[0] if detail else exc.__class__.__name__) from exc
    refresh_statistics(engine)  # a freshly loaded PostgreSQL database has no planner statistics
    return manifest


def _ensure_write_transaction(conn: Connection) -> None:
    # All or nothing rests on one transaction; an SQLite engine built without the program's
    # BEGIN IMMEDIATE listener would otherwise run every statement on its own.
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and not raw.in_transaction:  # type: ignore[union-attr]
        raw.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]


def _has_log(conn: Connection) -> bool:
    return conn.exec_driver_sql(f"SELECT 1 FROM {LOG_TABLE} LIMIT 1").first() is not None


def _clear(conn: Connection) -> None:
    names = [t.name for t in tables() if t.name != LOG_TABLE]
    q = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"TRUNCATE {', '.join(q(n) for n in names)}")
        return
    for name in reversed(names):
        conn.exec_driver_sql(f"DELETE FROM {q(name)}")


def _write_all(conn: Connection, items: Iterable[Any], where: str, keep_log: bool) -> Manifest:
    known = {t.name: t for t in tables()}
    writer = None
    for item in items:
        if isinstance(item, Manifest):
            return item
        if isinstance(item, TableBlock):
            table = known.get(item.name)
            if table is None or not set(item.columns) <= set(table.c.keys()):
                raise BackupAltered(path=where, detail=f"table {item.name!r} does not fit this schema")
            skip = item.name == LOG_TABLE and keep_log
            writer = None if skip else _Inserter(conn, table, item.columns)
        elif writer is not None:
            writer.insert(item)
    raise BackupAltered(path=where, detail="no manifest")


class _Inserter:
    """Rows of one table into the database by the fastest plain route of each engine."""

    def __init__(self, conn: Connection, table: Table, columns: list[str]) -> None:
        q = conn.dialect.identifier_preparer.quote
        self.cursor = conn.connection.dbapi_connection.cursor()
        self.pg = conn.dialect.name == "postgresql"
        cols = ", ".join(q(c) for c in columns)
        if self.pg:
            self.sql = f"COPY {q(table.name)} ({cols}) FROM STDIN"
            # canonical timestamps are UTC; say so, or the server reads them in its own zone
            self.ts = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, DateTime)]
        else:
            self.sql = f"INSERT INTO {q(table.name)} ({cols}) VALUES ({', '.join('?' * len(columns))})"

    def insert(self, rows: list[list[Any]]) -> None:
        if not self.pg:
            self.cursor.executemany(self.sql, rows)
            return
        with self.cursor.copy(self.sql) as copy:
            for row in rows:
                for i in self.ts:
                    if row[i] is not None:
                        row[i] = row[i] + "+00"
                copy.write_row(row)


def _fix_sequences(conn: Connection) -> None:
    # rows came with their ids, so each id sequence must move past the largest one
    for table in tables():
        if "id" in table.c:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )

"""A consistent snapshot of the whole database, read while workstations keep writing.

PostgreSQL: one REPEATABLE READ, READ ONLY transaction (a snapshot) with server-side cursors.
SQLite: one deferred read transaction on a connection of our own; in WAL mode it sees the
database as of its first read and never blocks writers (the program's own connections take
the write lock at BEGIN, which a backup must not do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Table, text
from sqlmodel import SQLModel

from ejournal_tui.data import models as _models  # noqa: F401 - registers the tables
from ejournal_tui.data.db import is_sqlite
from ejournal_tui.domain.errors import DatabaseUnavailable
from ejournal_tui.services.backup.content import BATCH, ContentWriter, converters

Fetch = Callable[[str], Iterator[list[tuple]]]


def tables() -> list[Table]:
    """Every table of the schema in foreign-key order (parents first)."""
    return list(SQLModel.metadata.sorted_tables)


def select_sql(table: Table, quote: Callable[[str], str]) -> str:
    cols = ", ".join(quote(c.name) for c in table.c)
    order = f" ORDER BY {quote('id')}" if "id" in table.c else ""
    return f"SELECT {cols} FROM {quote(table.name)}{order}"


@contextmanager
def snapshot(engine: Engine) -> Iterator[tuple[str, Fetch]]:
    """(schema revision, fetch) inside one consistent read transaction."""
    if is_sqlite(engine):
        with _sqlite_snapshot(engine) as pair:
            yield pair
    else:
        with _pg_snapshot(engine) as pair:
            yield pair


@contextmanager
def _sqlite_snapshot(engine: Engine) -> Iterator[tuple[str, Fetch]]:
    import sqlite3

    path = engine.url.database
    if not path or path == ":memory:":
        raise DatabaseUnavailable(detail="an in-memory database cannot be backed up")
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("BEGIN")
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()

        def fetch(sql: str) -> Iterator[list[tuple]]:
            cur = conn.execute(sql)
            while batch := cur.fetchmany(BATCH):
                yield batch

        yield (rev[0] if rev else ""), fetch
        conn.execute("COMMIT")
    finally:
        conn.close()


@contextmanager
def _pg_snapshot(engine: Engine) -> Iterator[tuple[str, Fetch]]:
    with engine.connect() as base:
        conn = base.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
            raw = conn.connection.dbapi_connection
            counter = iter(range(1_000_000))

            def fetch(sql: str) -> Iterator[list[tuple]]:
                # a named (server-side) cursor: a district's database need not fit in memory
                with raw.cursor(name=f"ejournal_backup_{next(counter)}") as cur:
                    cur.execute(sql)
                    while batch := cur.fetchmany(BATCH):
                        yield batch

            yield rev, fetch


def dump(fetch: Fetch, quote: Callable[[str], str], out: ContentWriter) -> list[str]:
    """Every table through `out`; returns the codes of the schools found."""
    schools: list[str] = []
    for table in tables():
        out.table(table.name, [c.name for c in table.c])
        conv = converters(table)
        code_at = list(table.c.keys()).index("code") if table.name == "school" else -1
        for batch in fetch(select_sql(table, quote)):
            rows = _canonical(batch, conv)
            if code_at >= 0:
                schools.extend(r[code_at] for r in rows)
            out.rows(rows)
    return schools


def _canonical(batch: list[tuple], conv: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    if not conv:
        return batch
    rows = []
    for row in batch:
        values = list(row)
        for i, fn in conv:
            values[i] = fn(values[i])
        rows.append(values)
    return rows


def canonical_rows(engine: Engine, *, skip: tuple[str, ...] = ()) -> dict[str, list[Any]]:
    """Every table's rows in canonical form, read in one snapshot: what a backup would hold.
    Used to prove two databases (of any engines) hold the same data."""
    out: dict[str, list[Any]] = {}
    quote = engine.dialect.identifier_preparer.quote
    with snapshot(engine) as (_rev, fetch):
        for table in tables():
            if table.name in skip:
                continue
            conv = converters(table)
            out[table.name] = [list(r) for batch in fetch(select_sql(table, quote)) for r in _canonical(batch, conv)]
    return out

"""A consistent snapshot of the whole database, read while workstations keep writing.

PostgreSQL: one REPEATABLE READ, READ ONLY transaction (a snapshot) with server-side cursors.
SQLite: one deferred read transaction on a connection of our own; in WAL mode it sees the
database as of its first read and never blocks writers (the program's own connections take
the write lock at BEGIN, which a backup must not do).

SQLite also writes each row's canonical JSON itself (`json_array`), which spares the backup
building a Python object per value only to serialise it again. A row whose values are not in
the canonical form SQLite can pass through as is (a timestamp stored otherwise, a boolean held
as text) is read and converted in Python instead, so both routes give the same content.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    text,
)
from sqlmodel import SQLModel

from ejournal_tui.data import models as _models  # noqa: F401 - registers the tables
from ejournal_tui.data.db import is_sqlite
from ejournal_tui.domain.errors import DatabaseUnavailable
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.backup.content import BATCH, ContentWriter, converters

_PG_FETCH = 2000  # rows per round trip of the server-side cursor

Fetch = Callable[[str], Iterator[list[tuple]]]
JsonRows = Callable[[Table, Callable[[str], str]], Iterator[list[str]]]


@dataclass(frozen=True)
class Snapshot:
    revision: str
    fetch: Fetch  # the rows of a SELECT, batch by batch, as the driver gives them
    json_rows: JsonRows | None = None  # each row of a table as its canonical JSON text


def tables() -> list[Table]:
    """Every table of the schema in foreign-key order (parents first)."""
    return list(SQLModel.metadata.sorted_tables)


def reflected_tables(engine: Engine) -> list[Table]:
    """The tables as the database has them, in foreign-key order: those of a database at an
    older revision of the migrations, which the program's own models no longer describe."""
    found = MetaData()
    with engine.connect() as conn:
        found.reflect(bind=conn)
    return [t for t in found.sorted_tables if t.name != "alembic_version"]


def select_sql(table: Table, quote: Callable[[str], str]) -> str:
    cols = ", ".join(quote(c.name) for c in table.c)
    return f"SELECT {cols} FROM {quote(table.name)}{_order(table, quote)}"


def _order(table: Table, quote: Callable[[str], str]) -> str:
    return f" ORDER BY {quote('id')}" if "id" in table.c else ""


@contextmanager
def snapshot(engine: Engine) -> Iterator[Snapshot]:
    """The schema revision and the readers of one consistent read transaction."""
    if is_sqlite(engine):
        with _sqlite_snapshot(engine) as snap:
            yield snap
    else:
        with _pg_snapshot(engine) as snap:
            yield snap


@contextmanager
def _sqlite_snapshot(engine: Engine) -> Iterator[Snapshot]:
    path = engine.url.database
    if not path or path == ":memory:":
        raise DatabaseUnavailable(detail=Phrase("backup.detail.in_memory"))
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("BEGIN")
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()

        def fetch(sql: str) -> Iterator[list[tuple]]:
            cur = conn.execute(sql)
            while batch := cur.fetchmany(BATCH):
                yield batch

        def json_rows(table: Table, quote: Callable[[str], str]) -> Iterator[list[str]]:
            yield from _sqlite_json_rows(conn, table, quote)

        yield Snapshot(rev[0] if rev else "", fetch, json_rows if _has_json(conn) else None)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _has_json(conn: Any) -> bool:
    # JSON functions are built in since SQLite 3.38 and compiled in by most builds before it
    try:
        return conn.execute("SELECT json_array(1)").fetchone()[0] == "[1]"
    except sqlite3.OperationalError:
        return False


def _sqlite_json_rows(conn: Any, table: Table, quote: Callable[[str], str]) -> Iterator[list[str]]:
    sql, checked = json_select_sql(table, quote)
    cur = conn.execute(sql)
    while batch := cur.fetchmany(BATCH):
        rows = [r[0] for r in batch]
        if checked:
            for i, row in enumerate(rows):
                if row[0] == "!":  # not canonical as stored: this row takes the Python route
                    rows[i] = _python_json_row(conn, table, quote, int(row[1:]))
        yield rows


def _python_json_row(conn: Any, table: Table, quote: Callable[[str], str], rowid: int) -> str:
    cols = ", ".join(quote(c.name) for c in table.c)
    row = conn.execute(f"SELECT {cols} FROM {quote(table.name)} WHERE rowid = ?", (rowid,)).fetchone()
    return json.dumps(_canonical([row], converters(table))[0], ensure_ascii=False, separators=(",", ":"))


def json_select_sql(table: Table, quote: Callable[[str], str]) -> tuple[str, bool]:
    """SELECT of each row as the JSON array the Python route would write, or `!rowid` for a
    row holding a value SQLite cannot render canonically; and whether such rows can occur."""
    values, canonical = [], []
    for col in table.c:
        name, kind = quote(col.name), _python_type(col.type)
        if kind is datetime:
            values.append(name)
            canonical.append(f"({name} IS NULL OR (typeof({name}) = 'text' AND length({name}) = 26 "
                             f"AND substr({name}, 11, 1) = ' '))")
        elif kind is date:
            values.append(name)
            canonical.append(f"typeof({name}) IN ('text', 'null')")
        elif kind is bool:
            values.append(f"CASE WHEN {name} IS NULL THEN NULL WHEN {name} THEN json('true') ELSE json('false') END")
            canonical.append(f"typeof({name}) IN ('integer', 'null')")
        elif kind in (str, int):
            # an INTEGER column holds a REAL only if a fraction was put there, which the program
            # never does (and json_array prints such a value with 15 digits)
            values.append(name)
        else:
            values.append(_exact_real(name))
    row = f"json_array({', '.join(values)})"
    if canonical:
        row = f"CASE WHEN {' AND '.join(canonical)} THEN {row} ELSE '!' || rowid END"
    return f"SELECT {row} FROM {quote(table.name)}{_order(table, quote)}", bool(canonical)


def _python_type(kind: Any) -> type | None:
    """What a column holds, seen through type decorators (SQLModel's AutoString is one)."""
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for sql_type, python in ((DateTime, datetime), (Date, date), (Boolean, bool), (String, str), (Integer, int)):
        if isinstance(kind, sql_type):
            return python
    return None


def _exact_real(name: str) -> str:
    # json_array prints a REAL with 15 significant digits: exact for a multiple of 1/16 below
    # 1e9 (weights, hours: 1.5, 0.25), which is checked with exact arithmetic; any other REAL
    # is printed with 17 digits and a decimal point, which give it back bit for bit.
    return (f"CASE WHEN typeof({name}) != 'real' OR ({name} * 16 = CAST({name} * 16 AS INTEGER) "
            f"AND abs({name}) < 1e9) OR abs({name}) > 1.7976931348623157e308 THEN {name} "
            f"ELSE json(printf('%!.17g', {name})) END")


@contextmanager
def _pg_snapshot(engine: Engine) -> Iterator[Snapshot]:
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
                    while batch := cur.fetchmany(_PG_FETCH):
                        yield batch

            yield Snapshot(rev, fetch)


def dump(snap: Snapshot, quote: Callable[[str], str], out: ContentWriter,
         schema: list[Table] | None = None) -> list[str]:
    """Every table (of `schema`, by default the program's) through `out`; returns the codes
    of the schools found."""
    schools: list[str] = []
    for table in tables() if schema is None else schema:
        out.table(table.name, [c.name for c in table.c])
        if snap.json_rows is not None and table.name != "school":
            for texts in snap.json_rows(table, quote):
                out.json_rows(texts)
            continue
        conv = converters(table)
        code_at = list(table.c.keys()).index("code") if table.name == "school" else -1
        for batch in snap.fetch(select_sql(table, quote)):
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


def canonical_batches(snap: Snapshot, table: Table, quote: Callable[[str], str]) -> Iterator[list[Any]]:
    """A table's rows in canonical form (as a backup's content gives them), batch by batch."""
    conv = converters(table)
    for batch in snap.fetch(select_sql(table, quote)):
        yield [list(r) for r in _canonical(batch, conv)]


def canonical_rows(engine: Engine, *, skip: tuple[str, ...] = ()) -> dict[str, list[Any]]:
    """Every table's rows in canonical form, read in one snapshot: what a backup would hold.
    Used to prove two databases (of any engines) hold the same data."""
    out: dict[str, list[Any]] = {}
    quote = engine.dialect.identifier_preparer.quote
    with snapshot(engine) as snap:
        for table in tables():
            if table.name in skip:
                continue
            out[table.name] = [row for batch in canonical_batches(snap, table, quote) for row in batch]
    return out

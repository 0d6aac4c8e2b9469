"""Running a prebuilt Core statement straight on the DB-API cursor.

For the statements of the hottest paths (the queries of a register opened, the checks and
writes of a mark typed), SQLAlchemy's execution machinery (Row objects, events, result
processing) costs several times what the database does. This compiles each statement once
per dialect, binds values through the column types' own bind processors (so a timestamp or a
date is stored exactly as SQLAlchemy stores it) and runs it on the cursor of the unit of
work's connection, inside its transaction.

Columns come back as the driver gives them: DATE columns need `as_date` (SQLite returns ISO
text), booleans may be 0/1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Insert
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Prepared:
    sql: str
    names: tuple[str, ...] | None  # the parameters in order, for a positional driver
    processors: dict[str, Callable[[Any], Any]]
    compiled: Any
    # a query, or a write with RETURNING: known when compiled, so that no execution asks the
    # cursor (psycopg builds a column object per column to answer `description`)
    returns_rows: bool | None


_PREPARED: dict[tuple, _Prepared] = {}


def fetch_tuples(conn: Connection, stmt: ClauseElement, params: dict[str, Any]) -> list[tuple]:
    """All rows of `stmt` with `params`, as the driver returns them."""
    return execute(conn, stmt, params)[0]


def execute(conn: Connection, stmt: ClauseElement, params: dict[str, Any]) -> tuple[list[tuple], int]:
    """Run `stmt` (a query, or a write with or without RETURNING) with `params`, which must
    give every value (no column defaults are applied here): (rows returned, rows affected)."""
    if not conn.in_transaction():
        # begin as SQLAlchemy would (BEGIN IMMEDIATE for a writing SQLite unit of work): a
        # statement run straight on the cursor would otherwise read outside the transaction
        # its checks are meant to hold, and the queries of one register in different snapshots
        conn.begin()
    prepared = _prepare(conn, stmt, params)
    args = _args(prepared, params)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(prepared.sql, args)
        returns_rows = prepared.returns_rows
        if returns_rows is None:  # text: only the cursor knows
            returns_rows = cursor.description is not None
        rows = cursor.fetchall() if returns_rows else []
        return rows, cursor.rowcount
    finally:
        cursor.close()


def bound(conn: Connection, stmt: ClauseElement, params: dict[str, Any]) -> tuple[str, Any]:
    """`stmt` as the driver's SQL and `params` as the driver takes them, for a caller that
    sends it along with other statements (services/audit.py)."""
    prepared = _prepare(conn, stmt, params)
    return prepared.sql, _args(prepared, params)


def _args(prepared: _Prepared, params: dict[str, Any]) -> Any:
    values = prepared.compiled.construct_params(params)
    for name, proc in prepared.processors.items():
        if name in values and values[name] is not None:
            values[name] = proc(values[name])
    return [values[name] for name in prepared.names] if prepared.names is not None else values


def _prepare(conn: Connection, stmt: ClauseElement, params: dict[str, Any]) -> _Prepared:
    dialect = conn.dialect
    insert = isinstance(stmt, Insert)
    key = (id(stmt), dialect.name, tuple(params) if insert else ())
    prepared = _PREPARED.get(key)
    if prepared is None:
        # an INSERT of a table compiles to the columns given, as SQLAlchemy's own execute does
        compiled = stmt.compile(dialect=dialect, column_keys=list(params) if insert else None)
        missing = set(compiled.binds) - set(params) if insert else set()
        if missing:  # SQLAlchemy's execute would fill these from column defaults; we don't
            raise ValueError(f"no value for {', '.join(sorted(missing))}")
        processors = {}
        for name, bind in compiled.binds.items():
            proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if proc is None and bind.type._isnull and dialect.name == "sqlite":
                proc = _untyped  # type: ignore[assignment]
            if proc is not None:
                processors[name] = proc
        names = tuple(compiled.positiontup) if compiled.positional else None
        prepared = _PREPARED[key] = _Prepared(compiled.string, names, processors, compiled, _returns_rows(compiled))
    return prepared


def _returns_rows(compiled: Any) -> bool | None:
    if compiled.isinsert or compiled.isupdate or compiled.isdelete:
        return bool(compiled.effective_returning)
    return True if compiled.statement.is_select else None


def as_date(value: Any) -> date | None:
    """A DATE column as fetched: a date from PostgreSQL, ISO text from SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _untyped(value: Any) -> Any:
    # sqlite3's implicit date adapter is deprecated; dates are stored as ISO text anyway
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if isoformat is not None and not isinstance(value, str) else value

"""Running a prebuilt Core statement straight on the DB-API cursor.

For the one or two queries that return hundreds of rows every time a register opens,
SQLAlchemy's result machinery (Row objects, type processors) costs as much as the query.
This compiles the statement once per dialect and fetches plain tuples. Columns come back
as the driver gives them: DATE columns need `as_date` (SQLite returns ISO text), booleans
may be 0/1.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement

_COMPILED: dict[tuple[int, str], Any] = {}


def fetch_tuples(conn: Connection, stmt: ClauseElement, params: dict[str, Any]) -> list[tuple]:
    """All rows of `stmt` with `params`, as the driver returns them."""
    key = (id(stmt), conn.dialect.name)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = stmt.compile(dialect=conn.dialect)
        _COMPILED[key] = compiled
    values = compiled.construct_params(params)
    if compiled.positional:
        args: Any = [_adapt(values[name]) for name in compiled.positiontup]
    else:
        args = {k: _adapt(v) for k, v in values.items()}
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(compiled.string, args)
        return cursor.fetchall()
    finally:
        cursor.close()


def as_date(value: Any) -> date | None:
    """A DATE column as fetched: a date from PostgreSQL, ISO text from SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _adapt(value: Any) -> Any:
    # sqlite3's implicit date adapter is deprecated; dates are stored as ISO text anyway
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if isoformat is not None and not isinstance(value, str) else value

"""PostgreSQL: the change log's append as the server runs it (services/audit.py hashes).

One statement locks the school's chain head (FOR UPDATE gives the latest head even after
waiting for another writer), moves it on with the hash computed on the server over
`payload_start || seq || payload_end` (the canonical payload `audit.event_hash` hashes, split
around the sequence number only the server knows) and inserts the event.

Sent as SQL, that statement is parsed and planned at every mark typed, which costs more than
running it. So `db upgrade` also installs it as a function in the guard schema
(data/pg_security.py), whose plans PL/pgSQL keeps for the session, and the program calls
that. (A prepared statement would keep its plan too, but psycopg deallocates every prepared
statement of a session at each rollback.) A database without the function, or whose role may
not call it, gets the statement itself.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, text

# the statement's parameters and their types: the function's signature, in order
PARAMS: tuple[tuple[str, str], ...] = (
    ("school_id", "integer"), ("payload_start", "text"), ("payload_end", "text"), ("at", "timestamptz"),
    ("actor", "varchar"), ("action", "varchar"), ("entity", "varchar"), ("entity_id", "integer"),
    ("class_id", "integer"), ("pupil_id", "integer"), ("lesson_date", "date"), ("before", "varchar"),
    ("after", "varchar"), ("reason", "varchar"), ("flagged", "boolean"),
)
_TYPES = dict(PARAMS)
FUNCTION = "append_event"
SIGNATURE = f"{FUNCTION}({', '.join(t for _, t in PARAMS)})"


def _ensure_head(value: Callable[[str], str], head: str) -> str:
    return f"INSERT INTO {head} (school_id, seq, hash) VALUES ({value('school_id')}, 0, '') ON CONFLICT (school_id) DO NOTHING"


def _append(value: Callable[[str], str], head: str, event: str) -> str:
    v = value
    columns = ("at", "actor", "action", "entity", "entity_id", "class_id", "pupil_id", "lesson_date", "before",
               "after", "reason", "flagged")
    return f"""WITH old AS (
    SELECT seq, hash FROM {head} WHERE school_id = {v('school_id')} FOR UPDATE
), moved AS (
    UPDATE {head} AS h
    SET seq = old.seq + 1,
        hash = encode(sha256(convert_to(
            old.hash || {v('payload_start')} || (old.seq + 1)::text || {v('payload_end')}, 'UTF8')), 'hex')
    FROM old
    WHERE h.school_id = {v('school_id')}
    RETURNING h.seq AS seq, h.hash AS hash
)
INSERT INTO {event} (school_id, seq, {', '.join(columns)}, prev_hash, hash)
SELECT {v('school_id')}, moved.seq, {', '.join(v(c) for c in columns)}, old.hash, moved.hash
FROM old, moved"""


def _bound(name: str) -> str:
    return f"CAST(:{name} AS {_TYPES[name]})"


# the statements themselves, for a database without the function (names as the search path finds them)
ENSURE_HEAD = text(_ensure_head(_bound, "audithead"))
APPEND = text(_append(_bound, "audithead", "auditevent"))


def install_sql(schema: str, guard: str) -> list[str]:
    """The function (quoted schema names given), as the caller's own statements: the guards and
    row-level security apply to the workstation that calls it as to the statements."""
    args = ", ".join(f"p_{name} {type_}" for name, type_ in PARAMS)
    head, event = f"{schema}.audithead", f"{schema}.auditevent"
    return [
        f"""CREATE OR REPLACE FUNCTION {guard}.{FUNCTION}({args}) RETURNS integer LANGUAGE plpgsql AS $$
            DECLARE appended integer;
            BEGIN
              -- a look costs less than an INSERT … ON CONFLICT (and its trigger) at every event
              IF NOT EXISTS (SELECT 1 FROM {head} WHERE school_id = p_school_id) THEN
                {_ensure_head(lambda n: f'p_{n}', head)};
              END IF;
              {_append(lambda n: f'p_{n}', head, event)};
              GET DIAGNOSTICS appended = ROW_COUNT;
              RETURN appended;
            END $$""",
        f"REVOKE ALL ON FUNCTION {guard}.{SIGNATURE} FROM PUBLIC",
    ]


def grant_sql(guard: str, role: str) -> str:
    return f"GRANT EXECUTE ON FUNCTION {guard}.{SIGNATURE} TO {role}"


def call_sql(function: str) -> str:
    """The call, in psycopg's named parameter style; returns the number of events appended.
    (psycopg writes dates and times with their types; the one signature takes the rest.)"""
    return f"SELECT {function}({', '.join(f'%({name})s' for name, _ in PARAMS)})"


# per driver connection: the function to call, or None (a new connection looks once)
_FOUND: weakref.WeakKeyDictionary[Any, str | None] = weakref.WeakKeyDictionary()


def function_of(conn: Connection) -> str | None:
    """The schema-qualified function this connection may call, or None."""
    driver = conn.connection.driver_connection
    if driver not in _FOUND:
        from ejournal_tui.data.pg_security import guard_schema

        schema = conn.execute(text("SELECT current_schema()")).scalar() or "public"
        qualified = '"' + guard_schema(schema).replace('"', '""') + '".' + FUNCTION
        usable = conn.execute(text("SELECT has_function_privilege(to_regprocedure(:f), 'EXECUTE')"),
                              {"f": f"{qualified}({', '.join(t for _, t in PARAMS)})"}).scalar()
        _FOUND[driver] = qualified if usable else None
    return _FOUND[driver]

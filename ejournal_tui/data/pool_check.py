"""Which pooled PostgreSQL connection must be pinged before it is lent out, and which need not.

SQLAlchemy's `pool_pre_ping` sends a round trip at every checkout: for a mark typed, a quarter
of the program's round trips (issue "A record no one can quietly rewrite": a mark's commit
within 3 × the bare driver's). Most checkouts don't need it. A connection is lent out:

- at once when it came back to the pool moments ago and its socket has nothing to read. A
  server that restarted, or an administrator who ended the session, sends its goodbye
  (an error message, then the end of the stream) to the socket, so it is readable: that is
  seen without a round trip. A network that died silently leaves nothing to read; the
  watchdog (data/network.py) cuts the statement that waits on it, and the program offers to
  resend (tui/writer.py), as for a network that dies mid-statement.
- after a ping when it has been idle at least `PING_AFTER_IDLE_S`: a firewall or a NAT may
  have forgotten a connection that idle without a word, and then the ping's failure costs
  nothing but a new connection.

A failed ping raises `DisconnectionError`, so the pool opens a new connection instead.
"""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

# longer than a person's pause between two entries, shorter than the keepalives' first probe
PING_AFTER_IDLE_S = 5.0
_BACK_AT = "ejournal_back_at"  # the connection record's info: when it came back to the pool


def install(engine: Engine) -> None:
    """Check `engine`'s connections at checkout as described above (instead of `pool_pre_ping`)."""

    @event.listens_for(engine, "checkin")
    def _back(_dbapi_conn: Any, record: Any) -> None:
        record.info[_BACK_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _lend(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        back_at = record.info.pop(_BACK_AT, None)
        if back_at is None:  # new from the server just now
            return
        if time.monotonic() - back_at < PING_AFTER_IDLE_S and not _has_news(dbapi_conn):
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - whatever the driver raises, the connection is gone
            raise DisconnectionError(str(exc)) from exc
        if not alive:
            raise DisconnectionError("the server did not answer the ping")


def _has_news(dbapi_conn: Any) -> bool:
    """Whether an idle connection's socket has something to read (the server's goodbye) or is
    gone: no statement is in flight, so the server has nothing else to say."""
    try:
        if dbapi_conn.closed:
            return True
        readable, _, broken = select.select([dbapi_conn.pgconn.socket], [], [dbapi_conn.pgconn.socket], 0)
    except Exception:  # noqa: BLE001 - no socket: closed
        return True
    return bool(readable or broken)

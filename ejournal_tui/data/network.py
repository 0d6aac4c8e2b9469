"""A PostgreSQL server behind a network that died: noticed in seconds, not in hours.

A dead switch, a cable pulled, a server that froze: without help a workstation waits for the
answer to its statement for as long as TCP does (hours), the teacher sees "Loading…" and even
quitting hangs. Three things end the wait, each where it can see the fault:

- the kernel: TCP keepalives on an idle connection and `tcp_user_timeout` on data the server
  never acknowledged (libpq ≥ 12), both ways — the server is asked for keepalives too, so it
  ends the session of a workstation gone silent and frees its row locks;
- the watchdog of this module: a round trip unanswered for a third of the limit makes it ask
  the server's address for a sign of life (PostgreSQL's one-byte answer to an SSL request, no
  login). No answer within another third and the connection's socket is shut: the waiting
  statement fails at once with the driver's "server closed the connection", as on a lost
  link. This is the one that catches a middlebox keeping TCP open but forwarding nothing,
  which keepalives never notice; a server that answers is left to finish a long statement;
- the server: `statement_timeout` for the TUI's engine only (NetworkLimits.statement_s),
  where a statement stuck behind a lock should end in an error a person can act on; the
  CLI's batch work (a whole school's backup or export) is never cut by the server.

`release(engine)` is for quitting: round trips in flight are cut and the pool is let go
without waiting on a server that may never answer.
"""

from __future__ import annotations

import math
import os
import socket
import struct
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

# PostgreSQL answers this request with one byte ('S' or 'N') before any login
_SSL_REQUEST = struct.pack("!ii", 8, 80877103)
_LOCK = threading.Lock()  # a round trip's end waits while the watchdog cuts its socket
_WATCHES: weakref.WeakKeyDictionary[Engine, Watch] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class NetworkLimits:
    """How soon a PostgreSQL connection gives up on a silent network and a slow statement.

    `silence_s`: a dead network or a server that stopped answering is noticed within about
    this many seconds (0 or less: only as soon as the operating system notices, which is
    hours). `statement_s`: the server cancels one statement running longer (0: never).
    """

    silence_s: float = 10.0
    statement_s: float = 0.0

    @property
    def connect_timeout(self) -> int:
        # a third of the limit: when the pool's ping of an idle connection (data/pool_check.py) is cut (after
        # two thirds), the pool tries a new connection, and the whole wait stays near the
        # limit. libpq counts whole seconds and treats less than 2 as 2.
        return max(2, math.ceil(self.silence_s / 3)) if self.silence_s > 0 else 5

    @property
    def probe_s(self) -> float:
        """The watchdog asks the server for a sign of life after a round trip silent this
        long, and waits as long again for the answer."""
        return self.silence_s / 3

    def keepalives(self) -> tuple[int, int, int]:
        """(idle, interval, count) in seconds: a dead peer of an idle connection is given up
        after idle + interval × count, within the limit."""
        idle = max(1, math.ceil(self.silence_s / 2))
        return idle, max(1, math.floor(self.silence_s / 6)), 3

    def libpq_params(self) -> dict[str, Any]:
        """Connection parameters for libpq (a URL's own value wins over these)."""
        params: dict[str, Any] = {"connect_timeout": self.connect_timeout}
        if self.silence_s <= 0:
            return params
        idle, interval, count = self.keepalives()
        params.update(keepalives=1, keepalives_idle=idle, keepalives_interval=interval, keepalives_count=count)
        if _libpq_version() >= 120000:  # an older libpq refuses a parameter it does not know
            params["tcp_user_timeout"] = int(self.silence_s * 1000)
        return params

    def server_options(self) -> str:
        """`-c` settings for the server's side of the session (libpq's `options`)."""
        settings = []
        if self.silence_s > 0:
            idle, interval, count = self.keepalives()
            settings += [f"tcp_keepalives_idle={idle}", f"tcp_keepalives_interval={interval}",
                         f"tcp_keepalives_count={count}"]
        if self.statement_s > 0:
            settings.append(f"statement_timeout={int(self.statement_s * 1000)}")
        return " ".join(f"-c {s}" for s in settings)


def _libpq_version() -> int:
    import psycopg

    return psycopg.pq.version()


def merged_options(ours: str, given: object) -> str:
    """Our `-c` settings first, then the URL's own `options` (a later `-c` wins at the server,
    so a setting in the URL overrides ours; `-csearch_path=…` of the URL is kept)."""
    if isinstance(given, (tuple, list)):
        given = " ".join(str(g) for g in given)
    return " ".join(part for part in (ours, str(given or "")) if part)


# ---- the connections the watchdog sees ---------------------------------------------------


class Watch:
    """One engine's limits and its connections' round trips."""

    def __init__(self, limits: NetworkLimits) -> None:
        self.limits = limits
        self.connections: weakref.WeakSet = weakref.WeakSet()
        self.released = False  # the program is quitting: no new connection

    def connect(self, cargs: tuple, cparams: dict[str, Any]) -> Any:
        """A psycopg connection the watchdog sees, with the limits in its parameters."""
        import psycopg

        if self.released:  # a round trip cut by quitting is not retried on a new connection
            raise psycopg.OperationalError("the program is quitting")
        for key, value in self.limits.libpq_params().items():
            cparams.setdefault(key, value)
        options = merged_options(self.limits.server_options(), cparams.get("options") or os.environ.get("PGOPTIONS"))
        if options:
            cparams["options"] = options
        conn = _watched_class().connect(*cargs, **cparams)
        peer = _peer(conn)
        if peer is not None and self.limits.silence_s > 0:
            conn._ej_peer = peer
            conn._ej_limits = self.limits
            self.connections.add(conn)
            _Watchdog.ensure()
        return conn


def install(engine: Engine, limits: NetworkLimits) -> None:
    """Make `engine`'s connections with `limits` and watch their round trips."""
    watch = Watch(limits)
    _WATCHES[engine] = watch

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: tuple, cparams: dict[str, Any]) -> Any:
        return watch.connect(cargs, cparams)


_CLASS: type | None = None


def _watched_class() -> type:
    """psycopg's connection, with each round trip (every statement, commit and rollback
    passes through `wait`) marked while it waits for the server."""
    global _CLASS
    if _CLASS is None:
        import psycopg

        class WatchedConnection(psycopg.Connection):  # type: ignore[type-arg]
            _ej_since = 0.0  # monotonic time the round trip began; 0: none in flight
            _ej_round = 0

            def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
                with _LOCK:
                    self._ej_round += 1
                    self._ej_since = time.monotonic()
                try:
                    return super().wait(gen, *args, **kwargs)
                finally:
                    with _LOCK:
                        self._ej_since = 0.0

        _CLASS = WatchedConnection
    return _CLASS


def _peer(conn: Any) -> tuple[int, Any] | None:
    """(address family, address) of the server's end of a TCP connection; None for a local
    socket file, which no network stands between."""
    try:
        with socket.socket(fileno=os.dup(conn.pgconn.socket)) as sock:
            if sock.family not in (socket.AF_INET, socket.AF_INET6):
                return None
            return sock.family, sock.getpeername()
    except OSError:
        return None


def answers(peer: tuple[int, Any], timeout: float) -> bool:
    """Whether a PostgreSQL server at `peer` answers a new connection within `timeout`."""
    family, address = peer
    deadline = time.monotonic() + timeout
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
            sock.sendall(_SSL_REQUEST)
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            return bool(sock.recv(1))
    except OSError:
        return False


def _cut(conn: Any, round_: int | None = None) -> bool:
    """Shut the socket of a connection waiting for the server (of round trip `round_` if
    given): the wait ends at once with the driver's lost-connection error."""
    with _LOCK:
        if not conn._ej_since or (round_ is not None and conn._ej_round != round_):
            return False
        try:
            with socket.socket(fileno=os.dup(conn.pgconn.socket)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # noqa: BLE001 - closed meanwhile: nothing left to cut
            return False
    return True


class _Watchdog:
    """One daemon thread for the process: looks at the round trips in flight a few times a
    second, asks a silent one's server for a sign of life and cuts it when none comes."""

    _thread: threading.Thread | None = None
    _alive: dict[tuple, float] = {}  # server address -> when it last answered
    TICK = 0.25

    @classmethod
    def ensure(cls) -> None:
        with _LOCK:
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = threading.Thread(target=cls._run, name="ejournal-net-watchdog", daemon=True)
                cls._thread.start()

    @classmethod
    def _run(cls) -> None:
        while True:
            time.sleep(cls.TICK)
            try:
                cls._look()
            except Exception:  # noqa: BLE001 - the watchdog never dies of one odd connection
                pass

    @classmethod
    def _look(cls) -> None:
        silent: dict[tuple, list[tuple[Any, int]]] = {}
        now = time.monotonic()
        for watch in list(_WATCHES.values()):
            for conn in list(watch.connections):
                since, round_, limits = conn._ej_since, conn._ej_round, conn._ej_limits
                if since and now - since >= limits.probe_s:
                    silent.setdefault((conn._ej_peer, limits.probe_s), []).append((conn, round_))
        for (peer, probe_s), waiting in silent.items():
            if now - cls._alive.get(peer, 0.0) < probe_s:
                continue  # it answered a moment ago: a long statement, not a dead network
            if answers(peer, probe_s):
                cls._alive[peer] = time.monotonic()
                continue
            for conn, round_ in waiting:
                _cut(conn, round_)


def in_flight(engine: Engine) -> int:
    """How many of `engine`'s connections are waiting for the server now."""
    watch = _WATCHES.get(engine)
    return sum(1 for conn in list(watch.connections) if conn._ej_since) if watch is not None else 0


def release(engine: Engine, wait_s: float = 1.0) -> None:
    """Let go of `engine` when quitting: cut its round trips in flight (their threads get the
    lost-connection error at once, and no new connection to retry on) and close the pool,
    waiting at most `wait_s` for it — a closing connection may still try to say goodbye to a
    server that is gone. A connection being opened meanwhile ends by its connect timeout."""
    watch = _WATCHES.get(engine)
    if watch is not None:
        watch.released = True
        for conn in list(watch.connections):
            _cut(conn)
    closer = threading.Thread(target=engine.dispose, name="ejournal-dispose", daemon=True)
    closer.start()
    closer.join(wait_s)

"""A dead switch for tests: a TCP proxy on loopback in front of the PostgreSQL server that
can fall silent. Silent, it keeps every TCP connection open (the kernel still acknowledges
what is sent, as a middlebox does) and drops every byte both ways; new connections are
accepted and get nothing either. Forwarding again, the connections that lost bytes are
closed (their conversation is broken) and new ones work.

    with SilentSwitch() as switch:
        engine = make_engine(switch.url(pg_url))
        switch.go_silent()        # or switch.silent_after(b"COMMIT"): the commit reaches
        ...                       # the server, its answer never comes back
        switch.forward()
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
from sqlalchemy.engine import make_url


@pytest.fixture
def pg_empty_url(request: pytest.FixtureRequest) -> str:
    """The test run's PostgreSQL schema, migrated and emptied (skipped with no server given,
    like every PostgreSQL test; a failure when EJOURNAL_REQUIRE_POSTGRES=1)."""
    from tests.conftest import emptied_pg_url

    return emptied_pg_url(request)


class SilentSwitch:
    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.upstream = upstream
        self.silent = False
        self._trigger: bytes | None = None
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._lock = threading.Lock()
        self._pairs: list[_Pair] = []
        self._closed = False
        threading.Thread(target=self._accept, name="silent-switch", daemon=True).start()

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def url(self, url: str) -> str:
        """`url` with its server replaced by this proxy."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def go_silent(self) -> None:
        self.silent = True

    def silent_after(self, marker: bytes) -> None:
        """Forward until the program sends `marker` (forwarded too), then fall silent."""
        self._trigger = marker

    def forward(self) -> None:
        """Forward again; connections that lost bytes meanwhile are closed."""
        with self._lock:
            broken = [p for p in self._pairs if p.lost]
            self._pairs = [p for p in self._pairs if not p.lost]
            self._trigger = None
            self.silent = False
        for pair in broken:
            pair.close()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            pair.close()

    def __enter__(self) -> SilentSwitch:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- inside ---------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        pair = _Pair(self, client)
        with self._lock:
            self._pairs.append(pair)
        if self.silent:  # a new connection through a dead switch: accepted, never answered
            pair.lost = True
            pair.pump(client, None)
            return
        try:
            pair.server = socket.create_connection(self.upstream)
        except OSError:
            pair.close()
            return
        threading.Thread(target=pair.pump, args=(pair.server, client), daemon=True).start()
        pair.pump(client, pair.server)

    def _passes(self, data: bytes, from_program: bool) -> bool:
        """Whether `data` goes through (a trigger seen in the program's bytes passes, then
        silence)."""
        if self.silent:
            return False
        if from_program and self._trigger is not None and self._trigger in data:
            self.silent = True
        return True


class _Pair:
    """One program connection and its connection to the server."""

    def __init__(self, switch: SilentSwitch, client: socket.socket) -> None:
        self.switch = switch
        self.client = client
        self.server: socket.socket | None = None
        self.lost = False

    def pump(self, source: socket.socket, target: socket.socket | None) -> None:
        from_program = source is self.client
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                if not self.switch.silent and not self.lost:  # an end said goodbye: pass it on
                    self.close()
                return
            if target is not None and self.switch._passes(data, from_program):  # noqa: SLF001
                try:
                    target.sendall(data)
                except OSError:
                    return
            else:
                self.lost = True

    def close(self) -> None:
        for sock in (self.client, self.server):
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

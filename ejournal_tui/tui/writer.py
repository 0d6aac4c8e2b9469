"""The TUI's writes: queued in the order typed and run one after another by one plain thread
(not a Textual worker, so waiting for workers never waits for it), so a mark typed and then
deleted is never stored the other way round.

A write that cannot reach the database (the network or the server fell silent) is not
lost when its function can be sent again — it takes `again`, and when sent again finds what a
first attempt whose answer was lost may have stored (services/register_editor.py `write`).
Such a write is kept, named on the unreachable screen, and sent again in order after
reconnecting; the writes typed after it wait behind it without trying. Any other write
refused for a lost connection goes to its `on_error`, as every refusal does.
"""

from __future__ import annotations

import inspect
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ejournal_tui.tui.session import TuiSession


@dataclass(eq=False)
class PendingWrite:
    """One write typed and not stored yet: the call, what to do after, and how it is named."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    session: TuiSession
    on_result: Callable[[Any], None] | None = None
    on_error: Callable[[Exception], None] | None = None
    label: str = ""  # «5А, Русский язык, 20.11, Волков Виктор — 5»
    tried: bool = False  # an attempt reached the writer: a second one is sent with again=True
    held: bool = False  # kept until the database is reachable again
    resendable: bool = field(init=False)

    def __post_init__(self) -> None:
        try:
            self.resendable = "again" in inspect.signature(self.fn).parameters
        except (TypeError, ValueError):
            self.resendable = False

    def run(self) -> Any:
        kwargs = dict(self.kwargs, again=True) if self.tried and self.resendable else self.kwargs
        self.tried = True
        with self.session.db.uow() as uow:
            return self.fn(uow, self.session.actor, *self.args, **kwargs)


def connection_lost(exc: BaseException) -> bool:
    """Whether `exc` says the database was not reached (or stopped answering), rather than
    refusing the write."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from ejournal_tui.domain.errors import DatabaseUnavailable

    if isinstance(exc, (OperationalError, DatabaseUnavailable)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class Writer:
    """The queue of writes, its thread, and the writes not stored yet. `report(name, entry,
    value)` hands an outcome to the UI thread: "stored" (value: the result), "refused" (the
    error) or "held" (the error of the lost connection)."""

    def __init__(self, report: Callable[[str, PendingWrite, Any], None]) -> None:
        self.report = report
        self.unsaved: list[PendingWrite] = []  # in the order typed; touched on the UI thread only
        self.offline = False
        self._queue: queue.Queue[PendingWrite | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="ejournal-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, entry: PendingWrite) -> None:
        self.unsaved.append(entry)
        self._queue.put(entry)

    def pending(self) -> int:
        """Writes queued or running (held ones are neither)."""
        return self._queue.unfinished_tasks

    def busy(self) -> bool:
        return any(not entry.held for entry in self.unsaved)

    def labels(self) -> list[str]:
        return [entry.label for entry in self.unsaved]

    def done(self, entry: PendingWrite) -> None:
        if entry in self.unsaved:
            self.unsaved.remove(entry)

    def hold(self, entry: PendingWrite) -> bool:
        """Keep `entry` until reconnected; False (sent again at once) when the database is
        reachable again already."""
        if not self.offline:
            self._queue.put(entry)
            return False
        entry.held = True
        return True

    def resend_held(self) -> None:
        """The database is reachable again: the held writes go, in the order typed."""
        self.offline = False
        for entry in self.unsaved:
            if entry.held:
                entry.held = False
                self._queue.put(entry)

    def stop(self) -> None:
        self._queue.put(None)

    def _loop(self) -> None:
        while True:
            entry = self._queue.get()
            try:
                if entry is None:
                    return
                self._run(entry)
            except Exception:  # noqa: BLE001 - the app closed while this entry was written
                pass
            finally:
                self._queue.task_done()

    def _run(self, entry: PendingWrite) -> None:
        if self.offline and entry.resendable:  # behind a held write: wait, in order, untried
            self.report("held", entry, None)
            return
        try:
            result = entry.run()
        except Exception as exc:  # noqa: BLE001 - every failure is shown, never raised
            if connection_lost(exc) and entry.resendable:
                self.offline = True
                self.report("held", entry, exc)
            else:
                self.report("refused", entry, exc)
            return
        self.report("stored", entry, result)

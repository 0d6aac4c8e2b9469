"""One sending run of `notify parents` per school at a time. Two runs at once (a timer firing
while the sysadmin runs it by hand, a class leader's "send now" during the nightly run) would
both read the same last delivery and both send: parents would get every mark twice.

`one_run(db, by)` is held from the plan (which reads each family's last delivery) to the run's
last delivery row. A second run meanwhile is refused at once with `RunUnderWay`, before it
reads, sends or logs anything; it is not queued, since it would then tell nothing new anyway.

- PostgreSQL: a session-level advisory lock, `pg_try_advisory_lock(NAMESPACE, key)`, on a
  connection of its own kept for the run. NAMESPACE sets ejournal's lock apart from anyone
  else's (`SELECT * FROM pg_locks WHERE classid = 1162497616`); `key` is the school within
  its schema, hashed to 32 bits: advisory locks are per database, and one database may hold
  several schools' schemas, each with its school 1. The lock goes with its session, so a
  process that dies (or a workstation gone silent, ended by keepalives) loses it; the
  connection is closed at the end, never handed back to the pool, where an unlock lost on the
  way would keep it.
- SQLite: an OS lock, `flock` (`msvcrt.locking` on Windows), on `<db file>.notify-<school
  id>.lock` beside the database, created 0600. The OS drops it when the process ends, however
  it ends. The file stays: removed, a third run could lock a new file while the second still
  held the old one. What it holds (who, since when) only words the refusal.
- An in-memory SQLite database is seen by one process only: no lock.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from ejournal_tui.domain.errors import EjournalError, InvalidInput
from ejournal_tui.i18n import Phrase, fmt_date, register_many
from ejournal_tui.services.context import Database

NAMESPACE = 0x454A4E50  # "EJNP": ejournal, notify parents (pg_locks.classid)
_APP = "ejournal-notify"  # the lock session's application_name: who holds it, since when
_WINDOWS_BYTE = 1 << 30  # msvcrt locks a byte range; this one, so that the holder stays readable

register_many({
    "notify.busy": ("рассылка родителям по этой школе уже идёт (начата {at} пользователем {by}): дождитесь её окончания",
                    "another notify run for this school is under way (started {at} by {by}): wait for it to end"),
    "notify.busy_unknown": ("рассылка родителям по этой школе уже идёт: дождитесь её окончания",
                            "another notify run for this school is under way: wait for it to end"),
    "notify.lock_file": ("не удаётся заблокировать файл {path}: {detail}", "cannot lock the file {path}: {detail}"),
})


class RunUnderWay(EjournalError):
    """Another sending run for this school holds the lock."""

    key = "notify.busy"


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, since when: written by the run, read back by a refused one."""

    by: str
    since: datetime  # aware

    def encode(self) -> str:
        return f"{self.since.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ} {quote(self.by, safe='')}"

    @classmethod
    def decode(cls, line: str) -> Holder | None:
        """None for anything else (an empty file, a name cut short by PostgreSQL)."""
        since, _, by = line.strip().partition(" ")
        try:
            at = datetime.fromisoformat(since)
        except ValueError:
            return None
        return cls(unquote(by), at) if by and at.tzinfo is not None else None


def refusal(holder: Holder | None) -> RunUnderWay:
    if holder is None:
        return RunUnderWay("notify.busy_unknown")
    local = holder.since.astimezone()
    return RunUnderWay(at=f"{fmt_date(local.date())} {local:%H:%M}", by=holder.by)


def one_run(db: Database, by: str) -> AbstractContextManager[None]:
    """Held for one sending run of `db`'s school by `by` (a login); raises `RunUnderWay` when
    another holds it."""
    holder = Holder(by, db.clock.now())
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        return _pg_lock(db.engine, db.school_id, holder)
    path = sqlite_file(url)
    if path is None:
        return nullcontext()
    return _file_lock(lock_path(path, db.school_id), holder)


# --- PostgreSQL -------------------------------------------------------------------------------

def pg_key(schema: str, school_id: int) -> int:
    """The school's key under NAMESPACE: a signed 32-bit hash of schema and school. Two
    schools sharing a key (odds of one in billions) would wait for each other, never both send."""
    digest = hashlib.blake2b(f"{schema}/{school_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


_TRY = text("SELECT pg_try_advisory_lock(:ns, :key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:ns, :key)")
_NAME = text("SELECT set_config('application_name', :name, false)")
# the two-key form's lock shows in pg_locks as classid, objid and objsubid 2
_WHO = text("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid::bigint = :ns AND l.objid::bigint = :objid")


@contextmanager
def _pg_lock(engine: Engine, school_id: int, holder: Holder) -> Iterator[None]:
    conn = engine.connect()
    try:
        key = pg_key(conn.execute(text("SELECT current_schema()")).scalar() or "", school_id)
        params = {"ns": NAMESPACE, "key": key}
        if not conn.execute(_TRY, params).scalar():
            raise refusal(_pg_holder(conn, params))
    except BaseException:
        conn.close()
        raise
    try:
        # PostgreSQL takes ASCII only and 63 bytes of it; the login is quoted for that
        conn.execute(_NAME, {"name": f"{_APP} {holder.encode()}"[:63]})
        # no transaction stays open for the run (it would hold back vacuum, and an
        # idle-in-transaction timeout would end the session): the lock is the session's
        conn.commit()
        yield
    finally:
        _pg_release(conn, params)


def _pg_holder(conn: Connection, params: dict[str, int]) -> Holder | None:
    """Best effort: another role's sessions may be hidden from this one."""
    try:
        # objid is an oid: the key as an unsigned number
        name = conn.execute(_WHO, {"ns": params["ns"], "objid": params["key"] & 0xFFFFFFFF}).scalar() or ""
    except SQLAlchemyError:
        return None
    prefix, _, rest = name.partition(" ")
    return Holder.decode(rest) if prefix == _APP else None


def _pg_release(conn: Connection, params: dict[str, int]) -> None:
    try:
        if conn.in_transaction():
            conn.rollback()  # a run that failed inside a statement of this connection
        conn.execute(_UNLOCK, params)
        conn.commit()
    except SQLAlchemyError:
        pass  # the session is ended below, and the lock with it
    finally:
        conn.invalidate()
        conn.close()


# --- SQLite -----------------------------------------------------------------------------------

def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL; None in memory."""
    name = url.database or ""
    if url.query.get("uri") in ("true", "1") and name.startswith("file:"):
        name = name.removeprefix("file:")
    if not name or name == ":memory:" or url.query.get("mode") == "memory":
        return None
    return Path(name)


def lock_path(database: Path, school_id: int) -> Path:
    """Beside the file itself: the same database by another name (relative, a symlink) locks
    the same file."""
    real = database.resolve()
    return real.with_name(f"{real.name}.notify-{school_id}.lock")


@contextmanager
def _file_lock(path: Path, holder: Holder) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _cannot(path, exc) from exc
    try:
        if not _try_lock(fd, path):
            raise refusal(_file_holder(path))
        try:
            _write(fd, holder.encode())
            yield
        finally:
            _write(fd, "")  # the next refused run must not name a run that ended
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int, path: Path) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False  # Windows does not tell "locked" from other failures here
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks (ENOLCK)
        raise _cannot(path, exc) from exc
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _write(fd: int, line: str) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, line.encode())


def _file_holder(path: Path) -> Holder | None:
    try:
        return Holder.decode(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def _cannot(path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput(what=Phrase("notify.lock_file", path=str(path), detail=exc.strerror or str(exc)))

"""Backup use cases: create (to every destination), verify, restore, prune.

Each one is logged in the log of backup use. A wrong passphrase, a truncated or altered file
raises before anything is written; a restore is one transaction.

A backup made at an older revision of the migrations is verified and restored through a
scratch database at its revision, migrated to this program's (`migrate`); one made at this
program's revision goes straight into the target, as it always did.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError

from ejournal_tui import __version__
from ejournal_tui.data import models as m
from ejournal_tui.data.db import integrity_ok
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import DatabaseUnavailable, InvalidInput, NotAllowed
from ejournal_tui.i18n import Joined, Phrase
from ejournal_tui.services.audit import verify_chain
from ejournal_tui.services.audit_anchor import manifest_anchors, note_text
from ejournal_tui.services.backup import log
from ejournal_tui.services.backup.content import ContentWriter, Manifest, read_content
from ejournal_tui.services.backup.crypto import BackupReader, EncryptingWriter
from ejournal_tui.services.backup.errors import (
    BackupAltered,
    BackupTruncated,
    NoDestination,
    NotABackup,
    RestoreFailed,
    SchemaMismatch,
    TargetNotEmpty,
    Unreadable,
    VerifyFailed,
    WeakPassphrase,
    WriteFailed,
    WrongPassphrase,
)
from ejournal_tui.services.backup.files import (
    copy_checked,
    found_backups,
    free_name,
    private_file,
    sha256_of,
)
from ejournal_tui.services.backup.load import (
    backup_revision,
    occupied,
    program_schema,
    restore_into,
)
from ejournal_tui.services.backup.migrate import (
    load_older,
    migrate,
    migrated_content,
    scratch_database,
)
from ejournal_tui.services.backup.snapshot import dump, reflected_tables, snapshot
from ejournal_tui.services.context import Actor, Clock, Database
from ejournal_tui.services.lengths import stored_problems

MIN_PASSPHRASE = 8

T = TypeVar("T")


def _require(actor: Actor) -> None:
    if not perm.may(actor.roles, "backup"):
        raise NotAllowed(what=Phrase("backup.admin_only"))


@dataclass(frozen=True)
class CreateResult:
    manifest: Manifest
    files: list[Path]
    sha256: str
    size: int
    failures: list[tuple[str, str]] = field(default_factory=list)


def dump_database(engine: Engine, sink: Any, *, by: str, at: datetime, period_end: bool = False) -> Manifest:
    """The whole database as backup content into `sink` (a file-like object's `write`)."""
    try:
        with snapshot(engine) as snap:
            rev = snap.revision
            # a database not yet upgraded (backed up before `db upgrade`) is dumped as it is
            schema = None if rev == program_schema() else reflected_tables(engine)
            writer = ContentWriter(sink, {"schema_revision": rev, "created_at": at.isoformat()})
            schools = dump(snap, engine.dialect.identifier_preparer.quote, writer, schema)
            anchors = _chain_heads(snap, schema)
    except OperationalError as exc:
        raise DatabaseUnavailable(detail=str(exc.orig).strip().splitlines()[0]) from exc
    manifest = Manifest(
        created_at=at.isoformat(), by=by, host=log.host_name(), engine=engine.dialect.name,
        source=engine.url.render_as_string(hide_password=True), schema_revision=rev,
        program_version=__version__, period_end=period_end, schools=schools, anchors=anchors,
    )
    return writer.finish(manifest)


def _chain_heads(snap: Any, schema: list[Any] | None) -> list[dict[str, Any]]:
    """Each school's change-log head in the snapshot: the anchors the manifest records."""
    if schema is not None and "audithead" not in {t.name for t in schema}:
        return []
    sql = "SELECT s.code, h.seq, h.hash FROM audithead h JOIN school s ON s.id = h.school_id ORDER BY s.code"
    return manifest_anchors(row for batch in snap.fetch(sql) for row in batch)


def _folders(destinations: list[str | Path]) -> list[Path]:
    seen: dict[str, Path] = {}
    for d in destinations:
        path = Path(d).expanduser()
        seen.setdefault(str(path.resolve()), path)
    return list(seen.values())


def _detail(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _write_one(engine: Engine, actor: Actor, folder: Path, passphrase: str, at: datetime,
               kind: str, period_end: bool) -> tuple[Path, str, int, Manifest]:
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder (is the disk mounted?)", str(folder))
    target = free_name(folder, at, kind)
    with private_file(target) as out:
        sealed = EncryptingWriter(out, passphrase)  # type: ignore[arg-type]
        try:
            manifest = dump_database(engine, sealed, by=actor.login, at=at, period_end=period_end)
            sealed.close()
        except BaseException:
            sealed.abort()
            raise
    return target, out.sha.hexdigest(), out.size, manifest


def create_backup(
    engine: Engine, actor: Actor, destinations: list[str | Path], passphrase: str, *,
    period_end: bool = False, kind: str = "", clock: Clock | None = None,
) -> CreateResult:
    """One snapshot, encrypted, written to the first folder that takes it and copied (and
    read back) to every other; raises `WriteFailed` when no folder took it."""
    _require(actor)
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise WeakPassphrase(min=MIN_PASSPHRASE)
    folders = _folders(destinations)
    if not folders:
        raise NoDestination()
    at, kind = (clock or Clock()).now(), kind or ("period-end" if period_end else "")
    failures: list[tuple[str, str]] = []
    while folders:
        folder = folders.pop(0)
        try:
            path, sha, size, manifest = _write_one(engine, actor, folder, passphrase, at, kind, period_end)
            break
        except OSError as exc:
            failures.append((str(folder), _detail(exc)))
            log.write(engine, at, "create", actor.login, path=str(folder), ok=False, note=_detail(exc))
    else:
        raise WriteFailed(detail="; ".join(f"{f}: {d}" for f, d in failures))
    log.write(engine, at, "create", actor.login, path=str(path), sha256=sha, size=size,
              period_end=period_end, note=_with_anchors(_summary(manifest), manifest))
    files = [path] + [c for c in (_copy(engine, actor, path, f, at, kind, sha, size, period_end, failures)
                                  for f in folders) if c]
    return CreateResult(manifest, files, sha, size, failures)


def _copy(engine: Engine, actor: Actor, source: Path, folder: Path, at: datetime, kind: str, sha: str,
          size: int, period_end: bool, failures: list[tuple[str, str]]) -> Path | None:
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder (is the disk mounted?)", str(folder))
        target = free_name(folder, at, kind)
        copy_checked(source, target, sha)
    except OSError as exc:
        failures.append((str(folder), _detail(exc)))
        log.write(engine, at, "copy", actor.login, path=str(folder), ok=False, note=_detail(exc))
        return None
    log.write(engine, at, "copy", actor.login, path=str(target), sha256=sha, size=size,
              period_end=period_end, note=f"copy of {source}, read back and checked")
    return target


def _summary(manifest: Manifest) -> str:
    return (f"{manifest.rows} rows in {len(manifest.tables)} tables; schools {', '.join(manifest.schools)}; "
            f"schema {manifest.schema_revision}")


def _with_anchors(note: str, manifest: Manifest) -> str:
    """The note and the backup's change-log anchors, which `audit verify` finds here."""
    anchors = note_text(manifest.anchors)
    return f"{note}; {anchors}" if anchors else note


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    manifest: Manifest
    sha256: str
    size: int
    events: int
    revision: str = ""  # the schema revision the backup was made at
    program_revision: str = ""  # this program's: a restore migrates the data when they differ

    @property
    def migrates(self) -> bool:
        return self.revision != self.program_revision


def verify_backup(actor: Actor, path: str | Path, passphrase: str) -> VerifyReport:
    """Decrypt, check the hashes, restore into a scratch SQLite database, compare the counts,
    check integrity and every school's change log. Writes nothing but a temporary file:
    `record_verification` certifies the result in the log. A backup made at an older revision
    is restored into a scratch at that revision, counted there, then migrated and checked."""
    _require(actor)
    path, where = Path(path), str(path)
    reader = BackupReader(path, passphrase)  # the key is derived while the scratch is made
    try:
        with scratch_database() as scratch:
            reader.unlock()
            with closing(read_content(reader.chunks(), where)) as items:
                header = next(items, None)
                revision = backup_revision(header, where)
                content = chain([header], items)
                if revision == program_schema():
                    manifest, problems, events = _verify_in(scratch, content, where, revision)
                else:
                    with scratch_database(revision) as older:
                        manifest, problems, events = _verify_in(older, content, where, revision)
    except RestoreFailed as exc:  # the scratch database refused the content
        raise VerifyFailed(path=where, detail=exc.params.get("detail", "")) from exc
    if problems:
        raise VerifyFailed(path=where, detail=Joined(problems, sep="; "))
    return VerifyReport(path.resolve(), manifest, sha256_of(path), path.stat().st_size, events,
                        revision, program_schema())


def _verify_in(scratch: Engine, content: Iterator[Any], where: str, revision: str,
               ) -> tuple[Manifest, list[Phrase], int]:
    manifest = restore_into(scratch, content, where, replace=False, scratch=True, revision=revision)
    problems = _count_problems(scratch, manifest)  # over the schema the counts were made for
    if revision != program_schema():
        migrate(scratch, revision)
    more, events = _sound_problems(scratch)
    return manifest, problems + more, events


def record_verification(engine: Engine, actor: Actor, report: VerifyReport, *, clock: Clock | None = None) -> None:
    """The technician's certification of a verified backup in the log of backup use."""
    man = report.manifest
    migrated = (f"; made at schema {report.revision}, checked after migrating to {report.program_revision} "
                "as a restore does") if report.migrates else ""
    log.write(engine, (clock or Clock()).now(), "verify", actor.login, path=str(report.path), sha256=report.sha256,
              size=report.size, period_end=man.period_end,
              note=f"restored and checked: {_summary(man)}; made {man.created_at} by {man.by}@{man.host}{migrated}")


# what failed, in words that stay the same whatever the interface language
_FAILED = (
    (WrongPassphrase, "wrong passphrase"), (BackupTruncated, "truncated"), (BackupAltered, "altered or damaged"),
    (NotABackup, "not a backup"), (Unreadable, "unreadable"), (SchemaMismatch, "made by a newer ejournal"),
    (VerifyFailed, "restored data failed the checks"),
)


def record_failed_verification(engine: Engine, actor: Actor, path: str | Path, error: Exception, *,
                               clock: Clock | None = None) -> None:
    """A verification that failed is certified too (not ok, what failed in the note): the log
    shows which copy on which medium cannot be relied on, and when that was found."""
    _require(actor)
    path = Path(path)
    sha, size = "", 0
    try:
        if path.is_file():
            sha, size = sha256_of(path), path.stat().st_size
    except OSError:
        pass  # an unreadable medium: the note says so
    what = next((label for kind, label in _FAILED if isinstance(error, kind)), "failed")
    log.write(engine, (clock or Clock()).now(), "verify", actor.login, path=str(path.resolve()), sha256=sha,
              size=size, ok=False, note=f"{what}: {' '.join(str(error).split())}")


def _count_problems(engine: Engine, manifest: Manifest) -> list[Phrase]:
    problems = []
    with engine.connect() as conn:
        for name, expected in manifest.tables.items():
            found = conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar()
            if found != expected:
                problems.append(Phrase("backup.detail.row_count", table=name, found=found, expected=expected))
    return problems


def _sound_problems(engine: Engine) -> tuple[list[Phrase], int]:
    """References, integrity and every school's change log of a scratch at this program's
    schema; returns the problems and the number of change-log events checked."""
    problems = []
    with engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA foreign_key_check").first():
            problems.append(Phrase("backup.detail.missing_rows"))
        schools = conn.execute(select(m.School.id, m.School.code)).all()
    ok, detail = integrity_ok(engine)
    if not ok:
        problems.append(Phrase("backup.detail.integrity", detail=detail))
    problems.extend(stored_problems(engine))  # SQLite kept them; PostgreSQL would refuse the restore
    events = 0
    for sid, code in schools:
        with Database(engine, sid).uow() as uow:
            report = verify_chain(uow)
        events += report.events
        if not report.ok:
            problems.append(Phrase("backup.detail.chain", school=code, seq=report.broken_at, problem=report.problem))
    return problems, events


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    safety: Path | None
    migrated_from: str = ""  # the older schema revision the backup was made at, if it was


@dataclass(frozen=True)
class OpenedBackup(Generic[T]):
    reader: BackupReader
    revision: str  # the schema revision the backup was made at
    meanwhile: T | None


def read_header(path: str | Path, passphrase: str, *, meanwhile: Callable[[], T] | None = None,
                ) -> OpenedBackup[T]:
    """Open the backup, check the passphrase and the schema of its content (decrypts one chunk).
    `meanwhile` runs while the key is derived (it must change nothing); its result is kept."""
    reader = BackupReader(path, passphrase)
    program_schema()
    done = meanwhile() if meanwhile is not None else None
    reader.unlock()
    items = read_content(reader.chunks(), str(path))
    try:
        revision = backup_revision(next(items, None), str(path))
    finally:
        items.close()
    return OpenedBackup(reader, revision, done)


@contextmanager
def _content(reader: BackupReader, where: str, revision: str, *, sealed_first: bool) -> Iterator[Iterator[Any]]:
    """The backup's content at this program's schema: read as it is, or (made at an older
    revision) loaded into a scratch database, migrated, and read back from it. Either way a
    damaged file is refused before the caller does anything else (a safety backup): the older
    one in the scratch load, the other, with `sealed_first`, by reading the container through."""
    if revision == program_schema():
        if sealed_first:
            reader.check()
        yield read_content(reader.chunks(), where)
        return
    with scratch_database(revision) as scratch:
        manifest = load_older(scratch, read_content(reader.chunks(), where), where, revision)
        migrate(scratch, revision)
        yield migrated_content(scratch, manifest)


def restore_backup(
    engine: Engine, actor: Actor, path: str | Path, passphrase: str, *, replace: bool = False,
    safety_dirs: list[str | Path] | None = None, clock: Clock | None = None,
) -> RestoreResult:
    """Restore into `engine` (migrated to this program's schema). A database holding data is
    replaced only with `replace`, after a safety backup of it into `safety_dirs`."""
    _require(actor)
    path, where = Path(path), str(path)
    opened = read_header(path, passphrase, meanwhile=lambda: occupied(engine))
    held, safety = opened.meanwhile, None
    if held and not replace:
        raise TargetNotEmpty(target=engine.url.render_as_string(hide_password=True), what=held)
    with _content(opened.reader, where, opened.revision, sealed_first=bool(held)) as content:
        if held:
            folders = safety_dirs or [path.resolve().parent]
            safety = create_backup(engine, actor, folders, passphrase, kind="safety", clock=clock).files[0]
        manifest = restore_into(engine, content, where, replace=bool(held))
    older = opened.revision if opened.revision != program_schema() else ""
    note = f"backup made {manifest.created_at} by {manifest.by}@{manifest.host}: {_summary(manifest)}"
    note += f"; migrated from schema {older} to {program_schema()}" if older else ""
    log.write(engine, (clock or Clock()).now(), "restore", actor.login, path=str(path.resolve()),
              sha256=sha256_of(path), size=path.stat().st_size, period_end=manifest.period_end,
              note=_with_anchors(note + (f"; safety backup {safety}" if safety else ""), manifest))
    return RestoreResult(manifest, safety, older)


def prune_backups(engine: Engine, actor: Actor, folders: list[str | Path], keep: int, *,
                  dry_run: bool = False, clock: Clock | None = None) -> list[Path]:
    """Remove all but the `keep` newest backups of each folder; period-end backups stay."""
    _require(actor)
    if keep < 1:
        raise InvalidInput(what=Phrase("backup.keep_one"))
    at, removed = (clock or Clock()).now(), []
    for folder in _folders(list(folders)):
        regular = [b for b in found_backups(folder) if b.kind != "period-end"]
        for old in regular[keep:]:
            if not dry_run:
                old.path.unlink(missing_ok=True)
                log.write(engine, at, "prune", actor.login, path=str(old.path),
                          note=f"older than the newest {keep} in {folder}")
            removed.append(old.path)
    return removed


def read_log(engine: Engine, limit: int = 200) -> list[log.LogRow]:
    return log.read(engine, limit)

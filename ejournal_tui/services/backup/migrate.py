"""Backups made at an older schema revision than this program's: loaded, migrated, handed on.

The content goes into a scratch SQLite database (a file of our own in a temporary folder)
created at the backup's own revision; its hash and row counts are checked as it streams in,
against the schema they were computed over. The program's own Alembic migrations then bring
the scratch to head, and its rows are read back as content in the form `read_content` gives,
for the target's ordinary bulk load. The target is not touched until the scratch is whole and
migrated, and its load is one transaction as for any backup: all or nothing.

A backup at this program's revision never comes here: it is loaded straight into the target.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ejournal_tui.data.db import make_engine, upgrade, upgrade_to
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.backup.content import FORMAT, FORMAT_VERSION, Manifest, TableBlock
from ejournal_tui.services.backup.errors import RestoreFailed
from ejournal_tui.services.backup.load import program_schema, restore_into
from ejournal_tui.services.backup.snapshot import canonical_batches, snapshot, tables


@contextmanager
def scratch_database(revision: str = "head") -> Iterator[Engine]:
    """A new, empty SQLite database at schema `revision`, deleted afterwards, in a temporary
    folder of our own (readable by its owner only, like the file; TMPDIR chooses where)."""
    with tempfile.TemporaryDirectory(prefix="ejournal-scratch-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        try:
            upgrade_to(engine, revision)
            yield engine
        finally:
            engine.dispose()


def load_older(scratch: Engine, items: Iterator[Any], where: str, revision: str) -> Manifest:
    """The content of a backup made at `revision` into `scratch` (at that revision), its
    manifest's hash and counts checked on the way."""
    return restore_into(scratch, items, where, replace=False, scratch=True, revision=revision)


def migrate(scratch: Engine, revision: str) -> None:
    """Bring the loaded scratch from `revision` to this program's, with its own migrations."""
    try:
        upgrade(scratch)
    except (SQLAlchemyError, scratch.dialect.dbapi.Error) as exc:  # type: ignore[union-attr]
        first = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
        detail = first[0] if first else exc.__class__.__name__
        raise RestoreFailed(detail=Phrase("backup.detail.migration", found=revision,
                                          expected=program_schema(), detail=detail)) from exc


def migrated_content(scratch: Engine, manifest: Manifest) -> Iterator[Any]:
    """The migrated scratch as content for `restore_into`: a header at this program's
    revision, each table and its rows in canonical form, and the backup's own manifest (which
    describes the backup as it was made, not the migrated rows)."""
    yield {"format": FORMAT, "version": FORMAT_VERSION, "schema_revision": program_schema()}
    quote = scratch.dialect.identifier_preparer.quote
    with snapshot(scratch) as snap:
        for table in tables():
            yield TableBlock(table.name, [c.name for c in table.c])
            yield from canonical_batches(snap, table, quote)
    yield manifest

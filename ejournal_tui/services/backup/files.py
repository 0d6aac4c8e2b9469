"""Backup files on their media: names, writing readable by the owner only, copying with a
check, and finding the backups in a folder (for pruning).

A file is written as `NAME.part` and renamed when complete and synced, so a folder never
holds a half-written backup under a backup's name.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

SUFFIX = ".ejbk"
_NAME = re.compile(r"^ejournal-(\d{8}T\d{6}Z)(?:-(\d+))?(?:-(period-end|safety))?\.ejbk$")


def file_name(at: datetime, kind: str = "", attempt: int = 0) -> str:
    """`ejournal-20261120T220000Z[-N][-period-end|-safety].ejbk` (at is UTC)."""
    stamp = at.strftime("%Y%m%dT%H%M%SZ")
    extra = f"-{attempt}" if attempt else ""
    return f"ejournal-{stamp}{extra}{'-' + kind if kind else ''}{SUFFIX}"


class HashingWriter:
    """Passes bytes to a file and keeps their SHA-256 and size."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.sha, self.size = raw, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.raw.write(data)


def _open_private(path: Path) -> BinaryIO:
    # 0600 from the start: a backup holds every pupil's personal data (152-ФЗ)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb", buffering=1 << 20)


def free_name(folder: Path, at: datetime, kind: str) -> Path:
    for attempt in range(100):
        path = folder / file_name(at, kind, attempt)
        if not path.exists() and not path.with_suffix(".part").exists():
            return path
    raise FileExistsError(f"{folder}: too many backups named for {at:%Y-%m-%d %H:%M:%S}")


@contextmanager
def private_file(final: Path) -> Iterator[HashingWriter]:
    """A new owner-only file at `final`, written through a `.part` name and synced."""
    part = final.with_suffix(".part")
    fh = _open_private(part)
    try:
        writer = HashingWriter(fh)
        yield writer
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(part, final)
        _sync_dir(final.parent)
    except BaseException:
        fh.close()
        part.unlink(missing_ok=True)
        raise


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_checked(source: Path, target: Path, expected_sha: str) -> None:
    """Copy `source` to `target` (owner-only) and read the copy back to check its hash."""
    with private_file(target) as out, source.open("rb") as src:
        while block := src.read(1 << 20):
            out.write(block)
    if sha256_of(target) != expected_sha:
        target.unlink(missing_ok=True)
        raise OSError(f"the copy at {target} does not match the original")


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()


@dataclass(frozen=True)
class FoundBackup:
    path: Path
    stamp: str  # sortable UTC stamp from the name
    kind: str  # "" | period-end | safety


def found_backups(folder: Path) -> list[FoundBackup]:
    """Backups in `folder` by their names, newest first."""
    out = []
    for path in folder.glob(f"ejournal-*{SUFFIX}"):
        match = _NAME.match(path.name)
        if match:
            out.append(FoundBackup(path, match.group(1) + (match.group(2) or "0").zfill(3), match.group(3) or ""))
    return sorted(out, key=lambda b: b.stamp, reverse=True)

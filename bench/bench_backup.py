"""Backup benchmarks (issue 5): `backup_create_s` and `backup_restore_s` of the `school` demo
next to SQLite's own online backup of the same file plus gzip (level 6, gzip's default), in
the same run; the target is ≤ 2 × that baseline.

Both figures include what the sysadmin waits for: the scrypt key derivation, compression,
AES-256-GCM and writing one destination (create); decryption, checks and loading into an
empty, already migrated SQLite database (restore).
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import Context, Sample, benchmark, interleaved, repeat
from sqlalchemy.engine import make_url

from ejournal_tui.data.db import make_engine, upgrade
from ejournal_tui.domain import permissions as perm
from ejournal_tui.services.backup import create_backup, restore_backup
from ejournal_tui.services.context import Actor

RUNS = 5
PASS = "bench-passphrase"
ADMIN = Actor("os:bench", 0, (perm.ADMIN, perm.SYSADMIN))


def _source(ctx: Context) -> str:
    return make_url(ctx.demo_url("school")).database  # type: ignore[return-value]


@benchmark("sqlite_backup_gzip_s", target="baseline")
def sqlite_backup_gzip(ctx: Context) -> Sample:
    once, out = _baseline(ctx)
    samples = repeat(once, RUNS)
    return Sample(samples, {"bytes": (out / "copy.db.gz").stat().st_size})


def _baseline(ctx: Context) -> tuple[Callable[[], None], Path]:
    """SQLite's online backup of the demo file plus gzip: (once, the folder it writes to)."""
    source = _source(ctx)
    out = Path(tempfile.mkdtemp(dir=ctx.workdir, prefix="sqlite-backup-"))

    def once() -> None:
        copy = out / "copy.db"
        copy.unlink(missing_ok=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(copy)
        src.backup(dst)
        dst.close()
        src.close()
        with copy.open("rb") as fh, gzip.open(out / "copy.db.gz", "wb", compresslevel=6) as gz:
            shutil.copyfileobj(fh, gz, 1 << 20)

    return once, out


@benchmark("backup_create_s", baseline="sqlite_backup_gzip_s", target="≤ 2 × SQLite backup + gzip")
def backup_create(ctx: Context) -> Sample:
    engine = make_engine(ctx.demo_url("school"))
    out = Path(tempfile.mkdtemp(dir=ctx.workdir, prefix="ejbk-"))
    sizes: list[int] = []

    def once() -> None:
        sizes.append(create_backup(engine, ADMIN, [out], PASS).size)

    samples, ratio = interleaved(once, _baseline(ctx)[0], RUNS)
    engine.dispose()
    return Sample(samples, {"bytes": sizes[-1], "ratio_interleaved": ratio})


@benchmark("backup_restore_s", baseline="sqlite_backup_gzip_s", target="≤ 2 × SQLite backup + gzip")
def backup_restore(ctx: Context) -> Sample:
    engine = make_engine(ctx.demo_url("school"))
    folder = Path(tempfile.mkdtemp(dir=ctx.workdir, prefix="ejbk-restore-"))
    backup = create_backup(engine, ADMIN, [folder], PASS).files[0]
    engine.dispose()
    template = folder / "empty.db"
    empty = make_engine(f"sqlite:///{template}")
    upgrade(empty)
    empty.dispose()
    targets = iter(range(1000))

    def once() -> None:
        path = folder / f"target-{next(targets)}.db"
        shutil.copy(template, path)  # a migrated empty database, as `backup restore --db` makes
        target = make_engine(f"sqlite:///{path}")
        restore_backup(target, ADMIN, backup, PASS)
        target.dispose()

    samples, ratio = interleaved(once, _baseline(ctx)[0], RUNS)
    return Sample(samples, {"ratio_interleaved": ratio})

"""`ejournal demo`: fill a database with a deterministic demo school (or ten, for `large`).

The same seed, size and as-of date always give the same data. The demo writes only into an
empty database or over a demo holding nothing else (`demo.guard` says what is foreign):
the same demo is reused, another one is replaced only when forced, after a safety backup.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, delete, select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import refresh_statistics
from ejournal_tui.demo.activity import Life, close_past_periods
from ejournal_tui.demo.families import add_families, entered_at
from ejournal_tui.demo.guard import foreign_data, record_watermark
from ejournal_tui.demo.history import write_history
from ejournal_tui.demo.people import NameMaker
from ejournal_tui.demo.rows import TABLES, RowSet
from ejournal_tui.demo.structure import build_structure
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.resources import load_json

SIZES = ("small", "school", "large")
DEMO_LOGINS = ("admin", "deputy", "secretary", "teacher", "director")
DEMO_PASSWORD = "demo"

register_many({
    "demo.bad_size": ("размер демо «{size}»: используйте {sizes}", "demo size {size!r}: use {sizes}"),
    "demo.foreign": (
        "в базе данных есть данные, внесённые не демо-генератором: {found}; ничего не изменено "
        "(--force этого не отменяет) — используйте другую базу данных (--db)",
        "the database holds data made outside the demo: {found}; nothing was changed "
        "(--force does not override this) — use another database (--db)",
    ),
    "demo.other_options": (
        "здесь уже есть демо-школа с другими параметрами: добавьте --force, чтобы заменить её; "
        "сначала будет сделана страховочная копия",
        "a demo made with other options is here: add --force to replace it; a safety backup is taken first",
    ),
    "demo.no_safety": (
        "замена демо-школы требует страховочной копии: нужны код доступа и папка",
        "replacing the demo needs a safety backup first: a passphrase and a folder",
    ),
})

Progress = Callable[[str, int, int], None]
WRITE, REUSE, REPLACE = "write", "reuse", "replace"


@dataclass(frozen=True)
class DemoOptions:
    size: str = "small"
    seed: int = 1
    as_of: date | None = None

    def key(self, as_of: date) -> str:
        return json.dumps({"size": self.size, "seed": self.seed, "as_of": as_of.isoformat()})


@dataclass(frozen=True)
class SafetyBackup:
    """Where and how the demo being replaced is backed up; `taken` hears the file at once."""

    folders: list[str | Path]
    passphrase: str
    taken: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class DemoResult:
    schools: list[str]
    rows: int
    reused: bool
    safety: Path | None = None


def existing_demo_key(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(m.Setting.value).where(m.Setting.key == "demo")).scalar()


def is_empty(engine: Engine) -> bool:
    """True when the database holds no rows but (perhaps) the log of backup use, which the
    demo never deletes."""
    from ejournal_tui.services.backup.load import occupied

    return not occupied(engine)


def wipe(engine: Engine) -> None:
    """Delete every row the demo wrote (and sign-ins since); the log of backup use stays."""
    with engine.begin() as conn:
        for model in [m.AuditEvent, m.AuditHead, *reversed(TABLES)]:
            conn.execute(delete(model.__table__))


def plan(engine: Engine, options: DemoOptions, *, force: bool = False, today: date) -> str:
    """WRITE into an empty database, REUSE the same demo, REPLACE another demo (forced); raises
    `InvalidInput` for anything made outside the demo, forced or not, naming what it found."""
    if options.size not in SIZES:
        raise InvalidInput(what=Phrase("demo.bad_size", size=options.size, sizes=", ".join(SIZES)))
    if is_empty(engine):
        return WRITE
    found = foreign_data(engine)
    if found:
        raise InvalidInput("demo.foreign", found=found.summary())
    if existing_demo_key(engine) == options.key(options.as_of or today):
        return REUSE
    if not force:
        raise InvalidInput("demo.other_options")
    return REPLACE


def generate(engine: Engine, options: DemoOptions, *, force: bool = False, today: date,
             progress: Progress | None = None, safety: SafetyBackup | None = None) -> DemoResult:
    """Write, reuse or (forced, after a safety backup into `safety`) replace the demo."""
    action = plan(engine, options, force=force, today=today)
    if action == REUSE:
        with engine.connect() as conn:
            codes = list(conn.execute(select(m.School.code).order_by(m.School.id)).scalars())
        return DemoResult(codes, 0, reused=True)
    backup = None
    if action == REPLACE:
        backup = _safety_backup(engine, safety)
        wipe(engine)
    codes, total = _write(engine, options, options.as_of or today, progress)
    return DemoResult(codes, total, reused=False, safety=backup)


def _safety_backup(engine: Engine, safety: SafetyBackup | None) -> Path:
    from ejournal_tui.domain import permissions as perm
    from ejournal_tui.services.backup import create_backup
    from ejournal_tui.services.context import os_actor

    if safety is None or not safety.folders:
        raise InvalidInput("demo.no_safety")
    actor = os_actor(0, (perm.ADMIN, perm.SYSADMIN))  # the backup covers the whole database
    path = create_backup(engine, actor, list(safety.folders), safety.passphrase, kind="safety").files[0]
    if safety.taken:
        safety.taken(path)
    return path


def _write(engine: Engine, options: DemoOptions, as_of: date, progress: Progress | None) -> tuple[list[str], int]:
    spec = load_json("demo_school.json")
    count = 10 if options.size == "large" else 1
    codes, total = [], 0
    from ejournal_tui.services.accounts import hash_password

    password_hash = hash_password(DEMO_PASSWORD)  # one hash for every demo account: it is a demo
    key = options.key(as_of)
    for i in range(count):
        code = "demo" if count == 1 else f"demo-{i + 1:02d}"
        total += _one_school(engine, spec, options, as_of, i, code, password_hash, key, progress)
        codes.append(code)
    refresh_statistics(engine)
    return codes, total


def _one_school(engine: Engine, spec: dict, options: DemoOptions, as_of: date, index: int, code: str,
                password_hash: str, key: str, progress: Progress | None) -> int:
    rng = random.Random(f"{options.seed}:{index}")
    names = NameMaker(rng, spec)
    size = "small" if options.size == "small" else "school"
    start_year = cal.academic_year_of(as_of)
    label = f"{code}"
    with engine.begin() as conn:
        rows = RowSet(conn)
        school = build_structure(rows, rng, names, spec, size, start_year, code, spec["schools"][index % 10],
                                 password_hash, 25 if size == "small" else 27)
        add_families(rows, school.classes, spec["fathers"], entered_at(start_year))  # no draws: rules on ids
        if progress:
            progress(f"{label}: lessons", 0, 1)
        life = Life(rows, rng, school, spec, as_of)
        life.run()
        close_past_periods(rows, school, life, as_of, school.staff_ids["deputy"])
        rows.add(m.Setting, school_id=school.id, key="demo", value=key)
        total = rows.count()
        rows.write(conn, (lambda done: progress(f"{label}: writing", done, total)) if progress else None)
        total += write_history(conn, rows, school.id, date(start_year, 8, 31))
        record_watermark(conn, school.id)
    return total + 1

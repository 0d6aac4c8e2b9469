"""`ejournal demo`: fill a database with a deterministic demo school (or ten, for `large`).

The same seed, size and as-of date always give the same data. A database that holds anything
but demo data is refused unless forced; an existing demo is replaced.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, delete, select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import refresh_statistics
from ejournal_tui.demo.activity import Life, close_past_periods
from ejournal_tui.demo.history import write_history
from ejournal_tui.demo.people import NameMaker
from ejournal_tui.demo.rows import TABLES, RowSet
from ejournal_tui.demo.structure import build_structure
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.resources import load_json

SIZES = ("small", "school", "large")
DEMO_LOGINS = ("admin", "deputy", "secretary", "teacher", "director")
DEMO_PASSWORD = "demo"

register_many({
    "demo.bad_size": ("размер демо «{size}»: используйте {sizes}", "demo size {size!r}: use {sizes}"),
    "demo.not_demo": (
        "В базе данных есть не демонстрационные данные; чтобы заменить их демо-школой, добавьте --force",
        "The database holds data that is not a demo; add --force to replace it with the demo school",
    ),
})

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoOptions:
    size: str = "small"
    seed: int = 1
    as_of: date | None = None

    def key(self, as_of: date) -> str:
        return json.dumps({"size": self.size, "seed": self.seed, "as_of": as_of.isoformat()})


@dataclass(frozen=True)
class DemoResult:
    schools: list[str]
    rows: int
    reused: bool


def holds_foreign_data(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(m.School.id).where(m.School.is_demo.is_(False)).limit(1)).first() is not None


def existing_demo_key(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(m.Setting.value).where(m.Setting.key == "demo")).scalar()


def wipe(engine: Engine) -> None:
    """Delete every row of every table (demo data or, with --force, anything)."""
    with engine.begin() as conn:
        for model in [m.AuditEvent, m.AuditHead, m.BackupRecord, *reversed(TABLES)]:
            conn.execute(delete(model.__table__))


def generate(engine: Engine, options: DemoOptions, *, force: bool = False, today: date,
             progress: Progress | None = None) -> DemoResult:
    if options.size not in SIZES:
        raise InvalidInput(what=Phrase("demo.bad_size", size=options.size, sizes=", ".join(SIZES)))
    as_of = options.as_of or today
    if holds_foreign_data(engine) and not force:
        raise InvalidInput(t("demo.not_demo"))
    key = options.key(as_of)
    if existing_demo_key(engine) == key:
        with engine.connect() as conn:
            codes = list(conn.execute(select(m.School.code).order_by(m.School.id)).scalars())
        return DemoResult(codes, 0, reused=True)
    wipe(engine)
    spec = load_json("demo_school.json")
    count = 10 if options.size == "large" else 1
    codes, total = [], 0
    from ejournal_tui.services.accounts import hash_password

    password_hash = hash_password(DEMO_PASSWORD)  # one hash for every demo account: it is a demo
    for i in range(count):
        code = "demo" if count == 1 else f"demo-{i + 1:02d}"
        total += _one_school(engine, spec, options, as_of, i, code, password_hash, key, progress)
        codes.append(code)
    refresh_statistics(engine)
    return DemoResult(codes, total, reused=False)


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
        if progress:
            progress(f"{label}: lessons", 0, 1)
        life = Life(rows, rng, school, spec, as_of)
        life.run()
        close_past_periods(rows, school, life, as_of, school.staff_ids["deputy"])
        rows.add(m.Setting, school_id=school.id, key="demo", value=key)
        total = rows.count()
        rows.write(conn, (lambda done: progress(f"{label}: writing", done, total)) if progress else None)
        total += write_history(conn, rows, school.id, date(start_year, 8, 31))
    return total

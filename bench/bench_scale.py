"""Scale curve (issue 7): the same work at `school` size (one school in the database) and at
`large` size (ten schools in one database, a district server), on SQLite and PostgreSQL.

Each `…_large_<engine>` figure has the `…_school_<engine>` one as its baseline: the ratio
should be about 1, because every query is scoped to one school through indexes and nothing
scans what grows with the district. register_open must hold large ≤ 1.3 × school.

PostgreSQL's statistics are refreshed (ANALYZE) once the demo is loaded, as autovacuum does
within minutes of a bulk load: right after loading, without statistics, the planner reads the
whole lesson table for the register's cells (22 ms at `large` against 0.7 ms with them).

The large figures are timed interleaved with the school ones (large, school, large, …) and
`ratio_interleaved` in the JSON is the ratio of those medians, free of whatever else the
machine did between two benchmarks.
"""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, time

from common import AS_OF, Context, Sample, benchmark, repeat
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine, refresh_statistics
from ejournal_tui.services.accounts import actor_of
from ejournal_tui.services.context import Actor, Clock, Database, os_actor
from ejournal_tui.services.register import open_register

CLASS, SUBJECT, PERIOD = "5А", "Русский язык", "Q1"
LARGE_SCHOOL = "demo-06"  # the sixth of ten: neither the first rows of the tables nor the last
RUNS = {"register_open": 40, "control_report": 5, "export_register": 5}
ENGINES = ("sqlite", "postgres")

_DBS: dict[tuple[str, str], Database] = {}


def _db(ctx: Context, size: str, engine: str) -> Database:
    key = (size, engine)
    if key not in _DBS:
        eng = make_engine(ctx.demo_url(size, engine))
        refresh_statistics(eng)  # what autovacuum does minutes after a bulk load; see the module's doc
        stmt = select(m.School.id).order_by(m.School.id)
        if size == "large":
            stmt = stmt.where(m.School.code == LARGE_SCHOOL)
        with eng.connect() as conn:
            sid = conn.execute(stmt).scalars().first()
        _DBS[key] = Database(eng, sid, Clock(datetime.combine(AS_OF, time(12), UTC)))
    return _DBS[key]


# --- the work timed -------------------------------------------------------------------

def _register_open(db: Database) -> Callable[[], None]:
    with db.uow(read_only=True) as uow:
        load = uow.session.execute(
            select(m.TeachingLoad.id, m.TeachingLoad.teacher_id)
            .join(m.SchoolClass, m.SchoolClass.id == m.TeachingLoad.class_id)
            .join(m.Subject, m.Subject.id == m.TeachingLoad.subject_id)
            .where(m.TeachingLoad.school_id == db.school_id, m.SchoolClass.name == CLASS, m.Subject.name == SUBJECT)
        ).first()
        actor = actor_of(uow.session.get(m.Staff, load.teacher_id))

    def once() -> None:
        with db.uow(read_only=True) as uow:
            reg = open_register(uow, actor, load.id, PERIOD)
        assert reg.pupils and reg.lessons

    return once


def _control_report(db: Database) -> Callable[[], None]:
    from ejournal_tui.services.control import control_report

    actor = Actor("bench", db.school_id, ("deputy",))

    def once() -> None:
        with db.uow(read_only=True) as uow:
            report = control_report(uow, actor, PERIOD)
        assert report.rows

    return once


def _export_register(db: Database) -> Callable[[], None]:
    """`ejournal export register --class 5А --period Q1 --format xlsx`: the whole class's
    register assembled from the database and written (XLSX: the layout cost is the same at
    both sizes; the PDF's drawing is timed by bench_exports)."""
    from ejournal_tui.services.exports.single import export_register

    actor = os_actor(db.school_id, ("admin",))
    folder = tempfile.mkdtemp(prefix="ejournal-scale-")

    def once() -> None:
        result = export_register(db, actor, CLASS, PERIOD, "xlsx", out=folder, force=True)  # the same file each run
        assert result.pages

    return once


WORK: dict[str, Callable[[Database], Callable[[], None]]] = {
    "register_open": _register_open,
    "control_report": _control_report,
    "export_register": _export_register,
}
TARGETS = {"register_open": "≤ 1.3 × school"}


# --- registering one benchmark per work, size and engine -------------------------------

def _school(work: str, engine: str) -> Callable[[Context], Sample]:
    def run(ctx: Context) -> Sample:
        once = WORK[work](_db(ctx, "school", engine))
        return Sample(repeat(once, RUNS[work], warmup=2))

    return run


def _large(work: str, engine: str) -> Callable[[Context], Sample]:
    def run(ctx: Context) -> Sample:
        large = WORK[work](_db(ctx, "large", engine))
        school = WORK[work](_db(ctx, "school", engine))
        for once in (large, school, large, school):
            once()  # warm both
        runs: dict[str, list[float]] = {"large": [], "school": []}
        for _ in range(RUNS[work]):
            runs["large"] += repeat(large, 1, warmup=0)
            runs["school"] += repeat(school, 1, warmup=0)
        ratio = statistics.median(runs["large"]) / statistics.median(runs["school"])
        return Sample(runs["large"], {"ratio_interleaved": ratio, "schools_in_database": 10})

    return run


def _register_all() -> None:
    for work in WORK:
        for engine in ENGINES:
            base = f"{work}_school_{engine}"
            benchmark(base, target="baseline", group="scale")(_school(work, engine))
            benchmark(f"{work}_large_{engine}", baseline=base, target=TARGETS.get(work, "≈ 1 × school"),
                      group="scale")(_large(work, engine))


_register_all()

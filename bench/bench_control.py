"""Control report benchmarks (issue 6): the whole `school` demo for one quarter (target
under 2 s), and one school of the ten-school `large` demo against it (≈ 1: the cost follows
one school's data, not the database's)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import UTC, datetime, time

from common import AS_OF, Context, Sample, benchmark, repeat
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Actor, Clock, Database
from ejournal_tui.services.control import control_report

RUNS = 9
PERIOD = "Q1"


def _db(url: str, code: str | None = None) -> Database:
    engine = make_engine(url)
    with engine.connect() as conn:
        stmt = select(m.School.id).order_by(m.School.id)
        sid = conn.execute(stmt.where(m.School.code == code) if code else stmt).scalars().first()
    return Database(engine, sid, Clock(datetime.combine(AS_OF, time(12), UTC)))


def _once(db: Database) -> Callable[[], None]:
    actor = Actor("bench", db.school_id, ("deputy",))

    def once() -> None:
        with db.uow() as uow:
            control_report(uow, actor, PERIOD)

    return once


def _extra(db: Database) -> dict:
    with db.uow() as uow:
        report = control_report(uow, Actor("bench", db.school_id, ("deputy",)), PERIOD)
    return {"rows": len(report.rows), "lessons": report.totals.held, "pupil_subjects": report.totals.pupils}


def _sample(db: Database) -> Sample:
    return Sample(repeat(_once(db), RUNS, warmup=1), _extra(db))


@benchmark("control_report_school_s", target="< 2 s")
def control_report_school_s(ctx: Context) -> Sample:
    return _sample(_db(ctx.demo_url("school")))


@benchmark("control_report_large_per_school", baseline="control_report_school_s", target="≈ 1 × school")
def control_report_large_per_school(ctx: Context) -> Sample:
    """The sixth of ten schools: neither the first rows nor the last of the tables. The
    `school` demo is timed again in turn with it, so the ratio in `extra` is free of whatever
    else the machine did between the two benchmarks."""
    large, school = _db(ctx.demo_url("large"), "demo-06"), _db(ctx.demo_url("school"))
    runs: dict[str, list[float]] = {"large": [], "school": []}
    for db in (large, school):
        _once(db)()
    for _ in range(RUNS):
        runs["large"] += repeat(_once(large), 1, warmup=0)
        runs["school"] += repeat(_once(school), 1, warmup=0)
    extra = _extra(large)
    extra["ratio_interleaved"] = statistics.median(runs["large"]) / statistics.median(runs["school"])
    return Sample(runs["large"], extra)

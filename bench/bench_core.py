"""Foundation benchmarks: opening a register and committing a mark, each next to the bare
driver doing the same rows (issue 2: register_open ≤ 2 × raw, mark_commit ≤ 3 × raw)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from common import AS_OF, Context, Sample, benchmark, interleaved, repeat
from sqlalchemy import select
from sqlalchemy.engine import make_url

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.accounts import actor_of
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.services.marks import add_mark
from ejournal_tui.services.register import open_register

RUNS = 30
CLASS, SUBJECT, PERIOD = "5А", "Русский язык", "Q1"


def _db(ctx: Context) -> Database:
    engine = make_engine(ctx.demo_url("school"))
    with engine.connect() as conn:
        sid = conn.execute(select(m.School.id)).scalar_one()
    clock = Clock(datetime.combine(AS_OF, time(12), UTC))
    return Database(engine, sid, clock)


def _load(db: Database) -> tuple[int, object]:
    with db.uow() as uow:
        load = uow.session.scalars(
            select(m.TeachingLoad).join(m.SchoolClass, m.SchoolClass.id == m.TeachingLoad.class_id)
            .join(m.Subject, m.Subject.id == m.TeachingLoad.subject_id)
            .where(m.SchoolClass.name == CLASS, m.Subject.name == SUBJECT)
        ).first()
        return load.id, actor_of(uow.session.get(m.Staff, load.teacher_id))


@benchmark("register_open", baseline="register_open_raw", target="≤ 2 × raw")
def register_open(ctx: Context) -> Sample:
    db = _db(ctx)
    load_id, actor = _load(db)

    def once() -> None:
        with db.uow(read_only=True) as uow:
            reg = open_register(uow, actor, load_id, PERIOD)
            assert reg.pupils and reg.lessons

    with db.uow() as uow:
        reg = open_register(uow, actor, load_id, PERIOD)
    raw, close = _register_raw(ctx, db)
    samples, ratio = interleaved(once, raw, RUNS)
    close()
    extra = {"pupils": len(reg.pupils), "lessons": len(reg.lessons), "marks": sum(len(v) for v in reg.marks.values()),
             "ratio_interleaved": ratio}
    return Sample(samples, extra)


_RAW_REGISTER = """
SELECT 'p', p.id, p.last_name, p.first_name, NULL, NULL, NULL, NULL
  FROM pupil p JOIN membership ms ON ms.pupil_id = p.id
 WHERE ms.class_id = {cls} AND ms.start <= {end} AND (ms."end" IS NULL OR ms."end" >= {start})
UNION ALL
SELECT 'l', l.id, l.topic, l.homework, l.date, l.number, NULL, NULL
  FROM lesson l WHERE l.load_id = {load} AND l.date BETWEEN {start} AND {end}
UNION ALL
SELECT 'm', mk.id, mk.value, mk.work_kind, mk.pupil_id, mk.lesson_id, mk.weight, NULL
  FROM mark mk JOIN lesson l ON l.id = mk.lesson_id WHERE l.load_id = {load} AND l.date BETWEEN {start} AND {end}
UNION ALL
SELECT 'a', a.id, a.status, a.reason, a.pupil_id, a.lesson_id, NULL, NULL
  FROM attendance a JOIN lesson l ON l.id = a.lesson_id WHERE l.load_id = {load} AND l.date BETWEEN {start} AND {end}
UNION ALL
SELECT 'f', f.id, f.value, NULL, f.pupil_id, NULL, NULL, NULL
  FROM finalmark f WHERE f.class_id = {cls} AND f.subject_id = {subject} AND f.kind = 'period' AND f.period_code = {code}
"""


def raw_connection(url: str):  # noqa: ANN201
    """The bare driver on the same database, with the same SQLite pragmas as the program."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(parsed.database, isolation_level=None)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000", "synchronous=FULL"):
            conn.execute(f"PRAGMA {pragma}")
        return conn, "?"
    import psycopg

    conn = psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    return conn, "%s"


@benchmark("register_open_raw", target="baseline")
def register_open_raw(ctx: Context) -> Sample:
    once, close = _register_raw(ctx, _db(ctx))
    samples = repeat(once, RUNS, warmup=3)
    close()
    return Sample(samples)


def _register_raw(ctx: Context, db: Database) -> tuple[Callable[[], None], Callable[[], None]]:
    """The bare driver reading the same rows as register_open: (once, close)."""
    load_id, _ = _load(db)
    with db.uow() as uow:
        load = uow.session.get(m.TeachingLoad, load_id)
        period = uow.session.scalars(select(m.Period).where(m.Period.code == PERIOD)).first()
        cls, start, end, subject = load.class_id, period.start, period.end, load.subject_id
    conn, ph = raw_connection(ctx.demo_url("school"))
    sql = _RAW_REGISTER.format(cls=ph, start=ph, end=ph, load=ph, subject=ph, code=ph)
    params = (cls, end, start, load_id, start, end, load_id, start, end, load_id, start, end, cls, subject, PERIOD)

    def once() -> None:
        rows = conn.execute(sql, params).fetchall()
        assert rows

    return once, conn.close


def _recent_lessons(db: Database):  # noqa: ANN202
    """Lessons of the day before AS_OF with their teacher and the pupils of their class."""
    day = AS_OF - timedelta(days=1)
    with db.uow() as uow:
        lessons = uow.session.execute(
            select(m.Lesson.id, m.Lesson.teacher_id, m.Lesson.class_id)
            .join(m.SchoolClass, m.SchoolClass.id == m.Lesson.class_id)
            .where(m.Lesson.date == day, m.Lesson.group_id.is_(None), m.SchoolClass.grade > 1)
            .order_by(m.Lesson.id).limit(20)
        ).all()
        out = []
        for lid, tid, cid in lessons:
            pupils = uow.session.scalars(select(m.Membership.pupil_id).where(
                m.Membership.class_id == cid, m.Membership.end.is_(None)).order_by(m.Membership.pupil_id)).all()
            out.append((lid, actor_of(uow.session.get(m.Staff, tid)), pupils))
        return out


@benchmark("mark_commit", baseline="mark_commit_raw", target="≤ 3 × raw")
def mark_commit(ctx: Context) -> Sample:
    db = _db(ctx)
    targets = itertools.cycle([(lid, actor, p) for lid, actor, pupils in _recent_lessons(db) for p in pupils])

    def once() -> None:
        lid, actor, pupil = next(targets)
        with db.uow() as uow:
            add_mark(uow, actor, lid, pupil, "4")

    raw, close = _mark_raw(ctx, db)
    samples, ratio = interleaved(once, raw, RUNS * 2)
    close()
    return Sample(samples, {"ratio_interleaved": ratio})


@benchmark("mark_commit_raw", target="baseline")
def mark_commit_raw(ctx: Context) -> Sample:
    once, close = _mark_raw(ctx, _db(ctx))
    samples = repeat(once, RUNS * 2, warmup=3)
    close()
    return Sample(samples)


def _mark_raw(ctx: Context, db: Database) -> tuple[Callable[[], None], Callable[[], None]]:
    """The bare driver inserting one mark and committing: (once, close)."""
    lid, actor, pupils = _recent_lessons(db)[0]
    conn, ph = raw_connection(ctx.demo_url("school"))
    sql = ("INSERT INTO mark (school_id, lesson_id, pupil_id, value, work_kind, weight, comment, entered_by, "
           f"entered_at, late_entry, version) VALUES ({', '.join([ph] * 11)})")
    is_sqlite = ph == "?"
    cycle = itertools.cycle(pupils)

    def once() -> None:
        if is_sqlite:
            conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, (db.school_id, lid, next(cycle), "4", "oral", 1.0, "", actor.id,
                           datetime.now(UTC).isoformat(" "), False, 1))
        conn.commit() if not is_sqlite else conn.execute("COMMIT")

    return once, conn.close

"""What the PostgreSQL guards cost a mark typed (data/pg_security.py): one mark committed by the
program as the workstation role on a database with the guards and on one without, against the
bare driver inserting a mark and committing on the one without (with them it is refused).

Both databases hold the `school` demo as of AS_OF, made by `db upgrade` (the second is a copy of
the first with the guards' triggers dropped): a change log of a school's size and the planner's
statistics of one. (A database made a minute ago with a handful of rows is no school: its plans
are made for tables of one page.) The marks go to the lessons of the day before, as
bench_core's mark_commit does.

The three take turns commit by commit (their order rotating), so that the noise of a shared
machine falls on all three alike; the commits are cut into rounds, each round gives its own
ratios, and the spread of those is printed with their median.

    EJOURNAL_BENCH_PG=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python bench/pg_guard_cost.py [--commits 1500] [--json PATH]

Makes the two databases and their roles (as that superuser) and drops them afterwards. The
target (issue "A record no one can quietly rewrite"): guards on ≤ 3 × the bare driver.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import AS_OF  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ejournal_tui.data import models as m  # noqa: E402
from ejournal_tui.data import pg_security  # noqa: E402
from ejournal_tui.data.db import make_engine, open_database  # noqa: E402
from ejournal_tui.services.accounts import actor_of  # noqa: E402
from ejournal_tui.services.context import Clock, Database  # noqa: E402
from ejournal_tui.services.marks import add_mark  # noqa: E402

NOON = datetime.combine(AS_OF, dtime(12), UTC)
KINDS = ("guards on", "guards off", "bare driver")
ROUND = 100  # commits of each kind in a round
INSERT = ("INSERT INTO mark (school_id, lesson_id, pupil_id, value, work_kind, weight, comment, entered_by, "
          "entered_at, late_entry, version) VALUES (%s, %s, %s, '4', 'oral', 1, '', %s, now(), false, 1)")


@contextmanager
def _demo_databases(base: str, tag: str) -> Iterator[tuple[str, str]]:
    """The demo in database `ej_sec_<tag>_on` as `db upgrade` leaves it, and its copy
    `…_off` without the triggers; the workstation role's URL of each."""
    on, off, owner = f"ej_sec_{tag}_on", f"ej_sec_{tag}_off", f"ej_sec_{tag}_owner"
    ws = pg_security.default_workstation_role(on)  # the one `db upgrade` makes unasked
    password = secrets.token_hex(16)
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    url = lambda user, db: make_url(base).set(  # noqa: E731
        username=user, password=password if user == ws else None, database=db).render_as_string(hide_password=False)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE ROLE {owner} LOGIN CREATEROLE")
            conn.exec_driver_sql(f"CREATE DATABASE {on} OWNER {owner}")
        _demo(url(owner, on), ws, password)
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {off} TEMPLATE {on} OWNER {owner}")
        engine = make_engine(url(owner, off))
        with engine.begin() as conn:
            for name, table in pg_security.EXPECTED_TRIGGERS:
                conn.exec_driver_sql(f"DROP TRIGGER {name} ON {table}")
        engine.dispose()
        yield url(ws, on), url(ws, off)
    finally:
        with admin.connect() as conn:
            for db in (on, off):
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {ws}")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {owner}")
        admin.dispose()


def _demo(owner_url: str, ws: str, password: str) -> None:
    from ejournal_tui.demo.generator import DemoOptions, generate

    engine = open_database(owner_url)  # db upgrade: the guards, and the function the program calls
    pg_security.install(engine, ws, password)  # the workstation role, as `ejournal db upgrade` makes it
    generate(engine, DemoOptions("school", 1, AS_OF), today=AS_OF, force=True)
    engine.dispose()


def _targets(db: Database) -> list[tuple[int, object, int, int]]:
    """(lesson, its teacher as an actor, teacher id, pupil) for the lessons of the day before."""
    with db.uow() as uow:
        lessons = uow.session.execute(
            select(m.Lesson.id, m.Lesson.teacher_id, m.Lesson.class_id)
            .join(m.SchoolClass, m.SchoolClass.id == m.Lesson.class_id)
            .where(m.Lesson.date == AS_OF - timedelta(days=1), m.Lesson.group_id.is_(None), m.SchoolClass.grade > 1)
            .order_by(m.Lesson.id).limit(20)).all()
        out = []
        for lesson_id, teacher_id, class_id in lessons:
            actor = actor_of(uow.session.get(m.Staff, teacher_id))
            pupils = uow.session.scalars(select(m.Membership.pupil_id).where(
                m.Membership.class_id == class_id, m.Membership.end.is_(None)).order_by(m.Membership.pupil_id)).all()
            out += [(lesson_id, actor, teacher_id, p) for p in pupils]
        return out


@contextmanager
def _workstation(url: str) -> Iterator[tuple[Callable[[], None], Callable[[], None]]]:
    """(a mark by the program, one by the bare driver) as the workstation role at `url`."""
    engine = make_engine(url)
    with engine.connect() as conn:
        school_id = conn.execute(select(m.School.id)).scalar_one()
    db = Database(engine, school_id, Clock(NOON))
    targets = itertools.cycle(_targets(db))
    raw = engine.raw_connection()

    def service() -> None:
        lesson, actor, _, pupil = next(targets)
        with db.uow() as uow:
            add_mark(uow, actor, lesson, pupil, "4")

    def bare() -> None:
        lesson, _, teacher, pupil = next(targets)
        cur = raw.cursor()
        cur.execute(INSERT, (school_id, lesson, pupil, teacher))
        raw.commit()

    try:
        yield service, bare
    finally:
        raw.close()
        with engine.connect() as conn:
            print(f"events now: {conn.execute(text('SELECT count(*) FROM auditevent')).scalar()}")
        engine.dispose()


def _rounds(calls: dict[str, Callable[[], None]], commits: int) -> list[dict[str, list[float]]]:
    """Commit by commit, each kind in turn (the order rotating); cut into rounds."""
    for call in calls.values():  # connections made, statements prepared
        for _ in range(10):
            call()
    out = []
    orders = itertools.cycle([KINDS[i:] + KINDS[:i] for i in range(len(KINDS))])
    for _ in range(max(1, commits // ROUND)):
        times: dict[str, list[float]] = {name: [] for name in KINDS}
        for _ in range(ROUND):
            for name in next(orders):
                start = time.perf_counter()
                calls[name]()
                times[name].append(time.perf_counter() - start)
        out.append(times)
    return out


def _spread(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    quarters = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "p25": quarters[0],
            "p75": quarters[2]}


def _report(rounds: list[dict[str, list[float]]]) -> dict[str, object]:
    every = {k: [x for r in rounds for x in r[k]] for k in KINDS}
    med = {k: statistics.median(v) for k, v in every.items()}
    for name, values in every.items():
        print(f"{name:12s} median {med[name] * 1000:6.3f} ms   p90 {statistics.quantiles(values, n=10)[-1] * 1000:6.3f} ms"
              f"   (n={len(values)})")
    ratios = {"on/bare": ("guards on", "bare driver"), "on/off": ("guards on", "guards off"),
              "off/bare": ("guards off", "bare driver")}
    spread = {}
    for key, (a, b) in ratios.items():
        s = spread[key] = _spread([statistics.median(r[a]) / statistics.median(r[b]) for r in rounds])
        print(f"{key:8s} {med[a] / med[b]:.2f}x over all commits; per round ({len(rounds)} rounds of {ROUND}): median "
              f"{s['median']:.2f}x, middle half {s['p25']:.2f}-{s['p75']:.2f}x, all {s['min']:.2f}-{s['max']:.2f}x")
    return {"median_s": med["guards on"], "baseline_median_s": med["bare driver"],
            "guards_off_median_s": med["guards off"], "ratio": med["guards on"] / med["bare driver"],
            "ratio_rounds": spread["on/bare"], "guards_ratio_rounds": spread["on/off"],
            "target": "≤ 3 × bare driver"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=1500, help="commits of each kind")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    base = os.environ.get("EJOURNAL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    print("building the school demo on PostgreSQL …", file=sys.stderr, flush=True)
    with _demo_databases(base, uuid.uuid4().hex[:8]) as (on_url, off_url), \
            _workstation(on_url) as (on, _), _workstation(off_url) as (off, bare):
        before = os.getloadavg()
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in before)}")
        rounds = _rounds({"guards on": on, "guards off": off, "bare driver": bare}, args.commits)
        after = os.getloadavg()
    summary = {**_report(rounds), "load_average": [before, after]}
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in after)}")
    if args.json:
        Path(args.json).write_text(json.dumps({"mark_commit_pg_guards": summary}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

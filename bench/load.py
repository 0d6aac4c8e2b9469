"""Load test: N workstations (processes) on one PostgreSQL server, each a teacher of the
`school` demo entering lessons' topics, absences and marks at a human pace, through the
services, for a bounded time. Loopback only.

    python bench/load.py --workstations 50 --seconds 20 [--json PATH] [--db-base URL] [--no-guards]

As at a school: the database belongs to an owner role (not a superuser) and is made by
`db upgrade` (data/pg_security.py: the change log append-only, no register change without
its event, checked at commit), and the workstations log in as the workstation role it makes.
`--no-guards` drops those triggers (same roles) for a figure to compare with.

Each workstation signs in and opens its register, then takes its own teaching load and opens lessons on the demo's "today", one
after another: topic, then every pupil in turn (about one in eight absent, one in three
given a mark), with think time between entries. The commit latency is measured around each
service call in the worker (unit of work, checks, audit event, commit), over every entry;
the first lesson of each workstation (a process just started compiles its statements on
first use) is also shown apart. Workstations start within 3 s of each other, not in the same
millisecond. At the end every
entry a workstation had acknowledged is looked up in the database: it must be stored exactly
once, with exactly one change-log event, and the change log must verify.

Prints a table and writes JSON like bench/run.py (name → {median_s, …}). Must hold for 50
workstations: p99 commit ≤ 50 ms, zero lost or duplicated entries.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import AS_OF  # noqa: E402
from sqlalchemy import create_engine, func, or_, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ejournal_tui.data import models as m  # noqa: E402
from ejournal_tui.data import pg_security  # noqa: E402
from ejournal_tui.data.db import make_engine, open_database  # noqa: E402
from ejournal_tui.domain.errors import EjournalError  # noqa: E402
from ejournal_tui.services import attendance, audit, lessons, marks  # noqa: E402
from ejournal_tui.services.accounts import actor_of  # noqa: E402
from ejournal_tui.services.context import Clock, Database  # noqa: E402
from ejournal_tui.services.register import open_register  # noqa: E402
from ejournal_tui.services.register_view import periods_of  # noqa: E402

NOON = datetime.combine(AS_OF, dtime(12), UTC)
DEFAULT_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_P99_S = 0.050


@dataclass
class Job:
    """What one workstation does: its teacher's load and the class's pupils."""

    index: int
    url: str
    school_id: int
    load_id: int
    teacher_id: int
    pupils: list[int]
    seconds: float
    think: tuple[float, float]


@dataclass
class WorkerResult:
    index: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    cold: list[float] = field(default_factory=list)  # the first lesson, in a process just started
    warming: bool = True
    acked: list[tuple[str, int, int, int]] = field(default_factory=list)  # kind, id, lesson, pupil
    errors: Counter = field(default_factory=Counter)


# --- the workstation ------------------------------------------------------------------

def workstation(job: Job, start: Any, results: Any) -> None:
    """One simulated teacher: runs until its time is up, then reports what it was told."""
    rng = random.Random(job.index)
    db = Database(make_engine(job.url, pool_size=1), job.school_id, Clock(NOON))
    try:
        actor = _sign_in(db, job)
    except Exception:
        start.abort()
        raise
    out = WorkerResult(job.index)
    start.wait()
    deadline = time.monotonic() + job.seconds
    time.sleep(rng.uniform(0, 3.0))  # people do not start typing in the same second
    number = 0
    while time.monotonic() < deadline:
        number += 1
        _lesson(db, actor, job, number, rng, out, deadline)
    db.engine.dispose()
    results.put(out)


def _sign_in(db: Database, job: Job) -> Any:
    """The teacher signs in and opens the register: then the typing starts."""
    with db.uow() as uow:
        actor = actor_of(uow.session.get(m.Staff, job.teacher_id))
    with db.uow(read_only=True) as uow:
        _, period = periods_of(uow, actor, job.load_id, AS_OF)
        open_register(uow, actor, job.load_id, period)
    return actor


def _lesson(db: Database, actor: Any, job: Job, number: int, rng: random.Random, out: WorkerResult,
            deadline: float) -> None:
    out.warming = number == 1
    opened = _timed(db, out, "lesson", lambda uow: lessons.open_lesson(uow, actor, job.load_id, AS_OF, number))
    if opened is None:
        return
    out.acked.append(("lesson", opened.id, opened.id, 0))
    _pause(rng, job)
    _timed(db, out, "topic", lambda uow: lessons.record_lesson(uow, actor, opened.id, topic=f"Тема урока {number}"))
    for pupil in job.pupils:
        if time.monotonic() >= deadline:
            return
        roll = rng.random()
        if roll < 0.12:
            ref = _timed(db, out, "absence", lambda uow, p=pupil: attendance.set_attendance(
                uow, actor, opened.id, p, "absent"))
            kind = "absence"
        elif roll < 0.45:
            value = rng.choice("2345")
            ref = _timed(db, out, "mark", lambda uow, p=pupil, v=value: marks.add_mark(uow, actor, opened.id, p, v))
            kind = "mark"
        else:
            continue
        if ref is not None:
            out.acked.append((kind, ref.id, opened.id, pupil))
        _pause(rng, job)


def _timed(db: Database, out: WorkerResult, kind: str, call: Any) -> Any:
    """The service call in its own unit of work; the latency goes to `kind`."""
    began = time.perf_counter()
    try:
        with db.uow() as uow:
            result = call(uow)
    except EjournalError as exc:
        out.errors[type(exc).__name__] += 1
        return None
    except Exception as exc:  # noqa: BLE001 - a raw error is a finding, counted not hidden
        out.errors[f"raw {type(exc).__name__}"] += 1
        return None
    spent = time.perf_counter() - began
    out.latencies.setdefault(kind, []).append(spent)
    if out.warming:
        out.cold.append(spent)
    return result


def _pause(rng: random.Random, job: Job) -> None:
    time.sleep(rng.uniform(*job.think))


# --- setting up -----------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """The load test's database: who owns it, who the workstations log in as."""

    base: str  # the server's superuser, who makes and drops the database and the roles
    name: str
    owner: str
    workstation: str
    password: str

    def url(self, user: str) -> str:
        password = self.password if user == self.workstation else None
        return make_url(self.base).set(username=user, password=password, database=self.name).render_as_string(
            hide_password=False)


def fresh_demo(base: str, name: str, guards: bool) -> Site:
    """The `school` demo as of AS_OF in a new database `name` owned by a role of its own, as
    `db upgrade` leaves it, with its workstation role able to log in; without `guards`, the
    triggers and row-level security dropped again."""
    from ejournal_tui.demo.generator import DemoOptions, generate

    site = Site(base, name, f"{name}_owner", pg_security.default_workstation_role(name), secrets.token_hex(16))
    drop_database(site)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {site.owner} LOGIN CREATEROLE")
        conn.exec_driver_sql(f"CREATE DATABASE {name} OWNER {site.owner}")
    admin.dispose()
    engine = open_database(site.url(site.owner))
    pg_security.install(engine, site.workstation, site.password)  # what `ejournal db upgrade` does
    generate(engine, DemoOptions("school", 1, AS_OF), today=AS_OF, force=True)
    if not guards:
        _drop_guards(engine)
    engine.dispose()
    return site


def _drop_guards(engine: Any) -> None:
    with engine.begin() as conn:
        for trigger, table in pg_security.EXPECTED_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for table in ["school", "groupmember", *pg_security.school_tables(conn, "public")]:
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def drop_database(site: Site) -> None:
    admin = create_engine(site.base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {site.name} WITH (FORCE)")
        for role in (site.workstation, site.owner):
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
    admin.dispose()


def plan_jobs(site: Site, n: int, seconds: float, think: tuple[float, float]) -> list[Job]:
    """One whole-class load in a graded class per workstation, distinct teachers first."""
    engine = make_engine(site.url(site.owner))
    url = site.url(site.workstation)
    TL, C, Ms = m.TeachingLoad, m.SchoolClass, m.Membership
    with engine.connect() as conn:
        school_id = conn.execute(select(m.School.id)).scalar_one()
        loads = conn.execute(select(TL.id, TL.teacher_id, TL.class_id).join(C, C.id == TL.class_id)
                             .where(C.grade > 1, TL.group_id.is_(None)).order_by(TL.id)).all()
        seen: Counter = Counter()
        ranked = sorted(loads, key=lambda r: (seen.update([r[1]]) or seen[r[1]], r[0]))
        if len(ranked) < n:
            raise SystemExit(f"error: the demo has {len(ranked)} loads for {n} workstations")
        jobs = []
        for i, (load_id, teacher_id, class_id) in enumerate(ranked[:n]):
            pupils = conn.execute(select(Ms.pupil_id).where(
                Ms.class_id == class_id, Ms.start <= AS_OF, or_(Ms.end.is_(None), Ms.end >= AS_OF))
                .order_by(Ms.pupil_id)).scalars().all()
            jobs.append(Job(i, url, school_id, load_id, teacher_id, list(pupils), seconds, think))
    engine.dispose()
    return jobs


# --- watching the server --------------------------------------------------------------

class WaitSampler(threading.Thread):
    """Samples what the workstations' server sessions wait on, five times a second."""

    def __init__(self, url: str, database: str) -> None:
        super().__init__(daemon=True)
        self.url, self.database = url, database
        self.samples: Counter = Counter()
        self.stop = threading.Event()

    def run(self) -> None:
        engine = create_engine(self.url)
        query = text("SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, 'running') "
                     "FROM pg_stat_activity WHERE datname = :d AND state = 'active' AND pid <> pg_backend_pid()")
        with engine.connect() as conn:
            while not self.stop.wait(0.2):
                self.samples.update(conn.execute(query, {"d": self.database}).scalars().all())
                conn.rollback()
        engine.dispose()


# --- checking what was stored ---------------------------------------------------------

def check_stored(url: str, school_id: int, acked: list[tuple[str, int, int, int]]) -> dict[str, int]:
    """Lost, duplicated and unacknowledged entries, and whether the change log verifies."""
    lesson_ids = sorted({a[2] for a in acked})
    engine = make_engine(url)
    tables = {"lesson": m.Lesson, "mark": m.Mark, "absence": m.Attendance}
    stored: dict[str, Counter] = {}
    with engine.connect() as conn:
        for kind, model in tables.items():
            key = model.id if kind == "lesson" else model.lesson_id
            ids = conn.execute(select(model.id).where(key.in_(lesson_ids))).scalars().all() if lesson_ids else []
            stored[kind] = Counter(ids)
        per_cell = conn.execute(select(func.count()).select_from(
            select(m.Mark.lesson_id, m.Mark.pupil_id).where(m.Mark.lesson_id.in_(lesson_ids or [-1]))
            .group_by(m.Mark.lesson_id, m.Mark.pupil_id).having(func.count() > 1).subquery())).scalar()
        events = Counter(conn.execute(select(m.AuditEvent.entity, m.AuditEvent.entity_id).where(
            m.AuditEvent.school_id == school_id, m.AuditEvent.at >= NOON)).all())
    ackd = {kind: Counter(a[1] for a in acked if a[0] == kind) for kind in tables}
    entity = {"lesson": "lesson", "mark": "mark", "absence": "attendance"}
    result = {"lost": 0, "duplicated": int(per_cell or 0), "stored_unacknowledged": 0, "events_not_once": 0}
    for kind in tables:
        result["lost"] += sum(1 for i in ackd[kind] if stored[kind][i] == 0)
        result["duplicated"] += sum(1 for i, n in ackd[kind].items() if n > 1)
        result["stored_unacknowledged"] += sum(1 for i in stored[kind] if i not in ackd[kind])
        result["events_not_once"] += sum(1 for i in ackd[kind] if events[(entity[kind], i)] < 1)
    db = Database(engine, school_id, Clock(NOON))
    with db.uow(read_only=True) as uow:
        result["chain_ok"] = int(audit.verify_chain(uow).ok)
    engine.dispose()
    return result


# --- running and reporting ------------------------------------------------------------

def run(site: Site, jobs: list[Job]) -> tuple[list[WorkerResult], float, Counter]:
    ctx = multiprocessing.get_context("fork")  # the parent's imports are shared; no engine is open
    start, results = ctx.Barrier(len(jobs) + 1), ctx.Queue()
    procs = [ctx.Process(target=workstation, args=(job, start, results)) for job in jobs]
    for proc in procs:
        proc.start()
    # the superuser sees what every session waits on; the owner would not
    sampler = WaitSampler(make_url(site.base).set(database=site.name).render_as_string(hide_password=False),
                          site.name)
    try:
        start.wait(timeout=300)
    except threading.BrokenBarrierError:
        for proc in procs:
            proc.join(10)
        raise SystemExit("error: a workstation could not start (see above)") from None
    began = time.monotonic()
    sampler.start()
    out = [results.get(timeout=jobs[0].seconds + 120) for _ in procs]
    elapsed = time.monotonic() - began
    sampler.stop.set()
    for proc in procs:
        proc.join(30)
    sampler.join(5)
    return out, elapsed, sampler.samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summarise(results: list[WorkerResult], elapsed: float, stored: dict[str, int],
              waits: Counter, n: int, conditions: dict[str, Any]) -> dict[str, Any]:
    every = [x for r in results for lat in r.latencies.values() for x in lat]
    kinds = sorted({k for r in results for k in r.latencies})
    by_kind = {k: [x for r in results for x in r.latencies.get(k, [])] for k in kinds}
    errors: Counter = sum((r.errors for r in results), Counter())
    cold = [x for r in results for x in r.cold]
    total_waits = sum(waits.values()) or 1
    return {
        "workstations": n, "seconds": round(elapsed, 1), "entries": len(every),
        "throughput_per_s": round(len(every) / elapsed, 1) if elapsed else 0.0,
        "median_s": statistics.median(every) if every else 0.0, "p50_s": percentile(every, 50),
        "p95_s": percentile(every, 95), "p99_s": percentile(every, 99), "max_s": max(every, default=0.0),
        "by_kind": {k: {"count": len(v), "p50_s": percentile(v, 50), "p99_s": percentile(v, 99)}
                    for k, v in by_kind.items()},
        "first_lesson": {"count": len(cold), "p50_s": percentile(cold, 50), "p99_s": percentile(cold, 99),
                         "max_s": max(cold, default=0.0)},
        "errors": dict(errors), **stored,
        "server_waits": {k: round(v / total_waits, 3) for k, v in waits.most_common(6)},
        "target": "p99 ≤ 50 ms, 0 lost, 0 duplicated", **conditions,
        "holds": bool(every) and percentile(every, 99) <= TARGET_P99_S and stored["lost"] == 0
        and stored["duplicated"] == 0 and stored["chain_ok"] == 1,
    }


def table(s: dict[str, Any]) -> str:
    ms = lambda v: f"{v * 1e3:.1f} ms"  # noqa: E731
    lines = [
        "| workstations | seconds | entries | entries/s | p50 | p95 | p99 | max | lost | duplicated | chain | holds |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {s['workstations']} | {s['seconds']} | {s['entries']} | {s['throughput_per_s']} | {ms(s['p50_s'])} | "
        f"{ms(s['p95_s'])} | {ms(s['p99_s'])} | {ms(s['max_s'])} | {s['lost']} | {s['duplicated']} | "
        f"{'ok' if s['chain_ok'] else 'BROKEN'} | {'yes' if s['holds'] else 'NO'} |",
        "", "| entry | count | p50 | p99 |", "|---|---|---|---|",
    ]
    lines += [f"| {k} | {v['count']} | {ms(v['p50_s'])} | {ms(v['p99_s'])} |" for k, v in s["by_kind"].items()]
    c = s["first_lesson"]
    lines.append(f"| of which the first lesson of each workstation (fresh process) | {c['count']} | "
                 f"{ms(c['p50_s'])} | {ms(c['p99_s'])} (max {ms(c['max_s'])}) |")
    lines.append(f"\nerrors: {s['errors'] or 'none'}; stored but unacknowledged: {s['stored_unacknowledged']}; "
                 f"entries without exactly one change-log event: {s['events_not_once']}")
    lines.append("server sessions, share of samples: " + ", ".join(f"{k} {v:.0%}" for k, v in s["server_waits"].items()))
    lines.append(f"guards: {'on' if s['guards'] else 'off'}; workstations logged in as {s['role']}; load average "
                 f"before {s['load_before']:.2f}, after {s['load_after']:.2f} (1 min)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workstations", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the workstations type (bounded)")
    parser.add_argument("--think-ms", default="150,600", help="pause between one person's entries, min,max")
    parser.add_argument("--db-base", default=DEFAULT_BASE, help="a PostgreSQL URL on the loopback server")
    parser.add_argument("--json", default=str(HERE / "load.json"), help="where to write JSON")
    parser.add_argument("--keep", action="store_true", help="keep the load-test database afterwards")
    parser.add_argument("--guards", action=argparse.BooleanOptionalAction, default=True,
                        help="the database's guards in place, as `db upgrade` leaves them (default); "
                             "--no-guards drops them, the roles staying the same")
    args = parser.parse_args()
    if not any(h in args.db_base for h in ("@127.0.0.1", "@localhost", "@[::1]")):
        raise SystemExit("error: the load test runs against a loopback server only")
    seconds = min(max(args.seconds, 1.0), 300.0)
    low, high = (float(x) / 1000 for x in args.think_ms.split(","))
    name = "ejload_school"
    print(f"building the school demo on PostgreSQL (guards {'on' if args.guards else 'off'}) …", file=sys.stderr,
          flush=True)
    site = fresh_demo(args.db_base, name, args.guards)
    try:
        jobs = plan_jobs(site, args.workstations, seconds, (low, high))
        print(f"{len(jobs)} workstations typing for {seconds:.0f} s as {site.workstation} …", file=sys.stderr,
              flush=True)
        before = os.getloadavg()[0]
        results, elapsed, waits = run(site, jobs)
        conditions = {"guards": args.guards, "role": site.workstation, "load_before": before,
                      "load_after": os.getloadavg()[0]}
        stored = check_stored(site.url(site.owner), jobs[0].school_id, [a for r in results for a in r.acked])
        summary = summarise(results, elapsed, stored, waits, len(jobs), conditions)
    finally:
        if not args.keep:
            drop_database(site)
    print(table(summary))
    key = f"load_{len(jobs)}_workstations" + ("_guards" if args.guards else "")
    Path(args.json).write_text(json.dumps({key: summary}, indent=2, ensure_ascii=False))
    print(f"\nJSON written to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()

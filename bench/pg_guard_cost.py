"""What the PostgreSQL guards cost a mark typed (data/pg_security.py): one mark committed by the
program as the workstation role, with the guards and without, against the bare driver inserting
a mark and committing (no guards: with them it is refused). Blocks of each are interleaved.

    EJOURNAL_BENCH_PG=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python bench/pg_guard_cost.py [--commits 400]

Makes a database and roles of its own (as that superuser) and drops them afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ejournal_tui.data import pg_security  # noqa: E402
from ejournal_tui.data.db import make_engine, upgrade  # noqa: E402
from ejournal_tui.services.context import Clock, Database  # noqa: E402
from ejournal_tui.services.marks import add_mark  # noqa: E402
from tests.factory import build_school  # noqa: E402

FROZEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _guards(owner, on: bool, rls: bool = True) -> None:  # noqa: ANN001
    with owner.begin() as conn:
        if on:
            pg_security.install_guards(conn)
            if rls:
                return
        for name, table in pg_security.EXPECTED_TRIGGERS if not on else ():
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for table in ["school", "groupmember", *pg_security.school_tables(conn, "public")]:
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=400, help="commits of each kind")
    args = parser.parse_args()
    base = os.environ.get("EJOURNAL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    tag = uuid.uuid4().hex[:8]
    db, owner_role, ws = f"ej_sec_{tag}", f"ej_sec_{tag}_owner", f"ej_sec_{tag}_ws"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {owner_role} LOGIN CREATEROLE")
        conn.exec_driver_sql(f"CREATE DATABASE {db} OWNER {owner_role}")
    url = lambda user: make_url(base).set(username=user, database=db).render_as_string(hide_password=False)  # noqa: E731
    try:
        owner = make_engine(url(owner_role))
        upgrade(owner)
        pg_security.install(owner, ws, "bench")
        school = build_school(owner, Clock(FROZEN))
        lesson = school.lesson("rus5", date(2026, 11, 20))
        teacher = school.actors["ivanova"]
        pupils = itertools.cycle(list(school.pupils.values())[:5])
        ws_engine = make_engine(url(ws))
        wdb = Database(ws_engine, school.school_id, Clock(FROZEN))
        raw = ws_engine.raw_connection()
        sql = ("INSERT INTO mark (school_id, lesson_id, pupil_id, value, work_kind, weight, comment, entered_by, "
               "entered_at, late_entry, version) VALUES (%s, %s, %s, '4', 'oral', 1, '', %s, now(), false, 1)")

        def service() -> None:
            with wdb.uow() as uow:
                add_mark(uow, teacher, lesson, next(pupils), "4")

        def bare() -> None:
            cur = raw.cursor()
            cur.execute(sql, (school.school_id, lesson, next(pupils), teacher.id))
            raw.commit()

        times: dict[str, list[float]] = {"service, guards on": [], "service, triggers only": [],
                                         "service, guards off": [], "bare driver": []}
        for _ in range(5):  # warm-up
            service()
        block = 50
        for _ in range(max(1, args.commits // block)):
            for name, on, rls, call in (("service, guards on", True, True, service),
                                        ("service, triggers only", True, False, service),
                                        ("service, guards off", False, False, service), ("bare driver", False, False, bare)):
                _guards(owner, on, rls)
                for _ in range(block):
                    start = time.perf_counter()
                    call()
                    times[name].append(time.perf_counter() - start)
        raw.close()
        ws_engine.dispose()
        with owner.connect() as conn:  # the program's writes made a whole chain
            print("events:", conn.execute(text("SELECT count(*) FROM auditevent")).scalar())
        owner.dispose()
        medians = {k: statistics.median(v) for k, v in times.items()}
        for name, value in medians.items():
            print(f"{name:22s} median {value * 1000:7.3f} ms  p90 {statistics.quantiles(times[name], n=10)[-1] * 1000:7.3f} ms"
                  f"  (n={len(times[name])})")
        on, off, bare_ = medians["service, guards on"], medians["service, guards off"], medians["bare driver"]
        print(f"guards on / bare driver: {on / bare_:.2f}x   guards on / guards off: {on / off:.2f}x   "
              f"guards off / bare driver: {off / bare_:.2f}x")
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {ws}")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {owner_role}")
        admin.dispose()


if __name__ == "__main__":
    main()

"""Parents' digests (issue 13): `notify parents --dry-run` for the whole `school` demo (about
800 pupils: every family's message composed and written as .eml, the paper families' report
cards as one PDF per class), target under 30 s on two cores, next to its baseline measured in
the same run: `export report-cards` of every class (the printout the paper route replaces).
The JSON also gives the run's parts: reading the plan (families, news, the period so far) and
composing the messages."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

from common import AS_OF, Context, Sample, benchmark, repeat
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.services.context import Clock, Database, os_actor

RUNS = 3
SENDER = "Школа № 7 <journal@school7.example.org>"


def _db(ctx: Context) -> Database:
    engine = make_engine(ctx.demo_url("school"))
    with engine.connect() as conn:
        sid = conn.execute(select(m.School.id)).scalar_one()
    return Database(engine, sid, Clock(datetime.combine(AS_OF, time(17), UTC)))


def _classes(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(m.SchoolClass.name).where(m.SchoolClass.school_id == db.school_id)
                                 .order_by(m.SchoolClass.grade, m.SchoolClass.letter)).scalars())


@benchmark("notify_dry_run_school_s", baseline="report_cards_school_s", target="< 30 s on two cores")
def notify_dry_run_school(ctx: Context) -> Sample:
    """`notify parents --dry-run` of the whole school demo into a fresh folder."""
    from ejournal_tui.exporters.digest_mail import digest_message
    from ejournal_tui.services.notify import SmtpSettings, notify_parents
    from ejournal_tui.services.notify.plan import make_plan
    from ejournal_tui.services.notify.run import _Run

    db = _db(ctx)
    actor = os_actor(db.school_id, ("admin",))
    folder = Path(tempfile.mkdtemp(prefix="ejournal-bench-notify-"))
    smtp = SmtpSettings(sender=SENDER)
    reports: list = []

    def once() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        reports[:] = [notify_parents(db, actor, smtp, dry_run=True, out=folder)]

    seconds = repeat(once, RUNS, warmup=0)
    plans: list = []

    def plan() -> None:
        with db.uow(read_only=True) as uow:
            plans[:] = [make_plan(uow, actor, class_name=None, pupil_ids=None, since=None, finals_only=False)]

    plan_s = repeat(plan, RUNS, warmup=0)
    run = _Run(db, actor, smtp.check(sending=False), plans[0], False, True, folder, lambda *_: None)
    compose_s = repeat(lambda: [bytes(digest_message(run._digest(f))) for f in run.messages], RUNS, warmup=0)
    report = reports[0]
    shutil.rmtree(folder, ignore_errors=True)
    return Sample(seconds, {"messages": report.written, "on_paper": report.printed, "pupils": len(plans[0].pupils),
                            "files": len(report.files), "plan_median_s": sorted(plan_s)[len(plan_s) // 2],
                            "compose_median_s": sorted(compose_s)[len(compose_s) // 2]})


@benchmark("report_cards_school_s", target="baseline")
def report_cards_school(ctx: Context) -> Sample:
    """`export report-cards` (two weeks) of every class of the school demo, one after another."""
    from ejournal_tui.services.exports import export_report_cards

    db = _db(ctx)
    actor = os_actor(db.school_id, ("admin",))
    classes = _classes(db)
    folder = Path(tempfile.mkdtemp(prefix="ejournal-bench-cards-"))
    pages: list[int] = []

    def once() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        pages[:] = [export_report_cards(db, actor, name, 2, folder / f"{name}.pdf").pages for name in classes]

    seconds = repeat(once, RUNS, warmup=0)
    shutil.rmtree(folder, ignore_errors=True)
    return Sample(seconds, {"classes": len(classes), "pages": sum(pages)})

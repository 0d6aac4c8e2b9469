"""`export all`: every class's register for a period (and the summary sheet at year end)
into one folder with `manifest.json`, rendered in parallel processes.

Each worker opens its own engine from the database URL (engines and connections must not
cross a process boundary); the parent checks the permission first and records one audit
event per file once every file is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.i18n import language, register_many, set_language, t
from ejournal_tui.services.context import Actor, Clock, Database
from ejournal_tui.services.exports.common import ExportResult, check_format, record_export
from ejournal_tui.services.lookup import current_year, find_period
from ejournal_tui.services.periods import classes_of_band

Progress = Callable[[str, int, int], None]

register_many({
    "export.all_denied": ("выгрузка всех классов (секретарь, заместитель директора, директор)",
                          "exporting every class (secretary, deputy director, director)"),
    "export.not_folder": ("{path} — файл, а нужна папка", "{path} is a file, not a folder"),
})


@dataclass(frozen=True)
class Job:
    """One file to render, with everything a fresh process needs to do it."""

    url: str
    school_id: int
    actor: Actor
    frozen: datetime | None
    lang: str
    kind: str  # register | summary
    class_name: str
    class_id: int
    period: str
    start_year: int
    fmt: str
    out_dir: str


_ENGINES: dict[str, object] = {}


def reader_engine(url: str):  # noqa: ANN201 - an Engine
    """An engine for a worker that only reads: its transactions begin deferred on SQLite
    (see data/db.py), so parallel exporters read consistent WAL snapshots and never queue
    behind each other for the write lock."""
    from ejournal_tui.data.db import make_engine

    return make_engine(url, pool_size=1).execution_options(ejournal_read_only=True)


def run_job(job: Job) -> ExportResult:
    """Render one file in this process (a pool worker or, with one worker, the caller)."""
    from ejournal_tui.services.exports.single import render_register, render_summary

    set_language(job.lang)
    engine = _ENGINES.get(job.url)
    if engine is None:
        engine = _ENGINES[job.url] = reader_engine(job.url)
    db = Database(engine, job.school_id, Clock(job.frozen))  # type: ignore[arg-type]
    if job.kind == "summary":
        return render_summary(db, job.actor, job.class_name, job.fmt, Path(job.out_dir), job.start_year)[0]
    return render_register(db, job.actor, job.class_name, job.period, job.fmt, Path(job.out_dir),
                           start_year=job.start_year)[0]


def plan_jobs(db: Database, actor: Actor, period: str, out_dir: Path, fmt: str,
              start_year: int | None) -> list[Job]:
    if not actor.has("secretary", "deputy", "director", "admin"):
        raise NotAllowed(what=t("export.all_denied"))
    url = db.engine.url.render_as_string(hide_password=False)
    with db.uow() as uow:
        year = current_year(uow, start_year)
        code = find_period(uow, period, year).code
        classes = [(k.id, k.name) for k in classes_of_band(uow, year.id, code)]  # type: ignore[misc]
        first_year = year.start_year
    kinds = ("register", "summary") if code == cal.YEAR else ("register",)
    return [Job(url, db.school_id, actor, db.clock.frozen, language(), kind, name, cid, code, first_year, fmt,
                str(out_dir)) for cid, name in classes for kind in kinds]


def export_all(db: Database, actor: Actor, period: str, out_dir: str | Path, fmt: str = "pdf",
               progress: Progress | None = None, workers: int | None = None,
               start_year: int | None = None) -> list[ExportResult]:
    """Every class of the period into `out_dir`; returns the files in class order."""
    fmt = check_format(fmt)
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(what=t("export.not_folder", path=folder))
    folder.mkdir(parents=True, exist_ok=True)
    jobs = plan_jobs(db, actor, period, folder, fmt, start_year)
    results = _run(jobs, progress, workers or os.cpu_count() or 1)
    _write_manifest(folder, jobs, results, db.clock)
    with db.uow() as uow:
        for job, result in zip(jobs, results, strict=True):
            record_export(uow, actor, result, job.class_id, {"period": job.period, "format": fmt, "batch": True})
        uow.commit()
    return results


def _run(jobs: list[Job], progress: Progress | None, workers: int) -> list[ExportResult]:
    total = len(jobs)
    if progress:
        progress("export", 0, total)
    if workers <= 1 or total <= 1:
        results = []
        for i, job in enumerate(jobs, 1):
            results.append(run_job(job))
            if progress:
                progress(job.class_name, i, total)
        return results
    with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=_context()) as pool:
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        done: dict[int, ExportResult] = {}
        for future in as_completed(futures):
            index = futures[future]
            done[index] = future.result()
            if progress:
                progress(jobs[index].class_name, len(done), total)
    return [done[i] for i in range(total)]


def _context():  # noqa: ANN202 - a multiprocessing context
    """Not plain fork: the parent may hold open connections and a progress-bar thread. The
    fork server imports the renderer once and forks the workers from it, so two workers
    do not each pay the imports (about a second and a half)."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = get_context("forkserver")
        context.set_forkserver_preload(["ejournal_tui.services.exports.batch",
                                        "ejournal_tui.services.exports.single",
                                        "ejournal_tui.services.exports.register_doc",
                                        "ejournal_tui.exporters.register_pdf", "fpdf", "fontTools.ttLib"])
        return context
    return get_context("spawn")


def _write_manifest(folder: Path, jobs: list[Job], results: list[ExportResult], clock: Clock) -> None:
    files = [{"file": r.path.name, "class": r.class_name, "kind": r.kind, "period": job.period,
              "format": r.path.suffix.lstrip("."), "pages": r.pages, "sha256": r.sha256}
             for job, r in zip(jobs, results, strict=True)]
    manifest = {"generated_at": clock.local_now().isoformat(timespec="seconds"),
                "period": jobs[0].period if jobs else "", "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")

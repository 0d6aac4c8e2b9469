"""`export all`: every class's register for a period (and the summary sheet at year end)
into one folder with `manifest.json`, rendered in parallel processes.

Each worker opens its own engine from the database URL (engines and connections must not
cross a process boundary); the parent checks the permission first and records one audit
event per file as each is written. The files go into a fresh folder beside the target,
renamed into place when complete: an archive folder is never half old, half new.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.i18n import language, register_many, set_language, t
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, Clock, Database
from ejournal_tui.services.exports.common import ExportResult, check_format, record_export
from ejournal_tui.services.lookup import current_year, find_period
from ejournal_tui.services.periods import classes_of_band

Progress = Callable[[str, int, int], None]
Done = Callable[["Job", ExportResult], None]

register_many({
    "export.all_denied": ("выгрузка всех классов (секретарь, заместитель директора, директор)",
                          "exporting every class (secretary, deputy director, director)"),
    "export.not_folder": ("{path} — файл, а нужна папка", "{path} is a file, not a folder"),
    "export.not_empty": ("папка {path} не пуста; чтобы заменить её целиком, добавьте --force",
                         "the folder {path} is not empty; add --force to replace it as a whole"),
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
               start_year: int | None = None, force: bool = False) -> list[ExportResult]:
    """Every class of the period into `out_dir`; returns the files in class order.

    The files are written into a fresh folder beside the target and renamed into place only
    when all are written, so the target is either the old folder or the complete new one.
    A non-empty target is replaced, as a whole, only with `force`."""
    fmt = check_format(fmt)
    folder = _check_folder(Path(out_dir), force)
    jobs = plan_jobs(db, actor, period, folder, fmt, start_year)
    staging, done = _staging(folder), False
    try:
        jobs = [replace(job, out_dir=str(staging)) for job in jobs]
        results = _run(jobs, progress, workers or os.cpu_count() or 1, _recorder(db, actor, folder, fmt))
        head = _manifest_head(db, actor, jobs)
        digest = _write_manifest(staging, jobs, results, db.clock, _font_name(db) if fmt == "pdf" else "", head)
        _move_into_place(staging, folder)
        done = True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        _record_batch(db, actor, folder, {"period": jobs[0].period if jobs else period, "format": fmt,
                                          "complete": done, "files": len(jobs),
                                          "manifest_sha256": digest if done else ""})
    return [replace(r, path=folder / r.path.name) for r in results]


def _record_batch(db: Database, actor: Actor, folder: Path, details: dict[str, object]) -> None:
    """The closing event: the folder in place with its manifest, or a run that left the
    target as it was (the files recorded before it never reached the folder)."""
    with db.uow() as uow:
        audit.record(uow, actor, "export.all", entity="folder", after={"folder": str(folder), **details})
        uow.commit()


def _check_folder(folder: Path, force: bool) -> Path:
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(what=t("export.not_folder", path=folder))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InvalidInput(what=t("export.not_empty", path=folder))
    try:
        folder.absolute().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(what=t("export.write", path=folder, detail=exc.strerror or exc)) from exc
    return folder.absolute()


def _staging(folder: Path) -> Path:
    """A fresh, hidden folder beside the target (same file system: the rename is atomic)."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=folder.parent))
    except OSError as exc:
        raise InvalidInput(what=t("export.write", path=folder, detail=exc.strerror or exc)) from exc


def _move_into_place(staging: Path, folder: Path) -> None:
    """Rename the complete folder onto the target; an old target is moved aside first and
    removed once the new one stands in its place."""
    old = None
    if folder.exists():
        staging.chmod(folder.stat().st_mode & 0o7777)  # the archive keeps its permissions
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
        folder.rename(old / folder.name)
    try:
        staging.rename(folder)
    except OSError:
        if old is not None:
            (old / folder.name).rename(folder)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _recorder(db: Database, actor: Actor, folder: Path, fmt: str) -> Done:
    """Records each file in the change log as soon as it is written, under the name it has
    once the folder is in place."""
    def done(job: Job, result: ExportResult) -> None:
        final = replace(result, path=folder / result.path.name)
        with db.uow() as uow:
            record_export(uow, actor, final, job.class_id, {"period": job.period, "format": fmt, "batch": True,
                                                             "staged_in": str(result.path.parent)})
            uow.commit()
    return done


def _run(jobs: list[Job], progress: Progress | None, workers: int, done: Done) -> list[ExportResult]:
    total = len(jobs)
    if progress:
        progress("export", 0, total)
    if workers <= 1 or total <= 1:
        results = []
        for i, job in enumerate(jobs, 1):
            results.append(run_job(job))
            done(job, results[-1])
            if progress:
                progress(job.class_name, i, total)
        return results
    return _run_pool(jobs, progress, min(workers, total), done)


def _run_pool(jobs: list[Job], progress: Progress | None, workers: int, done: Done) -> list[ExportResult]:
    total, finished = len(jobs), {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                index = futures[future]
                finished[index] = future.result()
                done(jobs[index], finished[index])
                if progress:
                    progress(jobs[index].class_name, len(finished), total)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [finished[i] for i in range(total)]


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


def _font_name(db: Database) -> str:
    """The face the PDFs are printed in: the manifest names it, so a copy can be matched."""
    from ejournal_tui.services.exports.single import font_for

    with db.uow(read_only=True) as uow:
        return font_for(uow.settings).name


def _manifest_head(db: Database, actor: Actor, jobs: list[Job]) -> dict[str, object]:
    """What a person reading the folder later needs: whose school and year, which period,
    who exported it, and which classes' copies are of a closed period (the rest are drafts)."""
    from ejournal_tui.data import models as m
    from ejournal_tui.services.periods import is_closed

    if not jobs:
        return {"closed_classes": []}
    with db.uow(read_only=True) as uow:
        school = uow.session.get(m.School, db.school_id)
        year = current_year(uow, jobs[0].start_year)
        period = find_period(uow, jobs[0].period, year)
        closed = [j.class_name for j in jobs if j.kind == "register" and is_closed(uow, period.id, j.class_id)]
        return {
            "school": {"code": school.code, "name": school.name} if school else {},
            "year": f"{year.start_year}/{year.start_year + 1}",
            "period_name": cal.PERIOD_NAMES.get(jobs[0].period, (jobs[0].period,))[0],
            "exported_by": {"login": actor.login, "name": actor.name},
            "closed_classes": closed,
        }


def _write_manifest(folder: Path, jobs: list[Job], results: list[ExportResult], clock: Clock, font: str,
                    head: dict[str, object]) -> str:
    closed = set(head.get("closed_classes", ()))  # type: ignore[arg-type]
    files = [{"file": r.path.name, "class": r.class_name, "kind": r.kind, "period": job.period,
              "status": "closed" if r.class_name in closed else "draft",
              "format": r.path.suffix.lstrip("."), "pages": r.pages, "sha256": r.sha256}
             for job, r in zip(jobs, results, strict=True)]
    manifest = {"generated_at": clock.local_now().isoformat(timespec="seconds"),
                **{k: v for k, v in head.items() if k != "closed_classes"},
                "period": jobs[0].period if jobs else "", "font": font, "files": files}
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    (folder / "manifest.json").write_bytes(data)
    return hashlib.sha256(data).hexdigest()

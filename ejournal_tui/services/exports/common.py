"""What every export shares: who may export which class, the heading of a printed form,
writing the file, and the audit event that records personal data leaving the system."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.exporters.data import DocHead
from ejournal_tui.i18n import Phrase, register_many, t
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, Database, UnitOfWork

FORMATS = ("pdf", "xlsx")

register_many({
    "export.denied": ("выгрузка журналов и отчётов", "exporting registers and reports"),
    "export.own_class": ("классный руководитель выгружает только свой класс ({klass})",
                         "a class leader exports only their own class ({klass})"),
    "export.format": ("формат {fmt!r}: используйте pdf или xlsx", "format {fmt!r}: use pdf or xlsx"),
    "export.write": ("не удалось записать файл {path}: {detail}", "cannot write {path}: {detail}"),
    "export.exists": ("файл {path} уже есть; чтобы заменить его, добавьте --force",
                      "{path} already exists; add --force to replace it"),
    "export.not_regular": ("{path} — не обычный файл; выгрузка пишет только в обычные файлы",
                           "{path} is not a regular file; exports write regular files only"),
})


class TargetExists(InvalidInput):
    """The file is there already and replacing it was not asked for (`--force`); `path` lets
    an entry point name its own way of asking."""

    def __init__(self, path: Path) -> None:
        super().__init__(what=Phrase("export.exists", path=path))
        self.path = path


@dataclass(frozen=True)
class ExportResult:
    """One file written: what the manifest and the audit event say about it."""

    path: Path
    class_name: str
    kind: str  # register | summary | report-cards | class-report
    pages: int  # PDF pages, or sheets of a workbook
    sha256: str


def check_format(fmt: str) -> str:
    value = (fmt or "").strip().lower()
    if value not in FORMATS:
        raise InvalidInput(what=t("export.format", fmt=fmt))
    return value


def require_export(actor: Actor, klass: m.SchoolClass | None = None) -> None:
    """Secretary, deputy, director, admin: any class; a class leader: their own class."""
    if not perm.may(actor.roles, "export"):
        raise NotAllowed(what=t("export.denied"))
    if not perm.may_print_class(actor.roles, actor.id, klass.leader_id if klass else None):
        raise NotAllowed(what=t("export.own_class", klass=klass.name if klass else "—"))


def staff_names(uow: UnitOfWork) -> dict[int, tuple[str, str]]:
    """Staff id -> (full name, "Фамилия И. О.") for the whole school, in one query."""
    S = m.Staff
    names = {}
    for sid, last, first, patr in uow.session.execute(
        select(S.id, S.last_name, S.first_name, S.patronymic).where(S.school_id == uow.school_id)
    ):
        initials = "".join(f"{p[0]}. " for p in (first, patr) if p).strip()
        names[sid] = (" ".join(p for p in (last, first, patr) if p), f"{last} {initials}".strip())
    return names


def _local(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return at.astimezone().replace(tzinfo=None)


def doc_head(uow: UnitOfWork, klass: m.SchoolClass, year: m.AcademicYear, period: m.Period | None) -> DocHead:
    school = uow.session.get(m.School, uow.school_id)
    leader = staff_names(uow).get(klass.leader_id or -1, ("", ""))[0]
    closed_at = None
    closed = False
    if period is not None:
        row = uow.session.execute(
            select(m.PeriodClosure.closed, m.PeriodClosure.changed_at).where(
                m.PeriodClosure.period_id == period.id, m.PeriodClosure.class_id == klass.id)
        ).first()
        closed, closed_at = (bool(row[0]), _local(row[1])) if row else (False, None)
    return DocHead(
        school=school.name if school else "", class_name=klass.name,
        year_label=f"{year.start_year}/{year.start_year + 1}", leader=leader,
        printed_at=uow.clock.local_now(), closed=closed, closed_at=closed_at if closed else None,
        period_code=period.code if period else "", period_start=period.start if period else None,
        period_end=period.end if period else None,
    )


def default_name(kind: str, class_name: str, what: str, fmt: str) -> str:
    return f"{kind}-{class_name}-{what}.{fmt}"


def _means_folder(out: str | Path) -> bool:
    text = str(out)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def target_path(out: str | Path | None, name: str) -> Path:
    """`out` as given, a file named `name` inside `out` when it is a folder (an existing one,
    or any path ending in `/`, created here), or `name` in the current folder."""
    if out is None:
        return Path(name)
    if not _means_folder(out):
        return Path(out)
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(what=t("export.write", path=folder, detail=exc.strerror or exc)) from exc
    return folder / name


def check_target(path: Path, force: bool = False) -> None:
    """Only a regular file is ever replaced (never a device, a folder or a pipe), and only
    with `force`: a file listed in an archive's manifest must not change without a word."""
    if not os.path.lexists(path):
        return
    if not path.is_file():
        raise InvalidInput(what=t("export.not_regular", path=path))
    if not force:
        raise TargetExists(path)


def write_file(path: Path, data: bytes, force: bool = False) -> str:
    """Write atomically (a half-written register must never look finished) through a
    temporary file beside the target, removed if anything fails; returns the SHA-256."""
    check_target(path, force)
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        # created new (never through an existing name), with the mode the umask allows
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as fh:
            fh.write(data)
        check_target(path, force)  # the target may have appeared meanwhile
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInput(what=t("export.write", path=path, detail=exc.strerror or exc)) from exc
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
    return hashlib.sha256(data).hexdigest()


def record_export(uow: UnitOfWork, actor: Actor, result: ExportResult, class_id: int | None,
                  details: dict[str, object]) -> None:
    """The audit event: who exported which class's data, to which file (its absolute path),
    with its digest."""
    audit.record(uow, actor, f"export.{result.kind}", entity="class", entity_id=class_id, class_id=class_id,
                 after={"file": str(result.path.absolute()), "pages": result.pages, "sha256": result.sha256,
                        **details})


def record_report(db: Database, actor: Actor, kind: str, details: dict[str, object],
                  path: Path | None = None, data: bytes | None = None) -> None:
    """A report with pupils' data leaving the system, in its own transaction: which one, for
    what, and the file it went to (absolute path and digest) or the screen."""
    where: dict[str, object] = {"file": str(path.absolute()) if path else "", "stdout": path is None}
    if data is not None:
        where["sha256"] = hashlib.sha256(data).hexdigest()
    with db.uow() as uow:
        audit.record(uow, actor, f"report.{kind}", entity="report", after={**details, **where})
        uow.commit()


def period_mark_title(code: str) -> str:
    if code == cal.YEAR:
        return "Год"
    short = {"Q1": "I ч.", "Q2": "II ч.", "Q3": "III ч.", "Q4": "IV ч.", "H1": "I п/г", "H2": "II п/г"}
    return short.get(code, code)

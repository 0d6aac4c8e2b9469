"""What every export shares: who may export which class, the heading of a printed form,
writing the file, and the audit event that records personal data leaving the system."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.exporters.data import DocHead
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork

FORMATS = ("pdf", "xlsx")
# roles that may export any class; a class leader exports only their own class
_ANY_CLASS = (perm.SECRETARY, perm.DEPUTY, perm.DIRECTOR, perm.ADMIN)

register_many({
    "export.denied": ("выгрузка журналов и отчётов", "exporting registers and reports"),
    "export.own_class": ("классный руководитель выгружает только свой класс ({klass})",
                         "a class leader exports only their own class ({klass})"),
    "export.format": ("формат {fmt!r}: используйте pdf или xlsx", "format {fmt!r}: use pdf or xlsx"),
    "export.write": ("не удалось записать файл {path}: {detail}", "cannot write {path}: {detail}"),
})


@dataclass(frozen=True)
class ExportResult:
    """One file written: what the manifest and the audit event say about it."""

    path: Path
    class_name: str
    kind: str  # register | summary | report-cards
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
    if actor.has(*_ANY_CLASS):
        return
    if klass is None or actor.id is None or klass.leader_id != actor.id:
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


def target_path(out: str | Path | None, name: str) -> Path:
    """`out` as given, a file named `name` inside `out` when it is a folder, or `name` here."""
    if out is None:
        return Path(name)
    path = Path(out)
    return path / name if path.is_dir() else path


def write_file(path: Path, data: bytes) -> str:
    """Write atomically (a half-written register must never look finished); the SHA-256."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInput(what=t("export.write", path=path, detail=exc.strerror or exc)) from exc
    return hashlib.sha256(data).hexdigest()


def record_export(uow: UnitOfWork, actor: Actor, result: ExportResult, class_id: int | None,
                  details: dict[str, object]) -> None:
    """The audit event: who exported which class's data, to which file, with its digest."""
    audit.record(uow, actor, f"export.{result.kind}", entity="class", entity_id=class_id, class_id=class_id,
                 after={"file": str(result.path), "pages": result.pages, "sha256": result.sha256, **details})


def period_mark_title(code: str) -> str:
    if code == cal.YEAR:
        return "Год"
    short = {"Q1": "I ч.", "Q2": "II ч.", "Q3": "III ч.", "Q4": "IV ч.", "H1": "I п/г", "H2": "II п/г"}
    return short.get(code, code)

"""Which printed form a PDF is, from two witnesses: the file itself (its title names the
document, class and year; its footer says «ЧЕРНОВИК» or «Копия из закрытого периода» and
names the period) and the change log, where every export recorded the file's SHA-256 with
the class, the period, who exported it and when. A copy enters the registry only if the
program wrote it and nobody changed it since: then its digest is in the change log."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.calendar import PERIOD_NAMES
from ejournal_tui.exporters.pdfbase import DRAFT
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.paper_copies.pdf_facts import PdfFacts

KINDS = ("register", "summary")
_TITLES = {"Классный журнал": "register", "Сводная ведомость": "summary"}
_TITLE = re.compile(r"^\s*(Классный журнал|Сводная ведомость)\s+(\S+)\s+(\d{4})/(\d{4})\s*$")
_PERIOD = re.compile(r"период\w*\s+«([^»]+)»")
_CLOSED_COPY = "Копия из закрытого периода"
_BY_LABEL = {ru: code for code, (ru, _en) in PERIOD_NAMES.items()}  # as the printed forms name them


@dataclass(frozen=True)
class PrintedForm:
    """What the file says about itself; None where it says nothing this program wrote."""

    kind: str | None = None
    class_name: str | None = None
    start_year: int | None = None
    period_code: str | None = None
    draft: bool | None = None


@dataclass(frozen=True)
class ExportTrace:
    """The change-log event of the export that wrote the file."""

    kind: str
    class_id: int | None
    period_code: str
    at: datetime  # UTC
    actor: str
    subject: str


def printed_form(facts: PdfFacts) -> PrintedForm:
    title = _TITLE.match(facts.title or "")
    text = facts.first_page_text
    period = _PERIOD.search(text)
    draft = True if DRAFT in text else (False if _CLOSED_COPY in text else None)
    return PrintedForm(
        kind=_TITLES[title.group(1)] if title else None,
        class_name=title.group(2) if title else None,
        start_year=int(title.group(3)) if title else None,
        period_code=_BY_LABEL.get(period.group(1)) if period else None,
        draft=draft,
    )


def utc(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def export_trace(uow: UnitOfWork, sha256: str) -> ExportTrace | None:
    """The first export of a register or summary sheet that wrote exactly these bytes."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    E = m.AuditEvent
    rows = uow.session.execute(
        select(E.action, E.class_id, E.at, E.actor, E.after)
        .where(E.school_id == uow.school_id, E.action.in_([f"export.{k}" for k in KINDS]),
               E.after.like(f'%"sha256": "{sha256}"%'))
        .order_by(E.seq)
    ).all()
    for action, class_id, at, actor, after in rows:
        details = json.loads(after or "{}")
        if details.get("sha256") != sha256:
            continue
        kind = action.split(".", 1)[1]
        period = "Y" if kind == "summary" else str(details.get("period") or "").upper()
        return ExportTrace(kind, class_id, period, utc(at), actor, str(details.get("subject") or ""))
    return None


def closed_when_exported(uow: UnitOfWork, period_id: int, class_id: int, at: datetime) -> bool:
    """Whether the period stood closed for the class when the file was exported (for a file
    whose own footer this reader could not read)."""
    PC = m.PeriodClosure
    row = uow.session.execute(
        select(PC.closed, PC.changed_at).where(PC.period_id == period_id, PC.class_id == class_id)
    ).first()
    return bool(row and row[0] and utc(row[1]) <= at)


def printer_name(uow: UnitOfWork, login: str) -> str:
    """Who exported the file: a staff member's short name, else the login (os:…)."""
    staff = uow.session.scalars(
        select(m.Staff).where(m.Staff.school_id == uow.school_id, m.Staff.login == login)
    ).first()
    return staff.short_name if staff is not None and staff.short_name else login

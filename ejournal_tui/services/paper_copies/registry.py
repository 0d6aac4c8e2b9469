"""The registry printed for signing: the year's copies as a PDF table, written like every
export (atomically, never over an existing file without `force`) and recorded in the
change log with the file's path and digest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.exporters.registry_pdf import RegistryDoc, RegistryLine
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, Database, UnitOfWork
from ejournal_tui.services.exports.common import target_path, write_file
from ejournal_tui.services.exports.single import font_for
from ejournal_tui.services.lookup import current_year
from ejournal_tui.services.paper_copies.copies import CopyRow, list_copies


@dataclass(frozen=True)
class RegistryFile:
    path: Path
    year_label: str
    copies: int
    pages: int
    sha256: str


def _keeper(uow: UnitOfWork) -> str:
    """The school's secretary by name, for the signature line (blank when there is none or
    several)."""
    staff = uow.session.scalars(
        select(m.Staff).where(m.Staff.school_id == uow.school_id, m.Staff.disabled.is_(False))
    ).all()
    names = [s.short_name for s in staff if perm.SECRETARY in s.role_list]
    return names[0] if len(names) == 1 else ""


def _line(row: CopyRow) -> RegistryLine:
    return RegistryLine(
        row.number, row.class_name, row.period_label, row.kind, row.sheets, row.draft, row.printed_at,
        row.printed_by, row.teachers_signed, row.leader_signed, row.deputy_signed, row.director_signed,
        row.archived, row.note,
    )


def registry_doc(uow: UnitOfWork, actor: Actor, start_year: int | None = None) -> RegistryDoc:
    rows = list_copies(uow, actor, start_year)
    year = current_year(uow, start_year)
    school = uow.session.get(m.School, uow.school_id)
    return RegistryDoc(school.name if school else "", f"{year.start_year}/{year.start_year + 1}",
                       uow.clock.local_now(), tuple(_line(r) for r in rows), _keeper(uow))


def print_registry(db: Database, actor: Actor, out: str | Path | None = None, start_year: int | None = None,
                   force: bool = False) -> RegistryFile:
    """The year's registry as a PDF for signing (CLI: `archive print`)."""
    from ejournal_tui.exporters.registry_pdf import registry_pdf

    with db.uow(read_only=True) as uow:
        doc = registry_doc(uow, actor, start_year)
        font, binding = font_for(uow.settings), uow.settings.binding_margin_mm
    data, pages = registry_pdf(doc, font, binding)
    path = target_path(out, f"registry-{doc.year_label.split('/')[0]}.pdf")
    digest = write_file(path, data, force)
    with db.uow() as uow:
        audit.record(uow, actor, "paper.print", entity="registry",
                     after={"file": str(path.absolute()), "pages": pages, "sha256": digest,
                            "year": doc.year_label, "copies": len(doc.lines)})
        uow.commit()
    return RegistryFile(path, doc.year_label, len(doc.lines), pages, digest)

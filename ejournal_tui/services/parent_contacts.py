"""Parents' contacts with their consent to electronic delivery (152-ФЗ), kept by the class
leader (001, class leader: the class list and pupils' data kept true) and read by the digest
to parents: who gets e-mail, who gets paper.

A pupil's contacts are saved as a whole list, as the class leader's form shows them: parents
added, changed and removed in one change-log event. The printed register's pupils page keeps
its own text of parents and phones (`Pupil.parents`, `Pupil.phone`); saving the contacts
rewrites that text from them, so paper and contacts agree. The pupils' import replaces a
pupil's contacts by the file's the same way (`replace_family`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.contacts import (
    Contact,
    ContactProblem,
    clean_contact,
    described,
    paper_text,
)
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lengths import check_values
from ejournal_tui.services.lookup import current_year
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.versioning import update_versioned

MAX_PARENTS = 6

register_many({
    "pc.denied": ("контакты родителей {klass} ведёт классный руководитель (а также заместитель директора "
                  "и администратор)",
                  "the parents' contacts of {klass} are kept by its class leader (and the deputy director "
                  "and the administrator)"),
    "pc.denied_no_class": ("контакты родителей ученика вне класса (заместитель директора, администратор)",
                           "the parents' contacts of a pupil in no class (deputy director, administrator)"),
    "pc.parent_n": ("родитель {n}: {problem}", "parent {n}: {problem}"),
    "pc.too_many": ("не более {n} родителей (законных представителей) у ученика",
                    "at most {n} parents (guardians) per pupil"),
    "pc.what": ("контакты родителей ученика {id}", "parents' contacts of pupil {id}"),
})

_T = m.ParentContact.__table__
_COLUMNS = (_T.c.id, _T.c.name, _T.c.email, _T.c.phone, _T.c.consent, _T.c.consent_date, _T.c.version)


@dataclass(frozen=True)
class ParentRow:
    """A parent as stored."""

    id: int
    name: str
    email: str
    phone: str
    consent: bool
    consent_date: date | None
    version: int

    @property
    def contact(self) -> Contact:
        return Contact(self.name, self.email, self.phone, self.consent)


@dataclass(frozen=True)
class ParentInput:
    """A parent as the form or the file gives it; `id` names the stored one it changes."""

    name: str
    email: str = ""
    phone: str = ""
    consent: bool = False
    id: int | None = None


@dataclass(frozen=True)
class ContactClass:
    id: int
    name: str


@dataclass(frozen=True)
class Family:
    """A pupil and their parents' contacts; the printed register's text of parents and
    phones beside them (the only record for a pupil imported before contacts existed)."""

    pupil_id: int
    pupil: str
    class_id: int | None
    class_name: str
    parents: tuple[ParentRow, ...]
    paper_parents: str = ""
    paper_phone: str = ""

    @property
    def versions(self) -> dict[int, int]:
        """What a form loaded, for `save_contacts(expected=…)`."""
        return {p.id: p.version for p in self.parents}

    @property
    def consenting(self) -> tuple[str, ...]:
        """The addresses the family's digest may go to."""
        return tuple(p.email for p in self.parents if p.consent and p.email)


# --- who may ------------------------------------------------------------------------------


def _pupil(uow: UnitOfWork, pupil_id: int) -> m.Pupil:
    row = uow.session.get(m.Pupil, pupil_id)
    if row is None or row.school_id != uow.school_id:
        raise NotFound(what=noun("pupil", id=pupil_id))
    return row


def pupil_class(uow: UnitOfWork, pupil_id: int) -> m.SchoolClass | None:
    """The pupil's class today (in the running year), else the last class they were in."""
    Ms = m.Membership
    today = uow.today()
    rows = uow.session.execute(select(Ms.class_id, Ms.start, Ms.end).where(
        Ms.pupil_id == pupil_id, Ms.school_id == uow.school_id).order_by(Ms.start.desc(), Ms.id.desc())).all()
    now = next((r for r in rows if r.start <= today and (r.end is None or r.end >= today)), None)
    chosen = now or (rows[0] if rows else None)
    return uow.session.get(m.SchoolClass, chosen.class_id) if chosen else None


def may_keep(actor: Actor, klass: m.SchoolClass | None) -> bool:
    return perm.may_keep_contacts(actor.roles, actor.id, klass.leader_id if klass else None)


def _require(actor: Actor, klass: m.SchoolClass | None) -> None:
    if not may_keep(actor, klass):
        raise NotAllowed(what=Phrase("pc.denied", klass=klass.name) if klass else Phrase("pc.denied_no_class"))


def classes_for(uow: UnitOfWork, actor: Actor) -> list[ContactClass]:
    """The running year's classes whose contacts the person keeps: their own (a class
    leader), every class (the deputy director, the administrator)."""
    year = current_year(uow)
    C = m.SchoolClass
    stmt = select(C).where(C.school_id == uow.school_id, C.year_id == year.id).order_by(C.grade, C.letter)
    return [ContactClass(c.id, c.name) for c in uow.session.scalars(stmt) if may_keep(actor, c)]  # type: ignore[arg-type]


# --- reading ------------------------------------------------------------------------------


def _rows(uow: UnitOfWork, pupil_ids: Sequence[int]) -> dict[int, list[ParentRow]]:
    found: dict[int, list[ParentRow]] = {pid: [] for pid in pupil_ids}
    if not pupil_ids:
        return found
    stmt = select(_T.c.pupil_id, *_COLUMNS).where(_T.c.pupil_id.in_(pupil_ids), _T.c.school_id == uow.school_id)
    for pupil_id, cid, name, email, phone, consent, since, version in uow.session.execute(
            stmt.order_by(_T.c.pupil_id, _T.c.id)):
        found[pupil_id].append(ParentRow(cid, name, email, phone, bool(consent), since, version))
    return found


def pupil_contacts(uow: UnitOfWork, actor: Actor, pupil_id: int) -> Family:
    """One pupil's parents, to fill the form that changes them."""
    pupil = _pupil(uow, pupil_id)
    klass = pupil_class(uow, pupil_id)
    _require(actor, klass)
    return Family(pupil_id, pupil.full_name, klass.id if klass else None, klass.name if klass else "",
                  tuple(_rows(uow, [pupil_id])[pupil_id]), pupil.parents, pupil.phone)


def class_contacts(uow: UnitOfWork, actor: Actor, class_id: int) -> list[Family]:
    """The class's pupils (those in it today, or on the year's last day once it is over) in
    alphabetical order, each with their parents."""
    klass = uow.session.get(m.SchoolClass, class_id)
    if klass is None or klass.school_id != uow.school_id:
        raise NotFound(what=noun("class", id=class_id))
    _require(actor, klass)
    year = uow.session.get_one(m.AcademicYear, klass.year_id)
    day = min(max(uow.today(), year.start), year.end)
    P, Ms = m.Pupil, m.Membership
    pupils = uow.session.execute(
        select(P.id, P.last_name, P.first_name, P.patronymic, P.parents, P.phone).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.class_id == class_id, Ms.start <= day, or_(Ms.end.is_(None), Ms.end >= day))
        .order_by(P.last_name, P.first_name, P.patronymic, P.id).distinct()).all()
    parents = _rows(uow, [p.id for p in pupils])
    return [Family(p.id, " ".join(x for x in (p.last_name, p.first_name, p.patronymic) if x), klass.id,  # type: ignore[arg-type]
                   klass.name, tuple(parents[p.id]), p.parents, p.phone) for p in pupils]


# --- writing ------------------------------------------------------------------------------


def _cleaned(parents: Sequence[ParentInput]) -> list[tuple[int | None, Contact]]:
    if len(parents) > MAX_PARENTS:
        raise InvalidInput(what=Phrase("pc.too_many", n=MAX_PARENTS))
    cleaned = []
    for n, parent in enumerate(parents, 1):
        try:
            cleaned.append((parent.id, clean_contact(parent.name, parent.email, parent.phone, parent.consent)))
        except ContactProblem as exc:
            raise InvalidInput(what=Phrase("pc.parent_n", n=n, problem=exc.phrase)) from None
    return cleaned


def _check_base(current: list[ParentRow], wanted: list[tuple[int | None, Contact]],
                expected: Mapping[int, int] | None, pupil_id: int) -> None:
    """The form was filled from what is stored now: no parent added, changed or removed at
    another workstation since (`expected`: id → version as loaded)."""
    what = Phrase("pc.what", id=pupil_id)
    stored = {row.id: row.version for row in current}
    if expected is not None and dict(expected) != stored:
        raise Conflict(what=what)
    if any(cid is not None and cid not in stored for cid, _ in wanted):
        raise Conflict(what=what)


def save_contacts(uow: UnitOfWork, actor: Actor, pupil_id: int, parents: Sequence[ParentInput],
                  expected: Mapping[int, int] | None = None, *, again: bool = False) -> Family:
    """The pupil's parents become `parents` (in their order): those with an id changed, the
    others added, the stored ones not named removed; the printed register's text of parents
    and phones follows. `expected` (id → version, `Family.versions` of what the form
    loaded) refuses the save with `Conflict` if another workstation changed them since.

    Sent `again` after a lost connection (tui/writer.py): parents already stored exactly as
    asked are a first attempt the database took, not another workstation's change."""
    pupil = _pupil(uow, pupil_id)
    klass = pupil_class(uow, pupil_id)
    _require(actor, klass)
    wanted = _cleaned(parents)
    current = _rows(uow, [pupil_id])[pupil_id]
    if again and [row.contact for row in current] == [c for _, c in wanted]:
        return pupil_contacts(uow, actor, pupil_id)
    _check_base(current, wanted, expected, pupil_id)
    before = _told(pupil, [row.contact for row in current])
    if _write(uow, pupil, current, wanted):
        audit.record(uow, actor, "contacts.save", entity="pupil", entity_id=pupil_id, pupil_id=pupil_id,
                     class_id=klass.id if klass else None, before=before,
                     after=_told(pupil, [c for _, c in wanted]))
        uow.commit()
    return pupil_contacts(uow, actor, pupil_id)


def _told(pupil: m.Pupil, contacts: list[Contact]) -> dict[str, object]:
    """The change log's record of a family: each parent on one line, and the register's text."""
    return {"contacts": [described(c) for c in contacts], "parents": pupil.parents, "phone": pupil.phone}


def replace_family(uow: UnitOfWork, pupil: m.Pupil, contacts: list[Contact]) -> bool:
    """The pupil's parents become `contacts`, matched to the stored ones by position (the
    import: the file's order is the school's); True if anything changed. No permission
    check and no event: the caller's (the import checks and records the whole file)."""
    current = _rows(uow, [pupil.id])[pupil.id]  # type: ignore[index]
    paired: list[tuple[int | None, Contact]] = [
        (current[i].id if i < len(current) else None, c) for i, c in enumerate(contacts)]
    return _write(uow, pupil, current, paired)


def _write(uow: UnitOfWork, pupil: m.Pupil, current: list[ParentRow],
           wanted: list[tuple[int | None, Contact]]) -> bool:
    """Make the stored parents `wanted` and the register's text agree; True if anything changed."""
    stored = {row.id: row for row in current}
    kept = {cid for cid, _ in wanted if cid is not None}
    changed = False
    for row in current:
        if row.id not in kept:
            _remove(uow, row, pupil.id)  # type: ignore[arg-type]
            changed = True
    for cid, contact in wanted:
        if cid is None:
            _add(uow, pupil.id, contact)  # type: ignore[arg-type]
            changed = True
        elif stored[cid].contact != contact:
            _change(uow, stored[cid], contact, pupil.id)  # type: ignore[arg-type]
            changed = True
    names, phones = paper_text(c for _, c in wanted)
    if (pupil.parents, pupil.phone) != (names, phones):
        pupil.parents, pupil.phone = names, phones
        changed = True
    return changed


def _values(uow: UnitOfWork, contact: Contact, since: date | None) -> dict[str, object]:
    """A parent's columns; the consent dated the day it was first given, cleared with it."""
    consent_date = (since or uow.today()) if contact.consent else None
    values = {"name": contact.name, "email": contact.email, "phone": contact.phone, "consent": contact.consent,
              "consent_date": consent_date, "updated_at": uow.now()}
    check_values(_T.name, values)
    return values


def _add(uow: UnitOfWork, pupil_id: int, contact: Contact) -> None:
    uow.session.execute(insert(_T).values(school_id=uow.school_id, pupil_id=pupil_id, version=1,
                                          **_values(uow, contact, None)))


def _change(uow: UnitOfWork, row: ParentRow, contact: Contact, pupil_id: int) -> None:
    since = row.consent_date if row.consent else None
    update_versioned(uow, _T, row.id, row.version, row.version, _values(uow, contact, since),
                     Phrase("pc.what", id=pupil_id))


def _remove(uow: UnitOfWork, row: ParentRow, pupil_id: int) -> None:
    done = uow.session.execute(delete(_T).where(_T.c.id == row.id, _T.c.version == row.version))
    if done.rowcount != 1:
        raise Conflict(what=Phrase("pc.what", id=pupil_id))

"""Whose parents a run informs, and whether the person running it may: the pupils in their
classes today (one class, some pupils, or the whole school), each with their class; and the
parents' contacts that decide the families (`domain.families`).

A class leader informs their own class's families; the deputy director, the director and the
administrator any class's (`domain.permissions.may_notify_class`). A class leader who names no
class runs for the classes they lead. Families are formed among the pupils of the run: a
brother in another class gets his news in his own class's run (each pupil's news start
where their own last delivery ended, so nothing is lost or told twice either way).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed, NotFound
from ejournal_tui.domain.families import ContactLine
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control.data import chunks
from ejournal_tui.services.lookup import current_year, find_class
from ejournal_tui.services.phrases import noun

register_many({
    "notify.own_class": ("классный руководитель информирует родителей только своего класса ({klass})",
                         "a class leader informs only their own class's parents ({klass})"),
    "notify.denied": ("информирование родителей (классный руководитель — своего класса; заместитель директора, "
                      "директор, администратор — любого)",
                      "informing parents (a class leader their own class; the deputy director, the director and "
                      "the administrator any class)"),
})


@dataclass(frozen=True)
class PupilInScope:
    id: int
    name: str  # full name
    short_name: str  # «Иванов Пётр»
    class_id: int
    class_name: str
    grade: int


def _classes(uow: UnitOfWork, actor: Actor, class_name: str | None) -> list[m.SchoolClass]:
    """The classes of the run the actor may inform; refuses a class that is not theirs."""
    year = current_year(uow)
    if class_name:
        klass = find_class(uow, class_name, year)
        if not perm.may_notify_class(actor.roles, actor.id, klass.leader_id):
            raise NotAllowed(what=Phrase("notify.own_class", klass=klass.name))
        return [klass]
    C = m.SchoolClass
    classes = list(uow.session.scalars(select(C).where(C.school_id == uow.school_id, C.year_id == year.id)
                                       .order_by(C.grade, C.letter)))
    mine = [k for k in classes if perm.may_notify_class(actor.roles, actor.id, k.leader_id)]
    if not mine:
        raise NotAllowed(what=Phrase("notify.denied"))
    return mine


def pupils_in_scope(uow: UnitOfWork, actor: Actor, class_name: str | None = None,
                    pupil_ids: Iterable[int] | None = None) -> list[PupilInScope]:
    """The pupils whose parents the run informs, in class and alphabetical order."""
    classes = {k.id: k for k in _classes(uow, actor, class_name)}
    today = uow.today()
    P, Ms = m.Pupil, m.Membership
    rows = uow.session.execute(
        select(P.id, P.last_name, P.first_name, P.patronymic, Ms.class_id).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.school_id == uow.school_id, Ms.class_id.in_(list(classes)), Ms.start <= today,
               or_(Ms.end.is_(None), Ms.end >= today))
    ).all()
    wanted = None if pupil_ids is None else set(pupil_ids)
    out: dict[int, PupilInScope] = {}
    for pid, last, first, patr, cid in rows:
        if wanted is None or pid in wanted:
            k = classes[cid]
            full = " ".join(x for x in (last, first, patr) if x)
            out[pid] = PupilInScope(pid, full, f"{last} {first}".strip(), cid, k.name, k.grade)
    missing = sorted((wanted or set()) - set(out))
    if missing:  # not a pupil of the school, or not in a class the actor may inform today
        if not _exists(uow, missing[0]):
            raise NotFound(what=noun("pupil", id=missing[0]))
        raise NotAllowed(what=Phrase("notify.denied"))
    return sorted(out.values(), key=lambda p: (classes[p.class_id].grade, classes[p.class_id].letter, p.name, p.id))


def _exists(uow: UnitOfWork, pupil_id: int) -> bool:
    pupil = uow.session.get(m.Pupil, pupil_id)
    return pupil is not None and pupil.school_id == uow.school_id


def contact_lines(uow: UnitOfWork, pupil_ids: Iterable[int]) -> list[ContactLine]:
    PC = m.ParentContact
    out = []
    for part in chunks(pupil_ids):
        out += [ContactLine(pid, email or "", bool(consent)) for pid, email, consent in uow.session.execute(
            select(PC.pupil_id, PC.email, PC.consent).where(PC.school_id == uow.school_id, PC.pupil_id.in_(part)))]
    return out


def withheld_anywhere(uow: UnitOfWork) -> set[str]:
    """Addresses any contact of the school gives without consent (never written to)."""
    PC = m.ParentContact
    rows = uow.session.execute(select(PC.email).where(PC.school_id == uow.school_id, PC.consent.is_(False),
                                                      PC.email != "")).scalars()
    return {e.strip().lower() for e in rows if e and e.strip()}

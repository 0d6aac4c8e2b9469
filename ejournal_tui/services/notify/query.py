"""`ejournal notify log`: the delivery log of the classes a person may inform (a class
leader their own, the deputy director, the director and the administrator any), narrowed to
one class, to pupils whose name contains some text, and to rows from a day on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year, find_class
from ejournal_tui.services.notify.log import LogEntry, read_log


def _folded(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def _pupils(uow: UnitOfWork, actor: Actor, class_name: str | None) -> dict[int, tuple[str, str]]:
    """{pupil: (full name, class)} of the year's classes the actor may inform."""
    year = current_year(uow)
    C, P, Ms = m.SchoolClass, m.Pupil, m.Membership
    if class_name:
        klass = find_class(uow, class_name, year)
        if not perm.may_notify_class(actor.roles, actor.id, klass.leader_id):
            raise NotAllowed(what=Phrase("notify.own_class", klass=klass.name))
        classes = [klass]
    else:
        classes = [k for k in uow.session.scalars(select(C).where(C.school_id == uow.school_id, C.year_id == year.id))
                   if perm.may_notify_class(actor.roles, actor.id, k.leader_id)]
        if not classes:
            raise NotAllowed(what=Phrase("notify.denied"))
    names = {k.id: k.name for k in classes}
    out: dict[int, tuple[str, str]] = {}
    for pid, last, first, patr, cid in uow.session.execute(
        select(P.id, P.last_name, P.first_name, P.patronymic, Ms.class_id).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.class_id.in_(list(names))).order_by(Ms.start)
    ):
        out[pid] = (" ".join(x for x in (last, first, patr) if x), names[cid])
    return out


def delivery_log(uow: UnitOfWork, actor: Actor, *, class_name: str | None = None, pupil: str | None = None,
                 since: date | None = None) -> list[LogEntry]:
    """The log's rows, oldest first."""
    pupils = _pupils(uow, actor, class_name)
    if pupil and pupil.strip():
        wanted = _folded(pupil)
        pupils = {pid: v for pid, v in pupils.items() if wanted in _folded(v[0])}
    return read_log(uow, pupils, since)

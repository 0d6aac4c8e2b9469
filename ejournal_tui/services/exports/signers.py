"""Who certifies a paper copy besides the teachers and the class leader (001 4.5–4.7): the
deputy director and the director, by name, for the certification lines of printed forms."""

from __future__ import annotations

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.services.context import UnitOfWork


def _staff_with(uow: UnitOfWork, role: str) -> list[m.Staff]:
    """Active staff accounts holding `role`, by name."""
    S = m.Staff
    rows = uow.session.scalars(
        select(S).where(S.school_id == uow.school_id, S.disabled.is_(False), S.roles.contains(role))
        .order_by(S.last_name, S.first_name, S.patronymic, S.id))
    return [s for s in rows if role in s.role_list]


def deputy_name(uow: UnitOfWork) -> str:
    """The deputy director's full name: of several, the first by name; "" when the school has
    none (the form then leaves a line to write the name in)."""
    found = _staff_with(uow, perm.DEPUTY)
    return found[0].full_name if found else ""


def director_name(uow: UnitOfWork) -> str:
    """The director as the school's details name them, else the director's staff account."""
    school = uow.session.get(m.School, uow.school_id)
    if school is not None and school.director.strip():
        return school.director.strip()
    found = _staff_with(uow, perm.DIRECTOR)
    return found[0].full_name if found else ""

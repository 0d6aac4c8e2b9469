"""What a staff workstation needs to know before and right after sign-in: the school's name,
whether it is a demo (the login screen then shows the demo logins), and the idle-lock time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.services.context import UnitOfWork

DEMO_LOGINS = ("admin", "deputy", "secretary", "teacher", "director")
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class SchoolInfo:
    name: str
    is_demo: bool
    idle_lock_minutes: int
    demo_logins: tuple[str, ...] = ()


def school_info(uow: UnitOfWork) -> SchoolInfo:
    school = uow.session.get(m.School, uow.school_id)
    name = school.name if school else ""
    demo = bool(school and school.is_demo)
    logins: tuple[str, ...] = ()
    if demo:
        present = set(uow.session.scalars(
            select(m.Staff.login).where(m.Staff.school_id == uow.school_id, m.Staff.login.in_(DEMO_LOGINS))))
        logins = tuple(lg for lg in DEMO_LOGINS if lg in present)
    return SchoolInfo(name, demo, uow.settings.idle_lock_minutes, logins)

"""The deputy director's control (issue 6): how the register is kept, programme fulfilment,
substitutions, activity, time sheets and class leaders' reports.

`control_report` is for the deputy director, the director and the administrator;
`my_reminders` gives any teacher their own items from it.
"""

from __future__ import annotations

from datetime import date

from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control import texts
from ejournal_tui.services.control.build import Builder
from ejournal_tui.services.control.model import (
    ControlItem,
    ControlReport,
    ControlRow,
    Figures,
    LeaderRow,
    Substitution,
    TeacherTotal,
)
from ejournal_tui.services.control.reminders import Reminder, my_reminders
from ejournal_tui.services.control.window import Window, resolve_window

__all__ = [
    "ControlItem", "ControlReport", "ControlRow", "Figures", "LeaderRow", "Reminder", "Substitution",
    "TeacherTotal", "Window", "control_report", "my_reminders", "require_control", "resolve_window", "texts",
]


def require_control(actor: Actor) -> None:
    if not perm.may(actor.roles, "control_reports"):
        raise NotAllowed(what=Phrase("control.denied"))


def control_report(
    uow: UnitOfWork, actor: Actor, period: str, *, month: str | None = None, week: date | str | None = None,
    year: int | None = None, as_of: date | None = None,
) -> ControlReport:
    """The control report of the school for a period, or a month or week of it."""
    require_control(actor)
    return Builder(uow, resolve_window(uow, period, month=month, week=week, year=year, as_of=as_of)).build()

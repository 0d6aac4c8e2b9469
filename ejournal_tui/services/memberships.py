"""Ending a pupil's group memberships, shared by the admin screen's "move/leave" and the
students import: history is kept (a membership ends, its register still shows the pupil up to
the last day), except a membership that had not begun by then, which never held a lesson."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ejournal_tui.data import models as m


def end_membership(session: Session, row: m.GroupMember, last_day: date) -> bool:
    """Make `last_day` the pupil's last day in the group; True if the row was removed
    because it would only have begun after that day."""
    if row.start > last_day:
        session.delete(row)
        return True
    if row.end is None or row.end > last_day:
        row.end = last_day
    return False


def end_class_groups(session: Session, pupil_id: int, class_id: int, last_day: date) -> None:
    """A pupil leaving a class leaves its groups on the same day."""
    G, SG = m.GroupMember, m.StudyGroup
    groups = select(SG.id).where(SG.class_id == class_id)
    for row in session.scalars(select(G).where(G.pupil_id == pupil_id, G.group_id.in_(groups),
                                               or_(G.end.is_(None), G.end > last_day))):
        end_membership(session, row, last_day)

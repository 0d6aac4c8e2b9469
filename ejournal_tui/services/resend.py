"""A write sent again after the connection to the database was lost on its way.

The first attempt may have been stored: the server committed, and only its answer was lost.
Sending it again must not store it twice. A correction or a lesson's page sent again changes
nothing (the stored values already equal the new ones); a new mark would be a second mark, a
removal or an attendance would be refused as changed elsewhere. These queries find what the
first attempt left, so that the register takes it as the outcome instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.marks import parse_mark
from ejournal_tui.services.attendance import AttendanceRef
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.marks import MarkRef


def stored_mark(uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, value: str,
                *, besides: Sequence[int] = ()) -> MarkRef | None:
    """The mark with this value `actor` gave the pupil at the lesson, other than `besides`
    (the marks the cell showed when it was typed): the first attempt's, if stored."""
    M = m.Mark
    query = select(M).where(M.school_id == uow.school_id, M.lesson_id == lesson_id, M.pupil_id == pupil_id,
                            M.entered_by == actor.id, M.value == parse_mark(value).text)
    if besides:
        query = query.where(M.id.not_in(list(besides)))
    mark = uow.session.scalars(query.order_by(M.id.desc()).limit(1)).first()
    return MarkRef(mark.id, mark.version, mark.value, mark.work_kind, mark.late_entry) if mark else None  # type: ignore[arg-type]


def stored_attendance(uow: UnitOfWork, lesson_id: int, pupil_id: int, status: str | None) -> AttendanceRef | None:
    """The pupil's attendance at the lesson if it is `status` already (None: present, no row)."""
    A = m.Attendance
    row = uow.session.scalars(select(A).where(A.school_id == uow.school_id, A.lesson_id == lesson_id,
                                              A.pupil_id == pupil_id)).first()
    if row is None:
        return AttendanceRef(None, None, None, 0) if status is None else None
    return AttendanceRef(row.id, row.status, row.reason, row.version) if row.status == status else None


def mark_gone(uow: UnitOfWork, mark_id: int) -> bool:
    """Whether the mark is removed already (by the first attempt of its removal)."""
    return uow.session.get(m.Mark, mark_id) is None

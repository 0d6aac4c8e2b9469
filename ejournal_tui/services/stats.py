"""Counts of what the register holds, for `ejournal stats` and quick checks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import distinct, func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.lookup import current_year, find_class

STAT_NAMES = ("classes", "students", "staff", "lessons", "marks", "absences", "final_marks")


def _count(uow: UnitOfWork, stmt) -> int:  # noqa: ANN001
    return int(uow.session.execute(stmt).scalar() or 0)


def school_stats(uow: UnitOfWork, class_name: str | None = None, start_year: int | None = None) -> dict[str, int]:
    """The counts of CLI.md's `stats` for the school, or for one class of the running year (or
    of the year starting in `start_year`): its pupils as of today, or of its year's last day."""
    sid = uow.school_id
    if class_name is None:
        return {
            "classes": _count(uow, select(func.count()).select_from(m.SchoolClass).where(m.SchoolClass.school_id == sid)),
            "students": _count(uow, select(func.count(distinct(m.Membership.pupil_id))).where(m.Membership.school_id == sid)),
            "staff": _count(uow, select(func.count()).select_from(m.Staff).where(m.Staff.school_id == sid)),
            "lessons": _count(uow, select(func.count()).select_from(m.Lesson).where(m.Lesson.school_id == sid)),
            "marks": _count(uow, select(func.count()).select_from(m.Mark).where(m.Mark.school_id == sid)),
            "absences": _count(uow, select(func.count()).select_from(m.Attendance).where(m.Attendance.school_id == sid)),
            "final_marks": _count(uow, select(func.count()).select_from(m.FinalMark).where(m.FinalMark.school_id == sid)),
        }
    year = current_year(uow, start_year)
    klass = find_class(uow, class_name, year)
    on = min(uow.today(), date(year.start_year + 1, 8, 31))
    L = m.Lesson
    lesson_ids = select(L.id).where(L.class_id == klass.id)
    teachers = select(func.count(distinct(m.TeachingLoad.teacher_id))).where(m.TeachingLoad.class_id == klass.id)
    return {
        "classes": 1,
        "students": _count(uow, select(func.count(distinct(m.Membership.pupil_id))).where(
            m.Membership.class_id == klass.id, or_(m.Membership.end.is_(None), m.Membership.end >= on))),
        "staff": _count(uow, teachers),
        "lessons": _count(uow, select(func.count()).select_from(L).where(L.class_id == klass.id)),
        "marks": _count(uow, select(func.count()).select_from(m.Mark).where(m.Mark.lesson_id.in_(lesson_ids))),
        "absences": _count(uow, select(func.count()).select_from(m.Attendance).where(m.Attendance.lesson_id.in_(lesson_ids))),
        "final_marks": _count(uow, select(func.count()).select_from(m.FinalMark).where(m.FinalMark.class_id == klass.id)),
    }

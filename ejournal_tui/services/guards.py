"""Checks shared by every write about a lesson: who may write it, whether its period is
closed, whether the pupil belongs to it, and whether the entry is late (needs a reason).
"""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import (
    MarksNotAllowed,
    NotAllowed,
    NotInClass,
    PeriodClosed,
    ReasonRequired,
    YearPast,
)
from ejournal_tui.domain.marks import grade_gets_marks
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import LessonFacts, pupil_in_lesson, pupil_name

register_many(
    {
        "guard.not_your_lesson": (
            "урок {klass} от {date} не из вашей нагрузки и не замена",
            "the lesson of {klass} on {date} is neither in your load nor a substitution",
        ),
        "guard.not_leader": (
            "причины пропусков в {klass} указывает классный руководитель",
            "absence reasons in {klass} are set by its class leader",
        ),
    }
)


def may_write_lesson(actor: Actor, facts: LessonFacts) -> bool:
    if actor.id is None:
        return False
    return actor.id in (facts.load_teacher_id, facts.held_by_id)


def require_lesson_writer(actor: Actor, facts: LessonFacts) -> None:
    if not may_write_lesson(actor, facts):
        raise NotAllowed(what=Phrase("guard.not_your_lesson", klass=facts.class_name, date=facts.date))


def require_open(facts: LessonFacts) -> None:
    if facts.period_closed:
        raise PeriodClosed(period=facts.period_code, klass=facts.class_name)
    if facts.year_past:
        raise YearPast(klass=facts.class_name)


def require_marks_allowed(uow: UnitOfWork, facts: LessonFacts) -> None:
    if not grade_gets_marks(facts.grade, uow.settings):
        raise MarksNotAllowed(grade=facts.grade)


def require_pupil(uow: UnitOfWork, pupil_id: int, facts: LessonFacts) -> None:
    if not pupil_in_lesson(uow, pupil_id, facts):
        raise NotInClass(pupil=pupil_name(uow, pupil_id), klass=facts.class_name, date=facts.date)


def require_class_leader(actor: Actor, facts_leader_id: int | None, class_name: str) -> None:
    if perm.may(actor.roles, "set_any_reason"):
        return
    if actor.id is None or actor.id != facts_leader_id:
        raise NotAllowed(what=Phrase("guard.not_leader", klass=class_name))


@dataclass(frozen=True)
class Lateness:
    days_late: int
    flagged: bool


def check_lateness(uow: UnitOfWork, facts: LessonFacts, allowed_days: int, reason: str) -> Lateness:
    """An entry past its window needs a reason; with one it is accepted and flagged."""
    late = cal.days_late(facts.date, uow.today(), allowed_days)
    if late and not (reason or "").strip():
        raise ReasonRequired(days=(uow.today() - facts.date).days, date=facts.date)
    return Lateness(late, bool(late))


def mark_window(uow: UnitOfWork, facts: LessonFacts, category: str) -> int:
    """Days allowed for a mark: the longer of its deadline and the backdating window."""
    deadline = cal.mark_deadline_days(category, facts.grade, uow.settings)
    return max(deadline, uow.settings.backdating_days)

"""Lessons: open one for a timetable slot, record or correct its topic and homework, and
assign a substitute or cancel one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.guards import check_lateness, require_lesson_writer, require_open
from ejournal_tui.services.lookup import lesson_facts
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.versioning import update_versioned
from ejournal_tui.services.years import check_lesson_year

register_many(
    {
        "lesson.of_load": ("урок по нагрузке {id}", "lesson of load {id}"),
        "lesson.of_class": ("урок {klass} {day}", "lesson {klass} {day}"),
        "lesson.empty_topic": ("тема урока не может быть пустой", "the lesson's topic cannot be empty"),
        "lesson.subst_deputy": ("замены назначает заместитель директора",
                                "substitutions are assigned by the deputy director"),
        "lesson.no_substitution": ("урок {day} № {number} ещё не проведён и замены на нём нет",
                                   "the lesson of {day}, no. {number} is not held yet and has no substitute"),
    }
)

_LESSON = m.Lesson.__table__


@dataclass(frozen=True)
class LessonRef:
    id: int
    version: int


def _load(uow: UnitOfWork, load_id: int) -> m.TeachingLoad:
    load = uow.session.get(m.TeachingLoad, load_id)
    if load is None or load.school_id != uow.school_id:
        raise NotFound(what=noun("load", id=load_id))
    return load


def open_lesson(
    uow: UnitOfWork, actor: Actor, load_id: int, day: date, number: int,
    *, work_kind: str = "", reason: str = "",
) -> LessonRef:
    """The lesson of a load on a day and lesson number, created by its teacher if new."""
    existing = uow.session.execute(
        select(m.Lesson.id, m.Lesson.version).where(
            m.Lesson.load_id == load_id, m.Lesson.date == day, m.Lesson.number == number,
            m.Lesson.school_id == uow.school_id,
        )
    ).first()
    if existing:
        return LessonRef(*existing)
    load = _load(uow, load_id)
    if actor.id != load.teacher_id:
        raise NotAllowed(what=Phrase("lesson.of_load", id=load_id))
    check_lesson_year(uow, uow.session.get(m.AcademicYear, load.year_id), day)  # type: ignore[arg-type]
    lesson = m.Lesson(
        school_id=uow.school_id, load_id=load.id, class_id=load.class_id, group_id=load.group_id,
        subject_id=load.subject_id, date=day, number=number, work_kind=work_kind,
        teacher_id=load.teacher_id, created_at=uow.now(), updated_at=uow.now(),
    )
    uow.session.add(lesson)
    try:
        uow.session.flush()
    except IntegrityError as exc:  # PostgreSQL: another workstation opened the same lesson just now
        raise Conflict(what=noun("lesson", id=day)) from exc
    facts = lesson_facts(uow, lesson.id)  # type: ignore[arg-type]
    require_open(facts)
    late = check_lateness(uow, facts, uow.settings.backdating_days, reason)
    if late.flagged:
        lesson.late_entry, lesson.late_reason = True, reason
    audit.record(
        uow, actor, "lesson.open", entity="lesson", entity_id=lesson.id, class_id=facts.class_id,
        lesson_date=day, after={"number": number, "load": load_id}, reason=reason, flagged=late.flagged,
    )
    try:
        uow.commit()
    except IntegrityError as exc:  # another workstation opened the same lesson just now
        raise Conflict(what=noun("lesson", id=day)) from exc
    return LessonRef(lesson.id, lesson.version)  # type: ignore[arg-type]


_UNSET = object()


def record_lesson(
    uow: UnitOfWork, actor: Actor, lesson_id: int, *, topic: object = _UNSET,
    homework: object = _UNSET, plan_item_id: object = _UNSET, work_kind: object = _UNSET,
    expected_version: int | None = None, reason: str = "",
) -> int:
    """Record or correct the topic, homework, plan item or default kind of work of a lesson.
    Returns the lesson's new version."""
    facts = lesson_facts(uow, lesson_id)
    require_lesson_writer(actor, facts)
    require_open(facts)
    lesson = uow.session.get(m.Lesson, lesson_id)
    assert lesson is not None
    changes: dict[str, object] = {}
    for name, value in (("topic", topic), ("homework", homework), ("plan_item_id", plan_item_id),
                        ("work_kind", work_kind)):
        value = value.strip() if isinstance(value, str) else value
        # compared as stored (stripped): the same text typed with a trailing space is no change
        if value is not _UNSET and getattr(lesson, name) != value:
            changes[name] = value
    if not changes:
        return lesson.version
    if "topic" in changes and not changes["topic"]:
        raise InvalidInput(what=Phrase("lesson.empty_topic"))
    late = check_lateness(uow, facts, uow.settings.backdating_days, reason)
    before = {k: getattr(lesson, k) for k in changes}
    values = dict(changes, updated_at=uow.now())
    if "homework" in changes:
        values["homework_at"] = uow.now()
    if late.flagged:
        values.update(late_entry=True, late_reason=reason)
    version = update_versioned(uow, _LESSON, lesson_id, expected_version, lesson.version, values,
                               what=Phrase("lesson.of_class", klass=facts.class_name, day=facts.date))
    audit.record(
        uow, actor, "lesson.update", entity="lesson", entity_id=lesson_id, class_id=facts.class_id,
        lesson_date=facts.date, before=before, after=changes, reason=reason, flagged=late.flagged,
    )
    uow.commit()
    return version


def assign_substitute(
    uow: UnitOfWork, actor: Actor, load_id: int, day: date, number: int, substitute_id: int,
) -> LessonRef:
    """The deputy records that `substitute_id` holds this lesson instead of the load's teacher
    (a lesson not held yet is written now: the substitution is its first entry). The load's
    own teacher given back cancels a substitution. Nothing changed, nothing written."""
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("lesson.subst_deputy"))
    load = _load(uow, load_id)
    sub = uow.session.get(m.Staff, substitute_id)
    if sub is None or sub.school_id != uow.school_id or sub.disabled:
        raise NotFound(what=noun("teacher", id=substitute_id))
    lesson = _slot_lesson(uow, load_id, day, number)
    if lesson is None and substitute_id == load.teacher_id:
        raise NotFound(what=Phrase("lesson.no_substitution", day=day, number=number))
    if lesson is None:
        lesson = _new_lesson(uow, load, day, number)
    elif (lesson.teacher_id, lesson.substitute_for_id) == _holders(load, substitute_id):
        return LessonRef(lesson.id, lesson.version)  # type: ignore[arg-type]
    return _hand_over(uow, actor, load, lesson, substitute_id)


def _holders(load: m.TeachingLoad, teacher_id: int) -> tuple[int, int | None]:
    """(who holds the lesson, whom they substitute for) once `teacher_id` holds it."""
    return teacher_id, (load.teacher_id if teacher_id != load.teacher_id else None)


def cancel_substitute(uow: UnitOfWork, actor: Actor, load_id: int, day: date, number: int) -> LessonRef | None:
    """The lesson goes back to the timetable's teacher; None when nobody substitutes there."""
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("lesson.subst_deputy"))
    load = _load(uow, load_id)
    lesson = _slot_lesson(uow, load_id, day, number)
    if lesson is None or lesson.substitute_for_id is None:
        return None
    return _hand_over(uow, actor, load, lesson, load.teacher_id)


def _slot_lesson(uow: UnitOfWork, load_id: int, day: date, number: int) -> m.Lesson | None:
    return uow.session.scalars(
        select(m.Lesson).where(m.Lesson.load_id == load_id, m.Lesson.date == day, m.Lesson.number == number,
                               m.Lesson.school_id == uow.school_id)
    ).first()


def _new_lesson(uow: UnitOfWork, load: m.TeachingLoad, day: date, number: int) -> m.Lesson:
    check_lesson_year(uow, uow.session.get(m.AcademicYear, load.year_id), day)  # type: ignore[arg-type]
    lesson = m.Lesson(
        school_id=uow.school_id, load_id=load.id, class_id=load.class_id, group_id=load.group_id,
        subject_id=load.subject_id, date=day, number=number, teacher_id=load.teacher_id,
        created_at=uow.now(), updated_at=uow.now(),
    )
    uow.session.add(lesson)
    try:
        uow.session.flush()
    except IntegrityError as exc:  # PostgreSQL: another workstation wrote the same lesson just now
        raise Conflict(what=noun("lesson", id=day)) from exc
    return lesson


def _hand_over(uow: UnitOfWork, actor: Actor, load: m.TeachingLoad, lesson: m.Lesson, teacher_id: int) -> LessonRef:
    """`teacher_id` holds the lesson from now on: a substitute, or the load's own teacher back."""
    facts = lesson_facts(uow, lesson.id)  # type: ignore[arg-type]
    require_open(facts)
    before = {"teacher_id": lesson.teacher_id}
    lesson.teacher_id, lesson.substitute_for_id = _holders(load, teacher_id)
    substituted = lesson.substitute_for_id is not None
    lesson.version += 1
    lesson.updated_at = uow.now()
    audit.record(
        uow, actor, "lesson.substitute" if substituted else "lesson.unsubstitute", entity="lesson",
        entity_id=lesson.id, class_id=load.class_id, lesson_date=lesson.date, before=before,
        after={"teacher_id": teacher_id},
    )
    try:
        uow.commit()
    except IntegrityError as exc:  # SQLite: another workstation wrote the same lesson just now
        raise Conflict(what=noun("lesson", id=lesson.date)) from exc
    return LessonRef(lesson.id, lesson.version)  # type: ignore[arg-type]

"""Marks: add, correct and remove a pupil's mark at a lesson.

A mark is refused in grade 1, in a closed period, for a pupil not in the class that day,
and past its deadline without a reason (with a reason it is accepted and flagged).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete

from ejournal_tui.data import models as m
from ejournal_tui.data.fastpath import execute
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotFound
from ejournal_tui.domain.marks import parse_mark
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.guards import (
    check_lateness,
    mark_window,
    require_lesson_writer,
    require_marks_allowed,
    require_open,
    require_pupil,
)
from ejournal_tui.services.lookup import LessonFacts, WorkKindInfo, lesson_facts, work_kinds
from ejournal_tui.services.versioning import update_versioned

register_many(
    {
        # the codes are what is typed; the Russian message names each one too
        "mark.bad_kind": ("вид работы «{code}»: используйте один из кодов {named}",
                          "kind of work {code!r}: use one of {kinds}"),
        "mark.gone": ("отметка {id} уже удалена", "mark {id} no longer exists"),
        "mark.of_day": ("отметка за {day}", "mark of {day}"),
        "mark.id": ("отметка {id}", "mark {id}"),
    }
)

_MARK = m.Mark.__table__
_INSERT = _MARK.insert().returning(_MARK.c.id)
_INSERT_WITH_ID = _MARK.insert()  # the id reserved beforehand (PostgreSQL), written at the commit
DEFAULT_WORK_KIND = "oral"


@dataclass(frozen=True)
class MarkRef:
    id: int
    version: int
    value: str
    work_kind: str
    flagged: bool


def _kind(uow: UnitOfWork, code: str) -> WorkKindInfo:
    kinds = work_kinds(uow)
    if code not in kinds:
        raise InvalidInput(what=Phrase("mark.bad_kind", code=code, kinds=", ".join(kinds),
                                 named=", ".join(f"{k} ({v.name})" for k, v in kinds.items())))
    return kinds[code]


def _checked(uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, *, reserve: str = "") -> LessonFacts:
    facts = lesson_facts(uow, lesson_id, pupil_id, reserve=reserve)
    require_lesson_writer(actor, facts)
    require_open(facts)
    require_marks_allowed(uow, facts)
    require_pupil(uow, pupil_id, facts)
    return facts


def add_mark(
    uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, value: str,
    *, work_kind: str | None = None, comment: str = "", reason: str = "",
) -> MarkRef:
    """Record one more mark of a pupil at a lesson (several per lesson are allowed)."""
    mark = parse_mark(value)
    facts = _checked(uow, actor, lesson_id, pupil_id, reserve=_MARK.name)
    kind = _kind(uow, work_kind or facts.work_kind or DEFAULT_WORK_KIND)
    late = check_lateness(uow, facts, mark_window(uow, facts, kind.category), reason)
    new_id = _insert(uow, facts, {
        "school_id": uow.school_id, "lesson_id": lesson_id, "pupil_id": pupil_id, "value": mark.text,
        "work_kind": kind.code, "weight": kind.weight, "comment": comment.strip(), "entered_by": actor.id,
        "entered_at": uow.now(), "late_entry": late.flagged, "version": 1,
    })
    audit.record(
        uow, actor, "mark.add", entity="mark", entity_id=new_id, class_id=facts.class_id,
        pupil_id=pupil_id, lesson_date=facts.date,
        after={"value": mark.text, "kind": kind.code, "comment": comment.strip()},
        reason=reason, flagged=late.flagged,
    )
    uow.commit()
    return MarkRef(new_id, 1, mark.text, kind.code, late.flagged)


def _insert(uow: UnitOfWork, facts: LessonFacts, row: dict[str, object]) -> int:
    """The mark's row; on PostgreSQL, with the id the checks' query reserved, it goes to the
    server with the change-log event and the COMMIT: one round trip fewer."""
    if facts.reserved_id is None:
        return execute(uow.conn, _INSERT, row)[0][0][0]
    uow.write_at_commit(_INSERT_WITH_ID, {"id": facts.reserved_id, **row})
    return facts.reserved_id


def _existing(uow: UnitOfWork, mark_id: int) -> m.Mark:
    mark = uow.session.get(m.Mark, mark_id)
    if mark is None or mark.school_id != uow.school_id:
        # a mark deleted at another workstation is a conflict for whoever still sees it
        raise Conflict(what=Phrase("mark.gone", id=mark_id))
    return mark


def correct_mark(
    uow: UnitOfWork, actor: Actor, mark_id: int, *, value: str | None = None,
    work_kind: str | None = None, comment: str | None = None,
    expected_version: int | None = None, reason: str = "",
) -> MarkRef:
    """Change a mark's value, kind of work or comment; every correction is logged."""
    current = _existing(uow, mark_id)
    facts = _checked(uow, actor, current.lesson_id, current.pupil_id)
    changes: dict[str, object] = {}
    if value is not None and parse_mark(value).text != current.value:
        changes["value"] = parse_mark(value).text
    if work_kind is not None and work_kind != current.work_kind:
        kind = _kind(uow, work_kind)
        changes.update(work_kind=kind.code, weight=kind.weight)
    if comment is not None and comment.strip() != current.comment:
        changes["comment"] = comment.strip()
    if not changes:
        return MarkRef(mark_id, current.version, current.value, current.work_kind, current.late_entry)
    category = _kind(uow, current.work_kind).category if current.work_kind in work_kinds(uow) else "oral"
    late = check_lateness(uow, facts, mark_window(uow, facts, category), reason)
    before = {k: getattr(current, k) for k in changes}
    values = dict(changes)
    if late.flagged:
        values["late_entry"] = True
    version = update_versioned(uow, _MARK, mark_id, expected_version, current.version, values,
                               what=Phrase("mark.of_day", day=facts.date))
    audit.record(
        uow, actor, "mark.correct", entity="mark", entity_id=mark_id, class_id=facts.class_id,
        pupil_id=current.pupil_id, lesson_date=facts.date, before=before, after=changes,
        reason=reason, flagged=late.flagged,
    )
    uow.commit()
    return MarkRef(mark_id, version, str(changes.get("value", current.value)),
                   str(changes.get("work_kind", current.work_kind)), late.flagged)


def delete_mark(
    uow: UnitOfWork, actor: Actor, mark_id: int, *, expected_version: int | None = None,
    reason: str = "",
) -> None:
    """Remove a mark; the audit event keeps what it was."""
    current = _existing(uow, mark_id)
    facts = _checked(uow, actor, current.lesson_id, current.pupil_id)
    category = work_kinds(uow).get(current.work_kind)
    late = check_lateness(uow, facts, mark_window(uow, facts, category.category if category else "oral"), reason)
    base = current.version if expected_version is None else expected_version
    result = uow.session.execute(delete(_MARK).where(_MARK.c.id == mark_id, _MARK.c.version == base))
    if result.rowcount != 1:
        raise Conflict(what=Phrase("mark.of_day", day=facts.date))
    audit.record(
        uow, actor, "mark.delete", entity="mark", entity_id=mark_id, class_id=facts.class_id,
        pupil_id=current.pupil_id, lesson_date=facts.date,
        before={"value": current.value, "kind": current.work_kind, "comment": current.comment},
        reason=reason, flagged=late.flagged,
    )
    uow.commit()


def get_mark(uow: UnitOfWork, mark_id: int) -> m.Mark:
    mark = uow.session.get(m.Mark, mark_id)
    if mark is None or mark.school_id != uow.school_id:
        raise NotFound(what=Phrase("mark.id", id=mark_id))
    return mark

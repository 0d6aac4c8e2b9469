"""Attendance: the teacher marks a pupil absent ("н") or late at a lesson; the class leader
gives each absence its reason, one by one, per day, or for a date range from a sick note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from ejournal_tui.data import models as m
from ejournal_tui.domain.attendance import ABSENT, LATE, normalize_reason
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.guards import (
    check_lateness,
    require_class_leader,
    require_lesson_writer,
    require_open,
    require_pupil,
)
from ejournal_tui.services.lookup import lesson_facts, pupil_class_on
from ejournal_tui.services.versioning import update_versioned

register_many(
    {
        "att.bad_reason": ("причина пропуска «{raw}»: используйте {codes}", "absence reason {raw!r}: use {codes}"),
        "att.bad_status": ("отметка посещаемости «{status}»", "attendance {status!r}"),
        "att.of_day": ("посещаемость за {day}", "attendance of {day}"),
        "att.absence": ("пропуск {id}", "absence {id}"),
        "att.absence_of": ("пропуск за {day}", "absence of {day}"),
        "att.note_backwards": ("справка заканчивается ({end}) раньше, чем начинается ({start})",
                               "the note ends ({end}) before it starts ({start})"),
        "att.note_no_code": ("для справки нужен код причины", "a note needs a reason code"),
        "att.note_leader": ("справки вносятся с учётной записи классного руководителя",
                            "notes are entered by a class leader's account"),
    }
)

_ATT = m.Attendance.__table__


@dataclass(frozen=True)
class AttendanceRef:
    id: int | None
    status: str | None
    reason: str | None
    version: int


def _reason_code(uow: UnitOfWork, raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    code = normalize_reason(raw)
    known = set(uow.session.scalars(select(m.AbsenceReason.code).where(m.AbsenceReason.school_id == uow.school_id)))
    if code is None or (known and code not in known):
        raise InvalidInput(what=Phrase("att.bad_reason", raw=raw, codes=", ".join(sorted(known)) or "Б, У, Н, О"))
    return code


def _note_reason(uow: UnitOfWork, pupil_id: int, day: date) -> tuple[int, str] | None:
    N = m.AbsenceNote
    row = uow.session.execute(
        select(N.id, N.reason).where(N.pupil_id == pupil_id, N.start <= day, N.end >= day)
        .order_by(N.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def set_attendance(
    uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, status: str | None,
    *, expected_version: int | None = None, reason: str = "",
) -> AttendanceRef:
    """Mark a pupil absent or late at a lesson, or present again (status None)."""
    if status not in (ABSENT, LATE, None):
        raise InvalidInput(what=Phrase("att.bad_status", status=status))
    facts = lesson_facts(uow, lesson_id, pupil_id)
    require_lesson_writer(actor, facts)
    require_open(facts)
    require_pupil(uow, pupil_id, facts)
    late = check_lateness(uow, facts, uow.settings.backdating_days, reason)
    current = uow.session.scalars(
        select(m.Attendance).where(m.Attendance.lesson_id == lesson_id, m.Attendance.pupil_id == pupil_id)
    ).first()
    if current is not None and expected_version is not None and current.version != expected_version:
        raise Conflict(what=Phrase("att.of_day", day=facts.date))
    if current is None and expected_version not in (None, 0):
        raise Conflict(what=Phrase("att.of_day", day=facts.date))
    before = {"status": current.status, "reason": current.reason} if current else None
    ref = _write_attendance(uow, actor, lesson_id, pupil_id, status, current, facts.date)
    audit.record(
        uow, actor, "attendance.set", entity="attendance", entity_id=ref.id or (current.id if current else None),
        class_id=facts.class_id, pupil_id=pupil_id, lesson_date=facts.date, before=before,
        after={"status": ref.status, "reason": ref.reason} if status else None,
        reason=reason, flagged=late.flagged,
    )
    uow.commit()
    return ref


def _write_attendance(
    uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, status: str | None,
    current: m.Attendance | None, day: date,
) -> AttendanceRef:
    if status is None:
        if current is not None:
            result = uow.session.execute(
                delete(_ATT).where(_ATT.c.id == current.id, _ATT.c.version == current.version)
            )
            if result.rowcount != 1:
                raise Conflict(what=Phrase("att.of_day", day=day))
        return AttendanceRef(None, None, None, 0)
    if current is not None:
        version = update_versioned(uow, _ATT, current.id, None, current.version,  # type: ignore[arg-type]
                                   {"status": status}, what=Phrase("att.of_day", day=day))
        return AttendanceRef(current.id, status, current.reason, version)
    note = _note_reason(uow, pupil_id, day) if status == ABSENT else None
    try:
        new_id = uow.session.execute(
            insert(_ATT).values(
                school_id=uow.school_id, lesson_id=lesson_id, pupil_id=pupil_id, status=status,
                reason=note[1] if note else None, note_id=note[0] if note else None,
                entered_by=actor.id, entered_at=uow.now(), version=1,
            ).returning(_ATT.c.id)
        ).scalar_one()
    except IntegrityError as exc:  # PostgreSQL: another workstation marked the same pupil just now
        raise Conflict(what=Phrase("att.of_day", day=day)) from exc
    return AttendanceRef(new_id, status, note[1] if note else None, 1)


def set_reason(
    uow: UnitOfWork, actor: Actor, attendance_id: int, code: str | None,
    *, expected_version: int | None = None, note_id: int | None = None, again: bool = False,
) -> AttendanceRef:
    """The class leader gives one absence its reason (Б, У, Н, О) or clears it. Sent `again`
    after a lost connection, a reason already as asked is taken as stored (the first attempt
    moved the version the caller read)."""
    att = uow.session.get(m.Attendance, attendance_id)
    if att is None or att.school_id != uow.school_id:
        raise NotFound(what=Phrase("att.absence", id=attendance_id))
    facts = lesson_facts(uow, att.lesson_id)
    require_class_leader(actor, facts.leader_id, facts.class_name)
    require_open(facts)
    value = _reason_code(uow, code)
    if value == att.reason and (again or expected_version in (None, att.version)):
        return AttendanceRef(att.id, att.status, att.reason, att.version)
    version = update_versioned(uow, _ATT, attendance_id, expected_version, att.version,
                               {"reason": value, "note_id": note_id}, what=Phrase("att.absence_of", day=facts.date))
    audit.record(
        uow, actor, "attendance.reason", entity="attendance", entity_id=attendance_id,
        class_id=facts.class_id, pupil_id=att.pupil_id, lesson_date=facts.date,
        before={"reason": att.reason}, after={"reason": value},
    )
    uow.commit()
    return AttendanceRef(att.id, att.status, value, version)


def absences_between(uow: UnitOfWork, pupil_id: int, start: date, end: date) -> list[m.Attendance]:
    L = m.Lesson
    stmt = (
        select(m.Attendance).join(L, L.id == m.Attendance.lesson_id)
        .where(m.Attendance.pupil_id == pupil_id, m.Attendance.school_id == uow.school_id,
               m.Attendance.status == ABSENT, L.date >= start, L.date <= end)
        .order_by(L.date, L.number)
    )
    return list(uow.session.scalars(stmt))


def apply_note(
    uow: UnitOfWork, actor: Actor, pupil_id: int, start: date, end: date, code: str, comment: str = "",
    *, again: bool = False,
) -> int:
    """A sick note or parents' note: the reason for every absence from `start` to `end`
    (a single day for "per day"); absences marked later in the range get it too.
    Returns how many absences were given the reason. All or nothing. Sent `again` after a
    lost connection, the same note by the same person already stored is not stored twice."""
    if end < start:
        raise InvalidInput(what=Phrase("att.note_backwards", start=start, end=end))
    value = _reason_code(uow, code)
    if value is None:
        raise InvalidInput(what=Phrase("att.note_no_code"))
    if actor.id is None:
        raise InvalidInput(what=Phrase("att.note_leader"))
    klass = pupil_class_on(uow, pupil_id, start)
    require_class_leader(actor, klass.leader_id, klass.name)
    if again and _same_note(uow, actor, pupil_id, start, end, value, comment.strip()):
        return 0
    changed = 0
    note = m.AbsenceNote(school_id=uow.school_id, pupil_id=pupil_id, start=start, end=end, reason=value,
                         comment=comment.strip(), created_by=actor.id, created_at=uow.now())
    for att in absences_between(uow, pupil_id, start, end):
        facts = lesson_facts(uow, att.lesson_id)
        require_class_leader(actor, facts.leader_id, facts.class_name)
        require_open(facts)
        if att.reason != value:
            update_versioned(uow, _ATT, att.id, None, att.version, {"reason": value},  # type: ignore[arg-type]
                             what=Phrase("att.absence_of", day=facts.date))
            changed += 1
    uow.session.add(note)
    uow.session.flush()
    audit.record(
        uow, actor, "attendance.note", entity="absencenote", entity_id=note.id, pupil_id=pupil_id,
        after={"start": start, "end": end, "reason": value, "comment": comment.strip(), "lessons": changed},
    )
    uow.commit()
    return changed


def _same_note(uow: UnitOfWork, actor: Actor, pupil_id: int, start: date, end: date, reason: str,
               comment: str) -> bool:
    """Whether this person already stored this very note for the pupil (a first attempt whose
    answer was lost)."""
    N = m.AbsenceNote
    return uow.session.execute(
        select(N.id).where(N.school_id == uow.school_id, N.pupil_id == pupil_id, N.start == start, N.end == end,
                           N.reason == reason, N.comment == comment, N.created_by == actor.id).limit(1)
    ).first() is not None

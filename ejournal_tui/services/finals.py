"""Final marks: period, year, exam and final marks of a pupil in a subject.

The teacher of the subject in that class (or the deputy) sets them; the register suggests
the period mark from the average, the year mark from the period marks and the final mark
from year and exam. A closed period refuses changes to its marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import (
    Conflict,
    InvalidInput,
    MarksNotAllowed,
    NotAllowed,
    NotFound,
    PeriodClosed,
)
from ejournal_tui.domain.finals import (
    FINAL_KINDS,
    KIND_PERIOD,
    suggest_final_mark,
    suggest_year_mark,
)
from ejournal_tui.domain.marks import grade_gets_marks, parse_mark
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.periods import is_closed
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.versioning import update_versioned

register_many(
    {
        "final.teacher_only": ("итоговые отметки в {klass} выставляет учитель предмета",
                               "final marks in {klass} are set by the subject's teacher"),
        "final.pupil_in": ("ученик {id} в {klass}", "pupil {id} in {klass}"),
        "final.bad_kind": ("вид итоговой отметки «{kind}»", "kind of final mark {kind!r}"),
        "final.in_class": ("итоговая отметка в {klass}", "final mark in {klass}"),
    }
)

_FINAL = m.FinalMark.__table__


@dataclass(frozen=True)
class FinalRef:
    id: int
    value: str
    version: int


def _may_set(uow: UnitOfWork, actor: Actor, klass: m.SchoolClass, subject_id: int) -> None:
    if perm.may(actor.roles, "close_period"):
        return
    teaches = uow.session.execute(
        select(m.TeachingLoad.id).where(m.TeachingLoad.class_id == klass.id, m.TeachingLoad.subject_id == subject_id,
                                        m.TeachingLoad.teacher_id == actor.id).limit(1)
    ).first()
    if teaches is None or actor.id is None:
        raise NotAllowed(what=Phrase("final.teacher_only", klass=klass.name))


def _require_own(uow: UnitOfWork, klass: m.SchoolClass, subject_id: int, pupil_id: int) -> None:
    """The subject is the school's and the pupil was in the class at some time this year."""
    subject = uow.session.get(m.Subject, subject_id)
    if subject is None or subject.school_id != uow.school_id:
        raise NotFound(what=noun("subject", id=subject_id))
    member = uow.session.execute(select(m.Membership.id).where(
        m.Membership.pupil_id == pupil_id, m.Membership.class_id == klass.id).limit(1)).first()
    if member is None:
        raise NotFound(what=Phrase("final.pupil_in", id=pupil_id, klass=klass.name))


def _class(uow: UnitOfWork, class_id: int) -> m.SchoolClass:
    klass = uow.session.get(m.SchoolClass, class_id)
    if klass is None or klass.school_id != uow.school_id:
        raise NotFound(what=noun("class", id=class_id))
    return klass


def out_of_window(uow: UnitOfWork, period_end: date) -> bool:
    """A final mark set before the period's last week, or after the deadline that follows
    it (004 §5.8), is flagged in the change log for the deputy's control."""
    return cal.final_mark_out_of_window(uow.today(), period_end, uow.settings)


def set_final_mark(
    uow: UnitOfWork, actor: Actor, class_id: int, subject_id: int, pupil_id: int, kind: str,
    value: str | None, *, period_code: str = "", expected_version: int | None = None, reason: str = "",
    commit: bool = True,
) -> FinalRef | None:
    """Set (or, with value None, remove) one final mark. Returns the stored mark.

    `expected_version` 0 means "the screen showed no final mark": if one was set meanwhile,
    that is a conflict, not something to overwrite. `commit=False` leaves the commit to a
    caller setting several marks all or nothing."""
    if kind not in FINAL_KINDS:
        raise InvalidInput(what=Phrase("final.bad_kind", kind=kind))
    klass = _class(uow, class_id)
    if not grade_gets_marks(klass.grade, uow.settings):
        raise MarksNotAllowed(grade=klass.grade)
    code = cal.normalize_period(period_code) if kind == KIND_PERIOD else cal.YEAR
    cal.check_period_applies(code, klass.grade, klass.name, uow.settings)
    _may_set(uow, actor, klass, subject_id)
    _require_own(uow, klass, subject_id, pupil_id)
    period = uow.session.scalars(select(m.Period).where(m.Period.year_id == klass.year_id, m.Period.code == code)).first()
    if period is not None and is_closed(uow, period.id, klass.id):  # type: ignore[arg-type]
        raise PeriodClosed(period=code, klass=klass.name)
    text = parse_mark(value).text if value else None
    key_period = code if kind == KIND_PERIOD else ""
    current = uow.session.scalars(select(m.FinalMark).where(
        m.FinalMark.pupil_id == pupil_id, m.FinalMark.subject_id == subject_id, m.FinalMark.year_id == klass.year_id,
        m.FinalMark.kind == kind, m.FinalMark.period_code == key_period)).first()
    result = _write(uow, actor, klass, subject_id, pupil_id, kind, key_period, text, current, expected_version)
    audit.record(
        uow, actor, "final.set", entity="finalmark", entity_id=result.id if result else (current.id if current else None),
        class_id=klass.id, pupil_id=pupil_id,
        before={"value": current.value} if current else None,
        after={"value": text, "kind": kind, "period": key_period, "subject_id": subject_id},
        reason=reason, flagged=period is not None and text is not None and out_of_window(uow, period.end),
    )
    if commit:
        uow.commit()
    return result


def _write(uow: UnitOfWork, actor: Actor, klass: m.SchoolClass, subject_id: int, pupil_id: int, kind: str,
           period: str, text: str | None, current: m.FinalMark | None, expected: int | None) -> FinalRef | None:
    what = Phrase("final.in_class", klass=klass.name)
    if current is None:
        if text is None:
            return None
        try:
            new_id = uow.session.execute(insert(_FINAL).values(
                school_id=uow.school_id, year_id=klass.year_id, class_id=klass.id, pupil_id=pupil_id,
                subject_id=subject_id, kind=kind, period_code=period, value=text, entered_by=actor.id or 0,
                entered_at=uow.now(), version=1).returning(_FINAL.c.id)).scalar_one()
        except IntegrityError as exc:  # PostgreSQL: another workstation set it just now
            raise Conflict(what=what) from exc
        return FinalRef(new_id, text, 1)
    if text is None:
        uow.session.delete(current)
        return None
    version = update_versioned(uow, _FINAL, current.id, expected, current.version,  # type: ignore[arg-type]
                               {"value": text, "entered_by": actor.id or current.entered_by,
                                "entered_at": uow.now()}, what=what)
    return FinalRef(current.id, text, version)  # type: ignore[arg-type]


def suggest_year(uow: UnitOfWork, class_id: int, subject_id: int, pupil_id: int) -> str | None:
    """The year mark suggested from the pupil's period marks in this subject."""
    klass = _class(uow, class_id)
    codes = cal.periods_for_grade(klass.grade, uow.settings)
    marks = dict(uow.session.execute(select(m.FinalMark.period_code, m.FinalMark.value).where(
        m.FinalMark.pupil_id == pupil_id, m.FinalMark.subject_id == subject_id,
        m.FinalMark.year_id == klass.year_id, m.FinalMark.kind == KIND_PERIOD)).all())
    return suggest_year_mark([marks.get(c) for c in codes], uow.settings)


def suggest_final(uow: UnitOfWork, class_id: int, subject_id: int, pupil_id: int) -> str | None:
    klass = _class(uow, class_id)
    rows = dict(uow.session.execute(select(m.FinalMark.kind, m.FinalMark.value).where(
        m.FinalMark.pupil_id == pupil_id, m.FinalMark.subject_id == subject_id,
        m.FinalMark.year_id == klass.year_id, m.FinalMark.kind.in_(("year", "exam")))).all())
    return suggest_final_mark(rows.get("year"), rows.get("exam"), uow.settings)

"""Remarks and words of thanks to parents: a teacher writes one against a pupil's name at a
lesson (001 Регламент 2.4), changes or removes it; the parents' digest delivers it.

Who may, and when, is what a mark or an absence at that lesson needs (`services.guards`):
the lesson's teacher or its substitute, the period open, the pupil in the lesson's class or
group that day, and a reason past the backdating window (accepted then, and the event
flagged). Grade 1 gets remarks as well: they are not marks. Each write is one change-log
event (`remark.add`, `remark.edit`, `remark.delete`) with the text before and after.

A remark row has no version: a change names the text and kind it was based on and loses
with `Conflict` when another workstation changed or removed the remark meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import Conflict, NotAllowed
from ejournal_tui.domain.remarks import clean_text
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.guards import (
    Lateness,
    check_lateness,
    may_write_lesson,
    require_lesson_writer,
    require_open,
    require_pupil,
)
from ejournal_tui.services.lookup import LessonFacts, lesson_facts
from ejournal_tui.services.register import CellRemark, Register

register_many({
    "remark.gone": ("замечание или благодарность {id} уже удалено", "remark {id} no longer exists"),
    "remark.of_day": ("замечание или благодарность за {day}", "remark of {day}"),
    "remark.read": ("замечания урока {klass} от {date}", "remarks of the lesson of {klass} on {date}"),
})

_REMARK = m.Remark.__table__


@dataclass(frozen=True)
class RemarkRef:
    """A remark as stored."""

    id: int
    lesson_id: int
    pupil_id: int
    text: str
    praise: bool


@dataclass(frozen=True)
class LessonRemark:
    """A remark of a lesson, with the pupil's name, for a list."""

    id: int
    pupil_id: int
    pupil: str
    text: str
    praise: bool
    entered_by: int
    entered_at: datetime


def _checked(uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, reason: str) -> tuple[LessonFacts, Lateness]:
    """The checks of any entry about a pupil at a lesson, in the order marks make them."""
    facts = lesson_facts(uow, lesson_id, pupil_id)
    require_lesson_writer(actor, facts)
    require_open(facts)
    require_pupil(uow, pupil_id, facts)
    return facts, check_lateness(uow, facts, uow.settings.backdating_days, reason)


def _log(uow: UnitOfWork, actor: Actor, action: str, remark_id: int, pupil_id: int, facts: LessonFacts,
            late: Lateness, reason: str, *, before: object = None, after: object = None) -> None:
    audit.record(uow, actor, action, entity="remark", entity_id=remark_id, class_id=facts.class_id,
                 pupil_id=pupil_id, lesson_date=facts.date, before=before, after=after, reason=reason,
                 flagged=late.flagged)


def _words(text: str, praise: bool) -> dict[str, object]:
    return {"text": text, "praise": praise}


def add_remark(uow: UnitOfWork, actor: Actor, lesson_id: int, pupil_id: int, text: str, *,
               praise: bool = False, reason: str = "") -> RemarkRef:
    """Write a remark (or, `praise`, a word of thanks) for the parents of a pupil at a lesson."""
    cleaned = clean_text(text)
    facts, late = _checked(uow, actor, lesson_id, pupil_id, reason)
    new_id = uow.session.execute(insert(_REMARK).values(
        school_id=uow.school_id, lesson_id=lesson_id, pupil_id=pupil_id, text=cleaned, praise=praise,
        entered_by=actor.id, entered_at=uow.now(),
    ).returning(_REMARK.c.id)).scalar_one()
    _log(uow, actor, "remark.add", new_id, pupil_id, facts, late, reason, after=_words(cleaned, praise))
    uow.commit()
    return RemarkRef(new_id, lesson_id, pupil_id, cleaned, praise)


def _existing(uow: UnitOfWork, remark_id: int) -> m.Remark:
    remark = uow.session.get(m.Remark, remark_id)
    if remark is None or remark.school_id != uow.school_id:
        # removed at another workstation: a conflict for whoever still sees it
        raise Conflict(what=Phrase("remark.gone", id=remark_id))
    return remark


def _require_unchanged(remark: m.Remark, expected: tuple[str, bool] | None, facts: LessonFacts) -> None:
    if expected is not None and (remark.text, remark.praise) != expected:
        raise Conflict(what=Phrase("remark.of_day", day=facts.date))


def edit_remark(uow: UnitOfWork, actor: Actor, remark_id: int, *, text: str | None = None,
                praise: bool | None = None, expected: tuple[str, bool] | None = None,
                reason: str = "") -> RemarkRef:
    """Change a remark's text or kind; `expected` is the (text, praise) the change was based
    on. The row then names who wrote its text and when (the change log keeps the earlier)."""
    current = _existing(uow, remark_id)
    new_text = clean_text(text) if text is not None else current.text
    new_praise = current.praise if praise is None else praise
    facts, late = _checked(uow, actor, current.lesson_id, current.pupil_id, reason)
    ref = RemarkRef(remark_id, current.lesson_id, current.pupil_id, new_text, new_praise)
    if (new_text, new_praise) == (current.text, current.praise):
        return ref  # already so (the same change sent again, or made elsewhere): nothing to lose
    _require_unchanged(current, expected, facts)
    before = _words(current.text, current.praise)
    result = uow.session.execute(
        update(_REMARK).where(_REMARK.c.id == remark_id, _REMARK.c.text == current.text,
                              _REMARK.c.praise == current.praise)
        .values(text=new_text, praise=new_praise, entered_by=actor.id, entered_at=uow.now()))
    if result.rowcount != 1:
        raise Conflict(what=Phrase("remark.of_day", day=facts.date))
    _log(uow, actor, "remark.edit", remark_id, current.pupil_id, facts, late, reason,
            before=before, after=_words(new_text, new_praise))
    uow.commit()
    return ref


def remove_remark(uow: UnitOfWork, actor: Actor, remark_id: int, *, expected: tuple[str, bool] | None = None,
                  reason: str = "") -> None:
    """Remove a remark; the change-log event keeps what it said."""
    current = _existing(uow, remark_id)
    facts, late = _checked(uow, actor, current.lesson_id, current.pupil_id, reason)
    _require_unchanged(current, expected, facts)
    before = _words(current.text, current.praise)
    result = uow.session.execute(delete(_REMARK).where(
        _REMARK.c.id == remark_id, _REMARK.c.text == current.text, _REMARK.c.praise == current.praise))
    if result.rowcount != 1:
        raise Conflict(what=Phrase("remark.of_day", day=facts.date))
    _log(uow, actor, "remark.delete", remark_id, current.pupil_id, facts, late, reason, before=before)
    uow.commit()


# ---- reading ------------------------------------------------------------------------------------


def _may_read(actor: Actor, facts: LessonFacts) -> bool:
    """The lesson's teacher or substitute, the class leader, and those who see every register."""
    if may_write_lesson(actor, facts) or perm.may(actor.roles, "view_all_registers"):
        return True
    return actor.id is not None and actor.id == facts.leader_id


def lesson_remarks(uow: UnitOfWork, actor: Actor, lesson_id: int) -> list[LessonRemark]:
    """The remarks of a lesson, by pupil's name then as written."""
    facts = lesson_facts(uow, lesson_id)
    if not _may_read(actor, facts):
        raise NotAllowed(what=Phrase("remark.read", klass=facts.class_name, date=facts.date))
    R, P = m.Remark, m.Pupil
    rows = uow.session.execute(
        select(R.id, R.pupil_id, P.last_name, P.first_name, R.text, R.praise, R.entered_by, R.entered_at)
        .join(P, P.id == R.pupil_id)
        .where(R.lesson_id == lesson_id, R.school_id == uow.school_id)
        .order_by(P.last_name, P.first_name, R.id))
    return [LessonRemark(r[0], r[1], f"{r[2]} {r[3]}", r[4], bool(r[5]), r[6], r[7]) for r in rows]


# by the register's pupils (the pupil index: remark has none on its lesson), kept to the
# register's lessons, listed once: the few remarks of ~30 pupils, not each lesson × pupil
_OF_REGISTER = (
    select(m.Remark.pupil_id, m.Remark.lesson_id, m.Remark.id, m.Remark.text, m.Remark.praise)
    .where(m.Remark.pupil_id.in_(bindparam("pupils", expanding=True)),
           m.Remark.lesson_id.in_(select(m.Lesson.id).where(
               m.Lesson.load_id == bindparam("load"), m.Lesson.date >= bindparam("start"),
               m.Lesson.date <= bindparam("end"))))
    .order_by(m.Remark.id)
)


def register_remarks(uow: UnitOfWork, reg: Register) -> dict[tuple[int, int], list[CellRemark]]:
    """The remarks at the cells of a register already opened (its reader was checked then),
    in the order written."""
    if not reg.pupils or not reg.lessons:
        return {}
    params = {"pupils": [p.id for p in reg.pupils], "load": reg.ref.load_id, "start": reg.start, "end": reg.end}
    out: dict[tuple[int, int], list[CellRemark]] = {}
    for pupil_id, lesson_id, remark_id, text, praise in uow.conn.execute(_OF_REGISTER, params):
        out.setdefault((pupil_id, lesson_id), []).append(CellRemark(remark_id, text, bool(praise)))
    return out

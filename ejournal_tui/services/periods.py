"""Reporting periods and their closure per class: list, close, reopen with a reason.

A closed period refuses every change to its lessons, marks, absences and final marks until
a deputy director or the director reopens it with a reason (recorded in the change log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year, find_period

register_many(
    {
        "period.closers": ("периоды закрывают заместитель директора или директор",
                           "periods are closed by the deputy director or the director"),
        "period.reopeners": ("периоды переоткрывают заместитель директора или директор",
                             "periods are reopened by the deputy director or the director"),
        "period.reopen_reason": ("для переоткрытия периода нужна причина", "reopening a period needs a reason"),
    }
)


@dataclass(frozen=True)
class PeriodInfo:
    code: str
    start: date
    end: date
    band: str
    classes: int
    closed_classes: tuple[str, ...]

    @property
    def status(self) -> str:
        if not self.classes or not self.closed_classes:
            return "open"
        return "closed" if len(self.closed_classes) == self.classes else "partly closed"


def classes_of_band(uow: UnitOfWork, year_id: int, code: str) -> list[m.SchoolClass]:
    band = cal.band_of_period(code)
    classes = uow.session.scalars(
        select(m.SchoolClass).where(m.SchoolClass.year_id == year_id).order_by(m.SchoolClass.grade, m.SchoolClass.letter)
    )
    return [c for c in classes if band == cal.BAND_YEAR or cal.band_for_grade(c.grade, uow.settings) == band]


def list_periods(uow: UnitOfWork, start_year: int | None = None) -> list[PeriodInfo]:
    year = current_year(uow, start_year)
    periods = uow.session.scalars(select(m.Period).where(m.Period.year_id == year.id).order_by(m.Period.start, m.Period.code))
    names = {c.id: c.name for c in uow.session.scalars(select(m.SchoolClass).where(m.SchoolClass.year_id == year.id))}
    closed: dict[int, list[str]] = {}
    for pid, cid in uow.session.execute(
        select(m.PeriodClosure.period_id, m.PeriodClosure.class_id).where(
            m.PeriodClosure.school_id == uow.school_id, m.PeriodClosure.closed.is_(True))
    ):
        closed.setdefault(pid, []).append(names.get(cid, "?"))
    order = {code: i for i, code in enumerate(cal.ALL_PERIODS)}
    result = [
        PeriodInfo(p.code, p.start, p.end, cal.band_of_period(p.code), len(classes_of_band(uow, year.id, p.code)),
                   tuple(sorted(closed.get(p.id, []))))  # type: ignore[arg-type]
        for p in periods
    ]
    return sorted(result, key=lambda p: order[p.code])


def is_closed(uow: UnitOfWork, period_id: int, class_id: int) -> bool:
    row = uow.session.execute(
        select(m.PeriodClosure.closed).where(m.PeriodClosure.period_id == period_id, m.PeriodClosure.class_id == class_id)
    ).first()
    return bool(row and row[0])


def _set_closed(uow: UnitOfWork, actor: Actor, period: m.Period, klass: m.SchoolClass,
                closed: bool, reason: str) -> bool:
    row = uow.session.scalars(
        select(m.PeriodClosure).where(m.PeriodClosure.period_id == period.id, m.PeriodClosure.class_id == klass.id)
    ).first()
    if row is not None and row.closed == closed:
        return False
    if row is None:
        if not closed:
            return False
        row = m.PeriodClosure(school_id=uow.school_id, period_id=period.id, class_id=klass.id)  # type: ignore[arg-type]
        uow.session.add(row)
    row.closed, row.changed_at, row.changed_by, row.reason = closed, uow.now(), actor.login, reason
    row.version += 1
    audit.record(
        uow, actor, "period.close" if closed else "period.reopen", entity="period", entity_id=period.id,
        class_id=klass.id, before={"closed": not closed}, after={"closed": closed, "period": period.code},
        reason=reason,
    )
    return True


def close_period(uow: UnitOfWork, actor: Actor, code: str, class_name: str | None = None,
                 start_year: int | None = None, *, reason: str = "") -> list[str]:
    """Close a period for one class or every class it applies to; returns the classes closed.
    `reason`: why it closes early, recorded with the closing."""
    if not perm.may(actor.roles, "close_period"):
        raise NotAllowed(what=Phrase("period.closers"))
    year = current_year(uow, start_year)
    period = find_period(uow, code, year)
    classes = _target_classes(uow, year, period.code, class_name)
    done = [k.name for k in classes if _set_closed(uow, actor, period, k, True, reason)]
    uow.commit()
    return done


def reopen_period(uow: UnitOfWork, actor: Actor, code: str, class_name: str, reason: str,
                  start_year: int | None = None) -> bool:
    """Reopen a closed period for one class; the reason goes into the change log."""
    if not perm.may(actor.roles, "reopen_period"):
        raise NotAllowed(what=Phrase("period.reopeners"))
    if not (reason or "").strip():
        raise InvalidInput(what=Phrase("period.reopen_reason"))
    year = current_year(uow, start_year)
    period = find_period(uow, code, year)
    (klass,) = _target_classes(uow, year, period.code, class_name)
    changed = _set_closed(uow, actor, period, klass, False, reason.strip())
    uow.commit()
    return changed


def _target_classes(uow: UnitOfWork, year: m.AcademicYear, code: str, class_name: str | None) -> list[m.SchoolClass]:
    from ejournal_tui.services.lookup import find_class

    if class_name is None:
        return classes_of_band(uow, year.id, code)  # type: ignore[arg-type]
    klass = find_class(uow, class_name, year)
    cal.check_period_applies(code, klass.grade, klass.name, uow.settings)
    return [klass]


def period_of_day(uow: UnitOfWork, year_id: int, grade: int, day: date) -> m.Period | None:
    codes = cal.periods_for_grade(grade, uow.settings)
    return uow.session.scalars(
        select(m.Period).where(m.Period.year_id == year_id, m.Period.code.in_(codes),
                               m.Period.start <= day, m.Period.end >= day)
    ).first()

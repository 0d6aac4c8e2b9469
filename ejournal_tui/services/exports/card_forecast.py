"""The forecast of the period mark on parents' progress reports (DOMAIN.md, "Informing pupils
and parents": recommended). It is the register's own suggestion, not a new rule: the period's
marks so far, averaged and rounded as the school's settings say (`domain.register_cells.
row_summary`), with the number of marks against the minimum the period needs. Where the
period's mark has been given, the report shows that instead."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.finals import KIND_PERIOD
from ejournal_tui.domain.marks import grade_gets_marks, minimum_marks
from ejournal_tui.domain.register_cells import RowFigures, row_summary
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.control.data import class_marks


@dataclass(frozen=True)
class Forecast:
    period: str  # "II четверть"
    figures: RowFigures  # marks so far, average, suggested mark, below the minimum
    minimum: int
    given: str  # the period mark when it has been given


@dataclass(frozen=True)
class PeriodForecasts:
    """Forecasts of one class's pupils for the period a report is made in."""

    period_label: str
    by_pupil_subject: dict[tuple[int, int], Forecast]

    def of(self, pupil_id: int, subject_id: int) -> Forecast | None:
        return self.by_pupil_subject.get((pupil_id, subject_id))


def report_period(uow: UnitOfWork, klass: m.SchoolClass, day: date) -> m.Period | None:
    """The class's reporting period (quarter or half-year) that `day` falls in, else the last
    one ended before it (in the holidays); None before the first."""
    P = m.Period
    codes = cal.periods_for_grade(klass.grade, uow.settings)
    periods = list(uow.session.scalars(select(P).where(P.year_id == klass.year_id, P.code.in_(codes),
                                                       P.start <= day).order_by(P.start)))
    return periods[-1] if periods else None


def period_forecasts(uow: UnitOfWork, klass: m.SchoolClass, pupil_ids: list[int], day: date) -> PeriodForecasts:
    """Every pupil's forecast per subject of the class, counted from the period's start to `day`."""
    period = report_period(uow, klass, day)
    if period is None or not grade_gets_marks(klass.grade, uow.settings):
        return PeriodForecasts("", {})
    end = min(day, period.end)
    marks = class_marks(uow, klass.id, period.start, end)
    given = _given(uow, klass.id, period.code)
    hours = _hours(uow, klass, pupil_ids, period.start, end)
    settings = uow.settings
    label = cal.PERIOD_NAMES.get(period.code, (period.code,))[0]  # the printed forms are Russian
    out = {}
    for (pupil_id, subject_id), hpw in hours.items():
        minimum = minimum_marks(hpw, settings)
        figures = row_summary(marks.get((pupil_id, subject_id), []), minimum, settings)
        out[(pupil_id, subject_id)] = Forecast(label, figures, minimum,
                                               given.get((pupil_id, subject_id), ""))
    return PeriodForecasts(label, out)


def _given(uow: UnitOfWork, class_id: int, code: str) -> dict[tuple[int, int], str]:
    F = m.FinalMark
    return {(p, s): v for p, s, v in uow.session.execute(
        select(F.pupil_id, F.subject_id, F.value).where(F.class_id == class_id, F.kind == KIND_PERIOD,
                                                        F.period_code == code))}


def _hours(uow: UnitOfWork, klass: m.SchoolClass, pupil_ids: list[int], start: date,
           end: date) -> dict[tuple[int, int], float]:
    """Weekly hours of the subject each pupil is taught: the whole class's load, or the load
    of the pupil's group in the period (a pupil in no group of a split subject has none)."""
    TL, G = m.TeachingLoad, m.GroupMember
    loads = uow.session.execute(select(TL.subject_id, TL.group_id, TL.hours_per_week).where(TL.class_id == klass.id)).all()
    group_ids = [g for _, g, _ in loads if g is not None]
    members: dict[int, set[int]] = defaultdict(set)
    if group_ids:
        for gid, pid in uow.session.execute(select(G.group_id, G.pupil_id).where(
                G.group_id.in_(group_ids), G.start <= end, or_(G.end.is_(None), G.end >= start))):
            members[gid].add(pid)
    out: dict[tuple[int, int], float] = {}
    for subject_id, group_id, hours in loads:
        for pid in pupil_ids:
            if group_id is None or pid in members[group_id]:
                out[(pid, subject_id)] = max(hours, out.get((pid, subject_id), 0.0))
    return out

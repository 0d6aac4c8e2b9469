"""Programme fulfilment: the lessons the calendar-thematic plan (КТП) has due in a window
against those held. One computation serves the control reports (`plan_lag`) and the printed
register's year-end figures, so the two never disagree.

A plan whose every topic has a date is due by those dates; otherwise it is due at the pace
of the timetable (one topic per timetable lesson), never beyond the plan's length. Once the
year's last period is counted to its end, the whole plan is due: a timetable with fewer
lessons than the plan is a shortfall, not a plan fulfilled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.control import data
from ejournal_tui.services.control.window import Window


@dataclass(frozen=True)
class PlanProgress:
    """One load's plan against its lessons held in a window."""

    total: int  # topics in the plan (the whole year's)
    planned: int  # topics due in the window's counted days
    held: int  # lessons recorded in the window's counted days

    @property
    def lag(self) -> int:
        """Planned − held; more lessons held than planned is no lag, not a negative one."""
        return max(0, self.planned - self.held)


class PlanPace:
    """Topics due in a window's counted days. The school days before and up to them are
    counted once per window, not once per load (a school has hundreds of loads)."""

    def __init__(self, w: Window) -> None:
        self.before = w.weekdays(w.year_start, w.start - timedelta(days=1))
        self.upto = w.weekdays(w.year_start, w.counted_to)
        self.year_done = cal.ends_year(w.period) and w.counted_to >= w.period_end

    def planned(self, stats: tuple[int, int, int], weekly: Counter[int]) -> int:
        """Given the load's `data.plan_stats` row (total, dated, dated inside the window) and
        its timetable lessons per weekday."""
        total, dated, inside = stats
        if total and dated == total:
            return inside
        n_before = sum(n * self.before[wd] for wd, n in weekly.items())
        n_upto = total if self.year_done else sum(n * self.upto[wd] for wd, n in weekly.items())
        return min(total, n_upto) - min(total, n_before)

    def progress(self, stats: tuple[int, int, int], weekly: Counter[int], held: int) -> PlanProgress:
        return PlanProgress(stats[0], self.planned(stats, weekly), held)


def held_counts(uow: UnitOfWork, w: Window, load_ids: Iterable[int]) -> dict[int, int]:
    """Lessons recorded per load in the window's counted days (a count, not the rows)."""
    L = m.Lesson
    out: dict[int, int] = {}
    for part in data.chunks(load_ids):
        for load_id, n in uow.session.execute(
            select(L.load_id, func.count()).where(L.school_id == uow.school_id, L.load_id.in_(part),
                                                  L.date >= w.start, L.date <= w.counted_to)
            .group_by(L.load_id)
        ):
            out[load_id] = int(n)
    return out


def plan_progress(uow: UnitOfWork, w: Window, load_ids: Iterable[int]) -> dict[int, PlanProgress]:
    """Every given load's plan against its lessons in the window (empty window: all zero but
    the plan's length)."""
    ids = sorted(set(load_ids))
    stats = data.plan_stats(uow, ids, w.start, w.counted_to)
    if w.empty:
        return {i: PlanProgress(stats.get(i, (0, 0, 0))[0], 0, 0) for i in ids}
    slots, held, pace = data.slots(uow, ids), held_counts(uow, w, ids), PlanPace(w)
    return {i: pace.progress(stats.get(i, (0, 0, 0)), slots.get(i, Counter()), held.get(i, 0)) for i in ids}

"""A teacher's own items from the control report, for the TUI's Today screen: what to fix in
the register and by when (lessons to record, topics and homework missing, pupils short of
marks in the teacher's subjects, absences without a reason in the class the teacher leads).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.i18n import t
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control import texts  # noqa: F401 - registers the messages
from ejournal_tui.services.control.build import Builder
from ejournal_tui.services.control.model import ControlItem, ControlReport
from ejournal_tui.services.control.window import Window, resolve_window
from ejournal_tui.services.lookup import current_year

_LESSON_ISSUES = ("not_recorded", "no_topic", "no_homework")
_PUPIL_ISSUES = ("below_minimum", "no_marks", "one_mark")  # the first that applies is shown


@dataclass(frozen=True)
class Reminder:
    issue: str
    text: str
    class_name: str
    subject: str
    due: date | None
    overdue: bool
    date: date | None = None
    lesson_id: int | None = None
    pupil_id: int | None = None
    load_id: int | None = None
    count: int = 1


def current_periods(uow: UnitOfWork, today: date) -> list[str]:
    """The quarter and the half-year today falls in (or the last ended one, in holidays)."""
    year = current_year(uow)
    rows = uow.session.execute(
        select(m.Period.code, m.Period.start, m.Period.end).where(m.Period.year_id == year.id, m.Period.code != cal.YEAR)
    ).all()
    out = []
    for band in (cal.QUARTERS, cal.HALVES):
        started = sorted((r for r in rows if r[0] in band and r[1] <= today), key=lambda r: r[1])
        if started:
            out.append(started[-1][0])
    return out


def _loads_of(uow: UnitOfWork, w: Window, teacher_id: int) -> set[int]:
    TL, L = m.TeachingLoad, m.Lesson
    own = set(uow.session.scalars(select(TL.id).where(TL.school_id == uow.school_id, TL.teacher_id == teacher_id,
                                                      TL.year_id == w.year_id)))
    held = set(uow.session.scalars(select(L.load_id).distinct().where(
        L.teacher_id == teacher_id, L.date >= w.start, L.date <= w.counted_to, L.school_id == uow.school_id)))
    return own | held


def my_reminders(uow: UnitOfWork, actor: Actor, as_of: date | None = None) -> tuple[Reminder, ...]:
    """The acting teacher's items to fix in the current period(s), overdue first."""
    if actor.id is None:
        return ()
    today = as_of or uow.today()
    out: list[Reminder] = []
    for code in current_periods(uow, today):
        w = resolve_window(uow, code, as_of=today)
        report = Builder(uow, w, _loads_of(uow, w, actor.id)).build()
        out.extend(_from_report(report, actor.id, today))
    return tuple(sorted(out, key=lambda r: (not r.overdue, r.due or today, r.class_name, r.subject,
                                            r.date or today)))


def _from_report(report: ControlReport, me: int, today: date) -> list[Reminder]:
    out = []
    for row in report.rows:
        for item in row.items:
            if item.issue in _LESSON_ISSUES and item.responsible_id == me:
                out.append(_lesson_reminder(item, today))
        if row.teacher_id == me:
            out.extend(_pupil_reminders(row.items, row.minimum, today))
            lag = row.details("plan_lag")
            if lag:
                out.append(_reminder(lag[0], t("remind.plan_lag", klass=row.class_name, subject=row.subject,
                                                n=lag[0].count), today))
    for leader in report.leaders:
        if leader.leader_id == me:
            out.extend(_absence_reminders(leader.items, today))
    return out


def _reminder(item: ControlItem, text: str, today: date, issue: str | None = None) -> Reminder:
    return Reminder(issue or item.issue, text, item.class_name, item.subject, item.due,
                    bool(item.due and item.due < today), item.date, item.lesson_id, item.pupil_id, item.load_id,
                    item.count)


def _lesson_reminder(item: ControlItem, today: date) -> Reminder:
    text = t(f"remind.{item.issue}", klass=item.class_name, subject=item.subject, date=item.date)
    return _reminder(item, text, today)


def _pupil_reminders(items: tuple[ControlItem, ...], minimum: int | None, today: date) -> list[Reminder]:
    by_pupil: dict[int, list[ControlItem]] = defaultdict(list)
    for item in items:
        if item.issue in _PUPIL_ISSUES and item.pupil_id is not None:
            by_pupil[item.pupil_id].append(item)
    out = []
    for hits in by_pupil.values():
        item = min(hits, key=lambda i: _PUPIL_ISSUES.index(i.issue))
        text = t(f"remind.{item.issue}", klass=item.class_name, subject=item.subject, pupil=item.pupil,
                 n=item.count, need=minimum)
        out.append(_reminder(item, text, today))
    return out


def _absence_reminders(items: tuple[ControlItem, ...], today: date) -> list[Reminder]:
    by_pupil: dict[int, list[ControlItem]] = defaultdict(list)
    for item in items:
        by_pupil[item.pupil_id or 0].append(item)
    out = []
    for hits in by_pupil.values():
        first = hits[0]
        text = t("remind.uncoded_absence", klass=first.class_name, pupil=first.pupil, n=len(hits))
        out.append(Reminder("uncoded_absence", text, first.class_name, "", first.due,
                            bool(first.due and first.due < today), first.date, first.lesson_id, first.pupil_id,
                            None, len(hits)))
    return out

"""The class leader's progress and attendance report of a class for a period: preliminary
(marks and absences up to two weeks before the period ends) or final (the whole period, with
the period marks given). Pupils at risk come first: below the minimum of marks in a subject,
a mark 2 (suggested or given), or many unexcused absences (setting `risk_unexcused_lessons`,
default 10).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import attendance as att
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.domain.finals import KIND_PERIOD
from ejournal_tui.domain.marks import (
    NUMERIC,
    average,
    grade_gets_marks,
    marks_due_by,
    minimum_marks,
    short_of_marks,
    suggest_mark,
)
from ejournal_tui.i18n import Phrase
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control import data
from ejournal_tui.services.lookup import current_year, find_class, find_period

PRELIMINARY = "preliminary"
FINAL = "final"
RISK_UNEXCUSED = 10
SHORT_SUBJECTS_AT_RISK = 2


@dataclass(frozen=True)
class SubjectCell:
    marks: int
    average: float | None
    suggested: str | None
    final: str | None
    minimum: int
    due: int  # the marks due by the report's date (the minimum, pro rata)

    @property
    def below_minimum(self) -> bool:
        """Fewer marks than due so far, and no period mark that settles it."""
        return self.marks < self.due and self.final in (None, "н/а")

    @property
    def mark(self) -> str | None:
        """What the report shows: the period mark given, else the suggested one."""
        return self.final or self.suggested

    def as_json(self) -> dict:
        return {"marks": self.marks, "average": self.average, "suggested": self.suggested, "final": self.final,
                "minimum": self.minimum, "due": self.due,
                "below_minimum": self.below_minimum}


@dataclass(frozen=True)
class PupilReport:
    pupil_id: int
    name: str
    cells: tuple[SubjectCell | None, ...]  # per subject of the report; None: not in its group
    absences: att.AbsenceTotals
    risks: tuple[str, ...]  # "below_minimum:<subject>", "mark_2:<subject>", "unexcused:<n>"

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)


@dataclass(frozen=True)
class ClassReport:
    school_code: str
    school_name: str
    class_name: str
    leader: str
    period: str
    kind: str
    start: date
    counted_to: date
    subjects: tuple[str, ...]
    pupils: tuple[PupilReport, ...]  # at risk first, then alphabetical

    def as_json(self) -> dict:
        return {
            "report": "class", "version": 1, "school": {"code": self.school_code, "name": self.school_name},
            "class": self.class_name, "leader": self.leader, "period": self.period, "kind": self.kind,
            "start": self.start.isoformat(), "counted_to": self.counted_to.isoformat(), "subjects": list(self.subjects),
            "pupils": [{"id": p.pupil_id, "name": p.name, "at_risk": p.at_risk, "risks": list(p.risks),
                        "subjects": {s: (c.as_json() if c else None) for s, c in zip(self.subjects, p.cells, strict=True)},
                        "absences": {"missed": p.absences.missed, "ill": p.absences.ill, "excused": p.absences.excused,
                                     "unexcused": p.absences.unexcused, "uncoded": p.absences.uncoded,
                                     "late": p.absences.late}}
                       for p in self.pupils],
        }


def class_report(uow: UnitOfWork, actor: Actor, class_name: str, period: str, *, kind: str = PRELIMINARY,
                 year: int | None = None, as_of: date | None = None) -> ClassReport:
    """The report of one class; its class leader, the secretary and the school's management
    may make it."""
    if kind not in (PRELIMINARY, FINAL):
        raise InvalidInput(what=Phrase("control.bad_kind", kind=kind, a=PRELIMINARY, b=FINAL))
    ay = current_year(uow, year)
    klass = find_class(uow, class_name, ay)
    if not perm.may_print_class(actor.roles, actor.id, klass.leader_id):
        raise NotAllowed(what=Phrase("control.class_denied", klass=klass.name))
    p = find_period(uow, period, ay)
    cal.check_period_applies(p.code, klass.grade, klass.name, uow.settings)
    today = as_of or uow.today()
    to = _cut(p, kind, today)
    return _build(uow, klass, p, kind, to)


def _cut(p: m.Period, kind: str, today: date) -> date:
    if kind == FINAL:
        if today <= p.end:
            raise InvalidInput(what=Phrase("control.final_too_early", code=p.code, end=p.end))
        return p.end
    return max(p.start, min(p.end - timedelta(days=14), today - timedelta(days=1)))


def _build(uow: UnitOfWork, klass: m.SchoolClass, p: m.Period, kind: str, to: date) -> ClassReport:
    settings = uow.settings
    loads = _loads(uow, klass)
    subjects = sorted({(order, sid, name) for _lid, sid, name, order, _gid, _h in loads})
    pupils = _pupils(uow, klass.id, p.start, to)
    in_group = _group_members(uow, [r[4] for r in loads if r[4]], p.start, to)
    marks = data.class_marks(uow, klass.id, p.start, to)
    finals = _finals(uow, klass, p.code) if kind == FINAL else {}
    absences = _absences(uow, klass.id, p.start, to)
    reasons = reason_categories(uow)
    threshold = int(settings.extra.get("risk_unexcused_lessons", RISK_UNEXCUSED))
    gets_marks = grade_gets_marks(klass.grade, settings)
    elapsed = ((to - p.start).days + 1) / ((p.end - p.start).days + 1)
    rows = []
    for pid, name in pupils:
        cells = []
        for _order, sid, _sname in subjects:
            load = _load_of(loads, sid, pid, in_group)
            if load is None or not gets_marks:
                cells.append(None)
                continue
            pm = marks.get((pid, sid), [])
            avg = average(pm, settings)
            n = sum(1 for v, _ in pm if v in NUMERIC)
            minimum = minimum_marks(load[5], settings)
            cells.append(SubjectCell(n, avg, suggest_mark(avg, settings), finals.get((pid, sid)), minimum,
                                     marks_due_by(minimum, elapsed)))
        totals = att.totals(absences.get(pid, []), reasons=reasons)
        rows.append((pid, name, tuple(cells), totals))
    medians = _medians(len(subjects), [cells for _p, _n, cells, _t in rows])
    reports = [PupilReport(pid, name, cells, totals, _risks(subjects, cells, totals, threshold, medians, to >= p.end))
               for pid, name, cells, totals in rows]
    reports.sort(key=lambda r: (not r.at_risk, r.name))
    code, sname = data.school_label(uow)
    leader = data.staff_names(uow).get(klass.leader_id, "") if klass.leader_id else ""
    return ClassReport(code, sname, klass.name, leader, p.code, kind, p.start, to,
                       tuple(s[2] for s in subjects), tuple(reports))


def _medians(n_subjects: int, rows: list[tuple[SubjectCell | None, ...]]) -> list[float]:
    """Per subject, the median number of marks of the pupils who take it."""
    out = []
    for i in range(n_subjects):
        counts = sorted(cells[i].marks for cells in rows if cells[i] is not None)  # type: ignore[union-attr]
        out.append(float(median(counts)) if counts else 0.0)
    return out


def _risks(subjects: list, cells: tuple[SubjectCell | None, ...], totals: att.AbsenceTotals, threshold: int,
           medians: list[float], period_over: bool) -> tuple[str, ...]:
    """Why a pupil is at risk, each reason named: short of marks where the class is not, in
    `SHORT_SUBJECTS_AT_RISK` subjects or more (one subject short is shown in its cell, it is
    not yet a risk); a 2 (forecast or given); not certified; many lessons missed without a
    good reason."""
    short, out = [], []
    for (_o, _sid, name), cell, class_median in zip(subjects, cells, medians, strict=True):
        if cell is None:
            continue
        if cell.below_minimum and short_of_marks(cell.marks, cell.due, class_median, period_over=period_over):
            short.append(f"below_minimum:{name}")
        if cell.mark == "2":
            out.append(f"mark_2:{name}")
        if cell.final == "н/а":
            out.append(f"not_certified:{name}")
    if len(short) >= SHORT_SUBJECTS_AT_RISK:
        out = short + out
    if totals.unexcused >= threshold:
        out.append(f"unexcused:{totals.unexcused}")
    return tuple(out)


def _load_of(loads: list, subject_id: int, pupil_id: int, in_group: dict[int, set[int]]) -> tuple | None:
    for load in loads:
        if load[1] == subject_id and (load[4] is None or pupil_id in in_group.get(load[4], set())):
            return load
    return None


def _loads(uow: UnitOfWork, klass: m.SchoolClass) -> list[tuple]:
    TL, S = m.TeachingLoad, m.Subject
    return [tuple(r) for r in uow.session.execute(
        select(TL.id, S.id, S.name, S.order, TL.group_id, TL.hours_per_week).join(S, S.id == TL.subject_id)
        .where(TL.class_id == klass.id, TL.school_id == uow.school_id)
    )]


def _pupils(uow: UnitOfWork, class_id: int, start: date, end: date) -> list[tuple[int, str]]:
    Ms, P = m.Membership, m.Pupil
    rows = uow.session.execute(
        select(P.id, P.last_name, P.first_name).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.class_id == class_id, Ms.start <= end, or_(Ms.end.is_(None), Ms.end >= start))
        .order_by(P.last_name, P.first_name, P.id)
    )
    seen: dict[int, str] = {}
    for pid, last, first in rows:
        seen.setdefault(pid, f"{last} {first}")
    return list(seen.items())


def _group_members(uow: UnitOfWork, group_ids: list[int], start: date, end: date) -> dict[int, set[int]]:
    G = m.GroupMember
    out: dict[int, set[int]] = defaultdict(set)
    if group_ids:
        for gid, pid in uow.session.execute(
            select(G.group_id, G.pupil_id).where(G.group_id.in_(group_ids), G.start <= end,
                                                 or_(G.end.is_(None), G.end >= start))
        ):
            out[gid].add(pid)
    return out


def _finals(uow: UnitOfWork, klass: m.SchoolClass, code: str) -> dict[tuple[int, int], str]:
    F = m.FinalMark
    return {(r[0], r[1]): r[2] for r in uow.session.execute(
        select(F.pupil_id, F.subject_id, F.value).where(F.class_id == klass.id, F.kind == KIND_PERIOD,
                                                        F.period_code == code)
    )}


def _absences(uow: UnitOfWork, class_id: int, start: date, end: date) -> dict[int, list[att.AbsenceEntry]]:
    L, A = m.Lesson, m.Attendance
    out: dict[int, list[att.AbsenceEntry]] = defaultdict(list)
    for pid, day, status, reason in uow.session.execute(
        select(A.pupil_id, L.date, A.status, A.reason).join(L, L.id == A.lesson_id)
        .where(L.class_id == class_id, L.date >= start, L.date <= end)
    ):
        out[pid].append(att.AbsenceEntry(day, status, reason))
    return out


def reason_categories(uow: UnitOfWork) -> dict[str, str] | None:
    """The school's absence codes and their categories (None: the default codes)."""
    R = m.AbsenceReason
    rows = dict(uow.session.execute(select(R.code, R.category).where(R.school_id == uow.school_id)).all())
    return rows or None

"""The control report assembled from the reads of `data`: per load (teacher × class or group ×
subject) the lessons due by the timetable and the plan against those held, the gaps and late
entries, the pupils' marks, then totals per teacher, per class leader and for the school.

Rules (DOMAIN.md): a lesson is recorded late when it is entered more than `backdating_days`
after its day; homework later than `homework_hours_after_last_lesson` after the class's last
lesson; a mark later than its kind of work's deadline (oral / written, by grade). Entries
flagged late by the services count as late too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.marks import grade_gets_marks, minimum_marks
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.control import data
from ejournal_tui.services.control.data import LessonFact, LoadInfo
from ejournal_tui.services.control.informed import Informed, informed
from ejournal_tui.services.control.model import (
    ControlItem,
    ControlReport,
    ControlRow,
    Figures,
    LeaderRow,
    Substitution,
    TeacherTotal,
)
from ejournal_tui.services.control.plan import PlanPace
from ejournal_tui.services.control.window import Window
from ejournal_tui.services.lookup import work_kinds

_DEFAULT_END = time(15, 0)


@dataclass
class _Acc:
    """Counts and items of one load while the report is built."""

    info: LoadInfo
    counts: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    items: list[ControlItem] = field(default_factory=list)
    minimum: int | None = None

    def add(self, issue: str, responsible: int | None, n: int = 1, **kw: object) -> None:
        self.counts[issue] += n
        self.items.append(ControlItem(issue, self.info.id, self.info.class_name, self.info.subject, responsible,
                                      **kw))  # type: ignore[arg-type]


class Builder:
    """Builds one report; `only_loads` narrows it to some loads (a teacher's reminders)."""

    def __init__(self, uow: UnitOfWork, w: Window, only_loads: set[int] | None = None) -> None:
        self.uow, self.w, self.settings = uow, w, uow.settings
        infos = data.loads(uow, w)
        if only_loads is not None:
            infos = [i for i in infos if i.id in only_loads]
        self.accs = {i.id: _Acc(i) for i in infos}
        self.names = data.staff_names(uow)
        self.subs: list[Substitution] = []
        self.pupils: dict[int, str] = {}
        self.slots: dict[int, Counter[int]] = {}

    def build(self) -> ControlReport:
        if not self.w.empty and self.accs:
            lessons = data.lessons(self.uow, self.w, set(self.accs))
            self._timetable(lessons)
            self._plan()
            self._lessons(lessons)
            self._marks({f.id: f for f in lessons})
            self._pupils()
        leaders = self._leaders()
        return self._report(leaders)

    # lessons due and held ---------------------------------------------------------------
    def _timetable(self, lessons: list[LessonFact]) -> None:
        slots = data.slots(self.uow, self.accs)
        held: Counter[tuple[int, date]] = Counter((f.load_id, f.date) for f in lessons)
        per_load = Counter(f.load_id for f in lessons)
        days = self.w.school_days()
        for load_id, acc in self.accs.items():
            weekly = slots.get(load_id, Counter())
            acc.counts["held"] = per_load[load_id]
            for day in days:
                due = weekly.get(day.isoweekday(), 0)
                acc.counts["scheduled"] += due
                missing = due - held.get((load_id, day), 0)
                if missing > 0:
                    acc.add("not_recorded", acc.info.teacher_id, missing, date=day, count=missing,
                            due=day + timedelta(days=self.settings.backdating_days))
        self.slots = slots

    def _plan(self) -> None:
        w = self.w
        stats = data.plan_stats(self.uow, self.accs, w.start, w.counted_to)
        pace = PlanPace(w)
        for load_id, acc in self.accs.items():
            progress = pace.progress(stats.get(load_id, (0, 0, 0)), self.slots.get(load_id, Counter()),
                                     acc.counts["held"])
            acc.counts["planned"] = progress.planned
            if progress.lag:
                acc.counts["plan_lag"] = progress.lag
                acc.items.append(ControlItem("plan_lag", load_id, acc.info.class_name, acc.info.subject,
                                             acc.info.teacher_id, count=progress.lag, due=w.period_end))

    def _lessons(self, lessons: list[LessonFact]) -> None:
        last = data.class_day_last_number(self.uow, self.w)
        bells = data.bell_ends(self.uow)
        no_homework_grades = tuple(self.settings.extra.get("no_homework_grades", (1,)))
        window = self.settings.backdating_days
        for f in sorted(lessons, key=lambda x: (x.date, x.number)):
            acc = self.accs[f.load_id]
            kw = {"date": f.date, "number": f.number, "lesson_id": f.id}
            entry_due = f.date + timedelta(days=window)
            if f.no_topic:
                acc.add("no_topic", f.teacher_id, due=entry_due, **kw)
            if f.late_entry or cal.days_late(f.date, data.local(f.created_at).date(), window):
                acc.add("late_lessons", f.teacher_id, due=entry_due, **kw)
            end = bells.get(last.get((f.class_id, f.date), f.number), _DEFAULT_END)
            hw_due = cal.homework_deadline(f.date, end, self.settings)
            if f.no_homework and acc.info.grade not in no_homework_grades:
                acc.add("no_homework", f.teacher_id, due=hw_due.date(), **kw)
            elif f.homework_at is not None and data.local(f.homework_at) > hw_due:
                acc.add("late_homework", f.teacher_id, due=hw_due.date(), detail=hw_due.strftime("%H:%M"), **kw)
            if f.substitute_for_id is not None:
                self._substitution(acc, f)

    def _substitution(self, acc: _Acc, f: LessonFact) -> None:
        acc.add("substituted", f.teacher_id, date=f.date, number=f.number, lesson_id=f.id,
                detail=self.names.get(f.teacher_id, ""))
        info = acc.info
        self.subs.append(Substitution(f.id, f.date, f.number, info.class_name, info.group, info.subject,
                                      f.substitute_for_id or info.teacher_id,
                                      self.names.get(f.substitute_for_id or info.teacher_id, ""),
                                      f.teacher_id, self.names.get(f.teacher_id, "")))

    # marks ------------------------------------------------------------------------------
    def _marks(self, lessons: dict[int, LessonFact]) -> None:
        kinds = work_kinds(self.uow)
        late_lessons = set()
        for lesson_id, kind, latest, flagged in data.mark_groups(self.uow, self.w):
            f = lessons.get(lesson_id)
            if f is None:
                continue
            if flagged or self._mark_late(f, kind, latest, kinds):
                late_lessons.add(lesson_id)
        rows = data.marks_of_lessons(self.uow, late_lessons)
        self.pupils.update(data.pupil_names(self.uow, {r[2] for r in rows}))
        for _mark_id, lesson_id, pupil_id, kind, entered, flagged in rows:
            f = lessons[lesson_id]
            if not (flagged or self._mark_late(f, kind, entered, kinds)):
                continue
            acc = self.accs[f.load_id]
            allowed = self._allowed(f, kind, kinds)
            acc.by_kind[kind] += 1
            acc.add(f"late_mark_{kind}", f.teacher_id, date=f.date, number=f.number, lesson_id=lesson_id,
                    pupil_id=pupil_id, pupil=self.pupils.get(pupil_id, ""), due=f.date + timedelta(days=allowed),
                    detail=data.local(entered).date().isoformat())
            acc.counts["late_marks"] += 1

    def _allowed(self, f: LessonFact, kind: str, kinds: dict) -> int:
        category = kinds[kind].category if kind in kinds else "written"
        return cal.mark_deadline_days(category, self.accs[f.load_id].info.grade, self.settings)

    def _mark_late(self, f: LessonFact, kind: str, entered, kinds: dict) -> bool:  # noqa: ANN001
        return cal.days_late(f.date, data.local(entered).date(), self._allowed(f, kind, kinds)) > 0

    def _pupils(self) -> None:
        w, infos = self.w, [a.info for a in self.accs.values()]
        members = data.members(self.uow, w, infos)
        counts = data.mark_counts(self.uow, w)
        share_days = w.weekdays(w.start, w.counted_to)
        period_days = w.weekdays(w.period_start, w.period_end)
        flagged: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for load_id, acc in self.accs.items():
            pupils = members.get(load_id, [])
            acc.counts["pupils"] = len(pupils)
            if not grade_gets_marks(acc.info.grade, self.settings):
                continue
            acc.minimum = self._minimum(acc, share_days, period_days)
            for pid in pupils:
                n = counts.get((load_id, pid), 0)
                for issue, hit in (("no_marks", n == 0), ("one_mark", n == 1), ("below_minimum", n < acc.minimum)):
                    if hit:
                        flagged[load_id].append((issue, pid))
                        acc.counts[issue] += 1
        names = data.pupil_names(self.uow, {pid for v in flagged.values() for _, pid in v})
        for load_id, hits in flagged.items():
            acc = self.accs[load_id]
            for issue, pid in hits:
                acc.items.append(ControlItem(issue, load_id, acc.info.class_name, acc.info.subject,
                                             acc.info.teacher_id, pupil_id=pid, pupil=names.get(pid, ""),
                                             count=counts.get((load_id, pid), 0), due=w.period_end,
                                             detail=str(acc.minimum)))

    def _minimum(self, acc: _Acc, share_days: Counter[int], period_days: Counter[int]) -> int:
        """The period's minimum of marks, in proportion to the timetable's lessons counted so far."""
        full = minimum_marks(acc.info.hours, self.settings)
        weekly = self.slots.get(acc.info.id, Counter())
        whole = sum(n * period_days[wd] for wd, n in weekly.items())
        part = sum(n * share_days[wd] for wd, n in weekly.items())
        return full if not whole or part >= whole else full * part // whole

    # totals -----------------------------------------------------------------------------
    def _leaders(self) -> list[LeaderRow]:
        rows = data.uncoded_absences(self.uow, self.w) if not self.w.empty else []
        self.pupils.update(data.pupil_names(self.uow, {r[2] for r in rows}))
        by_class: dict[int, list[tuple]] = defaultdict(list)
        for row in rows:
            by_class[row[0]].append(row)
        out = []
        classes = data.classes(self.uow, self.w)
        reached = informed(self.uow, [c[0] for c in classes], self.w.as_of)
        for cid, name, _grade, _letter, leader in classes:
            items = tuple(
                ControlItem("uncoded_absence", None, name, "", leader, date=day, lesson_id=lesson_id, pupil_id=pid,
                            pupil=self.pupils.get(pid, ""), due=self.w.period_end)
                for _cid, _aid, pid, day, lesson_id in by_class.get(cid, [])
            )
            parents = reached.get(cid, Informed())
            out.append(LeaderRow(cid, name, leader, self.names.get(leader, "") if leader else "", len(items), items,
                                 parents.pupils, parents.email, parents.paper))
        return out

    def _row(self, acc: _Acc) -> ControlRow:
        i = acc.info
        figures = Figures(**{k: v for k, v in acc.counts.items() if k in Figures.__dataclass_fields__})
        return ControlRow(i.id, i.teacher_id, self.names.get(i.teacher_id, ""), i.class_id, i.class_name, i.grade,
                          i.group, i.subject_id, i.subject, i.hours, acc.minimum, figures,
                          tuple(sorted(acc.by_kind.items())), tuple(acc.items))

    def _report(self, leaders: list[LeaderRow]) -> ControlReport:
        order = sorted(self.accs.values(), key=lambda a: (self.names.get(a.info.teacher_id, ""), a.info.grade,
                                                           a.info.letter, a.info.subject_order, a.info.group))
        rows = tuple(self._row(a) for a in order)
        code, name = data.school_label(self.uow)
        total, by_kind = _sum(rows)
        w = self.w
        return ControlReport(code, name, w.period, w.kind, w.start, w.end, w.as_of, w.counted_to, rows,
                             self._teachers(rows, leaders), tuple(leaders),
                             tuple(sorted(self.subs, key=lambda s: (s.date, s.number, s.class_name))),
                             total, by_kind)

    def _teachers(self, rows: tuple[ControlRow, ...], leaders: list[LeaderRow]) -> tuple[TeacherTotal, ...]:
        by_teacher: dict[int, list[ControlRow]] = defaultdict(list)
        for r in rows:
            by_teacher[r.teacher_id].append(r)
        given = Counter(s.substitute_id for s in self.subs)
        uncoded = Counter({r.leader_id: r.uncoded_absences for r in leaders if r.leader_id})
        ids = set(by_teacher) | set(given) | {k for k, v in uncoded.items() if v}
        out = []
        for tid in ids:
            figures, by_kind = _sum(by_teacher.get(tid, []))
            out.append(TeacherTotal(tid, self.names.get(tid, ""), figures, by_kind, given[tid], uncoded[tid]))
        return tuple(sorted(out, key=lambda t: (t.teacher, t.teacher_id)))


def _sum(rows) -> tuple[Figures, tuple[tuple[str, int], ...]]:  # noqa: ANN001
    total, kinds = Figures(), Counter()
    for r in rows:
        total = total + r.figures
        kinds.update(dict(r.late_marks_by_kind))
    return total, tuple(sorted(kinds.items()))


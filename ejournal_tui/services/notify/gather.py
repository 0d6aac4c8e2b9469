"""What is new for each pupil of a run, read set-wise (a few queries per few hundred pupils,
not per pupil): marks, absences and lateness with their reasons, teachers' remarks and
praise, homework, final marks, and the period so far.

"New" goes by the time an entry was made, not the lesson's day: an entry is a pupil's news
when `since < entered_at ≤ until`, where `since` is the end of the pupil's last digest and
`until` when the run began (less a minute, `plan.SETTLE`): an entry made while a run goes on
waits for the next.
So a mark entered late for an old lesson still reaches the parents, once.

- a mark corrected after a digest told it (its value, kind or comment; `services.marks`
  keeps `entered_at` as it was, the change log has the correction) is told again, marked
  «исправлена» with the value told before; a mark both entered and corrected since the last
  digest is told once, as it is now; a deleted mark is not announced (the average shows it);
- an absence whose reason is given after a digest told it is told again with the reason;
- homework: what was set or changed since the last digest (`homework_at`) for lessons from a
  week ago to a week ahead (homework may be set ahead for the coming days);
- final marks (period, year, exam, final) go by their own start (`Since.finals`), so that a
  finals-only digest and the weekly one never tell the same final mark twice; a corrected
  final mark is entered anew (`services.finals`) and told again, marked corrected;
- the period so far: the average and forecast of the period mark per subject, exactly as the
  report cards count them (`services.exports.card_forecast`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.calendar import PERIOD_NAMES
from ejournal_tui.domain.finals import KIND_EXAM, KIND_FINAL, KIND_PERIOD, KIND_YEAR
from ejournal_tui.exporters.digest_data import (
    DigestAbsence,
    DigestFinal,
    DigestForecast,
    DigestHomework,
    DigestMark,
    DigestRemark,
)
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.control.data import chunks
from ejournal_tui.services.exports.card_forecast import period_forecasts
from ejournal_tui.services.exports.summary_doc import class_subjects
from ejournal_tui.services.notify.log import utc
from ejournal_tui.services.notify.scope import PupilInScope

HOMEWORK_BACK_DAYS = 7
HOMEWORK_AHEAD_DAYS = 7
FINAL_NAMES = {KIND_YEAR: "учебный год", KIND_EXAM: "экзамен", KIND_FINAL: "итоговая отметка"}
FINAL_ORDER = {KIND_PERIOD: 0, KIND_YEAR: 1, KIND_EXAM: 2, KIND_FINAL: 3}


@dataclass(frozen=True)
class Since:
    """Where a pupil's news start (aware UTC, exclusive)."""

    news: datetime
    finals: datetime


@dataclass
class PupilNews:
    """One pupil's news, each list in the order the message tells it."""

    marks: list[DigestMark] = field(default_factory=list)
    absences: list[DigestAbsence] = field(default_factory=list)
    remarks: list[DigestRemark] = field(default_factory=list)
    homework: list[DigestHomework] = field(default_factory=list)
    finals: list[DigestFinal] = field(default_factory=list)

    def any(self) -> bool:
        return bool(self.marks or self.absences or self.remarks or self.homework or self.finals)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


class Gatherer:
    """Reads the news of `pupils`, each from their own `since` to `until`."""

    def __init__(self, uow: UnitOfWork, pupils: list[PupilInScope], since: dict[int, Since], until: datetime) -> None:
        self.uow, self.pupils, self.since, self.until = uow, pupils, since, until
        self.news: dict[int, PupilNews] = {p.id: PupilNews() for p in pupils}
        self._sorted: dict[int, dict[str, list[tuple[tuple, object]]]] = defaultdict(lambda: defaultdict(list))
        S, K, R = m.Subject, m.WorkKind, m.AbsenceReason
        sid = uow.school_id
        self.subjects = {i: (n, o) for i, n, o in uow.session.execute(select(S.id, S.name, S.order).where(S.school_id == sid))}
        self.kinds = {c: _lower_first(n) for c, n in uow.session.execute(select(K.code, K.name).where(K.school_id == sid))}
        self.reasons = {c: n for c, n in uow.session.execute(select(R.code, R.name).where(R.school_id == sid))}

    def _new(self, pid: int, at: datetime | None, finals: bool = False) -> bool:
        start = self.since[pid].finals if finals else self.since[pid].news
        at = utc(at)
        return at is not None and start < at <= self.until

    def _add(self, pid: int, what: str, key: tuple, item: object) -> None:
        self._sorted[pid][what].append((key, item))

    def _parts(self, finals: bool = False) -> Iterable[tuple[list[int], datetime]]:
        """Pupil ids in chunks, with the earliest start among them (the query's lower bound)."""
        for part in chunks(self.news):
            yield part, min(self.since[p].finals if finals else self.since[p].news for p in part)

    def gather(self, *, finals_only: bool = False) -> dict[int, PupilNews]:
        self.finals()
        if not finals_only:
            self.marks()
            self.corrections()
            self.absences()
            self.remarks()
            self.homework()
        for pid, lists in self._sorted.items():
            for what, items in lists.items():
                getattr(self.news[pid], what).extend(item for _, item in sorted(items, key=lambda x: x[0]))
        return self.news

    # --- marks ----------------------------------------------------------------------------
    def _mark(self, subject_id: int, day: date, value: str, kind: str, comment: str, **kw: object) -> DigestMark:
        return DigestMark(self.subjects.get(subject_id, ("", 0))[0], day, value, self.kinds.get(kind, kind),
                          comment, **kw)  # type: ignore[arg-type]

    def _entered(self, table: Any, *columns: Any) -> Iterable[Any]:
        """`columns` of the rows of `table` (a mark, an attendance, a remark: joined with their
        lesson) entered for the pupils in the span that may be new to their families."""
        L = m.Lesson
        for part, lo in self._parts():
            yield from self.uow.session.execute(
                select(*columns).join(L, L.id == table.lesson_id)
                .where(table.school_id == self.uow.school_id, table.pupil_id.in_(part), table.entered_at > lo,
                       table.entered_at <= self.until))

    def marks(self) -> None:
        Mk, L = m.Mark, m.Lesson
        for pid, subject_id, day, number, value, kind, comment, at in self._entered(
                Mk, Mk.pupil_id, L.subject_id, L.date, L.number, Mk.value, Mk.work_kind, Mk.comment, Mk.entered_at):
            if self._new(pid, at):
                self._add(pid, "marks", (day, number, subject_id, utc(at)), self._mark(subject_id, day, value, kind, comment))

    def _events(self, actions: tuple[str, ...]) -> dict[tuple[str, int], tuple[int, dict]]:
        """The first event of each entity corrected in its pupil's span: (pupil, before)."""
        A = m.AuditEvent
        first: dict[tuple[str, int], tuple[int, dict]] = {}
        for part, lo in self._parts():
            for action, entity_id, pid, at, before in self.uow.session.execute(
                select(A.action, A.entity_id, A.pupil_id, A.at, A.before)
                .where(A.school_id == self.uow.school_id, A.pupil_id.in_(part), A.action.in_(actions),
                       A.at > lo, A.at <= self.until).order_by(A.seq)
            ):
                if entity_id is not None and self._new(pid, at):
                    first.setdefault((action, entity_id), (pid, json.loads(before) if before else {}))
        return first

    def corrections(self) -> None:
        """Marks corrected and reasons given after the entry had been told (see the module)."""
        events = self._events(("mark.correct", "attendance.reason"))
        marks = {eid: v for (action, eid), v in events.items() if action == "mark.correct"}
        reasons = {eid: v for (action, eid), v in events.items() if action == "attendance.reason"}
        self._corrected_marks(marks)
        self._reasons_given(reasons)

    def _corrected_marks(self, events: dict[int, tuple[int, dict]]) -> None:
        Mk, L = m.Mark, m.Lesson
        for part in chunks(events):
            for mid, pid, subject_id, day, number, value, kind, comment, at in self.uow.session.execute(
                select(Mk.id, Mk.pupil_id, L.subject_id, L.date, L.number, Mk.value, Mk.work_kind, Mk.comment,
                       Mk.entered_at).join(L, L.id == Mk.lesson_id).where(Mk.id.in_(part))
            ):
                if pid in self.news and utc(at) <= self.since[pid].news:  # told before: tell the change
                    was = str(events[mid][1].get("value") or "")
                    self._add(pid, "marks", (day, number, subject_id, utc(at)),
                              self._mark(subject_id, day, value, kind, comment, corrected=True,
                                         was=was if was != value else ""))

    def _reasons_given(self, events: dict[int, tuple[int, dict]]) -> None:
        A, L = m.Attendance, m.Lesson
        for part in chunks(events):
            for pid, subject_id, day, number, status, reason, at in self.uow.session.execute(
                select(A.pupil_id, L.subject_id, L.date, L.number, A.status, A.reason, A.entered_at)
                .join(L, L.id == A.lesson_id).where(A.id.in_(part))
            ):
                if pid in self.news and utc(at) <= self.since[pid].news and reason:
                    self._absence(pid, subject_id, day, number, status, reason, corrected=True)

    # --- absences, remarks, homework --------------------------------------------------------
    def _absence(self, pid: int, subject_id: int, day: date, number: int, status: str, reason: str | None,
                 corrected: bool = False) -> None:
        late = status == "late"
        name = "" if late or not reason else self.reasons.get(reason, reason)
        self._add(pid, "absences", (day, number, subject_id),
                  DigestAbsence(self.subjects.get(subject_id, ("", 0))[0], day, number, late, name, corrected))

    def absences(self) -> None:
        A, L = m.Attendance, m.Lesson
        for pid, subject_id, day, number, status, reason, at in self._entered(
                A, A.pupil_id, L.subject_id, L.date, L.number, A.status, A.reason, A.entered_at):
            if self._new(pid, at):
                self._absence(pid, subject_id, day, number, status, reason)

    def remarks(self) -> None:
        R, L = m.Remark, m.Lesson
        for rid, pid, subject_id, day, number, text, praise, at in self._entered(
                R, R.id, R.pupil_id, L.subject_id, L.date, L.number, R.text, R.praise, R.entered_at):
            if self._new(pid, at):
                self._add(pid, "remarks", (day, number, rid),
                          DigestRemark(self.subjects.get(subject_id, ("", 0))[0], day, text, bool(praise)))

    def homework(self) -> None:
        """Homework set or changed in each pupil's span, for their class's lessons (and their
        groups' ones) from a week ago to a week ahead."""
        L = m.Lesson
        today = self.uow.today()
        by_class: dict[int, list[PupilInScope]] = defaultdict(list)
        for p in self.pupils:
            by_class[p.class_id].append(p)
        lo = min(s.news for s in self.since.values()) if self.since else self.until
        rows = self.uow.session.execute(
            select(L.class_id, L.group_id, L.subject_id, L.date, L.number, L.homework, L.homework_at)
            .where(L.school_id == self.uow.school_id, L.class_id.in_(list(by_class)),
                   L.date >= today - timedelta(days=HOMEWORK_BACK_DAYS),
                   L.date <= today + timedelta(days=HOMEWORK_AHEAD_DAYS), L.homework != "",
                   L.homework_at > lo, L.homework_at <= self.until)
        ).all()
        members = self._group_members({r[1] for r in rows if r[1] is not None})
        for class_id, group_id, subject_id, day, number, text, at in rows:
            for p in by_class[class_id]:
                if (group_id is None or _member(members.get((group_id, p.id), ()), day)) and self._new(p.id, at):
                    self._add(p.id, "homework", (day, number, subject_id),
                              DigestHomework(self.subjects.get(subject_id, ("", 0))[0], day, text))

    def _group_members(self, group_ids: set[int]) -> dict[tuple[int, int], list[tuple[date, date | None]]]:
        G = m.GroupMember
        out: dict[tuple[int, int], list[tuple[date, date | None]]] = defaultdict(list)
        for part in chunks(group_ids):
            for gid, pid, start, end in self.uow.session.execute(
                select(G.group_id, G.pupil_id, G.start, G.end).where(G.group_id.in_(part))
            ):
                out[(gid, pid)].append((start, end))
        return out

    # --- final marks ------------------------------------------------------------------------
    def finals(self) -> None:
        F = m.FinalMark
        for part, lo in self._parts(finals=True):
            for pid, subject_id, kind, code, value, version, at in self.uow.session.execute(
                select(F.pupil_id, F.subject_id, F.kind, F.period_code, F.value, F.version, F.entered_at)
                .where(F.school_id == self.uow.school_id, F.pupil_id.in_(part), F.entered_at > lo,
                       F.entered_at <= self.until)
            ):
                if self._new(pid, at, finals=True):
                    name, order = self.subjects.get(subject_id, ("", 0))
                    label = PERIOD_NAMES.get(code, (code,))[0] if kind == KIND_PERIOD else FINAL_NAMES.get(kind, kind)
                    self._add(pid, "finals", (order, name, FINAL_ORDER.get(kind, 9), code),
                              DigestFinal(name, label, value, version > 1))


def _member(spans: Iterable[tuple[date, date | None]], day: date) -> bool:
    return any(start <= day and (end is None or end >= day) for start, end in spans)


def forecasts(uow: UnitOfWork, pupils: list[PupilInScope]) -> dict[int, tuple[str, tuple[DigestForecast, ...]]]:
    """Each pupil's period so far per subject of their class, in curriculum order, with the
    period's name: the report cards' own figures (`card_forecast.period_forecasts`)."""
    by_class: dict[int, list[int]] = defaultdict(list)
    for p in pupils:
        by_class[p.class_id].append(p.id)
    out: dict[int, tuple[str, tuple[DigestForecast, ...]]] = {}
    today = uow.today()
    for class_id, ids in by_class.items():
        klass = uow.session.get(m.SchoolClass, class_id)
        found = period_forecasts(uow, klass, ids, today)  # type: ignore[arg-type]
        subjects = class_subjects(uow, class_id)
        for pid in ids:
            rows = tuple(DigestForecast(name, f.figures.marks, f.minimum, f.figures.average, f.figures.suggested or "",
                                        f.given)
                         for sid, name in subjects if (f := found.of(pid, sid)) is not None)
            out[pid] = (found.period_label, rows)
    return out

"""The deep check of the change log (`audit verify --deep`): replay the events of marks,
attendance, final marks and lessons and compare the state each row's last event left with
the row as it is.

The hash chain proves the events were not rewritten; it says nothing of a row changed with
plain SQL and no event. Every use case that changes one of these rows records what it wrote
(`before` → `after`, see services/marks.py, attendance.py, finals.py, lessons.py), so the
replay knows, field by field, what each row must hold. A field no event ever stated (the kind
of work a lesson was opened with) is not compared. A row that differs, a row with no event
at all, a row whose last event removed it and a row gone though its last event left it are
each named.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from ejournal_tui.data import models as m
from ejournal_tui.i18n import Phrase, fmt_date, register_many

try:  # parses the events' JSON about 4 × faster than the standard library
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - a dependency; the standard library still works
    _loads = json.loads

register_many({
    "deep.mark": ("отметка", "mark"),
    "deep.attendance": ("посещаемость", "attendance entry"),
    "deep.finalmark": ("итоговая отметка", "final mark"),
    "deep.lesson": ("урок", "lesson"),
    "deep.changed": ("{what} {id}{where}: {fields} — не то, что записано последним событием № {seq}",
                     "{what} {id}{where}: {fields}, not what its last change-log event No. {seq} left"),
    "deep.field": ("{name} {found} (по событию {expected})", "{name} is {found} (the event says {expected})"),
    "deep.no_event": ("{what} {id}{where}: в журнале изменений нет ни одного события об этой строке",
                      "{what} {id}{where} has no change-log event"),
    "deep.deleted": ("{what} {id}{where}: строка есть, хотя последнее событие № {seq} её удалило",
                     "{what} {id}{where} exists though its last change-log event No. {seq} removed it"),
    "deep.gone": ("{what} {id}: строки нет, хотя последнее событие № {seq} её не удаляло",
                  "{what} {id} is missing though its last change-log event No. {seq} left it"),
    "deep.col.value": ("отметка", "value"), "deep.col.work_kind": ("вид работы", "kind of work"),
    "deep.col.weight": ("вес", "weight"), "deep.col.comment": ("комментарий", "comment"),
    "deep.col.status": ("посещаемость", "status"), "deep.col.reason": ("причина", "reason"),
    "deep.col.kind": ("вид", "kind"), "deep.col.period_code": ("период", "period"),
    "deep.col.subject_id": ("предмет (id)", "subject id"), "deep.col.pupil_id": ("ученик (id)", "pupil id"),
    "deep.col.day": ("дата урока", "lesson date"), "deep.col.number": ("урок №", "lesson no."),
    "deep.col.load_id": ("нагрузка (id)", "teaching load id"), "deep.col.topic": ("тема", "topic"),
    "deep.col.homework": ("д/з", "homework"), "deep.col.plan_item_id": ("тема плана (id)", "plan item id"),
    "deep.col.teacher_id": ("учитель (id)", "teacher id"),
})

ENTITIES = ("mark", "attendance", "finalmark", "lesson")
# what an event's `after` calls each field → the row's column
_AFTER: dict[str, dict[str, str]] = {
    "mark": {"value": "value", "kind": "work_kind", "work_kind": "work_kind", "weight": "weight", "comment": "comment"},
    "attendance": {"status": "status", "reason": "reason"},
    "finalmark": {"value": "value", "kind": "kind", "period": "period_code", "subject_id": "subject_id"},
    "lesson": {"number": "number", "load": "load_id", "topic": "topic", "homework": "homework",
               "plan_item_id": "plan_item_id", "work_kind": "work_kind", "teacher_id": "teacher_id"},
}
# what the event's own columns say of the row → the row's column
_COLUMNS: dict[str, dict[str, str]] = {
    "mark": {"pupil_id": "pupil_id", "lesson_date": "day"},
    "attendance": {"pupil_id": "pupil_id", "lesson_date": "day"},
    "finalmark": {"pupil_id": "pupil_id"},
    "lesson": {"lesson_date": "day"},
}
_OPENED = {"topic": "", "homework": ""}  # a lesson opened by `open_lesson` has neither yet
_ABSENT = "absent"
_BATCH = 5000  # rows fetched at a time: a district's change log need not fit in memory at once


@dataclass(frozen=True)
class Difference:
    """One row that is not what its last event left (`kind`: changed | no_event | deleted | gone)."""

    entity: str
    id: int
    kind: str
    seq: int | None = None  # the row's last event
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (column, found, expected) when changed
    where: str = ""  # the row in words (`describe`): "5А · Алгебра · 16.11.2026 · Волков Виктор"

    @property
    def problem(self) -> Phrase:
        what, where = Phrase(f"deep.{self.entity}"), f" ({self.where})" if self.where else ""
        if self.kind != "changed":
            return Phrase(f"deep.{self.kind}", what=what, id=self.id, seq=self.seq, where=where)
        told = "; ".join(str(Phrase("deep.field", name=Phrase(f"deep.col.{n}"), found=_shown(f), expected=_shown(e)))
                         for n, f, e in self.fields)
        return Phrase("deep.changed", what=what, id=self.id, fields=told, seq=self.seq, where=where)


@dataclass(frozen=True)
class DeepReport:
    rows: int  # rows compared
    events: int  # events replayed
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return fmt_date(value)
    return "∅" if value is None else f"«{value}»" if isinstance(value, str) else str(value)


@dataclass
class _State:
    seq: int
    values: dict[str, Any]
    deleted: bool = False


class Replay:
    """The state of each row as the events left it, event by event in the chain's order."""

    def __init__(self) -> None:
        self.states: dict[str, dict[int, _State]] = {e: {} for e in ENTITIES}
        self._absences: dict[int, set[int]] = defaultdict(set)  # pupil -> attendance ids (for notes)
        self.events = 0

    def apply(self, seq: int, action: str, entity: str, entity_id: int | None, pupil_id: int | None,
              lesson_date: date | None, after_json: str) -> None:
        self.events += 1
        after = _loads(after_json) if after_json else None
        if entity == "absencenote":
            self._note(seq, pupil_id, after)
            return
        if entity not in self.states or entity_id is None:
            return
        state = self.states[entity].get(entity_id)
        if _removes(action, entity, after):
            self.states[entity][entity_id] = _State(seq, state.values if state else {}, deleted=True)
            return
        if state is None or state.deleted:
            state = self.states[entity][entity_id] = _State(seq, dict(_OPENED) if action == "lesson.open" else {})
        state.seq = seq
        names = _AFTER[entity]
        for key, value in (after or {}).items():
            if key in names:
                state.values[names[key]] = value
        for key, value in (("pupil_id", pupil_id), ("lesson_date", lesson_date)):
            if value is not None and key in _COLUMNS[entity]:
                state.values[_COLUMNS[entity][key]] = value
        if entity == "attendance" and pupil_id is not None:
            self._absences[pupil_id].add(entity_id)

    def _note(self, seq: int, pupil_id: int | None, after: Any) -> None:
        """A sick or parents' note gave its reason to every absence of the pupil in its dates
        (services/attendance.py `apply_note`), with one event for them all."""
        if pupil_id is None or not isinstance(after, dict) or not after.get("reason"):
            return
        start, end = str(after.get("start", "")), str(after.get("end", ""))
        for att_id in self._absences.get(pupil_id, ()):
            state = self.states["attendance"][att_id]
            day = state.values.get("day")
            if (not state.deleted and state.values.get("status") == _ABSENT and day is not None
                    and start <= day.isoformat() <= end):
                state.values["reason"], state.seq = after["reason"], seq

    def compare(self, entity: str, rows: Iterable[Any]) -> Iterator[Difference]:
        """The differences between the rows of `entity` (mappings holding `id` and the columns)
        and the states; each row seen is ticked off, the rest are `gone`."""
        states = self.states[entity]
        seen: set[int] = set()
        for row in rows:
            seen.add(row["id"])
            diff = _differs(entity, row, states.get(row["id"]))
            if diff is not None:
                yield diff
        for row_id, state in states.items():
            if row_id not in seen and not state.deleted:
                yield Difference(entity, row_id, "gone", state.seq)


def _removes(action: str, entity: str, after: Any) -> bool:
    if entity == "mark":
        return action == "mark.delete"
    if entity == "attendance":
        return action == "attendance.set" and not after  # marked present again: the row goes
    if entity == "finalmark":
        return isinstance(after, dict) and after.get("value") is None
    return False


def _differs(entity: str, row: Any, state: _State | None) -> Difference | None:
    if state is None:
        return Difference(entity, row["id"], "no_event")
    if state.deleted:
        return Difference(entity, row["id"], "deleted", state.seq)
    fields = tuple((name, row[name], expected) for name, expected in state.values.items()
                   if not _same(row[name], expected))
    return Difference(entity, row["id"], "changed", state.seq, fields) if fields else None


def _same(found: Any, expected: Any) -> bool:
    if isinstance(found, date) and isinstance(expected, str):
        return found.isoformat() == expected
    return found == expected


# ---- reading the database ---------------------------------------------------------------------

def _events(conn: Connection, school_id: int) -> Iterator[tuple]:
    E = m.AuditEvent
    stmt = (select(E.seq, E.action, E.entity, E.entity_id, E.pupil_id, E.lesson_date, E.after)
            .where(E.school_id == school_id, E.entity.in_((*ENTITIES, "absencenote"))).order_by(E.seq))
    yield from conn.execute(stmt.execution_options(yield_per=_BATCH))


def _rows(conn: Connection, entity: str, school_id: int) -> Iterator[Any]:
    L = m.Lesson
    if entity == "lesson":
        stmt = select(L.id, L.number, L.load_id, L.topic, L.homework, L.plan_item_id, L.work_kind, L.teacher_id,
                      L.date.label("day")).where(L.school_id == school_id)
    elif entity == "mark":
        K = m.Mark
        stmt = (select(K.id, K.value, K.work_kind, K.weight, K.comment, K.pupil_id, L.date.label("day"))
                .join(L, L.id == K.lesson_id).where(K.school_id == school_id))
    elif entity == "attendance":
        A = m.Attendance
        stmt = (select(A.id, A.status, A.reason, A.pupil_id, L.date.label("day"))
                .join(L, L.id == A.lesson_id).where(A.school_id == school_id))
    else:
        F = m.FinalMark
        stmt = select(F.id, F.value, F.kind, F.period_code, F.subject_id, F.pupil_id).where(F.school_id == school_id)
    yield from conn.execute(stmt.execution_options(yield_per=_BATCH)).mappings()


def deep_check(conn: Connection, school_id: int, *, described: int = 200) -> DeepReport:
    """Replay the school's events and compare every mark, attendance entry, final mark and
    lesson with the state its last event left; the first `described` differences say which
    row it is in words."""
    replay = Replay()
    for seq, action, entity, entity_id, pupil_id, lesson_date, after in _events(conn, school_id):
        replay.apply(seq, action, entity, entity_id, pupil_id, lesson_date, after)
    differences: list[Difference] = []
    rows = 0
    for entity in ENTITIES:
        counted = _Counted(_rows(conn, entity, school_id))
        differences.extend(replay.compare(entity, counted))
        rows += counted.n
    words = describe(conn, differences[:described])
    return DeepReport(rows, replay.events, [replace(d, where=words.get((d.entity, d.id), "")) for d in differences])


def describe(conn: Connection, differences: list[Difference]) -> dict[tuple[str, int], str]:
    """Each existing row of `differences` in words: class · subject · date [· lesson no.] · pupil."""
    L, C, S, P = m.Lesson, m.SchoolClass, m.Subject, m.Pupil
    out: dict[tuple[str, int], str] = {}
    for entity, model in (("mark", m.Mark), ("attendance", m.Attendance), ("lesson", L), ("finalmark", m.FinalMark)):
        ids = [d.id for d in differences if d.entity == entity and d.kind != "gone"]
        if not ids:
            continue
        if entity == "lesson":
            stmt = select(L.id, C.name, S.name, L.date, L.number).join(C, C.id == L.class_id).join(S, S.id == L.subject_id)
        elif entity == "finalmark":
            F = model
            stmt = (select(F.id, C.name, S.name, F.period_code, P.last_name, P.first_name)
                    .join(C, C.id == F.class_id).join(S, S.id == F.subject_id).join(P, P.id == F.pupil_id))
        else:
            stmt = (select(model.id, C.name, S.name, L.date, P.last_name, P.first_name).join(L, L.id == model.lesson_id)
                    .join(C, C.id == L.class_id).join(S, S.id == L.subject_id).join(P, P.id == model.pupil_id))
        for row_id, *parts in conn.execute(stmt.where(model.id.in_(ids))):
            out[(entity, row_id)] = _words(entity, parts)
    return out


def _words(entity: str, parts: list[Any]) -> str:
    if entity == "lesson":
        klass, subject, day, number = parts
        return f"{klass} · {subject} · {fmt_date(day)} · № {number}"
    klass, subject, when, last, first = parts
    return f"{klass} · {subject} · {fmt_date(when) if isinstance(when, date) else when} · {last} {first}"


class _Counted:
    def __init__(self, rows: Iterator[Any]) -> None:
        self._rows, self.n = rows, 0

    def __iter__(self) -> Iterator[Any]:
        for row in self._rows:
            self.n += 1
            yield row

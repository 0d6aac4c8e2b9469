"""Editing a class register the way a teacher does it at the grid, without a user interface.

`RegisterEditor` holds the register on screen and its rules: whether it may be written, what
a key on a cell becomes — a `Plan` (the write, what the cell shows until it is stored, a
question to ask first) or a `Refusal` saying why not — and what the register becomes once
the database took the write (`apply`: the cell, the row's figures, the reason a late entry
was given). `write` runs a plan in the writer's unit of work; `write_lesson_page` stores
the lesson editor's page.

A lesson of the timetable not held yet (today's lesson opened from Today, or «+») is shown
as planned and written only with the first thing entered in it: looking at a lesson does
not record it as held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ejournal_tui.domain.attendance import ABSENT
from ejournal_tui.domain.finals import KIND_PERIOD
from ejournal_tui.domain.register_cells import (
    AbsenceToggled,
    CellRef,
    Entry,
    FinalAccepted,
    MarkTyped,
    cell_notation,
    row_summary,
)
from ejournal_tui.domain.settings import RuleSettings
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services import register_remarks as rr
from ejournal_tui.services.attendance import AttendanceRef, set_attendance
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.finals import FinalRef, set_final_mark
from ejournal_tui.services.lessons import assign_substitute, open_lesson, record_lesson
from ejournal_tui.services.marks import MarkRef, add_mark, correct_mark, delete_mark
from ejournal_tui.services.register import CellAbsence, CellMark, Register, RegLesson, RegPupil
from ejournal_tui.services.register_view import KindOfWork, LessonDetail

register_many({
    "reg.closed": ("Период закрыт: только чтение", "Period closed: read-only"),
    "reg.year_past": ("Учебный год завершён: уроки, отметки и пропуски только для чтения; итоговые отметки — "
                      "до закрытия года", "The academic year is over: lessons, marks and absences are read-only; "
                      "final marks until the year is closed"),
    "reg.readonly": ("Только чтение: журнал другого учителя", "Read-only: another teacher's register"),
    "reg.substitute_only": ("Замена: вы ведёте только урок {lessons}; остальное в этом журнале ведёт {teacher}",
                            "Substitution: you hold only the lesson {lessons}; the rest of this register is "
                            "kept by {teacher}"),
    "reg.saved": ("Сохранено: {what} — {pupil}, {day}", "Saved: {what} — {pupil}, {day}"),
    "reg.absent": ("н", "absent"),
    "reg.late": ("опоздание", "late"),
    "reg.present": ("присутствие", "present"),
    "reg.removed": ("удалено", "removed"),
    "reg.final": ("итоговая {value}", "final {value}"),
    "reg.no_suggestion": ("Нет предложенной отметки", "No suggested mark"),
    "reg.several": ("В ячейке несколько отметок: откройте редактор (Enter)",
                    "The cell holds several marks: use the cell editor (Enter)"),
    "reg.absent_mark": ("{pupil} отмечен(а) «н» на уроке {day}. Всё равно поставить отметку {value}?",
                        "{pupil} is marked absent («н») at the lesson of {day}. Give the mark {value} all the same?"),
})

CELL_WIDTH = 3  # characters a cell shows on screen: "5", "5/4", "н5", "н/а"
PLANNED_ID = -1  # the column of a lesson not held yet, until a reload shows it written


@dataclass(frozen=True)
class LessonSlot:
    """A lesson of the timetable: its load, day and number (held or not yet)."""

    load_id: int
    day: date
    number: int


LessonTarget = int | LessonSlot  # a lesson held (its id), or one to open with the first entry


def lesson_to_write(uow: UnitOfWork, actor: Actor, target: LessonTarget, reason: str) -> int:
    """The lesson to write to, opened first when it is not held yet (a second entry finds it)."""
    if isinstance(target, LessonSlot):
        return open_lesson(uow, actor, target.load_id, target.day, target.number, reason=reason).id
    return target


# ---- the changes a plan can write -------------------------------------------------------


@dataclass(frozen=True)
class AddMark:
    lesson: LessonTarget
    pupil_id: int
    value: str
    work_kind: str | None = None
    comment: str = ""
    seen: tuple[int, ...] = ()  # the marks the cell showed when it was typed (services/resend.py)

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[int, MarkRef]:
        lesson_id = lesson_to_write(uow, actor, self.lesson, reason)
        return lesson_id, add_mark(uow, actor, lesson_id, self.pupil_id, self.value, work_kind=self.work_kind,
                                   comment=self.comment, reason=reason)


@dataclass(frozen=True)
class CorrectMark:
    mark_id: int
    version: int
    value: str | None = None
    work_kind: str | None = None
    comment: str | None = None

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[None, MarkRef]:
        return None, correct_mark(uow, actor, self.mark_id, value=self.value, work_kind=self.work_kind,
                                  comment=self.comment, expected_version=self.version, reason=reason)


@dataclass(frozen=True)
class DeleteMark:
    mark_id: int
    version: int

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[None, None]:
        delete_mark(uow, actor, self.mark_id, expected_version=self.version, reason=reason)
        return None, None


@dataclass(frozen=True)
class SetAttendance:
    lesson: LessonTarget
    pupil_id: int
    status: str | None  # ABSENT, LATE, or None: present
    version: int

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[int, AttendanceRef]:
        lesson_id = lesson_to_write(uow, actor, self.lesson, reason)
        return lesson_id, set_attendance(uow, actor, lesson_id, self.pupil_id, self.status,
                                         expected_version=self.version, reason=reason)


@dataclass(frozen=True)
class SetFinal:
    class_id: int
    subject_id: int
    pupil_id: int
    period: str
    value: str | None  # None: removed
    version: int | None

    def run(self, uow: UnitOfWork, actor: Actor, reason: str) -> tuple[None, FinalRef | None]:
        return None, set_final_mark(uow, actor, self.class_id, self.subject_id, self.pupil_id, KIND_PERIOD,
                                    self.value, period_code=self.period, expected_version=self.version,
                                    reason=reason)


Change = AddMark | CorrectMark | DeleteMark | SetAttendance | SetFinal | rr.RemarkWrite


@dataclass(frozen=True)
class Plan:
    """One write asked for at a cell: the change, what the cell shows until it is stored,
    and a question to ask the person before writing ("" when there is none)."""

    cell: CellRef
    change: Change
    shown: str = " "
    confirm: str = ""


@dataclass(frozen=True)
class Refusal:
    """Why a key on a cell writes nothing, in words a teacher can act on."""

    message: str


@dataclass(frozen=True)
class Outcome:
    """A plan the database took: the stored thing, the lesson written to, the reason given."""

    plan: Plan
    result: Any  # MarkRef, AttendanceRef, FinalRef, RemarkRef, or None for a mark or remark removed
    lesson_id: int | None = None
    reason: str = ""


def write(uow: UnitOfWork, actor: Actor, plan: Plan, *, reason: str = "", again: bool = False) -> Outcome:
    """Run a plan (in the writer): open its lesson first if not held yet, then the change.
    `again`: sent again after the connection was lost on its way; what the first attempt
    stored, if the database took it, is the outcome (never a second copy)."""
    found = _first_attempt(uow, actor, plan.change, reason) if again else None
    lesson_id, result = found if found is not None else plan.change.run(uow, actor, reason)
    return Outcome(plan, result, lesson_id, reason)


def _first_attempt(uow: UnitOfWork, actor: Actor, change: Change, reason: str) -> tuple[Any, Any] | None:
    """(lesson id, result) of a change the database took already; None when it did not.
    A correction and a final mark sent again change nothing by themselves."""
    from ejournal_tui.services import resend

    if isinstance(change, AddMark):
        lesson_id = lesson_to_write(uow, actor, change.lesson, reason)
        mark = resend.stored_mark(uow, actor, lesson_id, change.pupil_id, change.value, besides=change.seen)
        return (lesson_id, mark) if mark is not None else None
    if isinstance(change, SetAttendance):
        lesson_id = lesson_to_write(uow, actor, change.lesson, reason)
        att = resend.stored_attendance(uow, lesson_id, change.pupil_id, change.status)
        return (lesson_id, att) if att is not None else None
    if isinstance(change, DeleteMark) and resend.mark_gone(uow, change.mark_id):
        return None, None
    return None


@dataclass(frozen=True)
class MarkForm:
    """The cell editor's form: the mark selected (None: a new one) and what the form says."""

    mark_id: int | None
    value: str
    work_kind: str | None
    comment: str
    status: str | None  # the attendance chosen: ABSENT, LATE or None (present)
    remark: str | None = None  # the remark to parents ("": none; None: not on the form)
    praise: bool = False  # the remark is a word of thanks


class RegisterEditor:
    """One register on screen for one period and the rules of typing into it."""

    def __init__(self, reg: Register, settings: RuleSettings, kinds: Sequence[KindOfWork], *,
                 actor_id: int | None, slot: LessonSlot | None = None,
                 reasons: dict[int | None, str] | None = None) -> None:
        self.reg = reg
        self.settings = settings
        self.kinds = {k.code: k for k in kinds}
        self.actor_id = actor_id
        # its teacher's register; or one with a lesson this person holds as a substitute, who
        # writes that lesson only (the services refuse the others as well)
        self.own = actor_id is not None and actor_id == reg.ref.teacher_id
        self.writable = self.own or any(les.teacher_id == actor_id for les in reg.lessons)
        self.slot = slot if slot is not None and slot.load_id == reg.ref.load_id else None
        self.reasons: dict[int | None, str] = reasons if reasons is not None else {}  # lesson → late reason
        self._attendance_sent: dict[tuple[int, int], str | None] = {}
        self._plant()

    # ---- what is on screen --------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.reg.closed or not self.writable

    def refusal(self) -> str:
        return t("reg.closed") if self.reg.closed else t("reg.readonly")

    def may_write(self, lesson_id: int | None) -> bool:
        """Whether this person may write at a lesson's column (None: the period mark's)."""
        if self.read_only:
            return False
        if self.own:
            return True
        lesson = self.lesson(lesson_id)
        return lesson is not None and lesson.id != PLANNED_ID and lesson.teacher_id == self.actor_id

    def refusal_at(self, lesson_id: int | None) -> str:
        """Why nothing may be written at a lesson's column (or the period mark's)."""
        if self.read_only:
            return self.refusal()
        return t("reg.substitute_only", lessons=self.substituted(), teacher=self.reg.ref.teacher)

    def substituted(self) -> str:
        """The lessons of this register a substitute holds: «20.11 № 2, 27.11 № 2»."""
        if self.own:
            return ""
        return ", ".join(f"{les.date:%d.%m} № {les.number}" for les in self.reg.lessons
                         if les.teacher_id == self.actor_id)

    def _plant(self) -> None:
        """Show the slot's lesson as planned when it is not held yet and may be written."""
        slot, reg = self.slot, self.reg
        if slot is None or not self.own or self.read_only or reg.year_past or not reg.start <= slot.day <= reg.end \
                or self.slot_lesson() is not None:
            return
        planned = RegLesson(PLANNED_ID, slot.day, slot.number, "", "", "", reg.ref.teacher_id, None, False, 0)
        after = [i for i, les in enumerate(reg.lessons) if (les.date, les.number) > (slot.day, slot.number)]
        reg.lessons.insert(after[0] if after else len(reg.lessons), planned)

    def slot_lesson(self) -> int | None:
        """The id of the slot's lesson on screen (PLANNED_ID while not held)."""
        slot = self.slot
        if slot is None:
            return None
        return next((les.id for les in self.reg.lessons if (les.date, les.number) == (slot.day, slot.number)), None)

    def lesson(self, lesson_id: int | None) -> RegLesson | None:
        return next((les for les in self.reg.lessons if les.id == lesson_id), None)

    def pupil(self, pupil_id: int) -> RegPupil | None:
        return next((p for p in self.reg.pupils if p.id == pupil_id), None)

    def target(self, lesson_id: int) -> LessonTarget:
        """What a write at a lesson's column goes to: the lesson, or the slot to open."""
        if lesson_id == PLANNED_ID and self.slot is not None:
            return self.slot
        return lesson_id

    def marks_at(self, cell: CellRef) -> list[CellMark]:
        return list(self.reg.marks.get((cell.pupil_id, cell.lesson_id), ()))  # type: ignore[arg-type]

    def remark_at(self, cell: CellRef) -> rr.CellRemark | None:
        """The cell's remark to parents (the first, should a cell hold several)."""
        remarks = self.reg.remarks.get((cell.pupil_id, cell.lesson_id))  # type: ignore[arg-type]
        return remarks[0] if remarks else None

    def status_at(self, cell: CellRef) -> str | None:
        """The pupil's attendance at the lesson, counting an entry on its way to the database."""
        key = (cell.pupil_id, cell.lesson_id)
        if key in self._attendance_sent:
            return self._attendance_sent[key]  # type: ignore[index]
        absence = self.reg.absences.get(key)  # type: ignore[arg-type]
        return absence.status if absence else None

    def _shown(self, cell: CellRef, values: list[str], status: str | None = None) -> str:
        return cell_notation(status if status is not None else self.status_at(cell), values, CELL_WIDTH) or " "

    # ---- keys on cells ------------------------------------------------------------------

    def plan(self, cell: CellRef, entry: Entry) -> Plan | Refusal | None:
        """What a key on a cell writes; a refusal to show; None when it changes nothing."""
        column = None if isinstance(entry, FinalAccepted) else cell.lesson_id
        if not self.may_write(column):
            return Refusal(self.refusal_at(column))
        if self.reg.year_past and cell.lesson_id is not None and not isinstance(entry, FinalAccepted):
            return Refusal(t("reg.year_past"))
        if cell.lesson_id is None or isinstance(entry, FinalAccepted):
            return self._final(CellRef(cell.pupil_id, None), entry)
        if isinstance(entry, MarkTyped):
            return self._mark(cell, entry.value)
        if isinstance(entry, AbsenceToggled):
            return self._absence(cell)
        return self._clear(cell)

    def _mark(self, cell: CellRef, value: str) -> Plan | Refusal:
        marks = self.marks_at(cell)
        if len(marks) > 1:
            return Refusal(t("reg.several"))
        if marks:
            return Plan(cell, CorrectMark(marks[0].id, marks[0].version, value=value), self._shown(cell, [value]))
        lesson = self.lesson(cell.lesson_id)
        kind = lesson.work_kind if lesson else None
        change = AddMark(self.target(cell.lesson_id), cell.pupil_id, value, work_kind=kind or None)  # type: ignore[arg-type]
        return Plan(cell, change, self._shown(cell, [value]), self._absent_question(cell, value, self.status_at(cell)))

    def _absent_question(self, cell: CellRef, value: str, status: str | None) -> str:
        """A new mark for a pupil marked «н» at that lesson is asked about first."""
        if status != ABSENT:
            return ""
        pupil, lesson = self.pupil(cell.pupil_id), self.lesson(cell.lesson_id)
        return t("reg.absent_mark", pupil=pupil.name if pupil else "", value=value,
                 day=f"{lesson.date:%d.%m}" if lesson else "")

    def _absence(self, cell: CellRef) -> Plan:
        current = self.reg.absences.get((cell.pupil_id, cell.lesson_id))  # type: ignore[arg-type]
        status = None if current is not None else ABSENT
        change = SetAttendance(self.target(cell.lesson_id), cell.pupil_id, status,  # type: ignore[arg-type]
                               current.version if current else 0)
        values = [mk.value for mk in self.marks_at(cell)]
        return Plan(cell, change, cell_notation(status, values, CELL_WIDTH) or " ")

    def _clear(self, cell: CellRef) -> Plan | None:
        marks = self.marks_at(cell)
        if not marks:
            return self._absence(cell) if (cell.pupil_id, cell.lesson_id) in self.reg.absences else None
        last = marks[-1]
        return Plan(cell, DeleteMark(last.id, last.version), self._shown(cell, [mk.value for mk in marks[:-1]]))

    def _final(self, cell: CellRef, entry: Entry) -> Plan | Refusal | None:
        summary = self.reg.summary.get(cell.pupil_id)
        if summary is None or isinstance(entry, AbsenceToggled):
            return None
        if isinstance(entry, FinalAccepted) and not summary.suggested:
            return Refusal(t("reg.no_suggestion"))
        value = summary.suggested if isinstance(entry, FinalAccepted) else None  # Delete removes it
        if isinstance(entry, MarkTyped):
            value = entry.value
        ref = self.reg.ref
        change = SetFinal(ref.class_id, ref.subject_id, cell.pupil_id, self.reg.period, value,
                          summary.final_version or None)
        return Plan(cell, change, value or " ")

    # ---- the cell editor's form ---------------------------------------------------------

    def form_plans(self, cell: CellRef, form: MarkForm) -> list[Plan]:
        """What saving the cell editor writes: the attendance if changed, then the selected
        mark corrected where the form differs (or the cell's first mark) — never a copy —,
        then the remark to parents written, changed or removed."""
        if not self.may_write(cell.lesson_id) or self.reg.year_past:
            return []
        plans = []
        current = self.reg.absences.get((cell.pupil_id, cell.lesson_id))  # type: ignore[arg-type]
        if form.status != (current.status if current else None):
            change = SetAttendance(self.target(cell.lesson_id), cell.pupil_id, form.status,  # type: ignore[arg-type]
                                   current.version if current else 0)
            plans.append(Plan(cell, change))
        mark = next((mk for mk in self.marks_at(cell) if mk.id == form.mark_id), None)
        if mark is not None:
            plans += self._correction(cell, mark, form)
        elif form.value and not self.marks_at(cell):
            plans.append(self.add_plan(cell, form, status=form.status))
        if form.remark is not None:
            change = rr.remark_write(self.remark_at(cell), self.target(cell.lesson_id), cell.pupil_id,  # type: ignore[arg-type]
                                     form.remark, form.praise)
            plans += [Plan(cell, change)] if change is not None else []
        return plans

    def _correction(self, cell: CellRef, mark: CellMark, form: MarkForm) -> list[Plan]:
        value = form.value if form.value and form.value != mark.value else None
        kind = form.work_kind if form.work_kind and form.work_kind != mark.work_kind else None
        comment = form.comment if form.comment != mark.comment else None
        if value is None and kind is None and comment is None:
            return []
        return [Plan(cell, CorrectMark(mark.id, mark.version, value=value, work_kind=kind, comment=comment))]

    def add_plan(self, cell: CellRef, form: MarkForm, *, status: str | None = None) -> Plan:
        """One more mark in the cell (the cell editor's explicit «add»)."""
        status = self.status_at(cell) if status is None else status
        change = AddMark(self.target(cell.lesson_id), cell.pupil_id, form.value,  # type: ignore[arg-type]
                         work_kind=form.work_kind, comment=form.comment,
                         seen=tuple(mk.id for mk in self.marks_at(cell)))
        return Plan(cell, change, confirm=self._absent_question(cell, form.value, status))

    def delete_plan(self, cell: CellRef, mark_id: int) -> Plan | None:
        mark = next((mk for mk in self.marks_at(cell) if mk.id == mark_id), None)
        return Plan(cell, DeleteMark(mark.id, mark.version)) if mark and self.may_write(cell.lesson_id) else None

    # ---- writes on their way, and back ----------------------------------------------------

    def describe(self, plan: Plan) -> str:
        """A plan in words, for the entries not saved: «5А, Русский язык, 20.11, Волков
        Виктор — 5»."""
        ref, pupil, lesson = self.reg.ref, self.pupil(plan.cell.pupil_id), self.lesson(plan.cell.lesson_id)
        day = f"{lesson.date:%d.%m}" if lesson else self.reg.period
        return f"{ref.class_name}, {ref.subject}, {day}, {pupil.name if pupil else '?'} — {_what(plan)}"

    def begin(self, plan: Plan) -> str:
        """A plan goes to the writer: note what it will change; the reason to send it with
        (the one given for this lesson's earlier late entry serves its next ones)."""
        if isinstance(plan.change, SetAttendance):
            self._attendance_sent[(plan.cell.pupil_id, plan.cell.lesson_id)] = plan.change.status  # type: ignore[index]
        return self.reasons.get(plan.cell.lesson_id, "")

    def abandon(self, plan: Plan) -> None:
        """The database refused the plan (or the person did not confirm it)."""
        self._attendance_sent.pop((plan.cell.pupil_id, plan.cell.lesson_id), None)  # type: ignore[arg-type]

    def apply(self, outcome: Outcome) -> str:
        """The register after a write the database took: the cell and the row's figures.
        Returns what the status line says was saved."""
        plan = outcome.plan
        self.abandon(plan)
        if outcome.reason:
            self.reasons[plan.cell.lesson_id] = outcome.reason
        key = self._key(plan.cell, outcome)
        what = self._appliers()[type(plan.change)](key, plan.change, outcome.result)
        self.recount(plan.cell.pupil_id)
        pupil, lesson = self.pupil(plan.cell.pupil_id), self.lesson(plan.cell.lesson_id)
        day = f"{lesson.date:%d.%m}" if lesson else self.reg.period
        return t("reg.saved", what=what, pupil=pupil.name if pupil else "", day=day)

    def _key(self, cell: CellRef, outcome: Outcome) -> tuple[int, int | None]:
        # a planned column replaced meanwhile by a reload: the entry belongs to the lesson written
        if cell.lesson_id == PLANNED_ID and self.lesson(PLANNED_ID) is None:
            return cell.pupil_id, outcome.lesson_id
        return cell.pupil_id, cell.lesson_id

    def _appliers(self) -> dict[type, Callable[[Any, Any, Any], str]]:
        return {AddMark: self._added, CorrectMark: self._corrected, DeleteMark: self._removed,
                SetAttendance: self._attended, SetFinal: self._finalled,
                **dict.fromkeys((rr.AddRemark, rr.EditRemark, rr.DeleteRemark), self._remarked)}

    def _remarked(self, key: Any, change: Any, ref: Any) -> str:
        return rr.remarked(self.reg.remarks, key, change, ref)

    def _weight(self, kind: str) -> float:
        return self.kinds[kind].weight if kind in self.kinds else 1.0

    def _kind_name(self, kind: str) -> str:
        return self.kinds[kind].name if kind in self.kinds else kind

    def _added(self, key: Any, change: AddMark, ref: MarkRef) -> str:
        mark = CellMark(ref.id, ref.value, ref.work_kind, self._weight(ref.work_kind), change.comment.strip(), ref.version)
        self.reg.marks.setdefault(key, []).append(mark)
        return f"{ref.value} ({self._kind_name(ref.work_kind)})"

    def _corrected(self, key: Any, change: CorrectMark, ref: MarkRef) -> str:
        cell = self.reg.marks.get(key, [])
        for i, mark in enumerate(cell):
            if mark.id == ref.id:
                comment = mark.comment if change.comment is None else change.comment.strip()
                cell[i] = CellMark(ref.id, ref.value, ref.work_kind, self._weight(ref.work_kind), comment, ref.version)
        return ref.value

    def _removed(self, key: Any, change: DeleteMark, _none: None) -> str:
        rest = [mk for mk in self.reg.marks.get(key, []) if mk.id != change.mark_id]
        if rest:
            self.reg.marks[key] = rest
        else:
            self.reg.marks.pop(key, None)
        return t("reg.removed")

    def _attended(self, key: Any, _change: SetAttendance, ref: AttendanceRef) -> str:
        if ref.status is None:
            self.reg.absences.pop(key, None)
            return t("reg.present")
        self.reg.absences[key] = CellAbsence(ref.id, ref.status, ref.reason, ref.version)  # type: ignore[arg-type]
        return t("reg.absent") if ref.status == ABSENT else t("reg.late")

    def _finalled(self, key: Any, _change: SetFinal, ref: FinalRef | None) -> str:
        pupil_id = key[0]
        self.reg.summary[pupil_id] = self.reg.summary[pupil_id]._replace(
            final=ref.value if ref else None, final_id=ref.id if ref else None, final_version=ref.version if ref else 0)
        return t("reg.final", value=ref.value if ref else "—")

    def recount(self, pupil_id: int) -> None:
        """The row's figures again from the pupil's marks on screen."""
        summary = self.reg.summary.get(pupil_id)
        if summary is None:
            return
        marks = [(mk.value, mk.weight) for (pupil, _l), cell in self.reg.marks.items() if pupil == pupil_id
                 for mk in cell]
        self.reg.summary[pupil_id] = summary._replace(**row_summary(marks, self.reg.minimum, self.settings)._asdict())


def _what(plan: Plan) -> str:
    """What a plan writes, in a word: the mark, «н», «удалено», «итоговая 4»."""
    change = plan.change
    if isinstance(change, (AddMark, CorrectMark)) and change.value:
        return change.value
    if isinstance(change, DeleteMark):
        return t("reg.removed")
    if isinstance(change, SetAttendance):
        return t("reg.present") if change.status is None else t("reg.absent") if change.status == ABSENT else t("reg.late")
    if isinstance(change, SetFinal):
        return t("reg.final", value=change.value or "—")
    return plan.shown.strip() or "…"


# ---- the lesson's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonPage:
    """What the lesson editor writes: the fields changed, the substitute chosen."""

    slot: LessonSlot
    lesson_id: int | None  # None: not held yet, opened by this write
    version: int
    changes: dict[str, object] = field(default_factory=dict)
    substitute: int | None = None


def lesson_page(detail: LessonDetail, values: dict[str, object], substitute: int | None) -> LessonPage | None:
    """The page to write from the editor's fields; None when nothing changed (so a lesson
    not held yet stays unwritten)."""
    changes = {name: value for name, value in values.items() if value != getattr(detail, name)}
    if not changes and substitute is None:
        return None
    slot = LessonSlot(detail.load_id, detail.date, detail.number)
    return LessonPage(slot, detail.id, detail.version, changes, substitute)


def write_lesson_page(uow: UnitOfWork, actor: Actor, page: LessonPage, *, reason: str = "",
                      again: bool = False) -> int:
    """Store the page (opening the lesson first when not held yet); the lesson's new version.
    It may be sent `again` after a lost connection: a page the database took already finds the
    lesson opened and its fields equal, and writes nothing more."""
    version = page.version
    if page.changes:
        lesson_id, expected = page.lesson_id, page.version
        if lesson_id is None:
            ref = open_lesson(uow, actor, page.slot.load_id, page.slot.day, page.slot.number, reason=reason)
            lesson_id, expected = ref.id, ref.version
        version = record_lesson(uow, actor, lesson_id, expected_version=expected, reason=reason, **page.changes)  # type: ignore[arg-type]
    if page.substitute is not None:
        slot = page.slot
        version = assign_substitute(uow, actor, slot.load_id, slot.day, slot.number, page.substitute).version
    return version

"""Closing a reporting period for a class: per subject, each pupil's marks against the
minimum, average, suggested and final mark (from `register.open_register`); the checklist
that must be clear before the period is closed; closing, reopening with a reason, and
accepting the suggested final marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.attendance import ABSENT
from ejournal_tui.domain.errors import EjournalError, InvalidInput, NotAllowed, NotFound
from ejournal_tui.domain.finals import KIND_PERIOD, KIND_YEAR
from ejournal_tui.domain.marks import grade_gets_marks
from ejournal_tui.i18n import Joined, Phrase, register_many
from ejournal_tui.services import finals, periods, register
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year, find_class, find_period
from ejournal_tui.services.phrases import noun

register_many(
    {
        "err.checklist": (
            "Период {period} нельзя закрыть для {klass}: {items}",
            "Period {period} cannot be closed for {klass}: {items}",
        ),
        "check.no_topic": ("{subject}: уроков без темы — {n}", "{subject}: lessons without a topic: {n}"),
        "check.no_reason": ("пропусков без причины — {n}", "absences without a reason: {n}"),
        "check.below_min": (
            "{subject}: ниже минимума отметок — {n} уч.",
            "{subject}: pupils below the minimum of marks: {n}",
        ),
        "check.no_final": ("{subject}: нет итоговой отметки — {n} уч.", "{subject}: final marks missing: {n}"),
        "check.early": (
            "период ещё не окончен (последний учебный день {subject}): закрыть досрочно можно только с причиной",
            "the period is not over (last school day {subject}): it closes early only with a reason",
        ),
        "check.no_suggestion": ("у ученика {pupil} нет предлагаемой отметки: введите итоговую отметку",
                                "{pupil} has no suggested mark: enter the final mark"),
    }
)

NOT_CERTIFIED = ("н/а", "осв")


class ChecklistNotClear(EjournalError):
    """Closing refused: the message lists what is still missing."""

    key = "err.checklist"


@dataclass(frozen=True)
class ClosureClass:
    id: int
    name: str
    grade: int
    periods: tuple[str, ...]


@dataclass(frozen=True)
class PupilLine:
    pupil_id: int
    name: str
    marks: int
    minimum: int
    average: float | None
    suggested: str | None
    final: str | None
    final_version: int
    in_class_at_end: bool

    @property
    def below_minimum(self) -> bool:
        """Too few marks and nothing decided yet: a final mark (numeric, н/а or осв) is the
        teacher's decision on exactly that, and a pupil gone before the end needs none."""
        return self.in_class_at_end and self.marks < self.minimum and not self.final

    @property
    def missing_final(self) -> bool:
        return self.in_class_at_end and not self.final


@dataclass(frozen=True)
class SubjectBlock:
    load_id: int
    subject_id: int
    subject: str
    group: str
    teacher: str
    minimum: int
    lessons: int
    no_topic: int
    pupils: tuple[PupilLine, ...]

    @property
    def title(self) -> str:
        return f"{self.subject} ({self.group})" if self.group else self.subject

    @property
    def below_minimum(self) -> int:
        return sum(1 for p in self.pupils if p.below_minimum)

    @property
    def missing_finals(self) -> int:
        return sum(1 for p in self.pupils if p.missing_final)


@dataclass(frozen=True)
class CheckItem:
    kind: str  # no_topic | no_reason | below_min | no_final
    subject: str
    count: int

    @property
    def phrase(self) -> Phrase:
        return Phrase(f"check.{self.kind}", subject=self.subject, n=self.count)

    @property
    def text(self) -> str:
        return str(self.phrase)


@dataclass
class ClosureSheet:
    klass: ClosureClass
    period: str
    start: date
    end: date
    closed: bool
    marks_given: bool
    blocks: list[SubjectBlock] = field(default_factory=list)
    uncoded_absences: int = 0
    last_day: date | None = None  # the period's last school day
    today: date | None = None

    @property
    def early(self) -> bool:
        """Closing now would be before the period's last school day."""
        return self.last_day is not None and self.today is not None and cal.closing_early(self.today, self.last_day)

    def checklist(self, *, early_reason: str = "") -> list[CheckItem]:
        """What still keeps the period from closing (the one rule for the TUI and the CLI).
        A subject with no lesson in the period (taught in another one) asks for nothing;
        a period not over yet closes only with a reason for closing early."""
        taught = [b for b in self.blocks if b.lessons]
        items = []
        if self.early and not early_reason.strip():
            items.append(CheckItem("early", f"{self.last_day:%d.%m.%Y}", 0))
        items += [CheckItem("no_topic", b.title, b.no_topic) for b in taught if b.no_topic]
        if self.uncoded_absences:
            items.append(CheckItem("no_reason", "", self.uncoded_absences))
        if self.marks_given:
            items += [CheckItem("below_min", b.title, b.below_minimum) for b in taught if b.below_minimum]
            items += [CheckItem("no_final", b.title, b.missing_finals) for b in taught if b.missing_finals]
        return items

    def block(self, load_id: int) -> SubjectBlock:
        for b in self.blocks:
            if b.load_id == load_id:
                return b
        raise NotFound(what=noun("register", id=load_id))


def classes_for(uow: UnitOfWork, actor: Actor) -> list[ClosureClass]:
    """Every class for those who close periods; otherwise the classes the person teaches or leads."""
    year = current_year(uow)
    C, TL = m.SchoolClass, m.TeachingLoad
    stmt = select(C).where(C.school_id == uow.school_id, C.year_id == year.id)
    if not perm.may(actor.roles, "view_all_registers"):
        taught = select(TL.class_id).where(TL.teacher_id == actor.id)
        stmt = stmt.where(or_(C.leader_id == actor.id, C.id.in_(taught)))
    settings = uow.settings
    return [
        ClosureClass(c.id, c.name, c.grade, cal.periods_for_grade(c.grade, settings) + (cal.YEAR,))  # type: ignore[arg-type]
        for c in uow.session.scalars(stmt.order_by(C.grade, C.letter))
    ]


def open_closure(uow: UnitOfWork, actor: Actor, class_id: int, period_code: str) -> ClosureSheet:
    """The class's subjects the person may read, for the period, with its checklist."""
    klass = uow.session.get(m.SchoolClass, class_id)
    if klass is None or klass.school_id != uow.school_id:
        raise NotFound(what=noun("class", id=class_id))
    code = cal.normalize_period(period_code)
    cal.check_period_applies(code, klass.grade, klass.name, uow.settings)
    period = find_period(uow, code, uow.session.get(m.AcademicYear, klass.year_id))
    info = ClosureClass(klass.id, klass.name, klass.grade, cal.periods_for_grade(klass.grade, uow.settings))  # type: ignore[arg-type]
    sheet = ClosureSheet(info, code, period.start, period.end, periods.is_closed(uow, period.id, klass.id),  # type: ignore[arg-type]
                         grade_gets_marks(klass.grade, uow.settings))
    loads = uow.session.scalars(select(m.TeachingLoad.id).where(m.TeachingLoad.class_id == klass.id))
    refs = [register.register_ref(uow, lid) for lid in loads]
    for ref in sorted(refs, key=lambda r: (r.subject, r.group)):
        if register.may_read(actor, ref, uow):
            sheet.blocks.append(_block(uow, actor, ref, code, klass.year_id))
    sheet.uncoded_absences = _uncoded(uow, klass.id, period.start, period.end)
    sheet.last_day, sheet.today = _last_school_day(uow, period, klass.year_id), uow.today()
    return sheet


def _last_school_day(uow: UnitOfWork, period: m.Period, year_id: int) -> date:
    H = m.Holiday
    holidays = [(a, b) for a, b in uow.session.execute(select(H.start, H.end).where(
        H.school_id == uow.school_id, H.end >= period.start, H.start <= period.end))]
    year = uow.session.get(m.AcademicYear, year_id)
    return cal.last_school_day(period.start, period.end, holidays, bool(year and year.six_day_week))


def _block(uow: UnitOfWork, actor: Actor, ref: register.RegisterRef, code: str, year_id: int) -> SubjectBlock:
    reg = register.open_register(uow, actor, ref.load_id, code)
    year_marks = _year_marks(uow, ref, year_id) if code == cal.YEAR else {}
    lines = []
    for p in reg.pupils:
        s = reg.summary[p.id]
        final, version = (s.final, s.final_version) if code != cal.YEAR else year_marks.get(p.id, (None, 0))
        suggested = s.suggested if code != cal.YEAR else finals.suggest_year(uow, ref.class_id, ref.subject_id, p.id)
        lines.append(PupilLine(p.id, p.name, s.marks, reg.minimum, s.average, suggested, final, version,
                               p.end is None or p.end >= reg.end))
    return SubjectBlock(ref.load_id, ref.subject_id, ref.subject, ref.group, ref.teacher, reg.minimum,
                        len(reg.lessons), sum(1 for le in reg.lessons if not le.topic.strip()), tuple(lines))


def _year_marks(uow: UnitOfWork, ref: register.RegisterRef, year_id: int) -> dict[int, tuple[str, int]]:
    F = m.FinalMark
    rows = uow.session.execute(select(F.pupil_id, F.value, F.version).where(
        F.year_id == year_id, F.subject_id == ref.subject_id, F.class_id == ref.class_id, F.kind == KIND_YEAR))
    return {r[0]: (r[1], r[2]) for r in rows}


def _uncoded(uow: UnitOfWork, class_id: int, start: date, end: date) -> int:
    A, L = m.Attendance, m.Lesson
    return uow.session.execute(
        select(func.count(A.id)).join(L, L.id == A.lesson_id).where(
            L.class_id == class_id, L.date >= start, L.date <= end, A.status == ABSENT, A.reason.is_(None))
    ).scalar_one()


def close_checked(uow: UnitOfWork, actor: Actor, period: str, class_name: str,
                  start_year: int | None = None, early_reason: str = "") -> list[str]:
    """Close the period for the class once its checklist is clear; else `ChecklistNotClear`.
    `early_reason`: why it closes before its last school day (goes into the change log)."""
    if not perm.may(actor.roles, "close_period"):
        raise NotAllowed(what=Phrase("period.closers"))
    klass = find_class(uow, class_name, current_year(uow, start_year))
    sheet = open_closure(uow, actor, klass.id, period)  # type: ignore[arg-type]
    items = sheet.checklist(early_reason=early_reason)
    if items:
        more = [f"… (+{len(items) - 3})"] if len(items) > 3 else []
        shown = Joined([i.phrase for i in items[:3]] + more, sep="; ")
        raise ChecklistNotClear(period=sheet.period, klass=klass.name, items=shown)
    reason = early_reason.strip() if sheet.early else ""
    return periods.close_period(uow, actor, sheet.period, klass.name, start_year, reason=reason)


@dataclass
class ClosingResult:
    closed: list[str] = field(default_factory=list)
    refused: list[ChecklistNotClear] = field(default_factory=list)


def close_classes(uow: UnitOfWork, actor: Actor, period: str, class_name: str | None = None,
                  start_year: int | None = None, early_reason: str = "") -> ClosingResult:
    """`period close`: each class the period applies to (or the one named) is closed if its
    checklist is clear; the others are refused with what they still lack."""
    if not perm.may(actor.roles, "close_period"):
        raise NotAllowed(what=Phrase("period.closers"))
    year = current_year(uow, start_year)
    code = cal.normalize_period(period)
    names = [class_name] if class_name else [k.name for k in periods.classes_of_band(uow, year.id, code)]  # type: ignore[arg-type]
    result = ClosingResult()
    for name in names:
        try:
            result.closed += close_checked(uow, actor, code, name, start_year, early_reason)
        except ChecklistNotClear as exc:
            result.refused.append(exc)
    return result


def reopen(uow: UnitOfWork, actor: Actor, period: str, class_name: str, reason: str) -> bool:
    """Reopen a closed period for a class; the reason is recorded in the change log."""
    return periods.reopen_period(uow, actor, period, class_name, reason)


def _kind(code: str) -> tuple[str, str]:
    return (KIND_YEAR, "") if code == cal.YEAR else (KIND_PERIOD, code)


def set_final(uow: UnitOfWork, actor: Actor, class_id: int, block: SubjectBlock, period: str, line: PupilLine,
              value: str | None, *, commit: bool = True) -> None:
    """One pupil's final mark for the period (an override, or None to remove it), against
    what the sheet showed: a final mark set meanwhile by someone else is a conflict."""
    kind, code = _kind(period)
    finals.set_final_mark(uow, actor, class_id, block.subject_id, line.pupil_id, kind, value,
                          period_code=code, expected_version=line.final_version or 0, commit=commit)


def accept_suggestions(uow: UnitOfWork, actor: Actor, class_id: int, block: SubjectBlock, period: str,
                       pupil_id: int | None = None) -> int:
    """The suggested mark becomes the final mark, for one pupil or for every pupil who has a
    suggestion and no final mark yet, all or nothing. Returns how many marks were set."""
    lines = [p for p in block.pupils if pupil_id is None or p.pupil_id == pupil_id]
    if pupil_id is not None and not lines:
        raise NotFound(what=noun("pupil", id=pupil_id))
    if pupil_id is not None and lines[0].suggested is None:
        raise InvalidInput(what=Phrase("check.no_suggestion", pupil=lines[0].name))
    # a pupil who left or moved before the period's end gets no period mark here
    todo = [p for p in lines if p.suggested and p.in_class_at_end and (pupil_id is not None or not p.final)
            and p.final != p.suggested]
    for line in todo:
        set_final(uow, actor, class_id, block, period, line, line.suggested, commit=False)
    uow.commit()
    return len(todo)

"""The printed register's data for one class and period, assembled from the read model of
`services.register.open_register` (one register per teaching load) plus the pupils'
personal data, which the register screen does not carry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import attendance as att
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.finals import KIND_YEAR
from ejournal_tui.domain.marks import grade_gets_marks
from ejournal_tui.exporters.data import (
    LessonRow,
    MarkRow,
    MissedRow,
    PupilInfo,
    RegisterDoc,
    SubjectSheet,
    YearPlan,
)
from ejournal_tui.services.audit_anchor import head_of
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.control.plan import plan_progress
from ejournal_tui.services.control.window import resolve_window
from ejournal_tui.services.exports.common import (
    doc_head,
    period_mark_title,
    require_export,
    staff_names,
)
from ejournal_tui.services.exports.signers import deputy_name, director_name
from ejournal_tui.services.lookup import current_year, find_class, find_period, find_subject
from ejournal_tui.services.register import Register, open_register


def class_and_period(uow: UnitOfWork, class_name: str, period_code: str, start_year: int | None = None):  # noqa: ANN201
    """(year, class, period) by what people call them; a wrong band names the right periods."""
    year = current_year(uow, start_year)
    klass = find_class(uow, class_name, year)
    code = cal.normalize_period(period_code)
    cal.check_period_applies(code, klass.grade, klass.name, uow.settings)
    return year, klass, find_period(uow, code, year)


def load_ids(uow: UnitOfWork, class_id: int, subject_id: int | None = None) -> list[int]:
    """The class's teaching loads in curriculum order (subject order, then group)."""
    TL, S, G = m.TeachingLoad, m.Subject, m.StudyGroup
    stmt = (select(TL.id).join(S, S.id == TL.subject_id).outerjoin(G, G.id == TL.group_id)
            .where(TL.class_id == class_id).order_by(S.order, S.name, G.name, TL.id))
    if subject_id is not None:
        stmt = stmt.where(TL.subject_id == subject_id)
    return list(uow.session.scalars(stmt))


def class_pupils(uow: UnitOfWork, class_id: int, start: date, end: date) -> list[tuple[m.Pupil, date, date | None]]:
    """Pupils in the class at any time from start to end, alphabetically, with their dates."""
    P, Ms = m.Pupil, m.Membership
    rows = uow.session.execute(
        select(P, Ms.start, Ms.end).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.class_id == class_id, Ms.start <= end, or_(Ms.end.is_(None), Ms.end >= start))
        .order_by(P.last_name, P.first_name, P.patronymic, P.id)
    ).all()
    seen, out = set(), []
    for pupil, a, b in rows:
        if pupil.id not in seen:
            seen.add(pupil.id)
            out.append((pupil, a, b))
    return out


def build_register_doc(uow: UnitOfWork, actor: Actor, class_name: str, period_code: str,
                       subject: str | None = None, start_year: int | None = None) -> tuple[RegisterDoc, int]:
    """The register's data and the class's id (for the audit event)."""
    year, klass, period = class_and_period(uow, class_name, period_code, start_year)
    require_export(actor, klass)
    subject_id = find_subject(uow, subject).id if subject else None
    registers = [open_register(uow, actor, lid, period.code) for lid in load_ids(uow, klass.id, subject_id)]
    names = staff_names(uow)
    year_marks = _year_marks(uow, klass.id, year.id) if period.code == cal.YEAR else {}
    plans: dict[int, YearPlan] = {}
    if cal.ends_year(period.code):
        plans = _year_plans(uow, year.start_year, period.end, [r.ref.load_id for r in registers])
    sheets = tuple(_sheet(reg, names, year_marks, plans.get(reg.ref.load_id)) for reg in registers)
    pupils = class_pupils(uow, klass.id, period.start, period.end)
    months, missed = _missed(registers, pupils, period.start, min(period.end, uow.today()), period.end)
    infos = tuple(PupilInfo(i + 1, p.personal_file_no, p.full_name, p.birth_date, p.parents, p.phone,
                            *_stay(a, b, period.start, period.end))
                  for i, (p, a, b) in enumerate(pupils))
    head = doc_head(uow, klass, year, period)
    anchor = head_of(uow.conn, uow.school_id) if head.closed else None  # the director signs it too
    return RegisterDoc(head, sheets, months, missed, infos,
                       graded=grade_gets_marks(klass.grade, uow.settings), deputy=deputy_name(uow),
                       director=director_name(uow), change_log=anchor), klass.id


def _stay(start: date, end: date | None, first: date, last: date) -> tuple[date | None, date | None]:
    """(came, left) when the pupil came into or left the class within the period."""
    return (start if start > first else None), (end if end is not None and end < last else None)


def _year_marks(uow: UnitOfWork, class_id: int, year_id: int) -> dict[tuple[int, int], str]:
    F = m.FinalMark
    rows = uow.session.execute(select(F.pupil_id, F.subject_id, F.value).where(
        F.class_id == class_id, F.year_id == year_id, F.kind == KIND_YEAR))
    return {(p, s): v for p, s, v in rows}


def _year_plans(uow: UnitOfWork, start_year: int, period_end: date, load_ids: list[int]) -> dict[int, YearPlan]:
    """Each load's plan for the year against its lessons, counted like the control report's
    year window (`plan_lag`): up to the period's end, or up to yesterday while the period
    runs (today's lessons may still be going on)."""
    if not load_ids:
        return {}
    as_of = min(uow.today(), period_end + timedelta(days=1))
    w = resolve_window(uow, cal.YEAR, year=start_year, as_of=as_of)
    return {lid: YearPlan(w.counted_to, p.total, p.planned, p.held, p.lag)
            for lid, p in plan_progress(uow, w, load_ids).items()}


def _pupil_label(name: str, start: date, end: date | None, reg: Register) -> str:
    if end is not None and end < reg.end:
        return f"{name} (выб. {end:%d.%m})"
    if start > reg.start:
        return f"{name} (приб. {start:%d.%m})"
    return name


def _sheet(reg: Register, names: dict[int, tuple[str, str]], year_marks: dict[tuple[int, int], str],
           year_plan: YearPlan | None = None) -> SubjectSheet:
    ref = reg.ref
    rows = []
    for pupil in reg.pupils:
        cells = tuple(reg.cell_text(pupil.id, ls.id) for ls in reg.lessons)
        summary = reg.summary.get(pupil.id)
        mark = year_marks.get((pupil.id, ref.subject_id), "") if year_marks else (summary.final if summary else "")
        rows.append(MarkRow(pupil.no, _pupil_label(pupil.name, pupil.start, pupil.end, reg), cells, mark or "",
                            left=pupil.end is not None and pupil.end < reg.end))
    lessons = tuple(_lesson_row(ls, names) for ls in reg.lessons)
    teacher, short = names.get(ref.teacher_id, (ref.teacher, ref.teacher))
    return SubjectSheet(ref.subject, ref.group, teacher, ref.hours_per_week, tuple(ls.date for ls in reg.lessons),
                        tuple(rows), lessons, period_mark_title(reg.period), year_plan, teacher_short=short)


def _lesson_row(ls, names: dict[int, tuple[str, str]]) -> LessonRow:  # noqa: ANN001 - a RegLesson
    held = names.get(ls.teacher_id, ("", ""))[1]
    substitute = ""
    if ls.substitute_for_id is not None:
        substitute = f"{held} вместо {names.get(ls.substitute_for_id, ('', ''))[1]}"
    return LessonRow(ls.date, ls.number, ls.topic, ls.homework, held, substitute)


def _months(start: date, end: date) -> tuple[tuple[int, int], ...]:
    months, y, mo = [], start.year, start.month
    while (y, mo) <= (end.year, end.month):
        months.append((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return tuple(months)


def _missed(registers: list[Register], pupils: list, start: date, end: date,
            period_end: date) -> tuple[tuple, tuple[MissedRow, ...]]:
    """Lessons missed per pupil and month over every register of the class (DOMAIN.md,
    "Counting rules": lateness counted apart, not a missed lesson), counted to `end`; who
    came or left within the period (to `period_end`) is noted."""
    months = _months(start, max(start, end))
    entries: dict[int, list[att.AbsenceEntry]] = defaultdict(list)
    for reg in registers:
        days = {ls.id: ls.date for ls in reg.lessons}
        for (pupil_id, lesson_id), cell in reg.absences.items():
            entries[pupil_id].append(att.AbsenceEntry(days[lesson_id], cell.status, cell.reason))
    rows = []
    for i, (pupil, came, went) in enumerate(pupils):
        mine = entries.get(pupil.id, [])
        per_month = []
        for y, mo in months:
            cats = [att.category(e) for e in mine if (e.day.year, e.day.month) == (y, mo)]
            per_month.append((sum(c != "late" for c in cats), cats.count("ill")))
        tot = att.totals(mine)
        rows.append(MissedRow(i + 1, f"{pupil.last_name} {pupil.first_name}", tuple(per_month), tot.missed, tot.ill,
                              tot.excused, tot.unexcused, tot.late, *_stay(came, went, start, period_end)))
    return months, tuple(rows)

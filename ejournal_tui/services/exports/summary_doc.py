"""Data of the year's summary sheet (сводная ведомость) and of parents' progress reports:
final marks, absences and recent marks of a class's pupils."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import and_, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import attendance as att
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.domain.finals import KIND_EXAM, KIND_FINAL, KIND_PERIOD, KIND_YEAR
from ejournal_tui.domain.marks import average, grade_gets_marks
from ejournal_tui.exporters.data import (
    PERIOD_SHORT,
    CardMark,
    CardRemark,
    CardSubject,
    PupilCard,
    ReportCardsDoc,
    SummaryRow,
    SummarySubject,
)
from ejournal_tui.exporters.form_data import ForecastSubject, SummarySheet
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.exports.card_forecast import PeriodForecasts, period_forecasts
from ejournal_tui.services.exports.common import doc_head, require_export
from ejournal_tui.services.exports.register_doc import class_pupils
from ejournal_tui.services.exports.signers import deputy_name, director_name
from ejournal_tui.services.lookup import current_year, find_class, find_period
from ejournal_tui.services.reference import short_names


def class_subjects(uow: UnitOfWork, class_id: int) -> list[tuple[int, str]]:
    """(id, name) of the subjects the class is taught, in curriculum order."""
    S, TL = m.Subject, m.TeachingLoad
    rows = uow.session.execute(
        select(S.id, S.name, S.order).join(TL, TL.subject_id == S.id).where(TL.class_id == class_id)
        .distinct().order_by(S.order, S.name)
    )
    return [(r[0], r[1]) for r in rows]


def _absences(uow: UnitOfWork, class_id: int, start, end) -> dict[int, list[att.AbsenceEntry]]:  # noqa: ANN001
    A, L = m.Attendance, m.Lesson
    out: dict[int, list[att.AbsenceEntry]] = defaultdict(list)
    for pupil_id, day, status, reason in uow.session.execute(
        select(A.pupil_id, L.date, A.status, A.reason).join(L, L.id == A.lesson_id)
        .where(L.class_id == class_id, L.date >= start, L.date <= end)
    ):
        out[pupil_id].append(att.AbsenceEntry(day, status, reason))
    return out


def build_summary_doc(uow: UnitOfWork, actor: Actor, class_name: str,
                      start_year: int | None = None) -> tuple[SummarySheet, int]:
    """The summary sheet's data and the class's id. Its rows are the pupils in the class at
    any time of the year (one who left before it began is not there); one who came or left
    during the year carries the date beside the name, as the register prints it."""
    year = current_year(uow, start_year)
    klass = find_class(uow, class_name, year)
    require_export(actor, klass)
    period = find_period(uow, cal.YEAR, year)
    codes = cal.periods_for_grade(klass.grade, uow.settings)
    wanted = [(KIND_PERIOD, c) for c in codes] + [(KIND_YEAR, ""), (KIND_EXAM, ""), (KIND_FINAL, "")]
    columns = tuple(PERIOD_SHORT[c] for c in codes) + ("Год", "Экз", "Итог")
    subjects = class_subjects(uow, klass.id)
    F = m.FinalMark
    finals = {(r[0], r[1], r[2], r[3] or ""): r[4] for r in uow.session.execute(
        select(F.pupil_id, F.subject_id, F.kind, F.period_code, F.value)
        .where(F.class_id == klass.id, F.year_id == year.id))}
    absences = _absences(uow, klass.id, period.start, period.end)
    rows = []
    for i, (pupil, joined, left) in enumerate(class_stays(uow, klass.id, period.start, period.end)):
        marks = tuple(tuple(finals.get((pupil.id, sid, kind, code), "") for kind, code in wanted)
                      for sid, _ in subjects)
        tot = att.totals(absences.get(pupil.id, []))
        name = stay_label(f"{pupil.last_name} {pupil.first_name}", joined, left)
        rows.append(SummaryRow(i + 1, name, marks, tot.missed, tot.ill))
    doc = SummarySheet(doc_head(uow, klass, year, period),
                       tuple(SummarySubject(name, columns) for _, name in subjects), tuple(rows),
                       graded=grade_gets_marks(klass.grade, uow.settings), deputy=deputy_name(uow),
                       director=director_name(uow))
    return doc, klass.id  # type: ignore[return-value]


def class_stays(uow: UnitOfWork, class_id: int, start: date, end: date) -> list[tuple[m.Pupil, date | None, date | None]]:
    """Pupils in the class at any time from start to end, alphabetically, with the day they
    came when after `start` and their last day when before `end` (None otherwise); a pupil
    who left and came back spans all their stays."""
    P, Ms = m.Pupil, m.Membership
    rows = uow.session.execute(
        select(P, Ms.start, Ms.end).join(Ms, Ms.pupil_id == P.id)
        .where(Ms.class_id == class_id, Ms.start <= end, or_(Ms.end.is_(None), Ms.end >= start))
        .order_by(P.last_name, P.first_name, P.patronymic, P.id)
    ).all()
    spans: dict[int, tuple[m.Pupil, date, date | None]] = {}
    for pupil, first, last in rows:
        if pupil.id in spans:
            _, a, b = spans[pupil.id]
            first, last = min(a, first), None if b is None or last is None else max(b, last)
        spans[pupil.id] = (pupil, first, last)
    return [(p, a if a > start else None, b if b is not None and b < end else None) for p, a, b in spans.values()]


def stay_label(name: str, joined: date | None, left: date | None) -> str:
    """The name with the pupil's leaving or coming within the year, as the register shows it."""
    if left is not None:
        return f"{name} (выб. {left:%d.%m.%Y})"
    if joined is not None:
        return f"{name} (приб. {joined:%d.%m.%Y})"
    return name


def build_report_cards(uow: UnitOfWork, actor: Actor, class_name: str, weeks: int,
                       pupil_ids: Collection[int] | None = None) -> tuple[ReportCardsDoc, int]:
    """Marks with their kinds, averages, absences and remarks of the last `weeks` weeks;
    `pupil_ids`: only these pupils' cards (the parents on paper, services/notify)."""
    doc, class_id, _ = report_cards_by_pupil(uow, actor, class_name, weeks, pupil_ids)
    return doc, class_id


def report_cards_by_pupil(uow: UnitOfWork, actor: Actor, class_name: str, weeks: int,
                          pupil_ids: Collection[int] | None = None) -> tuple[ReportCardsDoc, int, tuple[int, ...]]:
    """`build_report_cards` with the pupil id of each card, in the cards' order."""
    if not 1 <= weeks <= 20:
        raise InvalidInput(what=f"--weeks {weeks}: from 1 to 20")
    year = current_year(uow)
    klass = find_class(uow, class_name, year)
    require_export(actor, klass)
    end = uow.today()
    start = end - timedelta(days=7 * weeks - 1)
    kinds = {k.code: k for k in uow.session.scalars(select(m.WorkKind).where(m.WorkKind.school_id == uow.school_id))}
    marks = _recent_marks(uow, klass.id, start, end)
    remarks = _recent_remarks(uow, klass.id, start, end)
    absences = _absences(uow, klass.id, start, end)
    subjects = class_subjects(uow, klass.id)
    pupils = [p for p, _, _ in class_pupils(uow, klass.id, start, end) if pupil_ids is None or p.id in pupil_ids]
    forecasts = period_forecasts(uow, klass, [p.id for p in pupils], end)
    cards = []
    for pupil in pupils:
        cards.append(_card(uow, pupil, subjects, marks.get(pupil.id, {}), absences.get(pupil.id, []),
                           remarks.get(pupil.id, ()), forecasts))
    shorts = short_names(uow)
    legend = tuple((_short(code, kinds, shorts), k.name) for code, k in sorted(kinds.items(), key=lambda kv: kv[1].order))
    doc = ReportCardsDoc(doc_head(uow, klass, year, None), start, end, tuple(cards), legend)
    return doc, klass.id, tuple(p.id for p in pupils)  # type: ignore[return-value]


def _short(code: str, kinds: dict[str, m.WorkKind], shorts: dict[str, str]) -> str:
    """The kind's short name (services.reference); else the first letters of its name."""
    if shorts.get(code):
        return shorts[code]
    name = kinds[code].name if code in kinds else code
    return name[:4].lower()


def _recent_marks(uow: UnitOfWork, class_id: int, start, end) -> dict[int, dict[int, list]]:  # noqa: ANN001
    Mk, L = m.Mark, m.Lesson
    out: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    kinds = {k.code: k for k in uow.session.scalars(select(m.WorkKind).where(m.WorkKind.school_id == uow.school_id))}
    shorts = short_names(uow)
    for pupil_id, subject_id, day, value, kind, weight in uow.session.execute(
        select(Mk.pupil_id, L.subject_id, L.date, Mk.value, Mk.work_kind, Mk.weight).join(L, L.id == Mk.lesson_id)
        .where(L.class_id == class_id, L.date >= start, L.date <= end).order_by(L.date, L.number, Mk.id)
    ):
        out[pupil_id][subject_id].append((CardMark(day, value, _short(kind, kinds, shorts)), weight))
    return out


def _recent_remarks(uow: UnitOfWork, class_id: int, start, end) -> dict[int, tuple[CardRemark, ...]]:  # noqa: ANN001
    R, L, S = m.Remark, m.Lesson, m.Subject
    out: dict[int, list[CardRemark]] = defaultdict(list)
    for pupil_id, day, subject, text, praise in uow.session.execute(
        select(R.pupil_id, L.date, S.name, R.text, R.praise).join(L, L.id == R.lesson_id)
        .join(S, and_(S.id == L.subject_id)).where(L.class_id == class_id, L.date >= start, L.date <= end)
        .order_by(L.date, R.id)
    ):
        out[pupil_id].append(CardRemark(day, subject, text, praise))
    return {k: tuple(v) for k, v in out.items()}


def _card(uow: UnitOfWork, pupil: m.Pupil, subjects: list[tuple[int, str]], marks: dict[int, list],
          absences: list[att.AbsenceEntry], remarks: tuple[CardRemark, ...],
          forecasts: PeriodForecasts) -> PupilCard:
    rows: list[CardSubject] = []
    for sid, name in subjects:
        mine = marks.get(sid, [])
        avg = average([(mk.value, weight) for mk, weight in mine], uow.settings)
        recent = tuple(mk for mk, _ in mine)
        f = forecasts.of(pupil.id, sid)
        if f is None:
            rows.append(CardSubject(name, recent, avg))
        else:
            rows.append(ForecastSubject(name, recent, avg, f.given, f.period, f.figures.suggested or "",
                                        f.figures.marks, f.minimum, f.figures.average))
    tot = att.totals(absences)
    return PupilCard(pupil.full_name, tuple(rows), tot.missed, tot.ill, tot.excused, tot.unexcused, tot.late,
                     remarks)

"""Period closure on both databases: the per-subject summary, the checklist, closing that
refuses while it is not clear, accepting suggestions, and reopening with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotAllowed
from ejournal_tui.services import attendance, closure, marks
from tests.conftest import count_rows

DAY = date(2026, 11, 16)


def _sheet(school, who: str = "deputy", klass: str = "10А", period: str = "H1"):  # noqa: ANN202
    with school.uow() as uow:
        return closure.open_closure(uow, school.actors[who], school.classes[klass], period)


def _ready_10a(school) -> None:
    """Algebra in 10А: one lesson with a topic and three marks for each pupil (minimum 6 at
    3 h/week, so one pupil gets н/а)."""
    for n in range(1, 4):
        lesson = school.lesson("alg10", DAY, n, topic=f"Тема {n}")
        with school.uow() as uow:
            for pupil in ("Ильин", "Климова"):
                marks.add_mark(uow, school.actors["petrov"], lesson, school.pupils[pupil], "5",
                               reason="entered late")


def _finals(engine) -> dict[int, str]:  # noqa: ANN001
    with Session(engine) as s:
        return {f.pupil_id: f.value for f in s.exec(select(m.FinalMark))}


def test_sheet_summarises_each_subject(school) -> None:
    _ready_10a(school)
    sheet = _sheet(school)
    (block,) = sheet.blocks
    assert (block.subject, block.minimum, block.lessons, block.no_topic) == ("Алгебра", 6, 3, 0)
    ilyin = next(p for p in block.pupils if p.name.startswith("Ильин"))
    assert (ilyin.marks, ilyin.average, ilyin.suggested, ilyin.final) == (3, 5.0, "5", None)
    assert block.below_minimum == 3 and block.missing_finals == 3


def test_checklist_lists_what_is_missing_and_closing_refuses(school, engine) -> None:
    lesson = school.lesson("alg10", DAY, 1)  # no topic
    with school.uow() as uow:
        attendance.set_attendance(uow, school.actors["petrov"], lesson, school.pupils["Лебедев"], "absent",
                                  reason="late")
    kinds = [i.kind for i in _sheet(school).checklist()]
    assert kinds == ["early", "no_topic", "no_reason", "below_min", "no_final"]  # H1 is not over on DAY
    events = count_rows(engine, m.AuditEvent)
    with school.uow() as uow, pytest.raises(closure.ChecklistNotClear) as err:
        closure.close_checked(uow, school.actors["deputy"], "H1", "10А")
    assert "without a topic" in str(err.value) and "without a reason" in str(err.value)
    assert count_rows(engine, m.PeriodClosure) == 2  # only the factory's Q1 closures
    assert count_rows(engine, m.AuditEvent) == events


def test_accept_suggestions_then_close_and_reopen(school, engine) -> None:
    _ready_10a(school)
    sheet = _sheet(school)
    block = sheet.blocks[0]
    with school.uow() as uow:
        assert closure.accept_suggestions(uow, school.actors["petrov"], sheet.klass.id, block, "H1") == 2
    lebedev = next(p for p in block.pupils if p.name.startswith("Лебедев"))
    with school.uow() as uow:
        closure.set_final(uow, school.actors["petrov"], sheet.klass.id, block, "H1", lebedev, "н/а")
    assert sorted(_finals(engine).values()) == ["5", "5", "н/а"]
    # below the minimum with 5s: a final mark is the teacher's decision, numeric or н/а (issue 9)
    assert _sheet(school).checklist(early_reason="выпуск") == []
    with school.uow() as uow:
        assert closure.close_checked(uow, school.actors["deputy"], "H1", "10А", early_reason="выпуск") == ["10А"]
    assert _sheet(school).closed
    with school.uow() as uow, pytest.raises(InvalidInput):
        closure.reopen(uow, school.actors["deputy"], "H1", "10А", "  ")
    with school.uow() as uow:
        assert closure.reopen(uow, school.actors["deputy"], "H1", "10А", "исправление отметки")
    assert not _sheet(school).closed


def test_teacher_cannot_close_and_sees_only_own_subjects(school, engine) -> None:
    with school.uow() as uow, pytest.raises(NotAllowed):
        closure.close_checked(uow, school.actors["petrov"], "H1", "10А")
    assert [b.subject for b in _sheet(school, "petrov", "5А", "Q2").blocks] == ["Математика"]
    assert len(_sheet(school, "ivanova", "5А", "Q2").blocks) == 3  # the class leader reads every subject
    with school.uow() as uow:
        names = [c.name for c in closure.classes_for(uow, school.actors["petrov"])]
    assert names == ["5А", "10А"]


def test_accepting_one_suggestion_and_refusing_without_one(school, engine) -> None:
    _ready_10a(school)
    sheet = _sheet(school)
    block = sheet.blocks[0]
    with school.uow() as uow:
        assert closure.accept_suggestions(uow, school.actors["petrov"], sheet.klass.id, block, "H1",
                                          school.pupils["Ильин"]) == 1
    with school.uow() as uow, pytest.raises(InvalidInput):
        closure.accept_suggestions(uow, school.actors["petrov"], sheet.klass.id, block, "H1",
                                   school.pupils["Лебедев"])
    assert _finals(engine) == {school.pupils["Ильин"]: "5"}


def test_grade_one_needs_no_marks_to_close(school) -> None:
    with school.uow() as uow:
        assert closure.close_checked(uow, school.actors["deputy"], "Q2", "1А", early_reason="тест") == ["1А"]


def test_a_period_not_over_closes_only_early_with_a_reason(school, engine) -> None:
    """Q2 closed three weeks early printed as closed with an empty «II ч.» column (issue 10):
    before the last school day the period closes only with a reason, which the change log keeps."""
    sheet = _sheet(school, klass="1А", period="Q2")
    assert sheet.early and sheet.last_day is not None and sheet.last_day.weekday() < 6
    assert [i.kind for i in sheet.checklist()] == ["early"]
    events = count_rows(engine, m.AuditEvent)
    with school.uow() as uow, pytest.raises(closure.ChecklistNotClear) as err:
        closure.close_checked(uow, school.actors["deputy"], "Q2", "1А")
    assert "not over" in str(err.value) and f"{sheet.last_day:%d.%m.%Y}" in str(err.value)
    with school.uow() as uow, pytest.raises(closure.ChecklistNotClear):
        closure.close_checked(uow, school.actors["deputy"], "Q2", "1А", early_reason="   ")
    assert count_rows(engine, m.AuditEvent) == events and not _sheet(school, klass="1А", period="Q2").closed
    with school.uow() as uow:
        assert closure.close_checked(uow, school.actors["deputy"], "Q2", "1А", early_reason="карантин") == ["1А"]
    with Session(engine) as s:
        event = s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "period.close")
                       .order_by(m.AuditEvent.id.desc())).first()  # type: ignore[union-attr]
    assert event is not None and event.reason == "карантин"


def test_the_last_school_day_skips_the_weekend_and_holidays() -> None:
    from ejournal_tui.domain import calendar as cal

    sunday = date(2026, 12, 27)
    assert cal.last_school_day(date(2026, 11, 9), sunday, []) == date(2026, 12, 25)  # a five-day week
    assert cal.last_school_day(date(2026, 11, 9), sunday, [], six_day=True) == date(2026, 12, 26)
    assert cal.last_school_day(date(2026, 11, 9), sunday, [(date(2026, 12, 24), date(2026, 12, 31))]) == date(2026, 12, 23)
    assert cal.closing_early(date(2026, 12, 24), date(2026, 12, 25))
    assert not cal.closing_early(date(2026, 12, 25), date(2026, 12, 25))


def test_accept_all_is_all_or_nothing_and_never_overwrites_a_mark_set_meanwhile(school, engine) -> None:
    _ready_10a(school)
    stale = _sheet(school).blocks[0]  # what the teacher's screen shows: no final marks yet
    fresh = _sheet(school).blocks[0]
    klimova = next(p for p in fresh.pupils if p.name.startswith("Климова"))
    with school.uow() as uow:  # meanwhile, at another workstation
        closure.set_final(uow, school.actors["petrov"], school.classes["10А"], fresh, "H1", klimova, "4")
    events = count_rows(engine, m.AuditEvent)
    with school.uow() as uow, pytest.raises(Conflict):
        closure.accept_suggestions(uow, school.actors["petrov"], school.classes["10А"], stale, "H1")
    # Ильин, accepted before the conflict, is not stored either; Климова keeps her 4
    assert _finals(engine) == {school.pupils["Климова"]: "4"}
    assert count_rows(engine, m.AuditEvent) == events
    with school.uow() as uow, pytest.raises(Conflict):  # one pupil from the stale screen: the same
        line = next(p for p in stale.pupils if p.name.startswith("Климова"))
        closure.set_final(uow, school.actors["petrov"], school.classes["10А"], stale, "H1", line, "5")
    assert _finals(engine) == {school.pupils["Климова"]: "4"}
    with school.uow() as uow:  # from a fresh sheet, accept-all sets the rest
        assert closure.accept_suggestions(uow, school.actors["petrov"], school.classes["10А"],
                                          _sheet(school).blocks[0], "H1") == 1
    assert _finals(engine) == {school.pupils["Климова"]: "4", school.pupils["Ильин"]: "5"}


def test_a_pupil_gone_before_the_end_is_neither_required_nor_given_a_mark(school, engine) -> None:
    """«Принять все» used to give a period mark to a pupil who had left (issue 9)."""
    from ejournal_tui.services import admin

    _ready_10a(school)
    with school.uow() as uow:
        admin.pupil_leaves(uow, school.actors["deputy"], school.pupils["Климова"], date(2026, 12, 1))
    sheet = _sheet(school)
    block = sheet.blocks[0]
    with school.uow() as uow:
        assert closure.accept_suggestions(uow, school.actors["petrov"], sheet.klass.id, block, "H1") == 1
    assert school.pupils["Климова"] not in _finals(engine)
    kinds = {i.kind for i in _sheet(school).checklist()}
    assert "no_final" in kinds  # Лебедев, still in the class, has none; Климова is not asked for


def test_a_subject_without_lessons_in_the_period_asks_for_nothing(school) -> None:
    """A subject not taught in the period (no lesson held) neither blocks nor needs finals."""
    sheet = _sheet(school)
    assert all(b.lessons == 0 for b in sheet.blocks)
    assert [i.kind for i in sheet.checklist()] == ["early"]  # only that H1 is not over yet

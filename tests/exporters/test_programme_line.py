"""The year's programme line (issue 14, item 4): once the year's last period is over, the
whole thematic plan is due, so a timetable with fewer lessons than the plan shows as a lag,
not as a plan fulfilled («уроков по КТП на год — 204 … проведено — 198; отставание — 0»).

On the factory school, 5А Russian gets an undated plan of 40 topics and one timetable lesson
a week (about 33 school Mondays in the year), and 9 lessons held.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.services.control import control_report
from ejournal_tui.services.exports import export_register
from ejournal_tui.services.exports.register_doc import build_register_doc
from tests.exporters.helpers import flat, pdf_pages
from tests.exporters.test_year_end import RUS_LESSONS

TOPICS = 40


def _undated_plan(school) -> None:  # noqa: ANN001
    with Session(school.db.engine) as s:
        load = school.loads["rus5"]
        for seq in range(1, TOPICS + 1):
            s.add(m.PlanItem(school_id=school.school_id, load_id=load, seq=seq, topic=f"Тема {seq}"))
        s.add(m.TimetableSlot(school_id=school.school_id, load_id=load, weekday=1, number=1))
        s.commit()
    for day in RUS_LESSONS:
        school.lesson("rus5", day, 1, topic="Правописание")


def _at(school, day: date) -> Database:  # noqa: ANN001
    return Database(school.db.engine, school.school_id, Clock(datetime(day.year, day.month, day.day, 10, tzinfo=UTC)))


def test_after_the_year_the_whole_plan_is_due(school, tmp_path) -> None:  # noqa: ANN001
    _undated_plan(school)
    out = tmp_path / "q4.pdf"
    export_register(_at(school, date(2027, 6, 10)), school.actors["deputy"], "5А", "Q4", "pdf", out)
    russian = [flat(p) for p in pdf_pages(out) if "Русский язык — записи уроков" in flat(p)][-1]
    lag = TOPICS - len(RUS_LESSONS)
    assert (f"на 26.05.2027: уроков по КТП на год — {TOPICS}; проведено — {len(RUS_LESSONS)}; "
            f"отставание — {lag}") in russian


def test_register_and_control_report_agree(school) -> None:  # noqa: ANN001
    _undated_plan(school)
    with _at(school, date(2027, 6, 10)).uow() as uow:
        doc, _ = build_register_doc(uow, school.actors["deputy"], "5А", "Q4")
        report = control_report(uow, school.actors["deputy"], "Y")
    plan = next(s.year_plan for s in doc.sheets if s.subject == "Русский язык")
    figures = next(r.figures for r in report.rows if r.class_name == "5А" and r.subject == "Русский язык")
    assert (plan.planned_year, plan.planned, plan.lag) == (TOPICS, TOPICS, TOPICS - len(RUS_LESSONS))
    assert (figures.planned, figures.plan_lag) == (plan.planned, plan.lag)


def test_while_the_year_runs_the_plan_is_due_at_the_timetables_pace(school) -> None:  # noqa: ANN001
    _undated_plan(school)
    with _at(school, date(2026, 10, 13)).uow() as uow:
        doc, _ = build_register_doc(uow, school.actors["deputy"], "5А", "Y")
    plan = next(s.year_plan for s in doc.sheets if s.subject == "Русский язык")
    assert plan.planned < TOPICS  # Mondays from 1 September to 12 October

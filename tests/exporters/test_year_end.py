"""The register of the year's last period (Q4, H2, Y) closes each subject's lessons pages with
the programme's figures: lessons planned by the thematic plan (КТП), held, and the lag, as the
control report counts them. Registers of earlier periods have no such line.

On the factory school (tests.factory): 5А Russian has a plan of 12 topics dated every three
weeks from 7 September and 9 lessons held through the year; 5А maths a plan of 5 dated topics
and 6 lessons held (more than planned: no lag); the English group has no plan.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.exporters.data import (
    DocHead,
    LessonRow,
    MarkRow,
    RegisterDoc,
    SubjectSheet,
    YearPlan,
)
from ejournal_tui.exporters.fonts import find_font
from ejournal_tui.exporters.register_pdf import (
    LESSONS_PER_PAGE,
    LESSONS_WITH_YEAR,
    planned_pages,
    render_register,
)
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.services.control import control_report
from ejournal_tui.services.exports import export_register
from ejournal_tui.services.exports.register_doc import build_register_doc
from tests.exporters.helpers import flat, pdf_pages

RUS_LESSONS = [date(2026, 9, 7), date(2026, 9, 14), date(2026, 10, 5), date(2026, 11, 9), date(2026, 11, 16),
               date(2027, 1, 18), date(2027, 2, 1), date(2027, 4, 5), date(2027, 4, 12)]
MATH_LESSONS = [date(2026, 9, 8), date(2026, 9, 15), date(2026, 11, 10), date(2027, 1, 19), date(2027, 4, 6),
                date(2027, 4, 13)]
HEAD = "Выполнение программы за учебный год"


def _plan(s: Session, school, load: str, dates: list[date]) -> None:  # noqa: ANN001
    for seq, day in enumerate(dates, 1):
        s.add(m.PlanItem(school_id=school.school_id, load_id=school.loads[load], seq=seq, topic=f"Тема {seq}",
                         planned_date=day))


@pytest.fixture
def year_of_lessons(school):  # noqa: ANN001, ANN201
    with Session(school.db.engine) as s:
        _plan(s, school, "rus5", [date(2026, 9, 7) + timedelta(days=21 * k) for k in range(12)])
        _plan(s, school, "math5", [date(2026, 9, 8) + timedelta(days=28 * k) for k in range(5)])
        s.commit()
    for day in RUS_LESSONS:
        school.lesson("rus5", day, 1, topic="Правописание")
    for day in MATH_LESSONS:
        school.lesson("math5", day, 2, topic="Дроби")
    school.lesson("eng5", date(2027, 4, 9), 3, topic="Present Simple")
    return school


def _at(school, day: date) -> Database:  # noqa: ANN001
    """The factory school's database with the clock standing at 10:00 UTC of `day`."""
    return Database(school.db.engine, school.school_id, Clock(datetime(day.year, day.month, day.day, 10, tzinfo=UTC)))


def _lessons_pages(pages: list[str], subject: str) -> list[str]:
    return [flat(p) for p in pages if f"{subject} — записи уроков" in flat(p)]


def test_q4_after_year_end_prints_planned_held_lag(year_of_lessons, tmp_path) -> None:
    school = year_of_lessons
    out = tmp_path / "q4.pdf"
    result = export_register(_at(school, date(2027, 6, 10)), school.actors["deputy"], "5А", "Q4", "pdf", out)
    pages = pdf_pages(out)
    assert result.pages == len(pages)
    for n, page in enumerate(pages, 1):
        assert f"стр. {n} из {len(pages)}" in flat(page)
    # counted to the period's end (26 May), every topic of the plan due by then
    russian = _lessons_pages(pages, "Русский язык")[-1]
    assert (f"{HEAD} на 26.05.2027: уроков по КТП на год — 12; проведено — 9; отставание — 3") in russian
    maths = _lessons_pages(pages, "Математика")[-1]
    assert f"{HEAD} на 26.05.2027: уроков по КТП на год — 5; проведено — 6; отставание — 0" in maths
    english = _lessons_pages(pages, "Иностранный язык (английский) (Англ. гр. 1)")[-1]
    assert f"{HEAD} на 26.05.2027: КТП не заполнен; проведено уроков — 1" in english
    # only on the subjects' last lessons pages, once per subject
    assert sum(HEAD in flat(p) for p in pages) == 3


def test_during_q4_counts_to_yesterday_against_the_plan_due_by_then(year_of_lessons, tmp_path) -> None:
    school = year_of_lessons
    school.lesson("rus5", date(2027, 4, 13), 1, topic="Сегодняшний урок")  # today: may still be going on
    out = tmp_path / "q4.pdf"
    export_register(_at(school, date(2027, 4, 13)), school.actors["deputy"], "5А", "Q4", "pdf", out)
    russian = _lessons_pages(pdf_pages(out), "Русский язык")[-1]
    assert "Проведено уроков за период: 3" in russian  # the register lists today's lesson ...
    # ... the year's figures stop at yesterday: 11 of the 12 topics are dated by 12 April
    assert (f"{HEAD} на 12.04.2027: уроков по КТП на год — 12, к 12.04.2027 — 11; проведено — 9; "
            "отставание — 2") in russian


def test_figures_are_the_control_reports(year_of_lessons) -> None:
    school = year_of_lessons
    db = _at(school, date(2027, 4, 13))
    with db.uow() as uow:
        doc, _ = build_register_doc(uow, school.actors["deputy"], "5А", "Q4")
        report = control_report(uow, school.actors["deputy"], "Y")
    printed = {s.subject: s.year_plan for s in doc.sheets}
    rows = {r.subject: r.figures for r in report.rows if r.class_name == "5А"}
    for subject in ("Русский язык", "Математика"):
        plan, figures = printed[subject], rows[subject]
        assert (plan.planned, plan.held, plan.lag) == (figures.planned, figures.held, figures.plan_lag)
    assert (printed["Русский язык"].planned, printed["Русский язык"].lag) == (11, 2)


@pytest.mark.parametrize(("klass", "period", "expected"), [
    ("5А", "Q1", False), ("5А", "Q2", False), ("5А", "Q3", False), ("10А", "H1", False),
    ("10А", "H2", True), ("5А", "Y", True),
])
def test_only_the_years_last_period_has_the_figures(year_of_lessons, tmp_path, klass, period, expected) -> None:
    school = year_of_lessons
    out = tmp_path / f"{period}.pdf"
    export_register(_at(school, date(2027, 6, 10)), school.actors["deputy"], klass, period, "pdf", out)
    text = flat(" ".join(pdf_pages(out)))
    assert "записи уроков" in text
    assert (HEAD in text) is expected


def test_q2_export_by_todays_clock_has_no_figures(year_of_lessons, tmp_path) -> None:
    school = year_of_lessons
    out = tmp_path / "q2.pdf"
    export_register(school.db, school.actors["deputy"], "5А", "Q2", "pdf", out)
    text = flat(" ".join(pdf_pages(out)))
    assert "Правописание" in text and HEAD not in text and "КТП" not in text


def test_q4_xlsx_has_the_figures_under_the_lessons(year_of_lessons, tmp_path) -> None:
    school = year_of_lessons
    out = tmp_path / "q4.xlsx"
    export_register(_at(school, date(2027, 6, 10)), school.actors["deputy"], "5А", "Q4", "xlsx", out)
    ws = load_workbook(out)["Русский язык (уроки)"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(1, ws.max_row + 1)}
    assert "Итоги года на 26.05.2027" in cells
    assert (cells["Уроков по КТП на год"], cells["Проведено уроков"], cells["Отставание"]) == (12, 9, 3)
    lessons_head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "Тема урока")
    figures_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Уроков по КТП на год")
    assert figures_row > lessons_head + 2  # below the lessons' header and rows


def _doc(lessons: int, year_plan: YearPlan | None) -> RegisterDoc:
    """A hand-made Q4 register of one subject with `lessons` lessons and three pupils."""
    days = tuple(date(2027, 3, 31) + timedelta(days=i) for i in range(lessons))
    rows = tuple(MarkRow(i + 1, f"Ученикова{i} Мария", ("5",) * lessons, "5") for i in range(3))
    sheet = SubjectSheet("Русский язык", "", "Иванова Анна Петровна", 5, days, rows,
                         tuple(LessonRow(d, 1, "Повторение", "упр. 5", "Иванова А. П.") for d in days),
                         year_plan=year_plan)
    head = DocHead("Школа № 1", "5А", "2026/2027", "Иванова Анна Петровна", datetime(2027, 5, 27, 10),
                   period_code="Q4", period_start=days[0], period_end=days[-1])
    return RegisterDoc(head, (sheet,), ((2027, 4),), (), ())


@pytest.mark.parametrize("lessons", [LESSONS_WITH_YEAR, LESSONS_PER_PAGE, LESSONS_PER_PAGE + 1,
                                     2 * LESSONS_PER_PAGE])
def test_a_full_last_page_runs_on_and_the_numbering_follows(tmp_path, lessons: int) -> None:
    doc = _doc(lessons, YearPlan(date(2027, 5, 26), 34, 34, 30, 4))
    data, count = render_register(doc, find_font())
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    pages = pdf_pages(path)
    assert count == len(pages) == planned_pages(doc)
    # the year's line costs a page exactly when the last page's rows leave no room for it
    last_rows = lessons % LESSONS_PER_PAGE or LESSONS_PER_PAGE
    assert count - planned_pages(_doc(lessons, None)) == (1 if last_rows > LESSONS_WITH_YEAR else 0)
    for n, page in enumerate(pages, 1):
        assert f"стр. {n} из {count}" in flat(page)
    subject = [n for n, p in enumerate(pages, 1) if "Русский язык — " in flat(p)]
    lesson_pages = _lessons_pages(pages, "Русский язык")
    assert f"{HEAD} на 26.05.2027: уроков по КТП на год — 34; проведено — 30; отставание — 4" in lesson_pages[-1]
    assert not any(HEAD in p for p in lesson_pages[:-1])
    assert "Проведено уроков за период" in lesson_pages[-1]
    assert f"Русский язык Иванова Анна Петровна {subject[0]}–{subject[-1]}" in flat(pages[1])  # the contents

"""A year's calendar edited through services/year_calendar.py on both databases: refusals
change nothing and log nothing; quarters carry their half-year and year edges; holidays over
lessons wait for confirmation; only the school's keepers may edit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.services import year_calendar as yc
from tests.conftest import count_rows


def _spans(engine) -> dict[str, tuple[date, date]]:  # noqa: ANN001
    with Session(engine) as s:
        return {p.code: (p.start, p.end) for p in s.exec(select(m.Period))}


def _year(engine) -> tuple[date, date]:  # noqa: ANN001
    with Session(engine) as s:
        year = s.exec(select(m.AcademicYear)).one()
        return year.start, year.end


def test_a_refused_period_changes_nothing(school, engine) -> None:
    before, events = _spans(engine), count_rows(engine, m.AuditEvent)
    with school.uow() as uow, pytest.raises(InvalidInput, match="overlaps Q3"):
        yc.set_period_dates(uow, school.actors["deputy"], "Q2", date(2026, 11, 5), date(2027, 1, 15))
    with school.uow() as uow, pytest.raises(NotAllowed):
        yc.set_period_dates(uow, school.actors["ivanova"], "Q2", date(2026, 11, 5), date(2026, 12, 27))
    with school.uow() as uow, pytest.raises(NotFound):
        yc.set_period_dates(uow, school.actors["deputy"], "Q2", date(2026, 11, 5), date(2026, 12, 27), 2030)
    assert _spans(engine) == before and count_rows(engine, m.AuditEvent) == events


def test_the_last_quarter_carries_the_second_half_and_the_year(school, engine) -> None:
    with school.uow() as uow:
        moved = yc.set_period_dates(uow, school.actors["deputy"], "q4", date(2027, 3, 31), date(2027, 5, 29), 2026)
    assert list(moved) == ["Q4", "H2", "Y"]
    spans = _spans(engine)
    assert spans["H2"] == (date(2027, 1, 9), date(2027, 5, 29)) and spans["Y"] == _year(engine)
    assert _year(engine) == (date(2026, 9, 1), date(2027, 5, 29))
    with Session(engine) as s:
        actions = [e.action for e in s.exec(select(m.AuditEvent).order_by(m.AuditEvent.seq))]
    assert actions == ["period.dates"] * 3 + ["year.dates"]


def test_a_holiday_over_lessons_needs_confirmation(school, engine) -> None:
    for number in (1, 2):
        school.lesson("rus5", date(2026, 11, 18), number)
    actor = school.actors["deputy"]
    with school.uow() as uow, pytest.raises(yc.NeedsConfirmation) as refused:
        yc.add_holiday(uow, actor, date(2026, 11, 18), date(2026, 11, 18), "Карантин")
    assert refused.value.lessons == 2 and isinstance(refused.value, InvalidInput)
    assert count_rows(engine, m.Holiday) == 7
    with school.uow() as uow:
        hid = yc.add_holiday(uow, actor, date(2026, 11, 18), date(2026, 11, 18), "Карантин", confirm=True)
    with school.uow() as uow:  # a new name over the same day asks nothing again
        assert yc.edit_holiday(uow, actor, hid, name="Карантин по гриппу").name == "Карантин по гриппу"
    school.lesson("rus5", date(2026, 11, 19))
    with school.uow() as uow, pytest.raises(yc.NeedsConfirmation) as refused:
        yc.edit_holiday(uow, actor, hid, start=date(2026, 11, 19), end=date(2026, 11, 19))
    assert refused.value.lessons == 1


def test_an_old_broken_calendar_does_not_block_other_changes(school, engine) -> None:
    with Session(engine) as s:  # stored before the rules: H1 apart from the quarters
        h1 = s.exec(select(m.Period).where(m.Period.code == "H1")).one()
        h1.end = date(2026, 12, 20)
        s.add(h1)
        s.commit()
    with school.uow() as uow:
        yc.add_holiday(uow, school.actors["admin"], date(2026, 12, 1), date(2026, 12, 1), "Карантин")
    with school.uow() as uow:  # moving Q2 puts H1's end back in agreement
        yc.set_period_dates(uow, school.actors["admin"], "Q2", date(2026, 11, 5), date(2026, 12, 27))
    assert _spans(engine)["H1"] == (date(2026, 9, 1), date(2026, 12, 27))

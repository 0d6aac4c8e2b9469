"""The factory school exists on every backend and a teacher's mark lands with its audit."""

from __future__ import annotations

from datetime import date

from ejournal_tui.data import models as m
from ejournal_tui.services import marks
from tests.conftest import count_rows


def test_mark_lands_with_audit(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Волков"], "5")
    assert ref.value == "5" and ref.work_kind == "oral"
    assert count_rows(engine, m.Mark) == 1
    assert count_rows(engine, m.AuditEvent) == 1

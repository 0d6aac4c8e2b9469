"""A district: two copies of `tests.factory`'s school in one database, the second one
("school-b") with a register already written by its own staff.

Every person and subject of school B carries `FOREIGN` in its name, so a test can look for
that word in anything school A's services return: it must never appear there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, update
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.services import attendance, finals, lessons, marks
from ejournal_tui.services.accounts import actor_of, add_account
from ejournal_tui.services.context import Clock
from tests.factory import TestSchool, build_school

FOREIGN = "Чужаков"
B_ONLY_LOGIN = "b.only"
DAY = date(2026, 11, 19)  # Thursday before the frozen clock's Friday, in Q2 and H1


@dataclass
class SchoolBData:
    """Ids of rows school B's staff wrote in their own school."""

    lesson: int
    mark: int
    absence: int
    final: int
    plan_item: int
    slot: int
    homework: str


def build_district(engine: Engine, clock: Clock) -> tuple[TestSchool, TestSchool, SchoolBData]:
    """Schools A ("school-a") and B ("school-b") in one database, and B's written rows."""
    a = build_school(engine, clock)
    _recode(engine, a.school_id, "school-a")
    b = build_school(engine, clock)
    _recode(engine, b.school_id, "school-b")
    _mark_foreign(engine, b)
    return a, b, _fill_b(b)


def _recode(engine: Engine, school_id: int, code: str) -> None:
    with Session(engine) as s:
        s.execute(update(m.School).where(m.School.id == school_id).values(code=code, name=f"Школа {code}"))
        s.commit()


def _mark_foreign(engine: Engine, b: TestSchool) -> None:
    with Session(engine) as s:
        for model in (m.Staff, m.Pupil):
            s.execute(update(model).where(model.school_id == b.school_id)
                      .values(last_name=FOREIGN + model.last_name))
        s.execute(update(m.Subject).where(m.Subject.school_id == b.school_id)
                  .values(name=m.Subject.name + f" {FOREIGN}"))
        s.commit()
        for login, staff_id in b.staff.items():
            b.actors[login] = actor_of(s.get(m.Staff, staff_id))


def _fill_b(b: TestSchool) -> SchoolBData:
    petrov, ivanova, admin = b.actors["petrov"], b.actors["ivanova"], b.actors["admin"]
    homework = f"§ 12, {FOREIGN}"
    with b.uow() as uow:
        lesson = lessons.open_lesson(uow, petrov, b.loads["math5"], DAY, 2).id
    with b.uow() as uow:
        lessons.record_lesson(uow, petrov, lesson, topic=f"Дроби {FOREIGN}", homework=homework)
    with b.uow() as uow:
        mark = marks.add_mark(uow, petrov, lesson, b.pupils["Алексеев"], "5").id
    with b.uow() as uow:
        absence = attendance.set_attendance(uow, petrov, lesson, b.pupils["Борисова"], "absent").id
    with b.uow() as uow:
        attendance.set_reason(uow, ivanova, absence, "Б")
    with b.uow() as uow:
        final = finals.set_final_mark(uow, petrov, b.classes["10А"], b.subjects["Алгебра"], b.pupils["Ильин"],
                                      "period", "4", period_code="H1")
    with b.uow() as uow:
        add_account(uow, admin, B_ONLY_LOGIN, f"{FOREIGN} Борис", ["teacher"], "secret-pass-1", must_change=False)
    plan_item, slot = _plan_and_slot(b)
    return SchoolBData(lesson, mark, absence, final.id, plan_item, slot, homework)  # type: ignore[union-attr]


def _plan_and_slot(b: TestSchool) -> tuple[int, int]:
    with Session(b.db.engine) as s:
        item = m.PlanItem(school_id=b.school_id, load_id=b.loads["math5"], seq=1, topic=f"Дроби {FOREIGN}")
        slot = m.TimetableSlot(school_id=b.school_id, load_id=b.loads["math5"], weekday=DAY.isoweekday(), number=2)
        s.add_all([item, slot])
        s.commit()
        return item.id, slot.id  # type: ignore[return-value]

"""A small school with known gaps for the control reports, on top of `tests.factory`.

The week of 16–20 November 2026 (the clock stands at Friday the 20th, so Monday–Thursday
are counted):
- 5А Русский язык (ivanova, slots Mon–Fri #1, plan dated 16–20 Nov): lessons Mon 16 (in
  order), Tue 17 (no topic; homework entered at 20:00, past 11:10), Wed 18 (no homework;
  entered on the 20th, two days late); nothing on Thu 19.
  Marks: Алексеев 2, Борисова 1, Волков none, Григорьева 3 (an oral mark of the 17th entered on
  the 19th: late), Дмитриев 1. Дмитриев absent on the 16th, no reason yet.
- 5А Математика (petrov, slots Mon #2 and Wed #2, undated plan of 170 topics): Mon 16 held by
  smirnova as a substitute (no homework), Wed 18 by petrov; no marks.
- 5А English group (smirnova, slot Fri #2): in Q1 one lesson with marks Алексеев 5/4/5,
  Борисова 2, Волков none.
- Q1 also: 1 October Russian and maths lessons with six marks each for Алексеев (5) and
  Дмитриев (4); Дмитриев absent without a good reason (Н) at both lessons of 5 October; the
  school's `risk_unexcused_lessons` is 2; Алексеев's Q1 Russian mark is 5.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from ejournal_tui.data import models as m

WEEK = date(2026, 11, 16)
AS_OF = date(2026, 11, 20)


@pytest.fixture
def utc_tz(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Local time is UTC, so that entry deadlines read the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


class Gaps:
    """Writes rows straight into the factory school's database."""

    def __init__(self, school) -> None:  # noqa: ANN001
        self.school = school
        self.s = Session(school.db.engine)
        self.lessons: dict[str, int] = {}

    def load(self, key: str) -> m.TeachingLoad:
        return self.s.get(m.TeachingLoad, self.school.loads[key])

    def slots(self, key: str, *slots: tuple[int, int]) -> None:
        for weekday, number in slots:
            self.s.add(m.TimetableSlot(school_id=self.school.school_id, load_id=self.school.loads[key],
                                       weekday=weekday, number=number))

    def plan(self, key: str, n: int, dated_from: date | None = None) -> None:
        for seq in range(1, n + 1):
            day = date.fromordinal(dated_from.toordinal() + seq - 1) if dated_from else None
            self.s.add(m.PlanItem(school_id=self.school.school_id, load_id=self.school.loads[key], seq=seq,
                                  topic=f"Тема {seq}", planned_date=day))

    def lesson(self, name: str, key: str, day: date, number: int = 1, *, topic: str = "Тема", homework: str = "",
               created: datetime | None = None, homework_at: datetime | None = None, held_by: str | None = None) -> int:
        ld = self.load(key)
        teacher = self.school.staff[held_by] if held_by else ld.teacher_id
        row = m.Lesson(school_id=self.school.school_id, load_id=ld.id, class_id=ld.class_id, group_id=ld.group_id,
                       subject_id=ld.subject_id, date=day, number=number, topic=topic, homework=homework,
                       homework_at=homework_at if homework else None, teacher_id=teacher,
                       substitute_for_id=ld.teacher_id if held_by else None,
                       created_at=created or at(day, 9), updated_at=created or at(day, 9))
        self.s.add(row)
        self.s.flush()
        self.lessons[name] = row.id
        return row.id

    def marks(self, lesson: str, pupil: str, values: str, kind: str = "oral", entered: datetime | None = None) -> None:
        row = self.s.get(m.Lesson, self.lessons[lesson])
        for value in values.split():
            self.s.add(m.Mark(school_id=self.school.school_id, lesson_id=row.id, pupil_id=self.school.pupils[pupil],
                              value=value, work_kind=kind, weight=1.0, entered_by=row.teacher_id,
                              entered_at=entered or at(row.date, 10)))

    def absent(self, lesson: str, pupil: str, reason: str | None = None) -> None:
        row = self.s.get(m.Lesson, self.lessons[lesson])
        self.s.add(m.Attendance(school_id=self.school.school_id, lesson_id=row.id, pupil_id=self.school.pupils[pupil],
                                status="absent", reason=reason, entered_by=row.teacher_id, entered_at=at(row.date, 10)))

    def commit(self) -> None:
        self.s.commit()
        self.s.close()


def build_gaps(school) -> dict[str, int]:  # noqa: ANN001
    g = Gaps(school)
    g.slots("rus5", (1, 1), (2, 1), (3, 1), (4, 1), (5, 1))
    g.slots("math5", (1, 2), (3, 2))
    g.slots("eng5", (5, 2))
    g.plan("rus5", 5, dated_from=WEEK)
    g.plan("math5", 170)
    g.lesson("mon", "rus5", WEEK, 1, topic="Т1", homework="упр. 1", homework_at=at(WEEK, 9, 30))
    g.lesson("tue", "rus5", date(2026, 11, 17), 1, topic="", homework="упр. 2", homework_at=at(date(2026, 11, 17), 20))
    g.lesson("wed", "rus5", date(2026, 11, 18), 1, topic="Т3", created=at(AS_OF, 9))
    g.lesson("math_mon", "math5", WEEK, 2, topic="Дроби", held_by="smirnova")
    g.lesson("math_wed", "math5", date(2026, 11, 18), 2, topic="Дроби", homework="№ 5",
             homework_at=at(date(2026, 11, 18), 11, 30))
    g.marks("mon", "Алексеев", "5")
    g.marks("mon", "Алексеев", "4", kind="written")
    g.marks("mon", "Борисова", "4")
    g.marks("mon", "Григорьева", "4")
    g.marks("tue", "Григорьева", "3", entered=at(date(2026, 11, 19), 12))
    g.marks("wed", "Григорьева", "5", kind="control", entered=at(AS_OF, 9))
    g.marks("tue", "Дмитриев", "4", kind="test")
    g.absent("mon", "Дмитриев")
    g.absent("math_wed", "Григорьева", "Б")
    _first_quarter(g)
    g.s.add(m.Setting(school_id=school.school_id, key="risk_unexcused_lessons", value="2"))
    g.s.add(m.FinalMark(school_id=school.school_id, year_id=school.year_id, class_id=school.classes["5А"],
                        pupil_id=school.pupils["Алексеев"], subject_id=school.subjects["Русский язык"], kind="period",
                        period_code="Q1", value="5", entered_by=school.staff["ivanova"]))
    lessons = dict(g.lessons)
    g.commit()
    school.db.forget()
    return lessons


def _first_quarter(g: Gaps) -> None:
    oct1, oct2, oct5 = date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)
    g.lesson("q1_eng", "eng5", oct2, 2)
    g.marks("q1_eng", "Алексеев", "5 4 5")
    g.marks("q1_eng", "Борисова", "2")
    g.lesson("q1_rus", "rus5", oct1, 1, homework="упр.", homework_at=at(oct1, 9))
    g.lesson("q1_math", "math5", oct1, 2, homework="№ 1", homework_at=at(oct1, 9))
    for lesson in ("q1_rus", "q1_math"):
        g.marks(lesson, "Алексеев", "5 5 5 5 5 5")
        g.marks(lesson, "Дмитриев", "4 4 4 4 4 4")
    g.lesson("q1_rus_5", "rus5", oct5, 1, homework="упр.", homework_at=at(oct5, 9))
    g.lesson("q1_math_5", "math5", oct5, 2, homework="№ 2", homework_at=at(oct5, 9))
    g.absent("q1_rus_5", "Дмитриев", "Н")
    g.absent("q1_math_5", "Дмитриев", "Н")


@pytest.fixture
def gaps(school, utc_tz):  # noqa: ANN001, ANN201
    return build_gaps(school)


def test_gap_school_is_built(school, gaps) -> None:  # noqa: ANN001
    with school.uow() as uow:
        assert uow.session.get(m.Lesson, gaps["tue"]).topic == ""
        assert uow.settings.extra["risk_unexcused_lessons"] == 2

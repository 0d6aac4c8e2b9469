"""The demo school's daily life up to the as-of date: lessons with topics and homework, marks
of several kinds, absences with reasons, lateness, substitutions, and closed periods with
their final marks."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta, timezone

from ejournal_tui.data import models as m
from ejournal_tui.demo.rows import RowSet
from ejournal_tui.demo.structure import Klass, Load, School
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain.marks import average, suggest_mark
from ejournal_tui.domain.reference import DEFAULT_KINDS
from ejournal_tui.domain.settings import RuleSettings

MSK = timezone(timedelta(hours=3))
WRITTEN_BY_SUBJECT = {"Русский язык": "dictation", "Физика": "lab", "Химия": "lab", "Биология": "lab",
                      "Информатика": "practical", "Труд (технология)": "practical"}
# Rules on ids, not draws, so they leave the rest of the demo as it is: a load's lesson whose
# homework runs over several lines on paper, and a pupil late for a lesson with two marks («оп 5/4»)
LONG_HOMEWORK_EVERY, LATE_WITH_TWO_MARKS_EVERY = 53, 13


def stamp(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), MSK).astimezone(UTC)


class Life:
    """Generates lessons and everything recorded at them, one school day at a time."""

    def __init__(self, rows: RowSet, rng: random.Random, school: School, spec: dict, as_of: date) -> None:
        self.rows, self.rng, self.school, self.spec, self.as_of = rows, rng, school, spec, as_of
        self.settings = RuleSettings()
        self.weights = {kind.code: kind.weight for kind in DEFAULT_KINDS}
        self.ability = {}
        self.plan_pos: dict[int, int] = defaultdict(int)
        self.sick: dict[int, date] = {}  # pupil -> last day of the current illness
        self.marks_by: dict[tuple[int, int, str], list[tuple[str, float]]] = defaultdict(list)
        self.members: dict[int, list[tuple[int, date, date | None]]] = {}
        self.group_members: dict[int, set[int]] = {}
        self.teachers = [t.id for t in school.teachers]
        for klass in school.classes:
            self.members[klass.id] = klass.pupils
            for pid, _, _ in klass.pupils:
                self.ability.setdefault(pid, rng.uniform(2.7, 4.9))
        for row in rows.rows[m.GroupMember]:
            self.group_members.setdefault(row["group_id"], set()).add(row["pupil_id"])

    def run(self) -> None:
        year = self.school.periods["Y"]
        end = min(self.as_of - timedelta(days=1), year[2])
        for day in cal.school_days(year[1], end, self.school.holidays):
            self._illnesses(day)
            for number, loads in self.school.slots.get(day.isoweekday(), []):
                for ld in loads:
                    self._lesson(ld, day, number)

    def _illnesses(self, day: date) -> None:
        for klass in self.school.classes:
            for pid, _, _ in klass.pupils:
                if pid not in self.sick and self.rng.random() < 0.008:
                    self.sick[pid] = day + timedelta(days=self.rng.randint(1, 7))
        for pid, until in list(self.sick.items()):
            if until < day:
                del self.sick[pid]

    def _pupils(self, ld: Load, day: date) -> list[int]:
        present = [p for p, a, b in self.members[ld.class_id] if a <= day and (b is None or day <= b)]
        if ld.group_id is not None:
            group = self.group_members[ld.group_id]
            present = [p for p in present if p in group]
        return present

    def _lesson(self, ld: Load, day: date, number: int) -> None:
        rng = self.rng
        pos = self.plan_pos[ld.id]
        self.plan_pos[ld.id] = pos + 1
        plan_id, topic, kind = ld.plan[min(pos, len(ld.plan) - 1)]
        recent = (self.as_of - day).days <= 3
        if recent and rng.random() < 0.08:
            topic, plan_id = "", None  # a few gaps for the control report
        work_kind = "control" if kind else ("oral" if rng.random() < 0.85 else WRITTEN_BY_SUBJECT.get(ld.subject, "written"))
        if ld.grade == 1 and work_kind != "oral":
            work_kind = "oral"
        homework = "" if ld.grade == 1 or (recent and rng.random() < 0.1) else self._homework()
        if homework and (ld.id * 13 + pos) % LONG_HOMEWORK_EVERY == 5:
            homework = self._long_homework(ld.id, pos)
        teacher, sub_for = ld.teacher_id, None
        if rng.random() < 0.006:
            teacher, sub_for = rng.choice([t for t in self.teachers if t != ld.teacher_id]), ld.teacher_id
        entered = stamp(day, 15, rng.randint(0, 59))
        lesson_id = self.rows.add(
            m.Lesson, school_id=self.school.id, load_id=ld.id, class_id=ld.class_id, group_id=ld.group_id,
            subject_id=ld.subject_id, date=day, number=number, topic=topic, plan_item_id=plan_id, homework=homework,
            homework_at=entered if homework else None, work_kind=work_kind, teacher_id=teacher,
            substitute_for_id=sub_for, late_entry=False, late_reason="", created_at=entered, updated_at=entered,
            version=1)
        for pid in self._pupils(ld, day):
            status = self._attendance(lesson_id, pid, day, teacher, entered)
            if status == "absent" or ld.grade == 1:
                continue
            given = self._marks(ld, lesson_id, pid, day, work_kind, teacher, entered)
            if given == 2 and status is None and (lesson_id * 7 + pid) % LATE_WITH_TWO_MARKS_EVERY == 0:
                self._record(lesson_id, pid, "late", "О", teacher, entered)

    def _homework(self) -> str:
        template = self.rng.choice(self.spec["homework"])
        n = self.rng.randint(3, 250)
        return template.format(n=n, m=n + self.rng.randint(1, 9))

    def _long_homework(self, load_id: int, pos: int) -> str:
        templates = self.spec["long_homework"]
        n = 3 + (load_id * 31 + pos * 17) % 240
        return templates[(load_id + pos) % len(templates)].format(n=n, m=n + 1 + pos % 9)

    def _attendance(self, lesson_id: int, pid: int, day: date, teacher: int, entered: datetime) -> str | None:
        """Records an absence or lateness; its status ("absent", "late"), None when neither."""
        rng = self.rng
        # the class leader codes a recent day's absences all at once, or not yet
        coded = (self.as_of - day).days > 4 or (pid * 31 + day.toordinal()) % 2 == 0
        status, reason = None, None
        if pid in self.sick:
            status, reason = "absent", ("Б" if coded else None)
        elif rng.random() < 0.008:
            status, reason = "absent", (rng.choice("УННУ") if coded else None)
        elif rng.random() < 0.005:
            status, reason = "late", "О"
        if status is not None:
            self._record(lesson_id, pid, status, reason, teacher, entered)
        return status

    def _record(self, lesson_id: int, pid: int, status: str, reason: str | None, teacher: int,
                entered: datetime) -> None:
        self.rows.add(m.Attendance, school_id=self.school.id, lesson_id=lesson_id, pupil_id=pid, status=status,
                      reason=reason, note_id=None, entered_by=teacher, entered_at=entered, version=1)

    def _marks(self, ld: Load, lesson_id: int, pid: int, day: date, kind: str, teacher: int, entered: datetime) -> int:
        """Marks the pupil got at the lesson; how many (0, 1 or 2)."""
        rng = self.rng
        chance = 0.95 if kind != "oral" else (0.3 if ld.hours <= 3 else 0.22)
        if rng.random() >= chance:
            return 0
        value = str(min(5, max(2, round(rng.gauss(self.ability[pid], 0.75)))))
        self._mark(ld, lesson_id, pid, day, value, kind, teacher, entered)
        if kind == "dictation" and rng.random() < 0.6:  # a dictation gets two marks: spelling and task
            second = str(min(5, max(2, round(rng.gauss(self.ability[pid], 0.6)))))
            self._mark(ld, lesson_id, pid, day, second, kind, teacher, entered)
            return 2
        return 1

    def _mark(self, ld: Load, lesson_id: int, pid: int, day: date, value: str, kind: str, teacher: int,
              entered: datetime) -> None:
        weight = self.weights[kind]
        comment = "Отличный ответ у доски" if value == "5" and self.rng.random() < 0.02 else ""
        self.rows.add(m.Mark, school_id=self.school.id, lesson_id=lesson_id, pupil_id=pid, value=value,
                      work_kind=kind, weight=weight, comment=comment, entered_by=teacher, entered_at=entered,
                      late_entry=False, version=1)
        for code, (_, start, end) in self.school.periods.items():
            if start <= day <= end:
                self.marks_by[(pid, ld.id, code)].append((value, weight))


def close_past_periods(rows: RowSet, school: School, life: Life, as_of: date, by: int) -> None:
    """Periods that ended before the as-of date are closed with their final marks."""
    settings = life.settings
    for klass in school.classes:
        for code in cal.periods_for_grade(klass.grade, settings):
            pid, _start, end = school.periods[code]
            if end >= as_of:
                continue
            at = stamp(end + timedelta(days=3), 16)
            if klass.grade > 1:
                _finals(rows, school, life, klass, code, by, at)
            rows.add(m.PeriodClosure, school_id=school.id, period_id=pid, class_id=klass.id, closed=True,
                     changed_at=at, changed_by="deputy", reason="", version=1)


def _finals(rows: RowSet, school: School, life: Life, klass: Klass, code: str, by: int, at: datetime) -> None:
    end = school.periods[code][2]
    for ld in (x for x in school.loads if x.class_id == klass.id):
        members = life._pupils(ld, end)
        for pid in members:
            marks = life.marks_by.get((pid, ld.id, code), [])
            value = suggest_mark(average(marks, life.settings), life.settings) if marks else "н/а"
            rows.add(m.FinalMark, school_id=school.id, year_id=school.year_id, class_id=klass.id, pupil_id=pid,
                     subject_id=ld.subject_id, kind="period", period_code=code, value=value, entered_by=ld.teacher_id,
                     entered_at=at, version=1)

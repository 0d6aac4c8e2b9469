"""A small school with known people and lessons, built directly in the database so that
service tests can assert exact outcomes.

- 5А (grade 5, quarters): leader and Russian teacher `ivanova`; maths `petrov`; English
  group 1 (first three pupils) `smirnova`. Pupils Алексеев, Борисова, Волков, Григорьева,
  Дмитриев; Егоров left on 2026-10-15.
- 1А (grade 1, no marks): `kozlova` teaches maths and leads the class.
- 10А (grade 10, half-years): `petrov` teaches algebra.
- Q1 (to 2026-10-24) is closed for 1А and 5А. The clock stands at 2026-11-20 10:00 UTC.
- Accounts: admin, deputy, secretary, ivanova, petrov, smirnova, kozlova; password "password1".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import reference as ref
from ejournal_tui.services.accounts import actor_of, hash_password
from ejournal_tui.services.context import Actor, Clock, Database

PASSWORD = "password1"
_HASH: list[str] = []


def password_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


@dataclass
class TestSchool:
    db: Database
    school_id: int
    year_id: int
    classes: dict[str, int] = field(default_factory=dict)
    pupils: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    subjects: dict[str, int] = field(default_factory=dict)
    loads: dict[str, int] = field(default_factory=dict)
    periods: dict[str, int] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)

    def uow(self):  # noqa: ANN201
        return self.db.uow()

    def lesson(self, load: str, day: date, number: int = 1, topic: str = "", work_kind: str = "") -> int:
        """A lesson row as if the timetable had produced it (no service checks)."""
        with Session(self.db.engine) as s:
            ld = s.get(m.TeachingLoad, self.loads[load])
            lesson = m.Lesson(school_id=self.school_id, load_id=ld.id, class_id=ld.class_id, group_id=ld.group_id,
                              subject_id=ld.subject_id, date=day, number=number, topic=topic, work_kind=work_kind,
                              teacher_id=ld.teacher_id)
            s.add(lesson)
            s.commit()
            return lesson.id


def build_school(engine: Engine, clock: Clock) -> TestSchool:
    with Session(engine) as s:
        school = m.School(code="test", name="Тестовая школа № 1", city="Тест")
        s.add(school)
        s.flush()
        sid = school.id
        periods = cal.default_periods(2026)
        year = m.AcademicYear(school_id=sid, start_year=2026, start=periods["Y"].start, end=periods["Y"].end)
        s.add(year)
        s.flush()
        ts = TestSchool(Database(engine, sid, clock), sid, year.id)
        for span in periods.values():
            p = m.Period(school_id=sid, year_id=year.id, code=span.code, start=span.start, end=span.end)
            s.add(p)
            s.flush()
            ts.periods[span.code] = p.id
        for a, b, name in cal.default_holidays(2026):
            s.add(m.Holiday(school_id=sid, year_id=year.id, start=a, end=b, name=name))
        for i, kind in enumerate(ref.DEFAULT_KINDS):
            s.add(m.WorkKind(school_id=sid, code=kind.code, name=kind.name, weight=kind.weight,
                             category=kind.category, order=i))
        for code, name in ref.DEFAULT_REASONS:
            s.add(m.AbsenceReason(school_id=sid, code=code, name=name, category=ref.REASON_CATEGORIES[code]))
        for i, (a, b) in enumerate(ref.DEFAULT_BELLS, 1):
            s.add(m.BellTime(school_id=sid, number=i, start=a, end=b))
        _people(s, ts, sid, year.id)
        s.commit()
        for login, sid_ in ts.staff.items():
            ts.actors[login] = actor_of(s.get(m.Staff, sid_))
    return ts


def _people(s: Session, ts: TestSchool, sid: int, year_id: int) -> None:
    staff = {
        "admin": ("Админов Артём Сергеевич", "sysadmin,admin"),
        "deputy": ("Завучева Зоя Петровна", "deputy"),
        "secretary": ("Секретарёва Светлана Ивановна", "secretary"),
        "ivanova": ("Иванова Анна Петровна", "teacher,class_leader"),
        "petrov": ("Петров Павел Ильич", "teacher"),
        "smirnova": ("Смирнова Елена Олеговна", "teacher"),
        "kozlova": ("Козлова Ксения Юрьевна", "teacher,class_leader"),
    }
    for login, (name, roles) in staff.items():
        last, first, patr = name.split()
        row = m.Staff(school_id=sid, login=login, last_name=last, first_name=first, patronymic=patr, roles=roles,
                      password_hash=password_hash(), must_change_password=False)
        s.add(row)
        s.flush()
        ts.staff[login] = row.id
    for i, name in enumerate(("Русский язык", "Математика", "Алгебра", "Иностранный язык (английский)")):
        row = m.Subject(school_id=sid, name=name, short_name=name[:3], order=i)
        s.add(row)
        s.flush()
        ts.subjects[name] = row.id
    leaders = {"5А": ts.staff["ivanova"], "1А": ts.staff["kozlova"], "10А": None}
    for name, grade in (("5А", 5), ("1А", 1), ("10А", 10)):
        row = m.SchoolClass(school_id=sid, year_id=year_id, grade=grade, letter="А", name=name, leader_id=leaders[name])
        s.add(row)
        s.flush()
        ts.classes[name] = row.id
    start = date(2026, 9, 1)
    pupils = {
        "5А": ["Алексеев Антон", "Борисова Бэлла", "Волков Виктор", "Григорьева Галина", "Дмитриев Денис", "Егоров Егор"],
        "1А": ["Жуков Жора", "Зайцева Зина"],
        "10А": ["Ильин Игорь", "Климова Ксения", "Лебедев Лев"],
    }
    for klass, names in pupils.items():
        for full in names:
            last, first = full.split()
            p = m.Pupil(school_id=sid, last_name=last, first_name=first, birth_date=date(2015, 5, 5))
            s.add(p)
            s.flush()
            ts.pupils[last] = p.id
            end = date(2026, 10, 15) if last == "Егоров" else None
            s.add(m.Membership(school_id=sid, pupil_id=p.id, class_id=ts.classes[klass], start=start, end=end))
    group = m.StudyGroup(school_id=sid, class_id=ts.classes["5А"], name="Англ. гр. 1")
    s.add(group)
    s.flush()
    for last in ("Алексеев", "Борисова", "Волков"):
        s.add(m.GroupMember(group_id=group.id, pupil_id=ts.pupils[last], start=start))
    loads = {
        "rus5": ("ivanova", "5А", "Русский язык", None, 5.0),
        "math5": ("petrov", "5А", "Математика", None, 5.0),
        "eng5": ("smirnova", "5А", "Иностранный язык (английский)", group.id, 1.0),
        "math1": ("kozlova", "1А", "Математика", None, 4.0),
        "alg10": ("petrov", "10А", "Алгебра", None, 3.0),
    }
    for key, (teacher, klass, subject, gid, hours) in loads.items():
        row = m.TeachingLoad(school_id=sid, year_id=year_id, teacher_id=ts.staff[teacher], class_id=ts.classes[klass],
                             group_id=gid, subject_id=ts.subjects[subject], hours_per_week=hours)
        s.add(row)
        s.flush()
        ts.loads[key] = row.id
    for klass in ("5А", "1А"):
        s.add(m.PeriodClosure(school_id=sid, period_id=ts.periods["Q1"], class_id=ts.classes[klass], closed=True))

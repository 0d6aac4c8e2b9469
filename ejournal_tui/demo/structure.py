"""The demo school's structure: year, periods, staff, classes, pupils, subjects, groups,
teaching load and the weekly timetable."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date

from ejournal_tui.data import models as m
from ejournal_tui.demo.people import NameMaker, Person, login_for, with_second_surname
from ejournal_tui.demo.rows import RowSet
from ejournal_tui.domain import calendar as cal
from ejournal_tui.domain import reference as ref
from ejournal_tui.services.reference import SHORT_NAMES_KEY

# subjects taught by one teacher together
FAMILIES = [
    ["Русский язык", "Литература"], ["Математика", "Алгебра", "Геометрия"], ["История", "Обществознание"],
    ["Иностранный язык (английский)"], ["Информатика"], ["Физика"], ["Химия", "Биология"], ["География"],
    ["Музыка"], ["Изобразительное искусство"], ["Труд (технология)"], ["Физическая культура"], ["ОБЗР"],
]
PRIMARY_SPECIALISTS = {"Иностранный язык (английский)", "Музыка", "Физическая культура"}
MAX_HOURS = 26
# grades whose first class has a pupil with a double-barrelled surname (a long name for the
# printed register to fit), a girl, a boy, a girl
DOUBLE_SURNAME_GRADES = (5, 7, 10)
# plan positions of a subject's long topics: lessons of the first weeks, so of the first period
LONG_TOPIC_AT = (3, 6)


@dataclass
class Load:
    id: int
    teacher_id: int
    class_id: int
    group_id: int | None
    subject: str
    subject_id: int
    hours: int
    grade: int
    plan: list[tuple[int, str, str]] = field(default_factory=list)  # (plan item id, topic, kind)


@dataclass
class Klass:
    id: int
    grade: int
    name: str
    leader_id: int | None
    pupils: list[tuple[int, date, date | None]] = field(default_factory=list)  # (pupil, start, end)
    groups: dict[str, list[list[int]]] = field(default_factory=dict)  # subject -> [group1 pupils, group2]
    group_ids: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Teacher:
    id: int
    person: Person
    family: int
    hours: int = 0


@dataclass
class School:
    id: int
    year_id: int
    start_year: int
    periods: dict[str, tuple[int, date, date]]
    holidays: list[tuple[date, date]]
    subject_ids: dict[str, int]
    classes: list[Klass]
    teachers: list[Teacher]
    loads: list[Load]
    slots: dict[int, list[tuple[int, list[Load]]]]  # weekday -> [(number, loads in that slot)]
    staff_ids: dict[str, int]  # demo logins -> staff id


def class_plan(size: str) -> list[tuple[int, str]]:
    if size == "small":
        return [(1, "А"), (5, "А"), (7, "Б"), (10, "А")]
    classes = [(g, letter) for g in range(1, 10) for letter in "АБВ"]
    return classes + [(10, "А"), (10, "Б"), (11, "А"), (11, "Б")]


def build_structure(
    rows: RowSet, rng: random.Random, names: NameMaker, spec: dict, size: str, start_year: int,
    code: str, school_name: str, password_hash: str, pupils_per_class: int,
) -> School:
    school_id = rows.add(m.School, code=code, name=school_name, city=spec["city"], director="", is_demo=True)
    year = cal.default_periods(start_year)
    year_id = rows.add(m.AcademicYear, school_id=school_id, start_year=start_year, start=year["Y"].start,
                       end=year["Y"].end, six_day_week=False)
    periods = {}
    for span in year.values():
        pid = rows.add(m.Period, school_id=school_id, year_id=year_id, code=span.code, start=span.start, end=span.end)
        periods[span.code] = (pid, span.start, span.end)
    holidays = []
    for a, b, label in cal.default_holidays(start_year):
        rows.add(m.Holiday, school_id=school_id, year_id=year_id, start=a, end=b, name=label)
        holidays.append((a, b))
    # the reference data a school gets from `school create` (domain/reference.py)
    for i, (start, end) in enumerate(ref.DEFAULT_BELLS, 1):
        rows.add(m.BellTime, school_id=school_id, number=i, start=start, end=end)
    for i, kind in enumerate(ref.DEFAULT_KINDS):
        rows.add(m.WorkKind, school_id=school_id, code=kind.code, name=kind.name, weight=kind.weight,
                 category=kind.category, order=i)
    rows.add(m.Setting, school_id=school_id, key=SHORT_NAMES_KEY,
             value=json.dumps({k.code: k.short for k in ref.DEFAULT_KINDS}, ensure_ascii=False, sort_keys=True))
    for rcode, rname in ref.DEFAULT_REASONS:
        rows.add(m.AbsenceReason, school_id=school_id, code=rcode, name=rname, category=ref.REASON_CATEGORIES[rcode])
    subject_ids = {}
    for i, (sname, sdef) in enumerate(spec["subjects"].items()):
        subject_ids[sname] = rows.add(m.Subject, school_id=school_id, name=sname, short_name=sdef["short"], order=i)
    school = School(school_id, year_id, start_year, periods, holidays, subject_ids, [], [], [], {}, {})
    _staff(rows, rng, names, school, password_hash)
    _classes(rows, rng, names, school, size, pupils_per_class)
    _double_surnames(rows, school, spec["double_surnames"])
    _loads(rows, rng, names, school, spec, password_hash)
    _timetable(rows, school)
    _plans(rows, school, spec)
    return school


def _add_staff(rows: RowSet, school: School, person: Person, login: str, roles: str, password_hash: str) -> int:
    return rows.add(m.Staff, school_id=school.id, login=login, last_name=person.last_name,
                    first_name=person.first_name, patronymic=person.patronymic, roles=roles,
                    password_hash=password_hash, must_change_password=False, failed_logins=0, disabled=False,
                    version=1)


def _staff(rows: RowSet, rng: random.Random, names: NameMaker, school: School, password_hash: str) -> None:
    for login, roles in (("admin", "sysadmin,admin"), ("director", "director"), ("deputy", "deputy"),
                         ("secretary", "secretary")):
        school.staff_ids[login] = _add_staff(rows, school, names.person("ж" if login != "admin" else "м"),
                                             login, roles, password_hash)


def _classes(rows: RowSet, rng: random.Random, names: NameMaker, school: School, size: str, per_class: int) -> None:
    start = date(school.start_year, 9, 1)
    file_no = 1
    for grade, letter in class_plan(size):
        cid = rows.add(m.SchoolClass, school_id=school.id, year_id=school.year_id, grade=grade, letter=letter,
                       name=f"{grade}{letter}", leader_id=None)
        klass = Klass(cid, grade, f"{grade}{letter}", None)
        count = per_class + rng.randint(-3, 3) - (4 if grade >= 10 else 0)
        for _ in range(count):
            person = names.person()
            birth = date(school.start_year - 6 - grade, rng.randint(1, 12), rng.randint(1, 28))
            parents = f"{names.parent(person, 'ж')}, {names.phone()}; {names.parent(person, 'м')}"
            pid = rows.add(m.Pupil, school_id=school.id, last_name=person.last_name, first_name=person.first_name,
                           patronymic=person.patronymic, birth_date=birth, gender=person.gender,
                           personal_file_no=f"{person.last_name[0]}-{file_no:04d}", parents=parents,
                           phone=names.phone())
            file_no += 1
            klass.pupils.append((pid, start, None))
        school.classes.append(klass)
    _moves(rows, rng, school)
    for klass in school.classes:
        for pid, a, b in klass.pupils:
            rows.add(m.Membership, school_id=school.id, pupil_id=pid, class_id=klass.id, start=a, end=b)


def _double_surnames(rows: RowSet, school: School, seconds: list[str]) -> None:
    """In the first class of each grade of DOUBLE_SURNAME_GRADES, the first pupil drawn whose
    surname no classmate's begins with gets a second surname (no draw: the rest of the demo
    stays as it is, and so does the class's alphabetical order)."""
    by_id = {r["id"]: r for r in rows.rows[m.Pupil]}
    for i, grade in enumerate(DOUBLE_SURNAME_GRADES):
        klass = next((k for k in school.classes if k.grade == grade), None)
        if klass is None:
            continue
        pupils = [by_id[pid] for pid, _, _ in klass.pupils]
        alone = [p for p in pupils
                 if not any(o is not p and o["last_name"].startswith(p["last_name"]) for o in pupils)]
        chosen = next((p for p in alone if p["gender"] == "жм"[i % 2]), alone[0] if alone else None)
        if chosen is not None:
            with_second_surname(chosen, seconds[i % len(seconds)])


def _moves(rows: RowSet, rng: random.Random, school: School) -> None:
    """One pupil leaves mid-autumn and one moves to the parallel class or arrives late."""
    marked = [k for k in school.classes if k.grade == 5] or school.classes[:1]
    leaving = marked[0]
    pid, start, _ = leaving.pupils[-1]
    leaving.pupils[-1] = (pid, start, date(school.start_year, 10, 15))
    if len(marked) > 1:
        target = marked[1]
        pid, start, _ = target.pupils[0]
        target.pupils[0] = (pid, start, date(school.start_year, 9, 30))
        leaving.pupils.append((pid, date(school.start_year, 10, 1), None))


def _group_split(klass: Klass, rows: RowSet, school: School, subject: str) -> list[int]:
    if subject in klass.group_ids:
        return klass.group_ids[subject]
    ordered = sorted(klass.pupils, key=lambda p: p[0])
    half = (len(ordered) + 1) // 2
    ids = []
    for i, part in enumerate((ordered[:half], ordered[half:]), 1):
        gid = rows.add(m.StudyGroup, school_id=school.id, class_id=klass.id, name=f"{subject.split()[0][:4]}. гр. {i}")
        for pid, a, b in part:
            rows.add(m.GroupMember, group_id=gid, pupil_id=pid, start=a, end=b)
        ids.append(gid)
    klass.group_ids[subject] = ids
    return ids


def _teacher_for(rows: RowSet, names: NameMaker, school: School, family: int, hours: int, password_hash: str,
                 taken: set[str], exclude: int | None = None) -> Teacher:
    for t in school.teachers:
        if t.family == family and t.hours + hours <= MAX_HOURS and t.id != exclude:
            return t
    person = names.person("ж" if names.rng.random() < 0.8 else "м")
    tid = _add_staff(rows, school, person, login_for(person, taken), "teacher", password_hash)
    teacher = Teacher(tid, person, family)
    school.teachers.append(teacher)
    return teacher


def _family_of(subject: str) -> int:
    for i, fam in enumerate(FAMILIES):
        if subject in fam:
            return i
    raise KeyError(subject)


def _loads(rows: RowSet, rng: random.Random, names: NameMaker, school: School, spec: dict, pw: str) -> None:
    taken = {"admin", "director", "deputy", "secretary", "teacher"}
    # the demo's "teacher": Russian and literature, leads the first 5th class
    primary_family = len(FAMILIES)
    for klass in school.classes:
        primary = None
        if klass.grade <= 4:
            person = names.person("ж")
            primary = Teacher(_add_staff(rows, school, person, login_for(person, taken), "teacher,class_leader", pw),
                              person, primary_family)
            school.teachers.append(primary)
            klass.leader_id = primary.id
        for subject, sdef in spec["subjects"].items():
            hours = sdef["hours"][klass.grade - 1]
            if not hours:
                continue
            split = sdef["groups"] and klass.grade >= 2 and len(klass.pupils) >= 20
            if primary is not None and subject not in PRIMARY_SPECIALISTS:
                _add_load(rows, school, klass, primary, subject, hours, None)
                primary.hours += hours
                continue
            group_ids = _group_split(klass, rows, school, subject) if split else [None]
            first = None
            for gid in group_ids:
                teacher = _teacher_for(rows, names, school, _family_of(subject), hours, pw, taken, exclude=first)
                teacher.hours += hours
                first = teacher.id
                _add_load(rows, school, klass, teacher, subject, hours, gid)
    _leaders(rows, rng, school)


def _add_load(rows: RowSet, school: School, klass: Klass, teacher: Teacher, subject: str, hours: int,
              gid: int | None) -> None:
    lid = rows.add(m.TeachingLoad, school_id=school.id, year_id=school.year_id, teacher_id=teacher.id,
                   class_id=klass.id, group_id=gid, subject_id=school.subject_ids[subject], hours_per_week=float(hours))
    school.loads.append(Load(lid, teacher.id, klass.id, gid, subject, school.subject_ids[subject], hours, klass.grade))


def _leaders(rows: RowSet, rng: random.Random, school: School) -> None:
    staff_rows = {r["id"]: r for r in rows.rows[m.Staff]}
    used = {k.leader_id for k in school.classes if k.leader_id}
    for klass in school.classes:
        if klass.leader_id:
            continue
        candidates = [ld.teacher_id for ld in school.loads if ld.class_id == klass.id and ld.teacher_id not in used]
        if klass.grade == 5 and "teacher" not in school.staff_ids:
            russian = [ld.teacher_id for ld in school.loads if ld.class_id == klass.id and ld.subject == "Русский язык"]
            candidates = russian + candidates
            school.staff_ids["teacher"] = candidates[0]
            staff_rows[candidates[0]]["login"] = "teacher"
        leader = candidates[0] if candidates else None
        if leader is None:
            continue
        klass.leader_id = leader
        used.add(leader)
        staff_rows[leader]["roles"] = "teacher,class_leader"
    class_rows = {r["id"]: r for r in rows.rows[m.SchoolClass]}
    for klass in school.classes:
        class_rows[klass.id]["leader_id"] = klass.leader_id


def _timetable(rows: RowSet, school: School) -> None:
    """Spread each class's weekly hours over five days; group loads of a subject share a slot."""
    busy: set[tuple[int, int, int]] = set()  # (teacher, weekday, number)
    for klass in school.classes:
        units: list[list[Load]] = []
        by_subject: dict[str, list[Load]] = {}
        for ld in school.loads:
            if ld.class_id == klass.id:
                by_subject.setdefault(ld.subject, []).append(ld)
        for loads in by_subject.values():
            units.extend([loads] * loads[0].hours)
        days: list[list[list[Load]]] = [[] for _ in range(5)]
        for i, unit in enumerate(sorted(units, key=lambda u: -u[0].hours)):
            days[i % 5].append(unit)
        for wd, day_units in enumerate(days, 1):
            pending = list(day_units)
            number = 1
            while pending:
                pick = next((u for u in pending if all((ld.teacher_id, wd, number) not in busy for ld in u)), pending[0])
                pending.remove(pick)
                for ld in pick:
                    busy.add((ld.teacher_id, wd, number))
                    rows.add(m.TimetableSlot, school_id=school.id, load_id=ld.id, weekday=wd, number=number, room="")
                school.slots.setdefault(wd, []).append((number, pick))
                number += 1


def _plans(rows: RowSet, school: School, spec: dict) -> None:
    for ld in school.loads:
        topics = spec["subjects"][ld.subject]["topics"]
        long = spec["long_topics"].get(ld.subject, [])
        total = ld.hours * 34
        for seq in range(1, total + 1):
            stem = topics[(seq - 1) * len(topics) // total]
            kind = "control" if seq % 8 == 0 else ""
            topic = f"Контрольная работа: {stem}" if kind else f"{stem}. Урок {seq}"
            if long and seq in LONG_TOPIC_AT:  # a topic of several lines on paper
                topic = long[(ld.grade + LONG_TOPIC_AT.index(seq)) % len(long)]
            pid = rows.add(m.PlanItem, school_id=school.id, load_id=ld.id, seq=seq, topic=topic,
                           planned_date=None, work_kind=kind)
            ld.plan.append((pid, topic, kind))

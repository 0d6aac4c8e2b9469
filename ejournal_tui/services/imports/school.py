"""Importing the teaching load (тарификация), the weekly timetable and the
calendar-thematic plans (КТП)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.reference import kind_key
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services.imports import Batch
from ejournal_tui.services.imports.people import class_name, name_key
from ejournal_tui.services.imports.reader import Table, clean, norm, parse_date, read_table
from ejournal_tui.services.reference import kinds_by_any_name

register_many({
    "import.no_teacher": ("учитель «{value}» не найден: сначала импортируйте сотрудников",
                          "teacher '{value}' not found: import the staff first"),
    "import.unknown_class": ("класса «{value}» нет", "no class '{value}'"),
    "import.no_subject": ("нет предмета", "no subject"),
    "import.bad_number": ("«{value}» в столбце «{column}»: нужно число от {low} до {high}",
                          "'{value}' in column '{column}': a number from {low} to {high}"),
    "import.no_load": ("нет нагрузки {klass} / {subject}{group}: сначала импортируйте нагрузку",
                       "no teaching load {klass} / {subject}{group}: import the load first"),
    "import.bad_day": ("день недели «{value}» не распознан", "weekday '{value}' not understood"),
    "import.busy_teacher": ("у учителя уже есть {number}-й урок в этот день ({other})",
                            "the teacher already has lesson {number} that day ({other})"),
    "import.busy_class": ("у класса уже есть {number}-й урок в этот день ({other})",
                          "the class already has lesson {number} that day ({other})"),
    "import.no_topic": ("нет темы урока", "no lesson topic"),
    "import.bad_kind": ("вид работы «{value}» неизвестен", "unknown kind of work '{value}'"),
})

WHERE = {"class": ("класс",), "subject": ("предмет", "дисциплина", "учебный предмет"),
         "group": ("группа", "подгруппа")}
LOAD_COLUMNS = {**WHERE, "teacher": ("учитель", "фио учителя", "преподаватель", "логин учителя", "логин"),
                "hours": ("часов в неделю", "часы", "часов", "кол во часов", "количество часов", "нагрузка")}
TIMETABLE_COLUMNS = {**WHERE, "day": ("день", "день недели"), "number": ("урок", "n урока", "номер урока", "n"),
                     "room": ("кабинет", "каб", "аудитория")}
PLAN_COLUMNS = {**WHERE, "seq": ("n", "n п п", "номер", "n урока", "номер урока", "n пп"),
                "topic": ("тема", "тема урока"), "date": ("дата", "дата по плану", "плановая дата"),
                "kind": ("вид работы", "форма контроля")}
DAYS = {"пн": 1, "понедельник": 1, "вт": 2, "вторник": 2, "ср": 3, "среда": 3, "чт": 4, "четверг": 4,
        "пт": 5, "пятница": 5, "сб": 6, "суббота": 6}


def number(value: object, column: str, low: float, high: float, whole: bool = True) -> float:
    """A number from a cell ("2,5" too); ValueError with a message naming the column."""
    text = clean(value).replace(",", ".")
    try:
        result = float(text)
    except ValueError:
        result = float("nan")
    if not low <= result <= high or (whole and not result.is_integer()):
        raise ValueError(t("import.bad_number", value=clean(value), column=column, low=low, high=high))
    return result


class Places:
    """Classes, subjects, groups, staff and loads of the current year, looked up by name."""

    def __init__(self, batch: Batch) -> None:
        uow = batch.uow
        self.batch = batch
        self.year = batch.year
        session = uow.session
        self.classes = {c.name: c for c in session.scalars(select(m.SchoolClass).where(m.SchoolClass.year_id == self.year.id))}
        self.subjects = {norm(s.name): s for s in session.scalars(select(m.Subject).where(m.Subject.school_id == uow.school_id))}
        self.short = {norm(s.short_name): s for s in self.subjects.values() if s.short_name}
        class_ids = [c.id for c in self.classes.values()]
        self.groups = {(g.class_id, norm(g.name)): g for g in session.scalars(
            select(m.StudyGroup).where(m.StudyGroup.class_id.in_(class_ids)))}
        staff = list(session.scalars(select(m.Staff).where(m.Staff.school_id == uow.school_id)))
        self.staff = {s.login: s for s in staff}
        for s in staff:
            self.staff.setdefault(name_key(s.last_name, s.first_name, s.patronymic), s)
            self.staff.setdefault(norm(s.short_name), s)
        self.loads = {(ld.class_id, ld.subject_id, ld.group_id): ld for ld in session.scalars(
            select(m.TeachingLoad).where(m.TeachingLoad.year_id == self.year.id))}

    def klass(self, table: Table, cells: list[object]) -> m.SchoolClass:
        raw = table.text(cells, "class")
        klass = self.classes.get(class_name(raw) or "")
        if klass is None:
            raise ValueError(t("import.unknown_class", value=raw))
        return klass

    def subject(self, table: Table, cells: list[object], create: bool) -> m.Subject | None:
        raw = table.text(cells, "subject")
        if not raw:
            raise ValueError(t("import.no_subject"))
        found = self.subjects.get(norm(raw)) or self.short.get(norm(raw))
        if found is None and create:
            session = self.batch.uow.session
            found = m.Subject(school_id=self.batch.uow.school_id, name=raw, short_name=raw[:4], order=len(self.subjects))
            session.add(found)
            session.flush()
            self.subjects[norm(raw)] = found
        return found

    def group(self, klass: m.SchoolClass, name: str, create: bool) -> m.StudyGroup | None:
        if not name:
            return None
        found = self.groups.get((klass.id, norm(name)))  # type: ignore[arg-type]
        if found is None and create:
            found = m.StudyGroup(school_id=self.batch.uow.school_id, class_id=klass.id, name=name)  # type: ignore[arg-type]
            self.batch.uow.session.add(found)
            self.batch.uow.session.flush()
            self.groups[(klass.id, norm(name))] = found  # type: ignore[index]
        return found

    def load(self, table: Table, cells: list[object]) -> m.TeachingLoad:
        klass = self.klass(table, cells)
        subject = self.subject(table, cells, create=False)
        group_name = table.text(cells, "group")
        group = self.group(klass, group_name, create=False)
        load = self.loads.get((klass.id, subject.id if subject else None, group.id if group else None))
        if load is None:
            raise ValueError(t("import.no_load", klass=klass.name, subject=table.text(cells, "subject"),
                               group=f" / {group_name}" if group_name else ""))
        return load


def import_load(batch: Batch, path: Path) -> None:
    table = read_table(path, LOAD_COLUMNS, [("teacher", "class", "subject", "hours")])
    places = Places(batch)
    seen: dict[tuple, int] = {}
    for row, cells in table.rows:
        batch.report.rows += 1
        try:
            _load_row(batch, places, table, cells, row, seen)
        except ValueError as exc:
            batch.bad(row, str(exc))


def _load_row(batch: Batch, places: Places, table: Table, cells: list[object], row: int, seen: dict) -> None:
    raw_teacher = table.text(cells, "teacher")
    teacher = places.staff.get(raw_teacher.lower()) or places.staff.get(norm(raw_teacher))
    if teacher is None:
        raise ValueError(t("import.no_teacher", value=raw_teacher))
    klass = places.klass(table, cells)
    hours = number(table.get(cells, "hours"), "часов в неделю", 0.5, 12, whole=False)
    subject = places.subject(table, cells, create=True)
    group = places.group(klass, table.text(cells, "group"), create=True)
    key = (klass.id, subject.id, group.id if group else None)  # type: ignore[union-attr]
    if key in seen:
        raise ValueError(t("import.dup_row", first=seen[key]))
    seen[key] = row
    load = places.loads.get(key)
    if load is None:
        load = m.TeachingLoad(school_id=batch.uow.school_id, year_id=places.year.id, teacher_id=teacher.id,  # type: ignore[arg-type]
                              class_id=klass.id, group_id=key[2], subject_id=key[1], hours_per_week=hours)
        batch.uow.session.add(load)
        batch.uow.session.flush()
        places.loads[key] = load
        batch.done("created")
    elif (load.teacher_id, load.hours_per_week) != (teacher.id, hours):
        load.teacher_id, load.hours_per_week = teacher.id, hours  # type: ignore[assignment]
        batch.done("updated")
    else:
        batch.done("unchanged")


def import_timetable(batch: Batch, path: Path) -> None:
    table = read_table(path, TIMETABLE_COLUMNS, [("day", "number", "class", "subject")])
    places = Places(batch)
    session = batch.uow.session
    # the slots of this year's loads only: every year has a timetable of its own
    slots = {(s.load_id, s.weekday, s.number): s for s in session.scalars(
        select(m.TimetableSlot).join(m.TeachingLoad, m.TeachingLoad.id == m.TimetableSlot.load_id)
        .where(m.TimetableSlot.school_id == batch.uow.school_id, m.TeachingLoad.year_id == places.year.id))}
    loads = {ld.id: ld for ld in places.loads.values()}
    for row, cells in table.rows:
        batch.report.rows += 1
        try:
            _slot_row(batch, table, cells, places, slots, loads)
        except ValueError as exc:
            batch.bad(row, str(exc))


def _slot_row(batch: Batch, table: Table, cells: list[object], places: Places, slots: dict, loads: dict) -> None:
    raw_day = table.text(cells, "day")
    day = DAYS.get(norm(raw_day)) or (int(raw_day) if raw_day.isdigit() and 1 <= int(raw_day) <= 6 else None)
    if day is None:
        raise ValueError(t("import.bad_day", value=raw_day))
    num = int(number(table.get(cells, "number"), "урок", 1, 10))
    load = places.load(table, cells)
    room = table.text(cells, "room")
    existing = slots.get((load.id, day, num))
    if existing is not None:
        if existing.room != room and room:
            existing.room = room
            batch.done("updated")
        else:
            batch.done("unchanged")
        return
    for (other_id, wd, n), _slot in slots.items():
        if (wd, n) != (day, num):
            continue
        other = loads[other_id]
        label = f"{places_name(places, other)}"
        if other.teacher_id == load.teacher_id:
            raise ValueError(t("import.busy_teacher", number=num, other=label))
        if other.class_id == load.class_id and (other.group_id is None or load.group_id is None
                                                or other.group_id == load.group_id):
            raise ValueError(t("import.busy_class", number=num, other=label))
    slot = m.TimetableSlot(school_id=batch.uow.school_id, load_id=load.id, weekday=day, number=num, room=room)  # type: ignore[arg-type]
    batch.uow.session.add(slot)
    slots[(load.id, day, num)] = slot
    batch.done("created")


def places_name(places: Places, load: m.TeachingLoad) -> str:
    klass = next((c.name for c in places.classes.values() if c.id == load.class_id), "?")
    subject = next((s.name for s in places.subjects.values() if s.id == load.subject_id), "?")
    return f"{klass} {subject}"


def import_plan(batch: Batch, path: Path) -> None:
    table = read_table(path, PLAN_COLUMNS, [("class", "subject", "seq", "topic")])
    places = Places(batch)
    session = batch.uow.session
    items = {(p.load_id, p.seq): p for p in session.scalars(
        select(m.PlanItem).join(m.TeachingLoad, m.TeachingLoad.id == m.PlanItem.load_id)
        .where(m.PlanItem.school_id == batch.uow.school_id, m.TeachingLoad.year_id == places.year.id))}
    kinds = kinds_by_any_name(batch.uow)
    seen: dict[tuple, int] = {}
    for row, cells in table.rows:
        batch.report.rows += 1
        try:
            _plan_row(batch, table, cells, places, items, kinds, seen, row)
        except ValueError as exc:
            batch.bad(row, str(exc))


def _plan_row(batch: Batch, table: Table, cells: list[object], places: Places, items: dict, kinds: dict,
              seen: dict, row: int) -> None:
    load = places.load(table, cells)
    seq = int(number(table.get(cells, "seq"), "№", 1, 400))
    topic = table.text(cells, "topic")
    if not topic:
        raise ValueError(t("import.no_topic"))
    planned = parse_date(table.get(cells, "date"))
    raw_kind = table.text(cells, "kind")
    kind = kinds.get(kind_key(raw_kind), None) if raw_kind else ""
    if kind is None:
        raise ValueError(t("import.bad_kind", value=raw_kind))
    if (load.id, seq) in seen:
        raise ValueError(t("import.dup_row", first=seen[(load.id, seq)]))
    seen[(load.id, seq)] = row
    item = items.get((load.id, seq))
    if item is None:
        batch.uow.session.add(m.PlanItem(school_id=batch.uow.school_id, load_id=load.id, seq=seq, topic=topic,  # type: ignore[arg-type]
                                         planned_date=planned, work_kind=kind))
        batch.done("created")
    elif (item.topic, item.planned_date, item.work_kind) != (topic, planned, kind):
        item.topic, item.planned_date, item.work_kind = topic, planned, kind
        batch.done("updated")
    else:
        batch.done("unchanged")

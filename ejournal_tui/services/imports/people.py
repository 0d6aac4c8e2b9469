"""Importing pupils (with their classes, groups and parents' contacts) and staff accounts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.people import (
    PUPIL_AGE_MAX,
    PUPIL_AGE_MIN,
    fix_lookalikes,
    implausible_pupil_birth,
)
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services import lengths
from ejournal_tui.services.imports import Batch
from ejournal_tui.services.imports.contacts import ContactColumns, is_contact_header
from ejournal_tui.services.imports.groups import GroupColumns, is_group_header
from ejournal_tui.services.imports.reader import Table, norm, parse_date, read_table
from ejournal_tui.services.lookup import normalize_class_name
from ejournal_tui.services.memberships import end_class_groups
from ejournal_tui.services.parent_contacts import replace_family

register_many({
    "import.no_name": ("нет фамилии и имени", "no last and first name"),
    "import.bad_birth": ("дата рождения {day} невозможна для ученика (школьный возраст — от {low} до {high} лет)",
                         "birth date {day} is impossible for a pupil (school age is {low} to {high})"),
    "import.admin_kept": ("{name}: учётная запись администратора импортом не меняется (измените её вручную)",
                          "{name}: an administrator's account is not changed by an import (change it by hand)"),
    "import.login_taken": ("логин «{login}» принадлежит: {holder}; в файле — {name}: учётная запись не меняется",
                           "login {login!r} belongs to {holder}; the file names {name}: the account is left as it is"),
    "import.bad_class": ("класс «{value}» не распознан (нужно, например, 5А)", "class '{value}' not understood (e.g. 5А)"),
    "import.dup_row": ("повтор строки {first}", "repeats row {first}"),
    "import.bad_role": ("роль «{value}» неизвестна", "unknown role '{value}'"),
    "import.joined_outside": ("дата зачисления {value} вне учебного года ({start} – {end})",
                              "date of joining {value} is outside the academic year ({start} – {end})"),
    "import.no_class": ("класса {value} нет: сначала импортируйте учеников", "no class {value}: import the pupils first"),
})

NAME_COLUMNS = {"fio": ("фио", "фамилия имя отчество", "фио обучающегося", "фио ученика", "ученик", "обучающийся",
                        "фио учителя", "сотрудник", "фио сотрудника"),
                "last": ("фамилия",), "first": ("имя",), "patronymic": ("отчество",)}
STUDENT_COLUMNS = {**NAME_COLUMNS, "class": ("класс",), "birth": ("дата рождения", "др", "день рождения"),
                   "gender": ("пол",), "file_no": ("личное дело", "n личного дела", "номер личного дела", "n лд"),
                   "parents": ("родители", "законные представители", "родители законные представители"),
                   "phone": ("телефон", "контактный телефон"),
                   "joined": ("дата зачисления", "зачислен", "дата поступления", "дата прибытия")}
STAFF_COLUMNS = {**NAME_COLUMNS, "login": ("логин",), "roles": ("роль", "роли", "должность"),
                 "leads": ("классное руководство", "классный руководитель", "руководит классом")}
ROLE_WORDS = {"учитель": perm.TEACHER, "преподаватель": perm.TEACHER, "классный руководитель": perm.CLASS_LEADER,
              "заместитель директора": perm.DEPUTY, "зам директора": perm.DEPUTY, "завуч": perm.DEPUTY,
              "заместитель директора по увр": perm.DEPUTY, "секретарь": perm.SECRETARY,
              "системный администратор": perm.SYSADMIN, "сисадмин": perm.SYSADMIN, "директор": perm.DIRECTOR,
              "администратор": perm.ADMIN}
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def split_name(table: Table, cells: list[object]) -> tuple[str, str, str]:
    """(last, first, patronymic) from one ФИО column or three, Latin look-alike letters in a
    Cyrillic name read as Cyrillic (domain/people.py)."""
    if "last" in table.columns:
        return tuple(fix_lookalikes(table.text(cells, c)) for c in ("last", "first", "patronymic"))  # type: ignore[return-value]
    parts = fix_lookalikes(table.text(cells, "fio")).split()
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "", " ".join(parts[2:]))


def name_key(last: str, first: str, patronymic: str) -> str:
    """A person's name as compared: look-alike Latin letters Cyrillic, ё as е, case and
    spaces ignored — «Пaнoв  ярослав» and «Панов Ярослав» are one pupil, on either side."""
    return norm(fix_lookalikes(f"{last} {first} {patronymic}"))


def class_name(value: str) -> str | None:
    text = normalize_class_name(value).replace("КЛАСС", "")
    match = re.fullmatch(r"(\d{1,2})([А-ЯЁ])", text)
    return text if match and 1 <= int(match[1]) <= 11 else None


def _classes(batch: Batch, year: m.AcademicYear) -> dict[str, m.SchoolClass]:
    rows = batch.uow.session.scalars(select(m.SchoolClass).where(m.SchoolClass.year_id == year.id))
    return {c.name: c for c in rows}


def _extra_column(header: str) -> bool:
    """A column that may come any number of times: a group split's, a parent's."""
    return is_group_header(header) or is_contact_header(header)


def import_students(batch: Batch, path: Path) -> None:
    table = read_table(path, STUDENT_COLUMNS, [("fio", "class"), ("last", "first", "class")], extra=_extra_column)
    uow = batch.uow
    year = batch.year
    classes = _classes(batch, year)
    groups = GroupColumns(batch, table, year) if any(is_group_header(norm(h)) for h, _ in table.extra) else None
    parents = ContactColumns(table)
    pupils = list(uow.session.scalars(select(m.Pupil).where(m.Pupil.school_id == uow.school_id)))
    by_file = {p.personal_file_no: p for p in pupils if p.personal_file_no}
    by_name = {(name_key(p.last_name, p.first_name, p.patronymic), p.birth_date): p for p in pupils}
    seen: dict[tuple, int] = {}
    for row, cells in table.rows:
        batch.report.rows += 1
        last, first, patronymic = split_name(table, cells)
        klass = class_name(table.text(cells, "class"))
        try:
            birth = parse_date(table.get(cells, "birth"))
            joined = _joined(table, cells, year)
        except ValueError as exc:
            batch.bad(row, str(exc))
            continue
        if not last or not first:
            batch.bad(row, t("import.no_name"))
            continue
        if klass is None:
            batch.bad(row, t("import.bad_class", value=table.text(cells, "class")))
            continue
        if birth is not None and implausible_pupil_birth(birth, year.start):
            batch.bad(row, t("import.bad_birth", day=birth.strftime("%d.%m.%Y"), low=PUPIL_AGE_MIN, high=PUPIL_AGE_MAX))
            continue
        key = (name_key(last, first, patronymic), birth)
        if key in seen:
            batch.bad(row, t("import.dup_row", first=seen[key]))
            continue
        seen[key] = row
        try:
            wants = groups.check(klass, cells) if groups else []
            contacts = parents.read(cells) if parents else None
        except ValueError as exc:
            batch.bad(row, str(exc))
            continue
        file_no = table.text(cells, "file_no")
        pupil = by_file.get(file_no) if file_no else None
        pupil = pupil or by_name.get(key)
        values = {"last_name": last, "first_name": first, "patronymic": patronymic, "birth_date": birth,
                  "gender": table.text(cells, "gender")[:1].lower(), "personal_file_no": file_no,
                  "parents": table.text(cells, "parents"), "phone": table.text(cells, "phone")}
        if contacts is not None:  # the register's text of parents and phones follows the contacts
            del values["parents"], values["phone"]
        if (too_long := lengths.problem("pupil", values)) is not None:  # a text longer than its column
            batch.bad(row, str(too_long))
            continue
        target = classes.get(klass) or _new_class(batch, year, klass, classes)
        start = joined or _default_start(batch, pupil, year)
        if pupil is None:
            pupil = m.Pupil(school_id=uow.school_id, **values)
            uow.session.add(pupil)
            uow.session.flush()
            by_name[key] = pupil
            _enrol(batch, pupil.id, target, start)  # type: ignore[arg-type]
            if groups:
                groups.apply(pupil.id, target, wants, start)  # type: ignore[arg-type]
            if contacts is not None:
                replace_family(uow, pupil, contacts)
            batch.done("created")
            continue
        if name_key(pupil.last_name, pupil.first_name, pupil.patronymic) == key[0]:
            # the same name written another way («семенов», «Пaнoв»): the stored spelling stays
            values = {k: v for k, v in values.items() if k not in ("last_name", "first_name", "patronymic")}
        changed = _update(pupil, values)
        changed = _enrol(batch, pupil.id, target, start) or changed  # type: ignore[arg-type]
        if groups:
            changed = groups.apply(pupil.id, target, wants, start) or changed  # type: ignore[arg-type]
        if contacts is not None:
            changed = replace_family(uow, pupil, contacts) or changed
        batch.done("updated" if changed else "unchanged")


def _joined(table: Table, cells: list[object], year: m.AcademicYear) -> date | None:
    """The «Дата зачисления» of a row, which must fall inside the year the file is for."""
    day = parse_date(table.get(cells, "joined"))
    last = date(year.start_year + 1, 8, 31)
    if day is not None and not year.start <= day <= last:
        raise ValueError(t("import.joined_outside", value=day, start=year.start, end=last))
    return day


def _default_start(batch: Batch, pupil: m.Pupil | None, year: m.AcademicYear) -> date:
    """Without a date in the file: a pupil new to this year belongs to the class from the
    year's first day (a school that starts mid-year can then enter September's lessons), and
    a pupil already in another class of the year moves today."""
    uow = batch.uow
    if pupil is not None and uow.session.scalars(select(m.Membership.id).join(
            m.SchoolClass, m.SchoolClass.id == m.Membership.class_id).where(
            m.Membership.pupil_id == pupil.id, m.SchoolClass.year_id == year.id)).first() is not None:
        return max(year.start, min(uow.today(), date(year.start_year + 1, 8, 31)))
    return year.start


def _update(row: object, values: dict[str, object]) -> bool:
    """Set the values the file gives (an empty cell never erases what is known)."""
    changed = False
    for name, value in values.items():
        if value not in ("", None) and getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _new_class(batch: Batch, year: m.AcademicYear, name: str, classes: dict[str, m.SchoolClass]) -> m.SchoolClass:
    klass = m.SchoolClass(school_id=batch.uow.school_id, year_id=year.id, grade=int(name[:-1]), letter=name[-1],  # type: ignore[arg-type]
                          name=name)
    batch.uow.session.add(klass)
    batch.uow.session.flush()
    classes[name] = klass
    batch.report.notes.append(f"+ {name}")
    return klass


def _enrol(batch: Batch, pupil_id: int, klass: m.SchoolClass, start: date) -> bool:
    """Put the pupil in the class from `start`, ending a membership of another class of the
    same year (and of its groups); False when the pupil is already there."""
    Ms, session = m.Membership, batch.uow.session
    current = list(session.scalars(select(Ms).join(m.SchoolClass, m.SchoolClass.id == Ms.class_id).where(
        Ms.pupil_id == pupil_id, m.SchoolClass.year_id == klass.year_id, or_(Ms.end.is_(None), Ms.end >= start))))
    if any(ms.class_id == klass.id for ms in current):
        return False
    for ms in current:
        ms.end = max(ms.start, date.fromordinal(start.toordinal() - 1))
        end_class_groups(batch.uow.session, pupil_id, ms.class_id, ms.end)
    session.add(Ms(school_id=batch.uow.school_id, pupil_id=pupil_id, class_id=klass.id, start=start))  # type: ignore[arg-type]
    session.flush()
    return True


def roles_of(text: str) -> tuple[str, ...]:
    """Roles from "учитель, классный руководитель" or "teacher,deputy"; ValueError if unknown."""
    found: list[str] = []
    for part in re.split(r"[,;/]+", text or ""):
        word = norm(part)
        if not word:
            continue
        role = ROLE_WORDS.get(word) or (word if word in perm.ROLES else None)
        if role is None:
            raise ValueError(t("import.bad_role", value=part.strip()))
        found.append(role)
    return perm.normalize_roles(found or [perm.TEACHER])


def make_login(last: str, first: str, patronymic: str, taken: set[str]) -> str:
    base = "".join(_TRANSLIT.get(ch, ch) for ch in last.lower() if ch.isalpha() or ch in _TRANSLIT)
    initials = "".join(_TRANSLIT.get(p[0].lower(), "") for p in (first, patronymic) if p)
    login, n = f"{base}.{initials}".strip("."), 2
    while login in taken:
        login, n = f"{base}.{initials}{n}", n + 1
    taken.add(login)
    return login


def import_staff(batch: Batch, path: Path) -> None:
    table = read_table(path, STAFF_COLUMNS, [("fio",), ("last", "first")])
    uow = batch.uow
    year = batch.year
    classes = _classes(batch, year)
    staff = list(uow.session.scalars(select(m.Staff).where(m.Staff.school_id == uow.school_id)))
    by_login = {s.login: s for s in staff}
    by_name = {name_key(s.last_name, s.first_name, s.patronymic): s for s in staff}
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        batch.report.rows += 1
        last, first, patronymic = split_name(table, cells)
        if not last or not first:
            batch.bad(row, t("import.no_name"))
            continue
        try:
            roles = roles_of(table.text(cells, "roles"))
        except ValueError as exc:
            batch.bad(row, str(exc))
            continue
        leads = table.text(cells, "leads")
        klass = classes.get(class_name(leads) or "") if leads else None
        if leads and klass is None:
            batch.bad(row, t("import.no_class", value=leads))
            continue
        key = name_key(last, first, patronymic)
        if key in seen:
            batch.bad(row, t("import.dup_row", first=seen[key]))
            continue
        seen[key] = row
        login = table.text(cells, "login").lower()
        person = by_login.get(login) if login else by_name.get(key)
        if login and person is not None and name_key(person.last_name, person.first_name, person.patronymic) != key:
            # a login names one person: a row under another name must not take the account over
            batch.bad(row, t("import.login_taken", login=login, holder=person.full_name,
                             name=f"{last} {first} {patronymic}".strip()))
            continue
        if klass is not None:
            roles = perm.normalize_roles((*roles, perm.CLASS_LEADER))
        if person is None:
            person = m.Staff(school_id=uow.school_id, login=login or make_login(last, first, patronymic, set(by_login)),
                             last_name=last, first_name=first, patronymic=patronymic, roles=",".join(roles))
            if (too_long := lengths.row_problem(person)) is not None:  # a login longer than its column
                batch.bad(row, str(too_long))
                continue
            uow.session.add(person)
            uow.session.flush()
            by_login[person.login] = person
            changed, outcome = True, "created"
        else:
            merged = perm.normalize_roles((*person.role_list, *roles))  # an import never takes a role away
            if perm.ADMIN in person.role_list and (merged != tuple(person.role_list) or (
                    person.last_name, person.first_name, person.patronymic) != (last, first, patronymic)):
                batch.bad(row, t("import.admin_kept", name=person.full_name))
                continue
            changed = _update(person, {"last_name": last, "first_name": first, "patronymic": patronymic,
                                       "roles": ",".join(merged)})
            outcome = "updated"
        if klass is not None and klass.leader_id != person.id:
            klass.leader_id, changed = person.id, True
        batch.done(outcome if changed else "unchanged")

"""The school's reference data, kept by the deputy director or the administrator: classes and
pupils (admission, moves between classes and leaving, as dated memberships), subjects, the
teaching load, the timetable and bell times, and the rule settings.

Every change checks `manage_school`, is recorded in the change log, and commits alone.
A pupil's own details and study groups live in `services.pupil_records` (re-exported here).
Accounts are managed by `services.accounts`; a year's periods and holidays by
`services.year_calendar`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain import settings_rules
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.domain.settings import SETTING_NAMES, RuleSettings
from ejournal_tui.i18n import Phrase
from ejournal_tui.services import (
    admin_texts,  # noqa: F401 - registers the refusals' words
    audit,
)
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.lookup import current_year, normalize_class_name
from ejournal_tui.services.memberships import end_class_groups
from ejournal_tui.services.phrases import noun
from ejournal_tui.services.pupil_records import (  # noqa: F401 - part of this module's use cases
    GroupChoice,
    GroupSplit,
    PupilCard,
    class_splits,
    edit_pupil,
    join_groups,
    pupil_card,
    pupil_group_ids,
    set_pupil_groups,
)


def _require(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("adm.keepers"))


def _get(uow: UnitOfWork, model: type, row_id: int, kind: str) -> Any:
    """The row of this school, else `NotFound` naming it (`kind` is a `phrases.noun`)."""
    row = uow.session.get(model, row_id)
    if row is None or getattr(row, "school_id", uow.school_id) != uow.school_id:
        raise NotFound(what=noun(kind, id=row_id))
    return row


def _staff(uow: UnitOfWork, login: str) -> m.Staff:
    row = uow.session.scalars(select(m.Staff).where(m.Staff.school_id == uow.school_id,
                                                    m.Staff.login == (login or "").strip().lower())).first()
    if row is None:
        raise NotFound(what=noun("account", login=login))
    return row


def _log(uow: UnitOfWork, actor: Actor, action: str, entity: str, entity_id: int | None, *,
         before: Any = None, after: Any = None, class_id: int | None = None, pupil_id: int | None = None) -> None:
    audit.record(uow, actor, action, entity=entity, entity_id=entity_id, before=before, after=after,
                 class_id=class_id, pupil_id=pupil_id)
    uow.commit()


# --- classes and pupils ---------------------------------------------------------------

@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    grade: int
    leader: str
    pupils: int


@dataclass(frozen=True)
class PupilInfo:
    id: int
    name: str
    birth_date: date | None
    start: date
    end: date | None
    membership_id: int


def list_classes(uow: UnitOfWork, on: date | None = None) -> list[ClassInfo]:
    """The current year's classes with their leader and the pupils in them on `on` (today)."""
    day = on or uow.today()
    C, St, Ms = m.SchoolClass, m.Staff, m.Membership
    counts = dict(uow.session.execute(
        select(Ms.class_id, func.count(Ms.id)).where(Ms.school_id == uow.school_id, Ms.start <= day,
                                                     or_(Ms.end.is_(None), Ms.end >= day)).group_by(Ms.class_id)
    ).all())
    rows = uow.session.execute(
        select(C.id, C.name, C.grade, St.last_name, St.first_name, St.patronymic).outerjoin(St, St.id == C.leader_id)
        .where(C.school_id == uow.school_id, C.year_id == current_year(uow).id).order_by(C.grade, C.letter)
    )
    return [ClassInfo(r[0], r[1], r[2], " ".join(p for p in r[3:] if p), counts.get(r[0], 0)) for r in rows]


def add_class(uow: UnitOfWork, actor: Actor, name: str, leader_login: str = "") -> ClassInfo:
    _require(actor)
    text = normalize_class_name(name)
    match = re.fullmatch(r"(\d{1,2})([А-ЯЁ])", text)
    if not match or not 1 <= int(match[1]) <= 11:
        raise InvalidInput(what=Phrase("adm.bad_class", name=name))
    year = current_year(uow)
    if uow.session.scalars(select(m.SchoolClass.id).where(m.SchoolClass.year_id == year.id,
                                                          m.SchoolClass.name == text)).first():
        raise InvalidInput(what=Phrase("adm.class_exists", name=text))
    leader = _staff(uow, leader_login).id if leader_login.strip() else None
    klass = m.SchoolClass(school_id=uow.school_id, year_id=year.id, grade=int(match[1]), letter=match[2],  # type: ignore[arg-type]
                          name=text, leader_id=leader)
    uow.session.add(klass)
    uow.session.flush()
    _log(uow, actor, "class.add", "schoolclass", klass.id, after={"name": text, "leader": leader_login},
         class_id=klass.id)
    return ClassInfo(klass.id, text, klass.grade, leader_login, 0)  # type: ignore[arg-type]


def set_leader(uow: UnitOfWork, actor: Actor, class_id: int, leader_login: str) -> None:
    _require(actor)
    klass = _get(uow, m.SchoolClass, class_id, "class")
    before = klass.leader_id
    klass.leader_id = _staff(uow, leader_login).id if leader_login.strip() else None
    _log(uow, actor, "class.leader", "schoolclass", class_id, before={"leader_id": before},
         after={"leader_id": klass.leader_id}, class_id=class_id)


def list_pupils(uow: UnitOfWork, class_id: int) -> list[PupilInfo]:
    """Everyone who was in the class this year, with the dates of their membership."""
    P, Ms = m.Pupil, m.Membership
    rows = uow.session.execute(
        select(P.id, P.last_name, P.first_name, P.patronymic, P.birth_date, Ms.start, Ms.end, Ms.id)
        .join(Ms, Ms.pupil_id == P.id).where(Ms.class_id == class_id, Ms.school_id == uow.school_id)
        .order_by(P.last_name, P.first_name, Ms.start)
    )
    return [PupilInfo(r[0], " ".join(p for p in r[1:4] if p), r[4], r[5], r[6], r[7]) for r in rows]


def add_pupil(uow: UnitOfWork, actor: Actor, class_id: int, full_name: str, start: date,
              birth_date: date | None = None) -> int:
    """Admit a pupil to a class from a date."""
    _require(actor)
    klass = _get(uow, m.SchoolClass, class_id, "class")
    parts = (full_name or "").split()
    if len(parts) < 2:
        raise InvalidInput(what=Phrase("adm.pupil_names"))
    pupil = m.Pupil(school_id=uow.school_id, last_name=parts[0], first_name=parts[1],
                    patronymic=" ".join(parts[2:]), birth_date=birth_date)
    uow.session.add(pupil)
    uow.session.flush()
    uow.session.add(m.Membership(school_id=uow.school_id, pupil_id=pupil.id, class_id=klass.id, start=start))  # type: ignore[arg-type]
    _log(uow, actor, "pupil.add", "pupil", pupil.id, after={"name": pupil.full_name, "class": klass.name,
                                                              "start": start}, class_id=klass.id, pupil_id=pupil.id)
    return pupil.id  # type: ignore[return-value]


def _membership_on(uow: UnitOfWork, pupil_id: int, day: date) -> m.Membership:
    Ms = m.Membership
    row = uow.session.scalars(select(Ms).where(Ms.pupil_id == pupil_id, Ms.school_id == uow.school_id,
                                               Ms.start <= day, or_(Ms.end.is_(None), Ms.end >= day))).first()
    if row is None:
        raise InvalidInput(what=Phrase("adm.pupil_no_class", day=day))
    return row


def _end_membership(uow: UnitOfWork, pupil_id: int, day: date) -> tuple[m.Membership, date]:
    """End the pupil's membership so that `day` is the first day outside the class."""
    current = _membership_on(uow, pupil_id, day)
    last_day = day - timedelta(days=1)
    if last_day < current.start:
        raise InvalidInput(what=Phrase("adm.pupil_joined", day=current.start))
    current.end = last_day
    end_class_groups(uow.session, pupil_id, current.class_id, last_day)
    return current, last_day


def move_pupil(uow: UnitOfWork, actor: Actor, pupil_id: int, to_class_id: int, day: date,
               group_ids: list[int] | None = None) -> None:
    """The pupil belongs to another class from `day` (and to the old one until the day before),
    and to `group_ids` of it (one group of each split) from the same day."""
    _require(actor)
    _get(uow, m.Pupil, pupil_id, "pupil")
    target = _get(uow, m.SchoolClass, to_class_id, "class")
    current, _ = _end_membership(uow, pupil_id, day)
    if current.class_id == target.id:
        raise InvalidInput(what=Phrase("adm.pupil_already", klass=target.name))
    join_groups(uow, actor, pupil_id, target, list(group_ids or []), day)
    uow.session.add(m.Membership(school_id=uow.school_id, pupil_id=pupil_id, class_id=target.id, start=day))
    _log(uow, actor, "pupil.move", "pupil", pupil_id, before={"class_id": current.class_id},
         after={"class": target.name, "from": day, "groups": sorted(group_ids or [])}, class_id=target.id,
         pupil_id=pupil_id)


def pupil_leaves(uow: UnitOfWork, actor: Actor, pupil_id: int, day: date) -> None:
    """The pupil leaves the school on `day`: `day` is their last day in the class."""
    _require(actor)
    _get(uow, m.Pupil, pupil_id, "pupil")
    current, last = _end_membership(uow, pupil_id, day + timedelta(days=1))
    _log(uow, actor, "pupil.leave", "pupil", pupil_id, after={"last_day": last},
         class_id=current.class_id, pupil_id=pupil_id)


# --- subjects and teaching load -------------------------------------------------------

@dataclass(frozen=True)
class SubjectInfo:
    id: int
    name: str
    short_name: str
    order: int


@dataclass(frozen=True)
class LoadInfo:
    id: int
    teacher: str
    class_name: str
    group: str
    subject: str
    hours: float
    slots: int


def list_subjects(uow: UnitOfWork) -> list[SubjectInfo]:
    S = m.Subject
    rows = uow.session.scalars(select(S).where(S.school_id == uow.school_id).order_by(S.order, S.name))
    return [SubjectInfo(s.id, s.name, s.short_name, s.order) for s in rows]  # type: ignore[arg-type]


def add_subject(uow: UnitOfWork, actor: Actor, name: str, short_name: str = "") -> int:
    _require(actor)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(what=Phrase("adm.subject_name"))
    if any(s.name.lower() == name.lower() for s in list_subjects(uow)):
        raise InvalidInput(what=Phrase("adm.subject_exists", name=name))
    order = (uow.session.execute(select(func.max(m.Subject.order)).where(
        m.Subject.school_id == uow.school_id)).scalar() or 0) + 1
    row = m.Subject(school_id=uow.school_id, name=name, short_name=short_name.strip() or name[:6], order=order)
    uow.session.add(row)
    uow.session.flush()
    _log(uow, actor, "subject.add", "subject", row.id, after={"name": name})
    return row.id  # type: ignore[return-value]


def list_load(uow: UnitOfWork) -> list[LoadInfo]:
    TL, C, S, G, St, T = m.TeachingLoad, m.SchoolClass, m.Subject, m.StudyGroup, m.Staff, m.TimetableSlot
    slots = dict(uow.session.execute(select(T.load_id, func.count(T.id)).where(
        T.school_id == uow.school_id).group_by(T.load_id)).all())
    rows = uow.session.execute(
        select(TL.id, St.last_name, St.first_name, C.name, G.name, S.name, TL.hours_per_week)
        .join(C, C.id == TL.class_id).join(S, S.id == TL.subject_id).join(St, St.id == TL.teacher_id)
        .outerjoin(G, G.id == TL.group_id)
        .where(TL.school_id == uow.school_id, TL.year_id == current_year(uow).id)
        .order_by(C.grade, C.letter, S.order, G.name)
    )
    return [LoadInfo(r[0], f"{r[1]} {r[2]}", r[3], r[4] or "", r[5], r[6], slots.get(r[0], 0)) for r in rows]


def add_load(uow: UnitOfWork, actor: Actor, teacher_login: str, class_id: int, subject_id: int,
             hours: float, group_id: int | None = None) -> int:
    _require(actor)
    teacher = _staff(uow, teacher_login)
    klass = _get(uow, m.SchoolClass, class_id, "class")
    subject = _get(uow, m.Subject, subject_id, "subject")
    if not 0 < hours <= 12:
        raise InvalidInput(what=Phrase("adm.hours", hours=hours))
    if group_id is not None and _get(uow, m.StudyGroup, group_id, "group").class_id != klass.id:
        raise InvalidInput(what=Phrase("adm.foreign_group", klass=klass.name))
    row = m.TeachingLoad(school_id=uow.school_id, year_id=klass.year_id, teacher_id=teacher.id,  # type: ignore[arg-type]
                         class_id=klass.id, group_id=group_id, subject_id=subject.id, hours_per_week=hours)
    uow.session.add(row)
    uow.session.flush()
    _log(uow, actor, "load.add", "teachingload", row.id, class_id=klass.id,
         after={"teacher": teacher.login, "subject": subject.name, "hours": hours})
    return row.id  # type: ignore[return-value]


def set_load_hours(uow: UnitOfWork, actor: Actor, load_id: int, hours: float) -> None:
    _require(actor)
    row = _get(uow, m.TeachingLoad, load_id, "load")
    if not 0 < hours <= 12:
        raise InvalidInput(what=Phrase("adm.hours", hours=hours))
    before, row.hours_per_week = row.hours_per_week, hours
    _log(uow, actor, "load.hours", "teachingload", load_id, before={"hours": before}, after={"hours": hours},
         class_id=row.class_id)


def remove_load(uow: UnitOfWork, actor: Actor, load_id: int) -> None:
    """Remove a load that has no lessons yet (a held lesson keeps its load forever)."""
    _require(actor)
    row = _get(uow, m.TeachingLoad, load_id, "load")
    if uow.session.execute(select(m.Lesson.id).where(m.Lesson.load_id == load_id).limit(1)).first():
        raise InvalidInput(what=Phrase("adm.load_used"))
    for model in (m.TimetableSlot, m.PlanItem):
        for child in uow.session.scalars(select(model).where(model.load_id == load_id)):
            uow.session.delete(child)
    uow.session.flush()
    uow.session.delete(row)
    _log(uow, actor, "load.remove", "teachingload", load_id, class_id=row.class_id,
         before={"subject_id": row.subject_id, "teacher_id": row.teacher_id, "hours": row.hours_per_week})


# --- timetable and bells --------------------------------------------------------------

@dataclass(frozen=True)
class SlotInfo:
    id: int
    weekday: int
    number: int
    load_id: int
    subject: str
    group: str
    teacher: str
    room: str


@dataclass(frozen=True)
class BellInfo:
    number: int
    start: str
    end: str


def timetable(uow: UnitOfWork, class_id: int) -> list[SlotInfo]:
    T, TL, S, G, St = m.TimetableSlot, m.TeachingLoad, m.Subject, m.StudyGroup, m.Staff
    rows = uow.session.execute(
        select(T.id, T.weekday, T.number, TL.id, S.name, G.name, St.last_name, T.room)
        .join(TL, TL.id == T.load_id).join(S, S.id == TL.subject_id).join(St, St.id == TL.teacher_id)
        .outerjoin(G, G.id == TL.group_id).where(TL.class_id == class_id, TL.school_id == uow.school_id)
        .order_by(T.weekday, T.number, G.name)
    )
    return [SlotInfo(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6], r[7]) for r in rows]


def add_slot(uow: UnitOfWork, actor: Actor, load_id: int, weekday: int, number: int, room: str = "") -> int:
    """A weekly lesson of a load; refused when the teacher or the class (whole-class lesson)
    already has a lesson at that time, or when the lesson number has no bell time."""
    _require(actor)
    load = _get(uow, m.TeachingLoad, load_id, "load")
    if not 1 <= weekday <= 6 or not 1 <= number <= 10:
        raise InvalidInput(what=Phrase("adm.slot_range"))
    if number not in {b.number for b in bells(uow)}:  # Today and homework deadlines need the times
        raise InvalidInput(what=Phrase("adm.no_bell", n=number))
    T, TL = m.TimetableSlot, m.TeachingLoad
    # this school year's timetable only: last year's slots stay for the record, but bind no one
    busy = select(T.id).join(TL, TL.id == T.load_id).where(
        T.weekday == weekday, T.number == number, TL.year_id == load.year_id, TL.school_id == uow.school_id)
    if uow.session.execute(busy.where(TL.teacher_id == load.teacher_id).limit(1)).first():
        raise InvalidInput(what=Phrase("adm.teacher_busy", n=number, weekday=weekday))
    clash = busy.where(TL.class_id == load.class_id)
    if load.group_id is not None:
        clash = clash.where(or_(TL.group_id.is_(None), TL.group_id == load.group_id))
    if uow.session.execute(clash.limit(1)).first():
        raise InvalidInput(what=Phrase("adm.class_busy", n=number, weekday=weekday))
    row = T(school_id=uow.school_id, load_id=load_id, weekday=weekday, number=number, room=room.strip())
    uow.session.add(row)
    uow.session.flush()
    _log(uow, actor, "timetable.add", "timetableslot", row.id, class_id=load.class_id,
         after={"load_id": load_id, "weekday": weekday, "number": number, "room": room.strip()})
    return row.id  # type: ignore[return-value]


def remove_slot(uow: UnitOfWork, actor: Actor, slot_id: int) -> None:
    _require(actor)
    row = _get(uow, m.TimetableSlot, slot_id, "slot")
    load = uow.session.get(m.TeachingLoad, row.load_id)
    uow.session.delete(row)
    _log(uow, actor, "timetable.remove", "timetableslot", slot_id, class_id=load.class_id if load else None,
         before={"load_id": row.load_id, "weekday": row.weekday, "number": row.number})


def bells(uow: UnitOfWork) -> list[BellInfo]:
    B = m.BellTime
    return [BellInfo(b.number, b.start, b.end) for b in uow.session.scalars(
        select(B).where(B.school_id == uow.school_id).order_by(B.number))]


def _hhmm(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", (text or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput(what=Phrase("adm.bad_time", text=text))
    return f"{int(match[1]):02d}:{match[2]}"


def set_bell(uow: UnitOfWork, actor: Actor, number: int, start: str, end: str) -> BellInfo:
    _require(actor)
    a, b = _hhmm(start), _hhmm(end)
    if b <= a:
        raise InvalidInput(what=Phrase("adm.bell_backwards", n=number, start=a, end=b))
    row = uow.session.scalars(select(m.BellTime).where(m.BellTime.school_id == uow.school_id,
                                                       m.BellTime.number == number)).first()
    before = {"start": row.start, "end": row.end} if row else None
    if row is None:
        row = m.BellTime(school_id=uow.school_id, number=number, start=a, end=b)
        uow.session.add(row)
    row.start, row.end = a, b
    uow.session.flush()
    _log(uow, actor, "bell.set", "belltime", row.id, before=before, after={"number": number, "start": a, "end": b})
    return BellInfo(number, a, b)


# --- rule settings --------------------------------------------------------------------

@dataclass(frozen=True)
class SettingInfo:
    name: str
    value: str
    default: str
    changed: bool

    @property
    def label(self) -> str:
        return str(settings_rules.label(self.name))

    @property
    def explanation(self) -> str:
        return str(settings_rules.explanation(self.name))


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def list_settings(uow: UnitOfWork) -> list[SettingInfo]:
    current, default = uow.settings.as_dict(), RuleSettings().as_dict()
    return [SettingInfo(n, _show(current[n]), _show(default[n]), current[n] != default[n]) for n in SETTING_NAMES]


def _parse(name: str, raw: str) -> Any:
    default = next(f.default for f in fields(RuleSettings) if f.name == name)
    text = (raw or "").strip()
    try:
        if isinstance(default, tuple):
            kind = type(default[0]) if default else int
            return [kind(p.strip()) for p in text.replace(";", ",").split(",") if p.strip()]
        if isinstance(default, bool):
            return text.lower() in ("1", "true", "yes", "да")
        if isinstance(default, int | float):
            return type(default)(text.replace(",", "."))
    except ValueError as exc:
        raise InvalidInput(what=Phrase("adm.bad_value", name=name, raw=raw)) from exc
    if name == "average" and text not in ("weighted", "arithmetic"):
        raise InvalidInput(what=Phrase("adm.average"))
    return text


def set_setting(uow: UnitOfWork, actor: Actor, name: str, raw: str) -> SettingInfo:
    """Store one rule setting (a JSON value); an empty value returns it to the default."""
    _require(actor)
    if name not in SETTING_NAMES:
        raise InvalidInput(what=Phrase("adm.bad_setting", name=name))
    row = uow.session.scalars(select(m.Setting).where(m.Setting.school_id == uow.school_id,
                                                      m.Setting.key == name)).first()
    before = json.loads(row.value) if row else None
    if not (raw or "").strip():
        if row is not None:
            uow.session.delete(row)
        value = None
    else:
        value = _parse(name, raw)
        RuleSettings.from_overrides({name: RuleSettings.encode(value)})  # refuses what it cannot read
        why = settings_rules.problem(name, value)
        if why is not None:
            raise InvalidInput(what=why)
        if row is None:
            row = m.Setting(school_id=uow.school_id, key=name, value="")
            uow.session.add(row)
        row.value = RuleSettings.encode(value)
    _log(uow, actor, "setting.set", "setting", None, before={name: before}, after={name: value})
    uow.db.forget()
    return next(s for s in list_settings(uow) if s.name == name)

"""A pupil's own details kept by the school (name, birth date, personal file №, parents,
phones) and the pupil's study groups within a class (one group of each split: English group
1 or 2, IT group 1 or 2).

`services.admin` re-exports these: they are part of keeping the school's reference data, and
follow its contract (`manage_school`, a change-log event with before → after, one commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services import (
    admin_texts,  # noqa: F401 - registers the keepers' words
    audit,
)
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.memberships import end_membership
from ejournal_tui.services.phrases import noun

register_many({
    "pr.birth_future": ("дата рождения {day} ещё не наступила", "the birth date {day} is in the future"),
    "pr.birth_old": ("дата рождения {day}: не раньше 1990 года", "the birth date {day}: not before 1990"),
    "pr.too_long": ("«{field}»: не более {n} знаков", "{field}: at most {n} characters"),
    "pr.no_name": ("у ученика должны быть фамилия и имя", "a pupil needs a last name and a first name"),
    "pr.foreign_group": ("группа «{group}» не из класса {klass}", "group {group!r} is not of class {klass}"),
    "pr.two_of_split": ("группы «{a}» и «{b}» — одно деление класса: выберите одну",
                        "groups {a!r} and {b!r} split the class the same way: choose one"),
})

MAX_TEXT = 200
OLDEST_BIRTH = date(1990, 1, 1)
_TEXT_FIELDS = ("last_name", "first_name", "patronymic", "personal_file_no", "parents", "phone")


def _require(actor: Actor) -> None:
    if not perm.may(actor.roles, "manage_school"):
        raise NotAllowed(what=Phrase("adm.keepers"))


def _pupil(uow: UnitOfWork, pupil_id: int) -> m.Pupil:
    row = uow.session.get(m.Pupil, pupil_id)
    if row is None or row.school_id != uow.school_id:
        raise NotFound(what=noun("pupil", id=pupil_id))
    return row


# --- the pupil's details ------------------------------------------------------------------

@dataclass(frozen=True)
class PupilCard:
    id: int
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date | None
    personal_file_no: str
    parents: str
    phone: str


def pupil_card(uow: UnitOfWork, actor: Actor, pupil_id: int) -> PupilCard:
    """What the school keeps about a pupil, to fill the form that changes it."""
    _require(actor)
    p = _pupil(uow, pupil_id)
    return PupilCard(pupil_id, p.last_name, p.first_name, p.patronymic, p.birth_date, p.personal_file_no,
                     p.parents, p.phone)


def _check_birth(uow: UnitOfWork, day: date) -> None:
    if day > uow.today():
        raise InvalidInput(what=Phrase("pr.birth_future", day=day))
    if day < OLDEST_BIRTH:
        raise InvalidInput(what=Phrase("pr.birth_old", day=day))


def _check_texts(changes: dict[str, Any]) -> None:
    for name in _TEXT_FIELDS:
        if len(changes.get(name) or "") > MAX_TEXT:
            raise InvalidInput(what=Phrase("pr.too_long", field=Phrase(f"pr.f_{name}"), n=MAX_TEXT))
    if any(name in changes and not changes[name] for name in ("last_name", "first_name")):
        raise InvalidInput(what=Phrase("pr.no_name"))


register_many({
    "pr.f_last_name": ("Фамилия", "Last name"), "pr.f_first_name": ("Имя", "First name"),
    "pr.f_patronymic": ("Отчество", "Patronymic"), "pr.f_personal_file_no": ("№ личного дела", "Personal file no."),
    "pr.f_parents": ("Родители", "Parents"), "pr.f_phone": ("Телефоны", "Phones"),
})


def edit_pupil(uow: UnitOfWork, actor: Actor, pupil_id: int, *, birth_date: date | None = None,
               personal_file_no: str | None = None, parents: str | None = None, phone: str | None = None,
               last_name: str | None = None, first_name: str | None = None,
               patronymic: str | None = None) -> PupilCard:
    """Change what is given (None leaves a detail as it is; "" clears a text)."""
    _require(actor)
    pupil = _pupil(uow, pupil_id)
    texts = {"last_name": last_name, "first_name": first_name, "patronymic": patronymic,
             "personal_file_no": personal_file_no, "parents": parents, "phone": phone}
    changes: dict[str, Any] = {k: " ".join(v.split()) for k, v in texts.items() if v is not None}
    _check_texts(changes)
    if birth_date is not None:
        _check_birth(uow, birth_date)
        changes["birth_date"] = birth_date
    changes = {k: v for k, v in changes.items() if getattr(pupil, k) != v}
    if changes:
        before = {k: getattr(pupil, k) for k in changes}
        for name, value in changes.items():
            setattr(pupil, name, value)
        audit.record(uow, actor, "pupil.edit", entity="pupil", entity_id=pupil_id, before=before, after=changes,
                     pupil_id=pupil_id)
        uow.commit()
    return pupil_card(uow, actor, pupil_id)


# --- study groups ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupChoice:
    id: int
    name: str


@dataclass(frozen=True)
class GroupSplit:
    """Groups that divide a class the same way: a pupil is in one of them (or in none)."""

    subjects: str  # the subjects taught in these groups, for the form's label
    groups: tuple[GroupChoice, ...]


def class_splits(uow: UnitOfWork, actor: Actor, class_id: int) -> list[GroupSplit]:
    """The class's groups, by split: the groups a subject is taught in form one split; a group
    no subject uses yet is a split of its own."""
    _require(actor)
    SG, TL, S = m.StudyGroup, m.TeachingLoad, m.Subject
    groups = {g.id: GroupChoice(g.id, g.name) for g in uow.session.scalars(  # type: ignore[misc]
        select(SG).where(SG.class_id == class_id, SG.school_id == uow.school_id).order_by(SG.name))}
    by_subject: dict[str, set[int]] = {}
    for subject, group_id in uow.session.execute(
            select(S.name, TL.group_id).join(S, S.id == TL.subject_id)
            .where(TL.class_id == class_id, TL.group_id.is_not(None)).order_by(S.order)):
        by_subject.setdefault(subject, set()).add(group_id)
    return _splits(groups, by_subject)


def _splits(groups: dict[int, GroupChoice], by_subject: dict[str, set[int]]) -> list[GroupSplit]:
    splits: dict[frozenset[int], list[str]] = {}
    for subject, ids in by_subject.items():
        splits.setdefault(frozenset(ids & groups.keys()), []).append(subject)
    used = set().union(*splits) if splits else set()
    for gid in groups.keys() - used:
        splits[frozenset({gid})] = []
    return [GroupSplit(", ".join(subjects) or groups[min(ids)].name,
                       tuple(groups[i] for i in sorted(ids, key=lambda i: groups[i].name)))
            for ids, subjects in splits.items() if ids]


def pupil_group_ids(uow: UnitOfWork, pupil_id: int, class_id: int, day: date) -> set[int]:
    """The groups of the class the pupil is in on `day`."""
    G, SG = m.GroupMember, m.StudyGroup
    return set(uow.session.scalars(select(G.group_id).join(SG, SG.id == G.group_id).where(
        G.pupil_id == pupil_id, SG.class_id == class_id, G.start <= day, or_(G.end.is_(None), G.end >= day))))


def _check_groups(uow: UnitOfWork, actor: Actor, klass: m.SchoolClass, group_ids: list[int]) -> None:
    splits = class_splits(uow, actor, klass.id)  # type: ignore[arg-type]
    names = {g.id: g.name for s in splits for g in s.groups}
    for gid in group_ids:
        if gid not in names:
            row = uow.session.get(m.StudyGroup, gid)
            raise InvalidInput(what=Phrase("pr.foreign_group", group=row.name if row else gid, klass=klass.name))
    for split in splits:
        chosen = [g.name for g in split.groups if g.id in group_ids]
        if len(chosen) > 1:
            raise InvalidInput(what=Phrase("pr.two_of_split", a=chosen[0], b=chosen[1]))


def join_groups(uow: UnitOfWork, actor: Actor, pupil_id: int, klass: m.SchoolClass, group_ids: list[int],
                day: date) -> None:
    """The pupil joins these groups of `klass` from `day` (checked: the class's, one a split)."""
    _check_groups(uow, actor, klass, group_ids)
    for gid in group_ids:
        uow.session.add(m.GroupMember(group_id=gid, pupil_id=pupil_id, start=day))


def _membership(uow: UnitOfWork, pupil_id: int, day: date) -> m.Membership:
    Ms = m.Membership
    row = uow.session.scalars(select(Ms).where(Ms.pupil_id == pupil_id, Ms.school_id == uow.school_id,
                                               Ms.start <= day, or_(Ms.end.is_(None), Ms.end >= day))).first()
    if row is None:
        raise InvalidInput(what=Phrase("adm.pupil_no_class", day=day))
    return row


def set_pupil_groups(uow: UnitOfWork, actor: Actor, pupil_id: int, group_ids: list[int], day: date) -> None:
    """From `day` the pupil is in exactly these groups of their class: the others end the day
    before, the new ones begin on `day`."""
    _require(actor)
    _pupil(uow, pupil_id)
    klass = uow.session.get_one(m.SchoolClass, _membership(uow, pupil_id, day).class_id)
    current = pupil_group_ids(uow, pupil_id, klass.id, day)  # type: ignore[arg-type]
    _check_groups(uow, actor, klass, group_ids)
    G = m.GroupMember
    for row in uow.session.scalars(select(G).where(G.pupil_id == pupil_id, G.group_id.in_(current - set(group_ids)),
                                                   or_(G.end.is_(None), G.end >= day))):
        end_membership(uow.session, row, day - timedelta(days=1))
    for gid in set(group_ids) - current:
        uow.session.add(G(group_id=gid, pupil_id=pupil_id, start=day))
    audit.record(uow, actor, "pupil.groups", entity="pupil", entity_id=pupil_id, class_id=klass.id,
                 pupil_id=pupil_id, before={"groups": sorted(current)}, after={"groups": sorted(group_ids), "from": day})
    uow.commit()

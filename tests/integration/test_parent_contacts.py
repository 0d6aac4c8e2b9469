"""Parents' contacts on both databases: the class leader saves a pupil's whole list (added,
changed, removed) with one change-log event and the printed register's text following; the
rules of domain/contacts.py refuse a bad address naming the parent; a list changed at another
workstation meanwhile is a conflict; only the class leader of the pupil's class, the deputy
and the administrator may; the import's replacement by position is idempotent."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.domain.contacts import Contact
from ejournal_tui.domain.errors import Conflict, InvalidInput, NotAllowed
from ejournal_tui.services import parent_contacts as pc
from ejournal_tui.services.parent_contacts import ParentInput
from tests.conftest import count_rows

MOTHER = ParentInput("Волкова Вера Ивановна", "Volkova.V@Example.org", "8 (912) 000-11-22", True)
FATHER = ParentInput("Волков Пётр Ильич", "", "+7 912 000 11 23", False)


def _events(engine, action: str = "contacts.save") -> list[m.AuditEvent]:  # noqa: ANN001
    with Session(engine) as s:
        return list(s.scalars(select(m.AuditEvent).where(m.AuditEvent.action == action).order_by(m.AuditEvent.seq)))


def _pupil(engine, pupil_id: int) -> m.Pupil:  # noqa: ANN001
    with Session(engine) as s:
        return s.get(m.Pupil, pupil_id)


def test_leader_saves_a_family_and_the_register_text_follows(school, engine) -> None:
    volkov = school.pupils["Волков"]
    with school.uow() as uow:
        family = pc.save_contacts(uow, school.actors["ivanova"], volkov, [MOTHER, FATHER], expected={})
    mother, father = family.parents
    assert (mother.email, mother.phone, mother.consent, mother.consent_date) == (
        "volkova.v@example.org", "+7 912 000-11-22", True, date(2026, 11, 20))
    assert (father.email, father.phone, father.consent, father.consent_date) == ("", "+7 912 000-11-23", False, None)
    assert family.consenting == ("volkova.v@example.org",)
    pupil = _pupil(engine, volkov)
    assert pupil.parents == "Волкова Вера Ивановна; Волков Пётр Ильич"
    assert pupil.phone == "+7 912 000-11-22; +7 912 000-11-23"
    (event,) = _events(engine)
    assert (event.actor, event.pupil_id, event.class_id) == ("ivanova", volkov, school.classes["5А"])
    after = json.loads(event.after)
    assert after["contacts"][0] == "Волкова Вера Ивановна · volkova.v@example.org ✓ · +7 912 000-11-22"
    assert json.loads(event.before)["contacts"] == []


def test_whole_list_edit_add_remove_keeps_ids_and_versions(school, engine) -> None:
    volkov = school.pupils["Волков"]
    leader = school.actors["ivanova"]
    with school.uow() as uow:
        first = pc.save_contacts(uow, leader, volkov, [MOTHER, FATHER])
    mother, father = first.parents
    grandma = ParentInput("Волкова Анна Петровна", "anna@школа.рф", "", True)
    changed = ParentInput(mother.name, mother.email, mother.phone, False, id=mother.id)
    with school.uow() as uow:
        second = pc.save_contacts(uow, leader, volkov, [changed, grandma], expected=first.versions)
    assert [p.name for p in second.parents] == [MOTHER.name, grandma.name]
    assert second.parents[0].id == mother.id and second.parents[0].version == mother.version + 1
    assert second.parents[0].consent is False and second.parents[0].consent_date is None
    assert second.parents[1].email == "anna@школа.рф"
    assert father.name not in {p.name for p in second.parents}
    assert count_rows(engine, m.ParentContact) == 2
    # the same list again changes nothing and records nothing
    same = [ParentInput(p.name, p.email, p.phone, p.consent, id=p.id) for p in second.parents]
    with school.uow() as uow:
        third = pc.save_contacts(uow, leader, volkov, same, expected=second.versions)
    assert third.versions == second.versions
    assert len(_events(engine)) == 2


def test_consent_date_stays_while_the_consent_does(school, engine, clock) -> None:
    volkov = school.pupils["Волков"]
    with school.uow() as uow:
        first = pc.save_contacts(uow, school.actors["ivanova"], volkov, [MOTHER])
    from datetime import timedelta

    school.db.clock.frozen = clock.frozen + timedelta(days=3)
    row = first.parents[0]
    with school.uow() as uow:
        later = pc.save_contacts(uow, school.actors["ivanova"], volkov,
                                 [ParentInput(row.name, "other@example.org", row.phone, True, id=row.id)])
    assert later.parents[0].consent_date == date(2026, 11, 20)


@pytest.mark.parametrize(("parent", "words"), [
    (ParentInput("Мама", "mama@", "", False), "parent 1: address 'mama@'"),
    (ParentInput("Мама", "", "", True), "parent 1: consent to e-mail without an address"),
    (ParentInput("Мама", "иванова@mail.ru", ""), "before the @ use Latin letters"),
    (ParentInput("Мама", "", "тел. 12"), "phone"),
    (ParentInput("", "", ""), "an empty parent"),
])
def test_bad_contacts_refused_naming_the_parent_nothing_written(school, engine, parent, words) -> None:
    volkov = school.pupils["Волков"]
    with school.uow() as uow, pytest.raises(InvalidInput) as err:
        pc.save_contacts(uow, school.actors["ivanova"], volkov, [parent])
    assert words in str(err.value)
    assert count_rows(engine, m.ParentContact) == 0 and not _events(engine)


def test_too_long_a_name_refused_by_the_columns_limit(school, engine) -> None:
    with school.uow() as uow, pytest.raises(InvalidInput):
        pc.save_contacts(uow, school.actors["ivanova"], school.pupils["Волков"], [ParentInput("Я" * 201)])
    assert count_rows(engine, m.ParentContact) == 0


def test_changed_at_another_workstation_is_a_conflict(school, engine) -> None:
    volkov = school.pupils["Волков"]
    leader, deputy = school.actors["ivanova"], school.actors["deputy"]
    with school.uow() as uow:
        loaded = pc.save_contacts(uow, leader, volkov, [MOTHER])
    row = loaded.parents[0]
    with school.uow() as uow:  # the deputy changes the phone meanwhile
        pc.save_contacts(uow, deputy, volkov, [ParentInput(row.name, row.email, "+7 900 000-00-00", True, id=row.id)])
    mine = [ParentInput(row.name, "new@example.org", row.phone, True, id=row.id)]
    with school.uow() as uow, pytest.raises(Conflict):
        pc.save_contacts(uow, leader, volkov, mine, expected=loaded.versions)
    with school.uow() as uow, pytest.raises(Conflict):  # a parent added elsewhere is not removed unseen
        pc.save_contacts(uow, leader, volkov, [], expected={})
    with school.uow() as uow:
        assert pc.pupil_contacts(uow, leader, volkov).parents[0].phone == "+7 900 000-00-00"


def test_who_may_keep_contacts(school) -> None:
    volkov, zhukov = school.pupils["Волков"], school.pupils["Жуков"]
    with school.uow() as uow:
        for login in ("ivanova", "deputy", "admin"):
            assert pc.pupil_contacts(uow, school.actors[login], volkov).class_name == "5А"
        for login in ("petrov", "secretary", "kozlova"):
            with pytest.raises(NotAllowed):
                pc.pupil_contacts(uow, school.actors[login], volkov)
        with pytest.raises(NotAllowed):
            pc.save_contacts(uow, school.actors["ivanova"], zhukov, [MOTHER])
        assert [c.name for c in pc.classes_for(uow, school.actors["ivanova"])] == ["5А"]
        assert [c.name for c in pc.classes_for(uow, school.actors["deputy"])] == ["1А", "5А", "10А"]
        assert pc.classes_for(uow, school.actors["petrov"]) == []


def test_class_contacts_lists_todays_pupils_alphabetically(school) -> None:
    with school.uow() as uow:
        pc.save_contacts(uow, school.actors["ivanova"], school.pupils["Борисова"], [MOTHER])
        families = pc.class_contacts(uow, school.actors["ivanova"], school.classes["5А"])
    assert [f.pupil.split()[0] for f in families] == ["Алексеев", "Борисова", "Волков", "Григорьева", "Дмитриев"]
    assert [len(f.parents) for f in families] == [0, 1, 0, 0, 0]  # Егоров left in October


def test_replace_family_by_position_is_idempotent(school, engine) -> None:
    volkov = school.pupils["Волков"]
    contacts = [Contact("Мать", "a@example.org", "", True), Contact("Отец", "", "+7 900 111-22-33", False)]
    with school.uow() as uow:
        pupil = uow.session.get(m.Pupil, volkov)
        assert pc.replace_family(uow, pupil, contacts)
        uow.commit()
    with school.uow() as uow:
        pupil = uow.session.get(m.Pupil, volkov)
        assert not pc.replace_family(uow, pupil, contacts)
        assert pc.replace_family(uow, pupil, contacts[:1])
        uow.commit()
    assert count_rows(engine, m.ParentContact) == 1
    assert (_pupil(engine, volkov).parents, _pupil(engine, volkov).phone) == ("Мать", "")

"""The demo's parents' contacts, so that `ejournal demo` shows every route of the digest to
parents: most families have an address at `example.org` (a domain reserved for examples, so
nothing can reach a real person) with the consent to electronic delivery, some have no
address, some an address without consent (both get paper), a few have two addresses, and a
few brothers and sisters in different classes share their parents and so their address.

Nothing here draws from the demo's random source: every choice is a rule on ids (like the
demo's double-barrelled names), so the rest of the demo stays exactly as it was, and the same
seed gives the same families. The parents are the ones the pupils' data already names
(«mother, phone; father», `Pupil.parents`; the father's phone is `Pupil.phone`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from ejournal_tui.data import models as m
from ejournal_tui.demo.activity import stamp
from ejournal_tui.demo.people import male_surname, translit
from ejournal_tui.demo.rows import RowSet
from ejournal_tui.domain.contacts import Contact, described

DOMAIN = "example.org"
NO_ADDRESS, NO_CONSENT, TWO_ADDRESSES = 0, 1, 5  # a family's id % 10: what it has (else: one consenting address)
SIBLINGS_PER_PUPILS = 30  # about one pair of siblings per so many pupils, at least MIN_SIBLINGS
MIN_SIBLINGS = 3


def add_families(rows: RowSet, classes: list[Any], fathers: list[list[str]], entered: datetime) -> None:
    """Make a few sibling pairs and give every pupil their parents' contacts (rows of
    `ParentContact`); `classes` are the demo's (`structure.Klass`), `fathers` the name
    list's patronymics (male, female), `entered` when the class leaders typed them in."""
    pupils = {r["id"]: r for r in rows.rows[m.Pupil]}
    grade = {pid: k.grade for k in classes for pid, _, _ in k.pupils}
    pairs = sibling_pairs(pupils, classes)
    for younger, elder in pairs:
        _make_siblings(pupils[younger], pupils[elder], fathers)
    family_of = {elder: younger for younger, elder in pairs}
    younger = {y for y, _ in pairs}
    taken: set[str] = set()
    made: dict[int, list[Contact]] = {}
    for pid in sorted(pupils, key=lambda p: (grade.get(p, 0), p)):  # the younger of siblings first
        family = family_of.get(pid)
        contacts = made[family] if family is not None else _contacts(pupils[pid], pid, taken, pid in younger)
        made[pid] = contacts
        for contact in contacts:
            rows.add(m.ParentContact, school_id=pupils[pid]["school_id"], pupil_id=pid, name=contact.name,
                     email=contact.email, phone=contact.phone, consent=contact.consent,
                     consent_date=entered.date() if contact.consent else None, updated_at=entered, version=1)


def sibling_pairs(pupils: dict[int, dict], classes: list[Any]) -> list[tuple[int, int]]:
    """(younger, elder): pupils of one surname in classes of different grades, the younger
    in the lower grade, each pupil in one pair at most; pupils who moved or left and the
    double-barrelled names are left out. In the order of the younger's id."""
    where: dict[int, Any] = {}
    for klass in classes:
        for pid, _, end in klass.pupils:
            where[pid] = None if (end is not None or pid in where) else klass  # a move: two memberships
    by_family: dict[str, list[int]] = defaultdict(list)
    for pid in sorted(where):
        row = pupils[pid]
        if where[pid] is not None and "-" not in row["last_name"]:
            by_family[male_surname(row["last_name"])].append(pid)
    wanted = max(MIN_SIBLINGS, len(pupils) // SIBLINGS_PER_PUPILS)
    pairs: list[tuple[int, int]] = []
    for ids in sorted(by_family.values(), key=lambda ids: ids[0]):
        ordered = sorted(ids, key=lambda p: (where[p].grade, p))
        younger = ordered[0]
        elder = next((p for p in ordered[1:] if where[p].grade > where[younger].grade), None)
        if elder is not None and len(pairs) < wanted:
            pairs.append((younger, elder))
    return pairs


def _make_siblings(younger: dict, elder: dict, fathers: list[list[str]]) -> None:
    """The elder pupil gets the younger's parents (and their father's patronymic): the
    younger's row, in the lower class, stays as it was drawn."""
    elder["parents"], elder["phone"] = younger["parents"], younger["phone"]
    pair = next((f for f in fathers if younger["patronymic"] in f), None)
    if pair is not None:
        elder["patronymic"] = pair[0] if elder["gender"] == "м" else pair[1]


def _contacts(pupil: dict, pid: int, taken: set[str], siblings: bool) -> list[Contact]:
    """The family's parents by the rule on the pupil's id (siblings: always an address with consent)."""
    mother_text, _, father = pupil["parents"].partition("; ")
    mother, _, phone = mother_text.partition(", ")
    kind = -1 if siblings else pid % 10
    mother_email = "" if kind == NO_ADDRESS else _address(mother, taken)
    father_email = _address(father, taken) if kind == TWO_ADDRESSES and father else ""
    found = [Contact(mother, mother_email, phone, bool(mother_email) and kind != NO_CONSENT)]
    if father:
        found.append(Contact(father, father_email, pupil["phone"], bool(father_email)))
    return found


def _address(name: str, taken: set[str]) -> str:
    """`ivanova.m@example.org` from «Иванова Мария …», numbered when another family has it."""
    surname, first = (name.split() + ["", ""])[:2]
    base = f"{translit(surname)}.{translit(first[:1])}".strip(".")
    address, n = f"{base}@{DOMAIN}", 2
    while address in taken:
        address, n = f"{base}{n}@{DOMAIN}", n + 1
    taken.add(address)
    return address


def contact_events(rows: RowSet, logins: dict[int, str], at: datetime) -> list[tuple[Any, ...]]:
    """The change-log events of the contacts as `services.parent_contacts.save_contacts`
    records them, one per pupil by the leader of the pupil's (first) class: the arguments of
    `history._event` after the school's id."""
    leaders = {r["id"]: r["leader_id"] for r in rows.rows[m.SchoolClass]}
    class_of: dict[int, int] = {}
    for ms in sorted(rows.rows[m.Membership], key=lambda r: (r["start"], r["id"])):
        class_of.setdefault(ms["pupil_id"], ms["class_id"])
    families: dict[int, list[Contact]] = defaultdict(list)
    for row in rows.rows[m.ParentContact]:
        families[row["pupil_id"]].append(Contact(row["name"], row["email"], row["phone"], row["consent"]))
    return [(at, logins.get(leaders.get(class_of.get(pid, 0)) or 0, "demo"), "contacts.save", "pupil", pid,
             class_of.get(pid), pid, None, {"contacts": [described(c) for c in contacts]})
            for pid, contacts in sorted(families.items())]


def entered_at(start_year: int) -> datetime:
    """When the class leaders typed the contacts in: the day before the year begins."""
    return stamp(date(start_year, 8, 31), 12)

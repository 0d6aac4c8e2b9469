"""Families for parents' e-mail (DOMAIN.md, "Informing pupils and parents"): which pupils'
news go together in one message, to which addresses, and who gets paper instead.

The rules, on plain values (no database):

- an address is compared as it is written, trimmed and in lower case;
- only a consenting contact (152-ФЗ: «согласие на получение сведений в электронном виде»)
  gives a pupil an address, and it must look like one (one @, something either side, no
  spaces): a typo is no address, so the family is not left without news, it gets paper;
- an address that any contact of the school withholds (a parent who did not consent, or
  withdrew the consent, on one child's record) is never written to, not even for a brother
  whose record still says yes: the refusal wins;
- pupils who share a usable address are one family, transitively (a mother's address links
  the two children, a father's links the second to a third): one message to every usable
  address of the family, each child in it;
- a pupil with no usable address is on the paper list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ContactLine:
    """One parent's contact as the grouping needs it."""

    pupil_id: int
    email: str
    consent: bool


@dataclass(frozen=True)
class Family:
    """Pupils whose news go in one message, and the addresses it goes to (both sorted)."""

    pupil_ids: tuple[int, ...]
    addresses: tuple[str, ...]


def normalize_address(text: str | None) -> str:
    return (text or "").strip().lower()


def looks_like_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and domain and "@" not in local and "." in domain.strip(".")
                and not any(ch.isspace() or ch in ",;<>" for ch in address))


def withheld_addresses(contacts: Iterable[ContactLine]) -> frozenset[str]:
    """Addresses some contact gives without consent: never written to."""
    return frozenset(normalize_address(c.email) for c in contacts if not c.consent and normalize_address(c.email))


def group_families(pupil_ids: Iterable[int], contacts: Iterable[ContactLine],
                   withheld: Iterable[str] = ()) -> tuple[list[Family], list[int]]:
    """The families of `pupil_ids` (in the order of their first pupil) and the pupils on
    paper (sorted). `contacts` may hold other pupils' lines: they are left out; `withheld`
    adds addresses refused elsewhere (the school's other pupils)."""
    wanted = sorted(set(pupil_ids))
    lines = [c for c in contacts if c.pupil_id in set(wanted)]
    refused = set(withheld) | withheld_addresses(lines)
    usable: dict[int, set[str]] = defaultdict(set)
    for c in lines:
        address = normalize_address(c.email)
        if c.consent and address not in refused and looks_like_address(address):
            usable[c.pupil_id].add(address)
    parent = {pid: pid for pid in usable}

    def root(pid: int) -> int:
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    first_with: dict[str, int] = {}
    for pid in sorted(usable):
        for address in sorted(usable[pid]):
            other = first_with.setdefault(address, pid)
            parent[root(pid)] = root(other)
    members: dict[int, list[int]] = defaultdict(list)
    for pid in sorted(usable):
        members[root(pid)].append(pid)
    families = [Family(tuple(pids), tuple(sorted(set().union(*(usable[p] for p in pids)))))
                for pids in members.values()]
    families.sort(key=lambda f: f.pupil_ids[0])
    return families, [pid for pid in wanted if pid not in usable]

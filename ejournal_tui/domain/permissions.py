"""Who may do what (DOMAIN.md, "People and what they do").

Roles are plain strings; an account may hold several. Whether a teacher may write a given
lesson depends on data (their load, a substitution, their class) and is decided by the
services with the help of these predicates.
"""

from __future__ import annotations

from collections.abc import Iterable

TEACHER = "teacher"
CLASS_LEADER = "class_leader"
DEPUTY = "deputy"
SECRETARY = "secretary"
SYSADMIN = "sysadmin"
DIRECTOR = "director"
ADMIN = "admin"
ROLES = (TEACHER, CLASS_LEADER, DEPUTY, SECRETARY, SYSADMIN, DIRECTOR, ADMIN)

# action -> roles that may perform it regardless of data
_MATRIX: dict[str, frozenset[str]] = {
    "view_all_registers": frozenset({DEPUTY, DIRECTOR, SECRETARY, ADMIN}),
    "close_period": frozenset({DEPUTY, DIRECTOR, ADMIN}),
    "reopen_period": frozenset({DEPUTY, DIRECTOR, ADMIN}),
    "export": frozenset({SECRETARY, DEPUTY, DIRECTOR, ADMIN, CLASS_LEADER}),
    "backup": frozenset({SYSADMIN, ADMIN}),
    "manage_accounts": frozenset({SYSADMIN, ADMIN}),
    "manage_school": frozenset({SYSADMIN, ADMIN, DEPUTY}),
    "set_any_reason": frozenset({DEPUTY, DIRECTOR, ADMIN}),
    "view_audit": frozenset({DEPUTY, DIRECTOR, SYSADMIN, ADMIN}),
    "control_reports": frozenset({DEPUTY, DIRECTOR, ADMIN}),
    # the registry of paper copies (001 5.2 секретарь а–б): kept by the secretary; the deputy
    # director records only the date of their own countersignature
    "keep_paper_registry": frozenset({SECRETARY, DIRECTOR, ADMIN}),
    "countersign_paper_copy": frozenset({DEPUTY, SECRETARY, DIRECTOR, ADMIN}),
    "view_paper_registry": frozenset({SECRETARY, DEPUTY, DIRECTOR, ADMIN}),
    # registers and reports of any class: the office that prints, signs and archives them;
    # a class leader prints their own class's (`may_print_class`)
    "print_any_class": frozenset({SECRETARY, DEPUTY, DIRECTOR, ADMIN}),
    # parents' contacts and consents of any class (personal data, 152-ФЗ): the deputy director
    # and the administrator; a class leader keeps their own class's (`may_keep_contacts`)
    "keep_any_contacts": frozenset({DEPUTY, ADMIN}),
    # parents' digests (notify parents) of any class; a class leader sends their own class's
    # (`may_notify_class`)
    "notify_any_class": frozenset({DEPUTY, DIRECTOR, ADMIN}),
}


def normalize_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """Known roles in canonical order; raises ValueError naming an unknown one."""
    wanted = {r.strip().lower() for r in roles if r and r.strip()}
    unknown = wanted - set(ROLES)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    return tuple(r for r in ROLES if r in wanted)


def may(roles: Iterable[str], action: str) -> bool:
    allowed = _MATRIX.get(action)
    if allowed is None:
        raise KeyError(action)
    return bool(allowed.intersection(roles))


def may_print_class(roles: Iterable[str], actor_id: int | None, leader_id: int | None) -> bool:
    """Whether a person may print a class's register or its class leader's report: the office
    (secretary, deputy, director, admin) any class, the class leader their own."""
    return may(roles, "print_any_class") or (actor_id is not None and actor_id == leader_id)


def may_keep_contacts(roles: Iterable[str], actor_id: int | None, leader_id: int | None) -> bool:
    """Whether a person may see and change the parents' contacts of a class (and send its
    families their digest now): the deputy director and the administrator any class, the
    class leader their own."""
    return may(roles, "keep_any_contacts") or (actor_id is not None and actor_id == leader_id)


def may_notify_class(roles: Iterable[str], actor_id: int | None, leader_id: int | None) -> bool:
    """Whether a person may send a class's parents their digests and read its delivery log."""
    return may(roles, "notify_any_class") or (actor_id is not None and actor_id == leader_id)

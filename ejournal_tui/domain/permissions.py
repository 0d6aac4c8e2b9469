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

"""Optimistic concurrency: an update names the version it was based on, and loses cleanly
(`Conflict`) if another workstation changed the row in between."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, update

from ejournal_tui.domain.errors import Conflict
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.lengths import check_values


def update_versioned(
    uow: UnitOfWork, table: Table, row_id: int, expected: int | None, current: int,
    values: dict[str, Any], what: object,
) -> int:
    """UPDATE … WHERE version = expected; returns the new version or raises `Conflict`.

    `expected` None means "the version I just read" (`current`): the row can still change
    between that read and this write, and the WHERE clause catches it.
    """
    check_values(table.name, values)  # this UPDATE bypasses the session's check
    base = current if expected is None else expected
    if base != current:
        raise Conflict(what=what)
    result = uow.session.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == base)
        .values(**values, version=base + 1)
    )
    if result.rowcount != 1:
        raise Conflict(what=what)
    return base + 1

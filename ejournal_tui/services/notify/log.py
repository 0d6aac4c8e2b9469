"""The delivery log (`Delivery` rows): where each pupil's next digest starts, the last delivery
per pupil for the class leader's screen, writing the rows of one message, and `notify log`.

Where the next digest starts (the cut-off) is the end (`covered_to`) of the pupil's last
successful delivery: a message the server took (`sent`) or a printed report card
(`printed`, the paper route). A failed one moves nothing, so the next run tries the same
news again. A finals-only delivery (`notify parents --finals`) does not move the regular
digest's cut-off, so the week's marks still come in the weekly digest; but final marks
start after the last delivery of any kind, so none is told twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, insert, select

from ejournal_tui.data import models as m
from ejournal_tui.services.context import Database, UnitOfWork
from ejournal_tui.services.control.data import chunks

SENT, FAILED, PRINTED = "sent", "failed", "printed"
EMAIL, PAPER = "email", "paper"
DELIVERED = (SENT, PRINTED)
_ADDRESS_MAX, _ERROR_MAX, _ID_MAX = 1000, 500, 255


def utc(ts: datetime | None) -> datetime | None:
    """A stored timestamp as aware UTC (SQLite hands naive UTC back)."""
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


@dataclass(frozen=True)
class DeliveryInfo:
    """A pupil's last delivery, as the class leader's screen shows it."""

    at: datetime  # aware UTC
    route: str  # email | paper
    status: str  # sent | failed | printed
    address: str
    error: str


@dataclass(frozen=True)
class Cutoff:
    regular: datetime | None  # the end of the last regular digest delivered
    any: datetime | None  # the end of the last delivery of any kind (finals-only too)
    last_at: datetime | None  # when the last successful delivery was made


def cutoffs(uow: UnitOfWork, pupil_ids: Iterable[int]) -> dict[int, Cutoff]:
    """Each pupil's cut-offs (pupils never delivered to are left out)."""
    D = m.Delivery
    found: dict[int, dict[bool, tuple[datetime, datetime]]] = {}
    for part in chunks(pupil_ids):
        for pid, finals, covered, made in uow.session.execute(
            select(D.pupil_id, D.finals_only, func.max(D.covered_to), func.max(D.created_at))
            .where(D.school_id == uow.school_id, D.pupil_id.in_(part), D.status.in_(DELIVERED))
            .group_by(D.pupil_id, D.finals_only)
        ):
            found.setdefault(pid, {})[bool(finals)] = (utc(covered), utc(made))  # type: ignore[assignment]
    out = {}
    for pid, by_kind in found.items():
        regular = by_kind.get(False, (None, None))[0]
        ends = [v[0] for v in by_kind.values() if v[0] is not None]
        made = [v[1] for v in by_kind.values() if v[1] is not None]
        out[pid] = Cutoff(regular, max(ends) if ends else None, max(made) if made else None)
    return out


def last_deliveries(uow: UnitOfWork, pupil_ids: Iterable[int]) -> dict[int, DeliveryInfo]:
    """Each pupil's last delivery (the last row written: a message partly refused ends with
    its `sent` row); pupils never delivered to are left out."""
    D = m.Delivery
    out: dict[int, DeliveryInfo] = {}
    for part in chunks(pupil_ids):
        last = (select(func.max(D.id)).where(D.school_id == uow.school_id, D.pupil_id.in_(part))
                .group_by(D.pupil_id).scalar_subquery())
        for pid, at, route, status, address, error in uow.session.execute(
            select(D.pupil_id, D.created_at, D.route, D.status, D.address, D.error).where(D.id.in_(last))
        ):
            out[pid] = DeliveryInfo(utc(at), route, status, address, error)  # type: ignore[arg-type]
    return out


def delivery_row(school_id: int, pupil_id: int, route: str, status: str, *, address: str = "",
                 covered_from: datetime | None, covered_to: datetime, finals_only: bool, message_id: str = "",
                 error: str = "", by: str) -> dict[str, object]:
    """One row of the log, its texts cut to their columns."""
    return {"school_id": school_id, "pupil_id": pupil_id, "route": route,
            "address": address[:_ADDRESS_MAX], "covered_from": covered_from, "covered_to": covered_to,
            "finals_only": finals_only, "message_id": message_id[:_ID_MAX], "status": status,
            "error": " ".join(error.split())[:_ERROR_MAX], "created_by": by[:200]}


def write_rows(db: Database, rows: Sequence[dict[str, object]]) -> None:
    """The rows of one message (or one printed file) in a transaction of their own, right
    after it left: a run stopped half-way leaves the log true to what was sent."""
    if not rows:
        return
    with db.uow() as uow:
        now = uow.now()
        uow.session.execute(insert(m.Delivery), [{**row, "created_at": now} for row in rows])
        uow.commit()


@dataclass(frozen=True)
class LogEntry:
    at: datetime  # aware UTC
    pupil_id: int
    pupil: str
    class_name: str
    route: str
    status: str
    address: str
    covered_from: datetime | None
    covered_to: datetime
    finals_only: bool
    message_id: str
    error: str
    by: str

    def as_json(self) -> dict[str, object]:
        return {"at": self.at.isoformat(), "pupil_id": self.pupil_id, "pupil": self.pupil, "class": self.class_name,
                "route": self.route, "status": self.status, "address": self.address,
                "covered_from": self.covered_from.isoformat() if self.covered_from else None,
                "covered_to": self.covered_to.isoformat(), "finals_only": self.finals_only,
                "message_id": self.message_id, "error": self.error, "by": self.by}


def read_log(uow: UnitOfWork, pupils: dict[int, tuple[str, str]], since: date | None = None) -> list[LogEntry]:
    """The rows of the given pupils ({id: (name, class)}), oldest first, from `since` on."""
    D = m.Delivery
    out: list[LogEntry] = []
    start = datetime.combine(since, time()).astimezone(UTC) if since else None
    for part in chunks(pupils):
        stmt = select(D).where(D.school_id == uow.school_id, D.pupil_id.in_(part))
        if start is not None:
            stmt = stmt.where(D.created_at >= start)
        for row in uow.session.scalars(stmt):
            name, klass = pupils[row.pupil_id]
            out.append(LogEntry(utc(row.created_at), row.pupil_id, name, klass, row.route, row.status,  # type: ignore[arg-type]
                                row.address, utc(row.covered_from), utc(row.covered_to), row.finals_only,  # type: ignore[arg-type]
                                row.message_id, row.error, row.created_by))
    out.sort(key=lambda e: (e.at, e.class_name, e.pupil))
    return out

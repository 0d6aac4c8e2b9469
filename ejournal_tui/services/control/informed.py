"""Parents informed, per class, for the control report (001: the class leader informs the
parents at least every two weeks; DOMAIN.md, "Informing pupils and parents"): of the pupils
in the class on the report's day, how many families were reached in the fourteen days up to
it by e-mail (a digest the server took), how many only on paper (a report card printed), and
how many not at all. A family here is a pupil's parents: brothers and sisters in one class
count once each, as each has their own line in the register."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select

from ejournal_tui.data import models as m
from ejournal_tui.services.context import UnitOfWork
from ejournal_tui.services.control.data import chunks

DAYS = 14


@dataclass(frozen=True)
class Informed:
    pupils: int = 0
    email: int = 0
    paper: int = 0  # on paper only (no e-mail reached them)

    @property
    def none(self) -> int:
        return self.pupils - self.email - self.paper


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone(UTC)


def informed(uow: UnitOfWork, class_ids: Iterable[int], as_of: date) -> dict[int, Informed]:
    """Each class's families informed in the `DAYS` days up to `as_of` (inclusive)."""
    Ms, D = m.Membership, m.Delivery
    members: dict[int, set[int]] = defaultdict(set)
    for cid, pid in uow.session.execute(select(Ms.class_id, Ms.pupil_id).where(
            Ms.class_id.in_(list(class_ids)), Ms.start <= as_of, or_(Ms.end.is_(None), Ms.end >= as_of))):
        members[cid].add(pid)
    start, end = _midnight(as_of - timedelta(days=DAYS - 1)), _midnight(as_of + timedelta(days=1))
    reached: dict[str, set[int]] = defaultdict(set)
    for part in chunks(pid for pids in members.values() for pid in pids):
        for pid, status in uow.session.execute(select(D.pupil_id, D.status).where(
                D.school_id == uow.school_id, D.pupil_id.in_(part), D.status.in_(("sent", "printed")),
                D.created_at >= start, D.created_at < end)):
            reached[status].add(pid)
    out = {}
    for cid, pids in members.items():
        email = pids & reached["sent"]
        out[cid] = Informed(len(pids), len(email), len((pids & reached["printed"]) - email))
    return out

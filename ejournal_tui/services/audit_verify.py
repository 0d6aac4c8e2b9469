"""`audit verify` as one use case per school: the hash chain (services/audit.py), the anchors
taken outside the database (services/audit_anchor.py) and, when asked, the replay of the
events against the register's rows (services/audit_deep.py), read in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.audit import ChainReport, verify_chain
from ejournal_tui.services.audit_anchor import (
    Anchor,
    AnchorFailure,
    anchors_from_log,
    check_anchors,
)
from ejournal_tui.services.audit_deep import DeepReport, deep_check
from ejournal_tui.services.context import Database

register_many({
    "audit.anchor_failed": (
        "журнал изменений школы {school} не содержит привязку {anchor} ({source}): {problem}",
        "change log of school {school} does not hold anchor {anchor} ({source}): {problem}",
    ),
})


@dataclass(frozen=True)
class SchoolVerdict:
    code: str
    chain: ChainReport
    anchors: list[Anchor] = field(default_factory=list)  # the anchors checked
    failures: list[AnchorFailure] = field(default_factory=list)
    deep: DeepReport | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.failures and (self.deep is None or self.deep.ok)


def verify_school(db: Database, code: str, anchors: list[Anchor], *, deep: bool = False) -> SchoolVerdict:
    """The chain, each anchor, and (`deep`) every row against its last event."""
    with db.uow(read_only=True) as uow:
        chain = verify_chain(uow)
        failures = check_anchors(uow.conn, uow.school_id, anchors)
        report = deep_check(uow.conn, uow.school_id) if deep else None
    return SchoolVerdict(code, chain, [a for a in anchors if a.seq > 0], failures, report)


def schools_of(engine: Engine, only: str = "") -> list[tuple[int, str]]:
    """(id, code) of every school, or of the one named `only` — which must exist: a mistyped
    code that matched nothing used to verify nothing and say all was well."""
    with engine.connect() as conn:
        rows = conn.execute(select(m.School.id, m.School.code).order_by(m.School.id)).all()
    chosen = [(sid, code) for sid, code in rows if not only or code == only]
    if only and not chosen:
        raise NotFound(what=Phrase("school.code", code=only))
    return chosen


def anchors_by_school(engine: Engine, given: list[Anchor], codes: list[str]) -> tuple[dict[str, list[Anchor]], list[Phrase]]:
    """The anchors to check for each school of `codes`: those given and those in the log of
    backup use; and a problem for each anchor of a school the database no longer holds."""
    known = {code for _, code in schools_of(engine)}
    found = anchors_from_log(engine)
    out: dict[str, list[Anchor]] = {code: [] for code in codes}
    problems: list[Phrase] = []
    for anchor in [*given, *(a for more in found.values() for a in more)]:
        if anchor.school not in known:
            problems.append(Phrase("audit.anchor_failed", school=anchor.school, anchor=anchor.label,
                                   source=anchor.source, problem=Phrase("anchor.no_school", school=anchor.school)))
        elif anchor.school in out:
            out[anchor.school].append(anchor)
    return out, problems

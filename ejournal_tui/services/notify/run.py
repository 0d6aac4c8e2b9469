"""`notify parents`: the run. Plan (one read-only transaction), then one message per family
with news, then the report cards of the families on paper, then one change-log event.

- A family gets a message when any of its pupils has news (`gather`); each pupil of the
  message gets a `Delivery` row, written in a transaction of its own right after the server
  answered: `sent` with the addresses it took, `failed` with the server's reply for those it
  refused (a message no address took is only `failed`, and the next run tries again).
- The server unreachable (or dropping the connection twice): sending stops there, what was
  sent stays logged, the paper list is still printed, and the report says why it stopped.
- Paper: the pupils with no usable address who have news, or whom nothing reached for two
  weeks (001: at least every two weeks), get their report card in one PDF per class, logged
  `printed`. With `--finals`, only those with new final marks.
- `dry_run`: the messages are written as `.eml` files (and the paper PDFs as usual), nothing
  is sent and no delivery is logged, so the real run that follows tells the same news.
- Files go into `out`, or a new folder `notify-YYYY-MM-DD-HHMMSS` in the current folder,
  made only when something is written.
- One sending run per school at a time (`lock.one_run`, held from the plan to the change-log
  event): two at once would both read the same last delivery and tell everything twice. A
  second run, the TUI's "send now" included, is refused at once (`RunUnderWay`), having read,
  sent and logged nothing. A dry run takes no lock and is never refused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import make_msgid
from pathlib import Path

from ejournal_tui.domain.contacts import smtp_address
from ejournal_tui.domain.families import Family
from ejournal_tui.exporters.digest_data import FamilyDigest, PupilDigest
from ejournal_tui.exporters.digest_mail import digest_message
from ejournal_tui.services import audit
from ejournal_tui.services.context import Actor, Database
from ejournal_tui.services.notify import log
from ejournal_tui.services.notify.cards import CardAttachments, print_paper
from ejournal_tui.services.notify.lock import one_run
from ejournal_tui.services.notify.plan import Plan, make_plan
from ejournal_tui.services.notify.smtp import (
    ServerUnreachable,
    SmtpSettings,
    Transport,
    address_problem,
)

Progress = Callable[[str, int, int], None]
PAPER_EVERY = timedelta(days=14)


@dataclass(frozen=True)
class Failure:
    pupils: str  # the pupils of the message, by name
    address: str
    error: str  # the server's reply


@dataclass
class NotifyReport:
    """What a run did. `sent` and `failed` count messages (a message partly refused is sent,
    and its refused addresses are in `failures`), `written` the messages a dry run wrote as
    files; `printed` counts pupils on paper; `nothing_new` pupils with nothing to tell;
    `stopped` says why sending stopped early."""

    sent: int = 0
    written: int = 0
    failed: int = 0
    printed: int = 0
    nothing_new: int = 0
    dry_run: bool = False
    folder: Path | None = None
    files: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    stopped: str = ""

    @property
    def all_failed(self) -> bool:
        """Nothing reached anyone by e-mail, and not only because some mailboxes do not exist
        (those are the addresses' problem, logged and named; the rest is the server's or the
        settings': a refused sender, a relay denied, a message refused)."""
        return self.failed > 0 and self.sent == 0 and not all(address_problem(f.error) for f in self.failures)


def notify_parents(db: Database, actor: Actor, smtp: SmtpSettings, *, class_name: str | None = None,
                   pupil_ids: Iterable[int] | None = None, since: date | None = None, finals_only: bool = False,
                   dry_run: bool = False, out: str | Path | None = None,
                   progress: Progress | None = None) -> NotifyReport:
    """Inform the parents of a class, of some pupils (`pupil_ids`: the TUI's "send this
    family's digest now") or of the whole school; see the module for what happens."""
    smtp = smtp.check(sending=not dry_run)
    with _alone(db, actor, dry_run):
        with db.uow(read_only=True) as uow:
            plan = make_plan(uow, actor, class_name=class_name, pupil_ids=pupil_ids, since=since,
                             finals_only=finals_only)
            stamp = uow.clock.local_now()
        folder = Path(out) if out else Path(f"notify-{stamp:%Y-%m-%d-%H%M%S}")
        run = _Run(db, actor, smtp, plan, finals_only, dry_run, folder, progress or (lambda *_: None))
        run.email()
        run.paper(f"{stamp:%Y-%m-%d}")
        run.record(class_name)
    return run.report


def _alone(db: Database, actor: Actor, dry_run: bool) -> AbstractContextManager[None]:
    """The school's one sending run. A dry run sends nothing and logs no delivery, so it cannot
    make anything be told twice, nor change what a real run tells: it takes no lock, and a
    sysadmin may look at tonight's messages while a run is sending."""
    return nullcontext() if dry_run else one_run(db, actor.login)


class _Run:
    def __init__(self, db: Database, actor: Actor, smtp: SmtpSettings, plan: Plan, finals_only: bool,
                 dry_run: bool, folder: Path, progress: Progress) -> None:
        self.db, self.actor, self.smtp, self.plan = db, actor, smtp, plan
        self.finals_only, self.dry_run, self.folder, self.progress = finals_only, dry_run, folder, progress
        self.report = NotifyReport(dry_run=dry_run)
        self.cards = CardAttachments(db, actor) if plan.attach_cards else None
        self.messages = [f for f in plan.families if any(plan.news[p].any() for p in f.pupil_ids)]
        self.report.nothing_new = sum(len(f.pupil_ids) for f in plan.families) - sum(
            len(f.pupil_ids) for f in self.messages)

    # --- e-mail ---------------------------------------------------------------------------
    def email(self) -> None:
        total = len(self.messages)
        with Transport(self.smtp) as transport:
            for i, family in enumerate(self.messages):
                self.progress(f"e-mail {self.plan.pupils[family.pupil_ids[0]].class_name}", i, total)
                digest = self._digest(family)
                if self.dry_run:
                    self._write_eml(i + 1, family, digest)
                    continue
                try:
                    self._send(transport, family, digest)
                except ServerUnreachable as exc:
                    self.report.stopped = str(exc)
                    break
        self.progress("e-mail", total, total)

    def _digest(self, family: Family) -> FamilyDigest:
        plan = self.plan
        pupils = [plan.pupils[pid] for pid in family.pupil_ids]
        digests = tuple(self._pupil(p.id) for p in pupils)
        start = min(plan.since[p.id].finals if self.finals_only else plan.since[p.id].news for p in pupils)
        attachments = self.cards.for_family(pupils) if self.cards is not None else ()
        return FamilyDigest(plan.school, self.smtp.sender, tuple(smtp_address(a) for a in family.addresses), digests,
                            _local(start), _local(plan.until), make_msgid(domain=self.smtp.domain),
                            self.finals_only, attachments)

    def _pupil(self, pid: int) -> PupilDigest:
        p, news = self.plan.pupils[pid], self.plan.news[pid]
        period, forecasts = self.plan.forecasts.get(pid, ("", ()))
        return PupilDigest(p.name, p.short_name, p.class_name, tuple(news.marks), tuple(news.absences),
                           tuple(news.remarks), tuple(news.homework), tuple(news.finals), forecasts, period,
                           _local(self._since(pid)))

    def _since(self, pid: int) -> datetime:
        since = self.plan.since[pid]
        return since.finals if self.finals_only else since.news

    def _write_eml(self, n: int, family: Family, digest: FamilyDigest) -> None:
        first = self.plan.pupils[family.pupil_ids[0]]
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / _file_name(f"{n:04d}-{first.class_name}-{first.short_name}.eml")
        path.write_bytes(bytes(digest_message(digest)))
        self.report.files.append(path)
        self.report.written += 1

    def _send(self, transport: Transport, family: Family, digest: FamilyDigest) -> None:
        outcome = transport.send(digest_message(digest), list(digest.recipients))
        names = ", ".join(self.plan.pupils[p].short_name for p in family.pupil_ids)
        rows = []
        for address, reply in outcome.refused.items():
            self.report.failures.append(Failure(names, address, reply))
            rows += self._rows(family, log.FAILED, address, digest.message_id, reply)
        if not outcome.sent and not outcome.refused:
            self.report.failures.append(Failure(names, ", ".join(digest.recipients), outcome.error))
            rows += self._rows(family, log.FAILED, ", ".join(digest.recipients), digest.message_id, outcome.error)
        if outcome.sent:
            rows += self._rows(family, log.SENT, ", ".join(outcome.accepted), digest.message_id)
        log.write_rows(self.db, rows)
        if outcome.sent:
            self.report.sent += 1
        else:
            self.report.failed += 1

    def _rows(self, family: Family, status: str, address: str, message_id: str, error: str = "") -> list[dict]:
        return [log.delivery_row(self.db.school_id, pid, log.EMAIL, status, address=address,
                                 covered_from=self._since(pid), covered_to=self.plan.until,
                                 finals_only=self.finals_only, message_id=message_id, error=error,
                                 by=self.actor.login) for pid in family.pupil_ids]

    # --- paper ----------------------------------------------------------------------------
    def paper(self, stamp: str) -> None:
        by_class: dict[str, list[int]] = defaultdict(list)
        for pid in self.plan.paper:
            if self._due_on_paper(pid):
                by_class[self.plan.pupils[pid].class_name].append(pid)
        for i, (class_name, ids) in enumerate(by_class.items()):
            self.progress(f"paper {class_name}", i, len(by_class))
            result = print_paper(self.db, self.actor, class_name, ids, self.folder, stamp)
            self.report.files.append(result.path)
            if not self.dry_run:
                log.write_rows(self.db, [log.delivery_row(
                    self.db.school_id, pid, log.PAPER, log.PRINTED, covered_from=self._since(pid),
                    covered_to=self.plan.until, finals_only=self.finals_only, message_id=result.path.name,
                    by=self.actor.login) for pid in ids])
            self.report.printed += len(ids)
        self.report.nothing_new += len(self.plan.paper) - self.report.printed
        if self.report.files:
            self.report.folder = self.folder

    def _due_on_paper(self, pid: int) -> bool:
        if self.plan.news[pid].any():
            return True
        last = self.plan.last_delivered.get(pid)
        return not self.finals_only and (last is None or self.plan.until - last >= PAPER_EVERY)

    # --- the change log -------------------------------------------------------------------
    def record(self, class_name: str | None) -> None:
        """One event for the run: pupils' data left the system, by e-mail, on paper or into
        files (a dry run)."""
        r, actor = self.report, self.actor
        class_ids = {p.class_id for p in self.plan.pupils.values()}
        with self.db.uow() as uow:
            audit.record(uow, actor, "notify.parents", entity="delivery",
                         class_id=next(iter(class_ids)) if len(class_ids) == 1 else None, after={
                             "class": class_name or "", "classes": len(class_ids), "pupils": len(self.plan.pupils),
                             "finals": self.finals_only, "dry_run": self.dry_run, "sent": r.sent,
                             "written": r.written, "failed": r.failed, "printed": r.printed,
                             "folder": str(r.folder.absolute()) if r.folder else "", "files": len(r.files),
                             "stopped": r.stopped})
            uow.commit()


def _local(at: datetime) -> datetime:
    return at.astimezone().replace(tzinfo=None)


def _file_name(text: str) -> str:
    """A file name from pupils' names: letters, digits and - kept, the rest made `_`."""
    return re.sub(r"[^\w.-]+", "_", text)

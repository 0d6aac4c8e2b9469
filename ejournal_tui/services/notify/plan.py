"""A run's plan, read in one read-only transaction before anything leaves: the pupils, their
families and the paper list, where each pupil's news start, the news, and the period so far.

Where news start (`Since`): after the pupil's last successful delivery (`log.cutoffs`); a
pupil never informed starts at the beginning of their class's current reporting period
(quarter or half-year; in the holidays, the one just ended); `--since DATE` starts everyone
at that day's midnight (local time), final marks included. Where they end: a minute before
the run began (`SETTLE`); what was typed since waits for the next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.domain.families import Family, group_families
from ejournal_tui.exporters.digest_data import DigestForecast
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.exports.card_forecast import report_period
from ejournal_tui.services.lookup import current_year
from ejournal_tui.services.notify import log
from ejournal_tui.services.notify.gather import Gatherer, PupilNews, Since, forecasts
from ejournal_tui.services.notify.scope import (
    PupilInScope,
    contact_lines,
    pupils_in_scope,
    withheld_anywhere,
)

# News end this long before the run starts: an entry's time is taken before its transaction
# commits, so one still committing while the run reads would otherwise fall between two runs
SETTLE = timedelta(minutes=1)


@dataclass(frozen=True)
class Plan:
    until: datetime  # aware UTC: the run's start; news up to it
    school: str
    pupils: dict[int, PupilInScope]
    families: list[Family]
    paper: list[int]  # pupils with no usable address
    since: dict[int, Since]
    news: dict[int, PupilNews]
    forecasts: dict[int, tuple[str, tuple[DigestForecast, ...]]]
    last_delivered: dict[int, datetime | None]  # when each pupil was last informed (None: never)
    attach_cards: bool


def midnight(day: date) -> datetime:
    """The local midnight that starts `day`, in UTC."""
    return datetime.combine(day, time()).astimezone(UTC)


def _period_starts(uow: UnitOfWork, class_ids: Iterable[int]) -> dict[int, datetime]:
    today = uow.today()
    year_start = current_year(uow).start
    out = {}
    for cid in set(class_ids):
        klass = uow.session.get(m.SchoolClass, cid)
        period = report_period(uow, klass, today)  # type: ignore[arg-type]
        out[cid] = midnight(period.start if period is not None else year_start)
    return out


def starts(uow: UnitOfWork, pupils: list[PupilInScope], given: date | None) -> tuple[dict[int, Since], dict]:
    """Each pupil's `Since`, and when each was last informed."""
    cut = log.cutoffs(uow, [p.id for p in pupils])
    last = {p.id: cut[p.id].last_at if p.id in cut else None for p in pupils}
    if given is not None:
        at = midnight(given)
        return {p.id: Since(at, at) for p in pupils}, last
    first = _period_starts(uow, (p.class_id for p in pupils))
    out = {}
    for p in pupils:
        c = cut.get(p.id)
        out[p.id] = Since(c.regular if c and c.regular else first[p.class_id],
                          c.any if c and c.any else first[p.class_id])
    return out, last


def make_plan(uow: UnitOfWork, actor: Actor, *, class_name: str | None, pupil_ids: Iterable[int] | None,
              since: date | None, finals_only: bool) -> Plan:
    until = uow.now().astimezone(UTC) - SETTLE
    pupils = pupils_in_scope(uow, actor, class_name, pupil_ids)
    withheld = withheld_anywhere(uow)
    if pupil_ids is not None:
        pupils = _with_siblings(uow, actor, class_name, pupils, withheld)
    ids = [p.id for p in pupils]
    families, paper = group_families(ids, contact_lines(uow, ids), withheld)
    since_of, last = starts(uow, pupils, since)
    news = Gatherer(uow, pupils, since_of, until).gather(finals_only=finals_only)
    told = [p for p in pupils if news[p.id].any()]
    fc = {} if finals_only else forecasts(uow, _messaged(told, pupils, families))
    school = uow.session.execute(select(m.School.name).where(m.School.id == uow.school_id)).scalar() or ""
    return Plan(until, school, {p.id: p for p in pupils}, families, paper, since_of, news, fc, last,
                bool(uow.settings.notify_attach_card))


def _with_siblings(uow: UnitOfWork, actor: Actor, class_name: str | None, asked: list[PupilInScope],
                   withheld: set[str]) -> list[PupilInScope]:
    """The pupils asked for (the TUI's "send this family's digest now") with their brothers
    and sisters in the classes the actor may inform: one family, one message."""
    everyone = pupils_in_scope(uow, actor, class_name)
    ids = [p.id for p in everyone]
    wanted = {p.id for p in asked}
    for family in group_families(ids, contact_lines(uow, ids), withheld)[0]:
        if wanted.intersection(family.pupil_ids):
            wanted.update(family.pupil_ids)
    return [p for p in everyone if p.id in wanted]


def _messaged(told: list[PupilInScope], pupils: list[PupilInScope], families: list[Family]) -> list[PupilInScope]:
    """The pupils a message will speak of: those with news, and their siblings (the paper
    list's report cards count their own)."""
    with_news, wanted = {p.id for p in told}, set()
    for family in families:
        if with_news.intersection(family.pupil_ids):
            wanted.update(family.pupil_ids)
    return [p for p in pupils if p.id in wanted]

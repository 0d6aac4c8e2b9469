"""Reading the change log: events filtered by user, class, pupil and dates, newest first, a
page at a time, each with the subject and period it is about and the names its ids stand for
(`audit_words` turns them into sentences)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from ejournal_tui.data import models as m
from ejournal_tui.domain import permissions as perm
from ejournal_tui.domain.errors import NotAllowed, NotFound
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.context import Actor, UnitOfWork
from ejournal_tui.services.phrases import noun

register_many(
    {
        "log.readers": ("журнал изменений читают заместитель директора, директор и администратор",
                        "the change log is read by the deputy director, director and administrator"),
    }
)

PAGE = 300  # events per page on screen
_CHUNK = 500  # ids per IN (...) list: SQLite limits the parameters of one statement


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: datetime  # aware UTC
    actor: str
    action: str
    entity: str
    entity_id: int | None
    class_name: str
    pupil: str
    lesson_date: date | None
    before: Any
    after: Any
    reason: str
    flagged: bool
    subject: str = ""  # of the lesson, mark, absence, final mark or load the event is about
    period: str = ""  # the period's code, for events about a period or a period's mark

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
            "entity": self.entity, "entity_id": self.entity_id, "class": self.class_name, "pupil": self.pupil,
            "lesson_date": self.lesson_date.isoformat() if self.lesson_date else None,
            "before": self.before, "after": self.after, "reason": self.reason, "flagged": self.flagged,
        }


@dataclass(frozen=True)
class Glossary:
    """Names for what events refer to by login, id or code: people, classes, kinds of work."""

    people: Mapping[str, str] = field(default_factory=dict)  # login -> "Иванова А.П."
    staff: Mapping[int, str] = field(default_factory=dict)  # staff id -> "Иванова А.П."
    classes: Mapping[int, str] = field(default_factory=dict)  # class id -> "5А"
    kinds: Mapping[str, str] = field(default_factory=dict)  # work-kind code -> its name
    groups: Mapping[int, str] = field(default_factory=dict)  # study group id -> "Англ. гр. 1"


@dataclass(frozen=True)
class LogPage:
    """One page of events, newest first, and how many more match after it."""

    entries: tuple[LogEntry, ...]
    more: int
    glossary: Glossary

    @property
    def last_seq(self) -> int | None:
        return self.entries[-1].seq if self.entries else None


@dataclass(frozen=True)
class LogFilter:
    user: str | None = None
    class_id: int | None = None
    pupil_ids: tuple[int, ...] | None = None
    since: date | None = None
    until: date | None = None

    def where(self, school_id: int) -> list[Any]:
        E = m.AuditEvent
        conds: list[Any] = [E.school_id == school_id]
        if self.user:
            conds.append(E.actor == self.user.strip().lower())
        if self.class_id is not None:
            conds.append(E.class_id == self.class_id)
        if self.pupil_ids is not None:
            conds.append(E.pupil_id.in_(self.pupil_ids))
        if self.since is not None:
            conds.append(E.at >= _day_start(self.since))
        if self.until is not None:
            conds.append(E.at < _day_start(self.until + timedelta(days=1)))
        return conds


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone(UTC)


def _require_reader(actor: Actor) -> None:
    if not perm.may(actor.roles, "view_audit"):
        raise NotAllowed(what=Phrase("log.readers"))


def query(
    uow: UnitOfWork, actor: Actor, *, user: str | None = None, class_id: int | None = None,
    pupil_id: int | None = None, since: date | None = None, until: date | None = None, limit: int = 500,
) -> list[LogEntry]:
    """Events of the school matching every filter given, newest first, at most `limit`."""
    _require_reader(actor)
    pupils = (pupil_id,) if pupil_id is not None else None
    return _fetch(uow, LogFilter(user, class_id, pupils, since, until), None, limit)


def _fetch(uow: UnitOfWork, filters: LogFilter, before_seq: int | None, limit: int) -> list[LogEntry]:
    E, C, P = m.AuditEvent, m.SchoolClass, m.Pupil
    stmt = (
        select(E.seq, E.at, E.actor, E.action, E.entity, E.entity_id, C.name, P.last_name, P.first_name,
               E.lesson_date, E.before, E.after, E.reason, E.flagged)
        .outerjoin(C, C.id == E.class_id).outerjoin(P, P.id == E.pupil_id)
        .where(*filters.where(uow.school_id))
    )
    if before_seq is not None:
        stmt = stmt.where(E.seq < before_seq)
    rows = uow.session.execute(stmt.order_by(E.seq.desc()).limit(limit))
    return [_entry(r) for r in rows]


def _count_after(uow: UnitOfWork, filters: LogFilter, seq: int | None) -> int:
    if seq is None:
        return 0
    E = m.AuditEvent
    stmt = select(func.count()).select_from(E).where(*filters.where(uow.school_id), E.seq < seq)
    return int(uow.session.scalar(stmt) or 0)


def _entry(r) -> LogEntry:  # noqa: ANN001
    at = r[1] if r[1].tzinfo else r[1].replace(tzinfo=UTC)
    pupil = f"{r[7]} {r[8]}" if r[7] else ""
    return LogEntry(r[0], at, r[2], r[3], r[4], r[5], r[6] or "", pupil, r[9], _load(r[10]), _load(r[11]),
                    r[12], r[13])


def _load(text: str) -> Any:
    return json.loads(text) if text else None


_LONGEST_NAME = 300  # last, first and patronymic names together, generously


def pupils_named(uow: UnitOfWork, name: str) -> list[int]:
    """Pupils whose last name (and first name, if given) start with what was typed:
    "Волков", "волков вик". SQLite's lower() knows no Cyrillic, so the text is matched as
    typed and capitalised."""
    parts = name.split()
    if not parts or len(name) > _LONGEST_NAME:
        # no pupil has a longer name: don't send a 50,000-character pattern to the database
        raise NotFound(what=noun("pupil_named", name=name if len(name) <= _LONGEST_NAME else name[:40] + "…"))
    P = m.Pupil

    def starts(column, text: str):  # noqa: ANN001, ANN202
        # autoescape: "%" and "_" typed are letters to find, not LIKE's wildcards
        return or_(column.startswith(text, autoescape=True), column.startswith(text.capitalize(), autoescape=True))

    stmt = select(P.id).where(P.school_id == uow.school_id, starts(P.last_name, parts[0]))
    if len(parts) > 1:
        stmt = stmt.where(starts(P.first_name, parts[1]))
    ids = list(uow.session.scalars(stmt.limit(20)))
    if not ids:
        raise NotFound(what=noun("pupil_named", name=name))
    return ids


def search_page(
    uow: UnitOfWork, actor: Actor, *, user: str = "", class_name: str = "", pupil: str = "",
    since: date | None = None, until: date | None = None, before_seq: int | None = None, limit: int = PAGE,
) -> LogPage:
    """The change log as people ask for it (CLI `audit log`, the TUI's change-log screen):
    by login, class name ("5А" or "5A"), pupil name and dates, newest first; the page after
    the event `before_seq` (None: the first page)."""
    from ejournal_tui.services.lookup import find_class

    _require_reader(actor)
    class_id = find_class(uow, class_name).id if class_name.strip() else None
    pupils = tuple(pupils_named(uow, pupil)) if pupil.strip() else None
    filters = LogFilter(user.strip() or None, class_id, pupils, since, until)
    entries = with_subjects(uow, _fetch(uow, filters, before_seq, limit))
    more = _count_after(uow, filters, entries[-1].seq) if entries else 0
    return LogPage(tuple(entries), more, glossary(uow))


def search(
    uow: UnitOfWork, actor: Actor, *, user: str = "", class_name: str = "", pupil: str = "",
    since: date | None = None, until: date | None = None, limit: int = PAGE,
) -> list[LogEntry]:
    """The first `limit` events of `search_page`."""
    page = search_page(uow, actor, user=user, class_name=class_name, pupil=pupil, since=since, until=until,
                       limit=limit)
    return list(page.entries)


# ---- what an event is about --------------------------------------------------------------

_ABOUT = ("lesson", "mark", "attendance", "finalmark", "teachingload", "subject")


def _subject_ways() -> dict[str, Select]:
    """(id, subject id) of each kind of thing an event can be about."""
    L, Mk, A, F, T, S = m.Lesson, m.Mark, m.Attendance, m.FinalMark, m.TeachingLoad, m.Subject
    return {
        "lesson": select(L.id, L.subject_id),
        "mark": select(Mk.id, L.subject_id).join(L, L.id == Mk.lesson_id),
        "attendance": select(A.id, L.subject_id).join(L, L.id == A.lesson_id),
        "finalmark": select(F.id, F.subject_id),
        "teachingload": select(T.id, T.subject_id),
        "subject": select(S.id, S.id),
    }


def _source(e: LogEntry) -> tuple[str, int] | None:
    """Where the event's subject is found: its JSON names the subject or the load, else the
    thing it is about (a lesson, a mark, an absence, a final mark, a load)."""
    after = e.after if isinstance(e.after, dict) else {}
    before = e.before if isinstance(e.before, dict) else {}
    for data in (after, before):
        if isinstance(data.get("subject_id"), int):
            return "subject", data["subject_id"]
        if isinstance(data.get("load"), int):
            return "teachingload", data["load"]
    if e.entity in _ABOUT and e.entity_id is not None:
        return e.entity, e.entity_id
    return None


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i : i + _CHUNK]


def _pairs(uow: UnitOfWork, stmt: Select, ids: Iterable[int]) -> dict[int, Any]:
    key = stmt.selected_columns[0]
    return {a: b for chunk in _chunks(ids) for a, b in uow.session.execute(stmt.where(key.in_(chunk)))}


def _subjects(uow: UnitOfWork, entries: list[LogEntry]) -> dict[tuple[str, int], str]:
    sources = {s for s in map(_source, entries) if s is not None}
    subject_of: dict[tuple[str, int], int] = {}
    for kind, stmt in _subject_ways().items():
        found = _pairs(uow, stmt, (i for k, i in sources if k == kind))
        subject_of.update({(kind, i): sid for i, sid in found.items()})
    names = _pairs(uow, select(m.Subject.id, m.Subject.name), subject_of.values())
    return {source: names.get(sid, "") for source, sid in subject_of.items()}


def _periods(uow: UnitOfWork, entries: list[LogEntry]) -> dict[int, str]:
    ids = (e.entity_id for e in entries if e.entity == "period" and e.entity_id is not None)
    return _pairs(uow, select(m.Period.id, m.Period.code), ids)


def with_subjects(uow: UnitOfWork, entries: list[LogEntry]) -> list[LogEntry]:
    """The entries with the subject and period each is about, where it has one."""
    subjects, periods = _subjects(uow, entries), _periods(uow, entries)

    def period(e: LogEntry) -> str:
        code = e.after.get("period") if isinstance(e.after, dict) else None
        if code:
            return str(code)
        return periods.get(e.entity_id or 0, "") if e.entity == "period" else ""

    return [replace(e, subject=subjects.get(_source(e) or ("", 0), ""), period=period(e)) for e in entries]


def glossary(uow: UnitOfWork) -> Glossary:
    """The school's people, classes, kinds of work and groups by the keys events use."""
    S, C, W, G = m.Staff, m.SchoolClass, m.WorkKind, m.StudyGroup
    sid = uow.school_id
    staff = uow.session.execute(select(S).where(S.school_id == sid)).scalars().all()
    classes = uow.session.execute(select(C.id, C.name).where(C.school_id == sid)).all()
    kinds = uow.session.execute(select(W.code, W.name).where(W.school_id == sid)).all()
    groups = uow.session.execute(select(G.id, G.name).where(G.school_id == sid)).all()
    return Glossary({s.login: s.short_name for s in staff}, {s.id: s.short_name for s in staff if s.id},
                    dict(classes), dict(kinds), dict(groups))  # type: ignore[arg-type]

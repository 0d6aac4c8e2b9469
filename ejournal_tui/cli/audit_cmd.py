"""`ejournal audit log|verify`: the change log (who changed what, when, before → after, why)
and the check of its hash chain, which finds an event edited or deleted behind the program."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import register_many, t

if TYPE_CHECKING:
    from ejournal_tui.services.audit_log import Glossary, LogEntry

register_many({
    "audit.bad_date": ("дата {value!r}: используйте ГГГГ-ММ-ДД", "date {value!r}: use YYYY-MM-DD"),
    "audit.empty": ("событий не найдено", "no events found"),
    "audit.ok": ("журнал изменений школы {school} цел: {events} событий", "change log of school {school} verifies: {events} events"),
    "audit.broken": (
        "журнал изменений школы {school} нарушен на событии {seq}: {problem}",
        "change log of school {school} is broken at event {seq}: {problem}",
    ),
})


def _date(value: str | None) -> date | None:
    from ejournal_tui.domain.errors import InvalidInput

    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(what=t("audit.bad_date", value=value)) from exc


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The change log and its integrity check.", no_args_is_help=True)
    app.add_typer(group, name="audit")
    group.command("log")(log_cmd)
    group.command("verify")(verify_cmd)


def log_cmd(
    user: Annotated[str | None, typer.Option("--user", metavar="LOGIN", help="Only events by this login")] = None,
    klass: Annotated[str | None, typer.Option("--class", metavar="CLASS", help="Only events about this class, e.g. 5А")] = None,
    pupil: Annotated[str | None, typer.Option("--pupil", metavar="NAME", help="Only events about this pupil: 'Фамилия [Имя]'")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="From this day (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="To this day inclusive (YYYY-MM-DD)")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000, help="At most this many events, newest first")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Who changed what and when, newest first.

    Example: ejournal audit log --class 5А --since 2026-11-01 --user ivanova
    """
    from ejournal_tui.services.audit_log import search_page

    start, end = _date(since), _date(until)
    db = STATE.database()
    with db.uow(read_only=True) as uow:
        page = search_page(uow, STATE.actor(db), user=user or "", class_name=klass or "", pupil=pupil or "",
                           since=start, until=end, limit=limit)
    if as_json:
        print(json.dumps([e.as_json() for e in page.entries], ensure_ascii=False))
        return
    if not page.entries:
        print(t("audit.empty"))
    for e in page.entries:
        print(_line(e, page.glossary))


def _line(e: LogEntry, glossary: Glossary) -> str:
    """One event in words, as the TUI's change log says it: «Отметка исправлена 5А · Алгебра ·
    16.11.2026 Волков Виктор: 3 → 4 (ошибка ввода) [!]»."""
    from ejournal_tui.services.audit_words import when_words, words

    w = words(e, glossary)
    where = " · ".join(p for p in (w.where, w.pupil) if p)
    change = f": {w.change}" if w.change else ""
    reason = f" ({w.reason})" if w.reason else ""
    flag = " [!]" if w.flagged else ""
    line = f"{e.seq:>6} {when_words(e, seconds=True)} {e.actor:<14} {w.action:<20} {where}{change}{reason}{flag}"
    return line.rstrip()


def verify_cmd() -> None:
    """Walk every school's hash chain and say where it breaks (exit 1 if it does).

    Example: ejournal audit verify || mail -s "change log broken" director@school
    """
    from sqlalchemy import select

    from ejournal_tui.cli.state import fail
    from ejournal_tui.data import models as m
    from ejournal_tui.services.audit import verify_chain
    from ejournal_tui.services.context import Database

    engine = STATE.engine()
    with engine.connect() as conn:
        schools = conn.execute(select(m.School.id, m.School.code).order_by(m.School.id)).all()
    if STATE.school or STATE.config.school:
        schools = [s for s in schools if s[1] == (STATE.school or STATE.config.school)]
    broken = []
    for sid, code in schools:
        with Database(engine, sid).uow() as uow:
            report = verify_chain(uow)
        if report.ok:
            print(t("audit.ok", school=code, events=report.events))
        else:
            broken.append(t("audit.broken", school=code, seq=report.broken_at, problem=report.problem))
    if broken:
        fail("; ".join(broken))

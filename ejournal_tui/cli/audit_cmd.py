"""`ejournal audit log|verify`: the change log (who changed what, when, before → after, why)
and the check of its hash chain, which finds an event edited or deleted behind the program."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import register_many, t

if TYPE_CHECKING:
    from ejournal_tui.services.audit_anchor import Anchor
    from ejournal_tui.services.audit_deep import DeepReport
    from ejournal_tui.services.audit_log import Glossary, LogEntry
    from ejournal_tui.services.audit_verify import SchoolVerdict

register_many({
    "audit.bad_date": ("дата {value!r}: используйте ГГГГ-ММ-ДД", "date {value!r}: use YYYY-MM-DD"),
    "audit.empty": ("событий не найдено", "no events found"),
    "audit.ok": ("журнал изменений школы {school} цел: {events} событий", "change log of school {school} verifies: {events} events"),
    "audit.broken": (
        "журнал изменений школы {school} нарушен на событии {seq}: {problem}",
        "change log of school {school} is broken at event {seq}: {problem}",
    ),
    "audit.anchors_held": (
        "журнал изменений школы {school} содержит все привязки извне базы: {n} (последняя — событие {seq})",
        "change log of school {school} holds every anchor from outside the database: {n} (the newest at event {seq})",
    ),
    "audit.deep_ok": (
        "глубокая проверка школы {school}: все {rows} строк совпадают с последним событием ({events} событий воспроизведено)",
        "deep check of school {school}: all {rows} rows match their last event ({events} events replayed)",
    ),
    "audit.deep_row": ("школа {school}: {problem}", "school {school}: {problem}"),
    "audit.deep_more": ("… и ещё {n}", "… and {n} more"),
    "audit.anchors_more": ("и ещё привязок школы {school}, которых журнал не содержит: {n}",
                           "and {n} more anchors of school {school} that the change log does not hold"),
    "audit.deep_broken": (
        "глубокая проверка школы {school}: строк, расходящихся с журналом изменений: {n} ({rows})",
        "deep check of school {school}: rows that differ from the change log: {n} ({rows})",
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


_ANCHOR_HELP = ("An anchor from outside the database: SEQ:HASH as a closed period's paper copy prints it "
                "(«запись № SEQ, контрольная сумма HASH…»), or SCHOOL:SEQ:HASH; repeat for more")
_AGAINST_HELP = "A backup file whose manifest's anchors the chain must still hold; repeat for more"
_PASS_HELP = ("With --against: file whose first line is the backup passphrase (else EJOURNAL_BACKUP_PASSPHRASE, "
              "else the backup_passphrase_file setting, else a prompt)")


_SHOWN_ROWS = 200  # rows that differ, one line each; the rest are counted
_SHOWN_ANCHORS = 3  # anchors that do not hold, in the error line; the rest are counted


def verify_cmd(
    anchor: Annotated[list[str] | None, typer.Option("--anchor", metavar="SEQ:HASH", help=_ANCHOR_HELP)] = None,
    against: Annotated[list[Path] | None, typer.Option("--against", metavar="BACKUP", help=_AGAINST_HELP)] = None,
    deep: Annotated[bool, typer.Option("--deep", help="Also replay the events and compare every mark, attendance entry, final mark and lesson with its last event")] = False,
    passphrase_file: Annotated[str | None, typer.Option("--passphrase-file", metavar="FILE", help=_PASS_HELP)] = None,
) -> None:
    """Walk every school's hash chain, check it still holds each anchor taken outside the
    database (given, in backups, in the log of backup use) and, with --deep, that every row of
    the register is what its last event left; say what is wrong (exit 1 if anything is).

    Example: ejournal audit verify --anchor 1234:3f9a12bc77de0a41 --against /mnt/nas/ejournal/ejournal-20261120T220000Z.ejbk --deep
    """
    from ejournal_tui.cli.state import fail
    from ejournal_tui.services.audit_verify import anchors_by_school, schools_of, verify_school
    from ejournal_tui.services.context import Database

    engine = STATE.engine()
    schools = schools_of(engine, STATE.school or STATE.config.school or "")
    given = _given_anchors(anchor or [], against or [], passphrase_file, schools)
    anchors, broken = anchors_by_school(engine, given, [code for _, code in schools])
    for sid, code in schools:
        verdict = verify_school(Database(engine, sid), code, anchors[code], deep=deep)
        broken.extend(_told(verdict))
    if broken:
        fail("; ".join(str(b) for b in broken))


def _given_anchors(texts: list[str], backups: list[Path], passphrase_file: str | None,
                   schools: list[tuple[int, str]]) -> list[Anchor]:
    """The anchors typed with --anchor and those of each --against backup's manifest."""
    from ejournal_tui.cli.backup_cmd import read_passphrase
    from ejournal_tui.domain.errors import InvalidInput
    from ejournal_tui.i18n import Phrase
    from ejournal_tui.services.audit_anchor import anchors_from_backup, parse_anchor
    from ejournal_tui.services.backup.crypto import check_file

    only = schools[0][1] if len(schools) == 1 else ""
    given = [parse_anchor(text, only) for text in texts]
    if backups:
        for path in backups:
            check_file(path)  # before asking for a passphrase
        passphrase = read_passphrase(passphrase_file)
        codes = {code for _, code in schools}
        for path in backups:
            found = anchors_from_backup(path, passphrase)
            if not any(a.school in codes for a in found):
                raise InvalidInput(what=Phrase("anchor.not_of", path=path, schools=", ".join(sorted(codes)) or "-"))
            given.extend(found)
    return given


def _told(verdict: SchoolVerdict) -> list[object]:
    """Print what holds; return what does not, each as one phrase."""
    from ejournal_tui.i18n import Phrase

    code, chain = verdict.code, verdict.chain
    broken: list[object] = []
    if chain.ok:
        print(t("audit.ok", school=code, events=chain.events))
    else:
        broken.append(t("audit.broken", school=code, seq=chain.broken_at, problem=chain.problem))
    failures = sorted(verdict.failures, key=lambda f: f.anchor.seq)  # the earliest tells where it was rewritten
    for failure in failures[:_SHOWN_ANCHORS]:
        a = failure.anchor
        broken.append(Phrase("audit.anchor_failed", school=code, anchor=a.label, source=a.source, problem=failure.problem))
    if len(failures) > _SHOWN_ANCHORS:
        broken.append(t("audit.anchors_more", school=code, n=len(failures) - _SHOWN_ANCHORS))
    held = len(verdict.anchors) - len(verdict.failures)
    if held and not verdict.failures:
        print(t("audit.anchors_held", school=code, n=held, seq=max(a.seq for a in verdict.anchors)))
    if verdict.deep is not None:
        broken.extend(_told_deep(code, verdict.deep))
    return broken


def _told_deep(code: str, report: DeepReport) -> list[object]:
    if report.ok:
        print(t("audit.deep_ok", school=code, rows=report.rows, events=report.events))
        return []
    for diff in report.differences[:_SHOWN_ROWS]:
        print(t("audit.deep_row", school=code, problem=diff.problem))
    more = len(report.differences) - _SHOWN_ROWS
    if more > 0:
        print(t("audit.deep_more", n=more))
    named = ", ".join(f"{d.entity} {d.id}" for d in report.differences[:5])
    return [t("audit.deep_broken", school=code, n=len(report.differences), rows=named + (", …" if len(report.differences) > 5 else ""))]

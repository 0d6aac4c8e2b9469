"""`ejournal notify parents|log`: parents' e-mail digests and report cards on paper, and the
delivery log (services/notify).

Exit codes: 0 when the run did its work, even if some addresses were refused (they are
named, logged as failed and tried again by the next run); 1 when the settings cannot work,
the mail server cannot be reached, or no message went out for a reason other than mailboxes
that do not exist (a refused sender, a relay denied): a timer's unit then shows as failed.
Also 1, at once and having done nothing, when another run for the school is sending
(services/notify/lock.py); a dry run is never refused."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE, fail
from ejournal_tui.i18n import register_many, t

register_many({
    "notify.sent": ("отправлено писем: {sent}, не доставлено: {failed}", "{sent} messages sent, {failed} failed"),
    "notify.written": ("пробный запуск: {n} писем записано в {folder}, ничего не отправлено",
                       "dry run: {n} messages written into {folder}, nothing sent"),
    "notify.printed": ("на бумаге: отчёты {n} учеников в {folder} ({files} файлов)",
                       "on paper: report cards of {n} pupils in {folder} ({files} files)"),
    "notify.no_paper": ("на бумаге: никого", "on paper: no one"),
    "notify.nothing_new": ("без новостей: {n} учеников", "nothing new: {n} pupils"),
    "notify.refused": ("  не доставлено: {pupils} → {address}: {error}", "  not delivered: {pupils} → {address}: {error}"),
    "notify.all_failed": ("ни одно письмо не доставлено ({n}): почтовый сервер отказывает — проверьте настройки smtp_…",
                          "no message was delivered ({n} failed): the mail server refuses them — check the smtp_… settings"),
    "notify.stopped": ("отправка прервана: {why}", "sending stopped: {why}"),
    "notify.bad_date": ("дата «{text}»: используйте ГГГГ-ММ-ДД", "date {text!r}: use YYYY-MM-DD"),
    "notify.log_empty": ("в журнале доставки ничего нет", "the delivery log holds nothing here"),
    "notify.col.at": ("Когда", "When"),
    "notify.col.class": ("Класс", "Class"),
    "notify.col.pupil": ("Ученик", "Pupil"),
    "notify.col.route": ("Путь", "Route"),
    "notify.col.status": ("Итог", "Status"),
    "notify.col.address": ("Адрес / файл", "Address / file"),
    "notify.col.covered": ("Сведения за", "Covering"),
    "notify.col.error": ("Ошибка", "Error"),
})

ClassOpt = Annotated[str | None, typer.Option("--class", help="Only this class, e.g. 5А (5A is the same)")]
SinceOpt = Annotated[str | None, typer.Option("--since", metavar="DATE", help="From this day (YYYY-MM-DD)")]


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(t("notify.bad_date", text=text))
        raise


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Parents informed: e-mail digests, report cards on paper, the delivery log.",
                        no_args_is_help=True)
    app.add_typer(group, name="notify")
    group.command("parents")(parents_cmd)
    group.command("log")(log_cmd)


def parents_cmd(
    klass: ClassOpt = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Tell what is new since this day (YYYY-MM-DD) instead of since each family's last digest")] = None,
    finals: Annotated[bool, typer.Option("--finals", help="Only the period and year marks set since each family's last delivery (run daily)")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write the messages as .eml files, send nothing, log nothing")] = False,
    out: Annotated[str | None, typer.Option("--out", metavar="DIR", help="Folder for the paper report cards and the .eml files (default: a new folder notify-DATE-TIME here)")] = None,
) -> None:
    """E-mail each family with consent what is new in the register since its last digest;
    report cards on paper for the others; every delivery logged.

    One message per family (siblings together), in Russian, plain text and HTML: new marks,
    absences and lateness with reasons, teachers' remarks, homework, the period's average and
    forecast, final marks. The mail server: smtp_host, smtp_port, smtp_security, smtp_user,
    smtp_password_file, smtp_from in the settings (or EJOURNAL_SMTP_HOST, …).

    Example: ejournal notify parents --class 5А --dry-run --out /tmp/digests

    Example: ejournal notify parents --finals
    """
    from ejournal_tui.cli.progress import progress_bar
    from ejournal_tui.services.notify import notify_parents, smtp_settings

    day = _day(since)
    db = STATE.database()
    actor = STATE.actor(db)
    with progress_bar("notify") as report:
        result = notify_parents(db, actor, smtp_settings(STATE.config), class_name=klass, since=day,
                                finals_only=finals, dry_run=dry_run, out=out, progress=report)
    _summary(result)
    if result.stopped:
        fail(t("notify.stopped", why=result.stopped))
    if result.all_failed:
        fail(t("notify.all_failed", n=result.failed))


def _summary(r) -> None:  # noqa: ANN001 - a NotifyReport
    pdfs = [f for f in r.files if f.suffix == ".pdf"]
    if r.dry_run:
        print(t("notify.written", n=r.written, folder=r.folder or "-"))
    else:
        print(t("notify.sent", sent=r.sent, failed=r.failed))
    for f in r.failures:
        print(t("notify.refused", pupils=f.pupils, address=f.address, error=f.error))
    print(t("notify.printed", n=r.printed, folder=r.folder, files=len(pdfs)) if r.printed else t("notify.no_paper"))
    print(t("notify.nothing_new", n=r.nothing_new))


def log_cmd(
    klass: ClassOpt = None,
    pupil: Annotated[str | None, typer.Option("--pupil", metavar="NAME", help="Only pupils whose name contains this")] = None,
    since: SinceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """The delivery log: every digest sent, failed or printed, per pupil.

    Example: ejournal notify log --class 5А --since 2026-11-01

    Example: ejournal notify log --pupil Иванов --json
    """
    from ejournal_tui.services.notify import delivery_log

    day = _day(since)
    db = STATE.database()
    actor = STATE.actor(db)
    with db.uow(read_only=True) as uow:
        rows = delivery_log(uow, actor, class_name=klass, pupil=pupil, since=day)
    if as_json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=1))
        return
    if not rows:
        print(t("notify.log_empty"))
        return
    heads = [t(f"notify.col.{c}") for c in ("at", "class", "pupil", "route", "status", "address", "covered", "error")]
    table = [[_local(r.at), r.class_name, r.pupil, r.route + (" (finals)" if r.finals_only else ""), r.status,
              r.address or r.message_id, f"{_local(r.covered_from) if r.covered_from else '…'} – {_local(r.covered_to)}",
              r.error] for r in rows]
    for line in _grid(heads, table):
        print(line)


def _local(at) -> str:  # noqa: ANN001 - an aware datetime
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _grid(headers: list[str], rows: list[list[str]]) -> list[str]:
    cells = [headers] + rows
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]

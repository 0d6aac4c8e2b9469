"""`ejournal backup create|verify|list|restore|prune`: encrypted backups of the whole
database on two media, and the log of backup use. The passphrase is never an argument: it
comes from --passphrase-file, EJOURNAL_BACKUP_PASSPHRASE or a prompt."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import register_many, t
from ejournal_tui.services.secret_file import read_secret

register_many({
    "backup.one_destination": (
        "предупреждение: копия пишется только в {n} место; правила требуют два носителя в разных помещениях (добавьте --to или backup_dirs)",
        "warning: writing to {n} destination only; the regulations ask for two media in different rooms (add --to or backup_dirs)",
    ),
    "backup.written": ("записано: {path}", "written: {path}"),
    "backup.summary": (
        "копия: {rows} строк, {tables} таблиц, школы: {schools}; SHA-256 файла {sha}",
        "backup: {rows} rows in {tables} tables, schools: {schools}; file SHA-256 {sha}",
    ),
    "backup.verified": (
        "проверено: {path}: {rows} строк восстановлено и сверено, {events} событий журнала изменений; копия сделана {at} ({by}@{host})",
        "verified: {path}: {rows} rows restored and counted, {events} change-log events checked; made {at} by {by}@{host}",
    ),
    "backup.schema_same": ("ревизия схемы копии {rev} — та же, что у программы", "the backup's schema revision is {rev}, this program's"),
    "backup.schema_older": (
        "копия сделана в ревизии схемы {found}, программа работает с {expected}: при проверке данные переведены на {expected}, восстановление переведёт их так же",
        "the backup was made at schema revision {found}, this program uses {expected}: the check migrated the data to {expected}, and a restore migrates them the same way",
    ),
    "backup.restored": ("восстановлено {rows} строк из {path} в {target}", "restored {rows} rows from {path} into {target}"),
    "backup.migrated": (
        "копия сделана в ревизии схемы {found}: данные переведены на ревизию {expected}",
        "the backup was made at schema revision {found}: its data were migrated to revision {expected}",
    ),
    "backup.safety": ("страховочная копия прежних данных: {path}", "safety backup of the replaced data: {path}"),
    "backup.pruned": ("удалено: {path}", "removed: {path}"),
    "backup.would_prune": ("будет удалено: {path}", "would remove: {path}"),
    "backup.nothing_pruned": ("удалять нечего", "nothing to remove"),
    "backup.log_empty": ("журнал резервного копирования пуст", "the log of backup use is empty"),
    "backup.prompt": ("Код доступа к резервным копиям", "Backup passphrase"),
    "backup.repeat": ("Повторите", "Repeat"),
    "backup.mismatch": ("коды не совпадают", "the passphrases do not match"),
})

_PASS_HELP = ("File whose first line is the passphrase (else EJOURNAL_BACKUP_PASSPHRASE, else the "
              "backup_passphrase_file setting, else a prompt)")


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def read_passphrase(file: str | None, *, confirm: bool = False) -> str:
    """From --passphrase-file, EJOURNAL_BACKUP_PASSPHRASE, the backup_passphrase_file setting
    or a prompt, in that order; never from the command line."""
    from ejournal_tui.domain.errors import InvalidInput
    from ejournal_tui.services.backup.errors import NoPassphrase

    if file:
        return _passphrase_from(Path(file), "--passphrase-file")
    env = os.environ.get("EJOURNAL_BACKUP_PASSPHRASE")
    if env:
        return env
    if STATE.config.backup_passphrase_file:
        return _passphrase_from(Path(STATE.config.backup_passphrase_file), "backup_passphrase_file")
    if not sys.stdin.isatty():
        raise NoPassphrase()
    import getpass

    first = getpass.getpass(f"{t('backup.prompt')}: ")
    if confirm and getpass.getpass(f"{t('backup.repeat')}: ") != first:
        raise InvalidInput(what=t("backup.mismatch"))
    return first


def _passphrase_from(path: Path, setting: str) -> str:
    # open to others: a warning, not a refusal, so that the nightly backup is still made
    return read_secret(path, setting, kind="passphrase", warn=_err)


def _admin():  # noqa: ANN202
    # the machine's job (cli/state.py); the backup covers every school, so no one school
    return STATE.machine_actor()


def _destinations(to: list[str] | None) -> list[str]:
    return list(to or STATE.config.backup_dirs or [])


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Encrypted backups and the log of backup use.", no_args_is_help=True)
    app.add_typer(group, name="backup")
    group.command("create")(create_cmd)
    group.command("verify")(verify_cmd)
    group.command("list")(list_cmd)
    group.command("restore")(restore_cmd)
    group.command("prune")(prune_cmd)


def create_cmd(
    to: Annotated[list[str] | None, typer.Option("--to", metavar="DIR", help="Destination folder; repeat for each medium (default: backup_dirs of the settings)")] = None,
    passphrase_file: Annotated[str | None, typer.Option("--passphrase-file", metavar="FILE", help=_PASS_HELP)] = None,
    period_end: Annotated[bool, typer.Option("--period-end", help="Mark as the end-of-period backup (never pruned)")] = False,
) -> None:
    """Take a consistent, encrypted backup and write it to every destination.

    Example: ejournal backup create --to /srv/backup --to /mnt/nas/ejournal --passphrase-file /etc/ejournal/backup.key
    """
    from ejournal_tui.cli.progress import progress_bar
    from ejournal_tui.services.backup import create_backup
    from ejournal_tui.services.backup.errors import PartialWrite

    dests = _destinations(to)
    passphrase = read_passphrase(passphrase_file, confirm=True)
    if 0 < len(dests) < 2:
        _err(t("backup.one_destination", n=len(dests)))
    engine, own = _source_engine()
    try:
        with progress_bar("backup"):
            result = create_backup(engine, _admin(), dests, passphrase, period_end=period_end)
    finally:
        if own:
            engine.dispose()
    for path in result.files:
        print(t("backup.written", path=path))
    man = result.manifest
    print(t("backup.summary", rows=man.rows, tables=len(man.tables), schools=", ".join(man.schools) or "-", sha=result.sha256))
    if result.failures:
        raise PartialWrite(detail="; ".join(f"{f}: {d}" for f, d in result.failures))


def _source_engine():  # noqa: ANN202
    """The configured database, and whether the engine is ours to dispose of: one whose
    schema is older than this program's is backed up as it is (a backup before `db upgrade`)."""
    from ejournal_tui.data.db import open_database
    from ejournal_tui.domain.errors import SchemaError

    try:
        return STATE.engine(), False
    except SchemaError as exc:
        if exc.key != "err.schema_old":
            raise
    return open_database(STATE.url, older=True), True


def verify_cmd(
    file: Annotated[Path, typer.Argument(help="The backup file")],
    passphrase_file: Annotated[str | None, typer.Option("--passphrase-file", metavar="FILE", help=_PASS_HELP)] = None,
) -> None:
    """Decrypt, check the hashes, restore into a scratch database, compare the counts, and
    record the verification in the log of backup use (a failed one too, with what failed).

    Example: ejournal backup verify /mnt/nas/ejournal/ejournal-20261120T220000Z.ejbk --passphrase-file /etc/ejournal/backup.key
    """
    from ejournal_tui.services.backup import record_verification

    actor = _admin()
    report = _verify_or_record_failure(actor, file, passphrase_file)
    record_verification(STATE.engine(), actor, report)
    man = report.manifest
    print(t("backup.verified", path=file, rows=man.rows, events=report.events, at=man.created_at, by=man.by, host=man.host))
    if report.migrates:
        print(t("backup.schema_older", found=report.revision, expected=report.program_revision))
    else:
        print(t("backup.schema_same", rev=report.revision))


def _verify_or_record_failure(actor, file: Path, passphrase_file: str | None):  # noqa: ANN001, ANN202
    from ejournal_tui.services.backup import verify_backup
    from ejournal_tui.services.backup.crypto import check_file
    from ejournal_tui.services.backup.errors import BackupError, NoPassphrase

    try:
        check_file(file)  # before asking for a passphrase
        return verify_backup(actor, file, read_passphrase(passphrase_file))
    except NoPassphrase:
        raise  # nothing was verified
    except BackupError as exc:
        _record_failure(actor, file, exc)
        raise


def _record_failure(actor, file: Path, error: Exception) -> None:  # noqa: ANN001
    from sqlalchemy.exc import SQLAlchemyError

    from ejournal_tui.cli.state import one_line
    from ejournal_tui.domain.errors import EjournalError
    from ejournal_tui.services.backup import record_failed_verification
    from ejournal_tui.services.backup.errors import NotRecorded

    try:
        record_failed_verification(STATE.engine(), actor, file, error)
    except (EjournalError, SQLAlchemyError) as exc:
        raise NotRecorded(error=one_line(error), detail=one_line(getattr(exc, "orig", None) or exc)) from error


def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000, help="How many entries, newest first")] = 50,
) -> None:
    """The log of backup use: every backup, copy, verification, restore and removal.

    Example: ejournal backup list --json
    """
    from ejournal_tui.services.backup import read_log

    rows = read_log(STATE.engine(), max(1, limit))
    if as_json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False))
        return
    if not rows:
        print(t("backup.log_empty"))
    for r in rows:
        when = r.at.astimezone().strftime("%Y-%m-%d %H:%M")
        state = "ok " if r.ok else "FAILED "
        print(f"{when}  {r.action:<8} {state}{r.by}@{r.host}  {r.path}  {r.sha256[:12]}  {r.note}")


def restore_cmd(
    file: Annotated[Path, typer.Argument(help="The backup file")],
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help="Restore into this database URL (default: the configured one)")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Replace a database that holds data (a safety backup is taken first)")] = False,
    passphrase_file: Annotated[str | None, typer.Option("--passphrase-file", metavar="FILE", help=_PASS_HELP)] = None,
) -> None:
    """Restore a backup into an empty database, or over a live one with --yes.

    Example: ejournal backup restore ejournal-20261120T220000Z.ejbk --db postgresql+psycopg://ejournal@server/school
    """
    from ejournal_tui.data.db import open_database
    from ejournal_tui.services.backup import restore_backup
    from ejournal_tui.services.backup.crypto import check_file

    check_file(file)
    passphrase = read_passphrase(passphrase_file)
    engine = open_database(db) if db else STATE.engine()
    try:
        result = restore_backup(engine, _admin(), file, passphrase, replace=yes,
                                safety_dirs=_destinations(None) or None)
    finally:
        if db:
            engine.dispose()
    if result.safety:
        print(t("backup.safety", path=result.safety))
    if result.migrated_from:
        from ejournal_tui.services.backup.load import program_schema

        print(t("backup.migrated", found=result.migrated_from, expected=program_schema()))
    target = engine.url.render_as_string(hide_password=True)
    print(t("backup.restored", rows=result.manifest.rows, path=file, target=target))


def prune_cmd(
    keep: Annotated[int, typer.Option("--keep", max=100_000, help="How many of the newest backups to keep in each folder")] = 14,
    to: Annotated[list[str] | None, typer.Option("--to", metavar="DIR", help="Folder to prune; repeat (default: backup_dirs)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be removed")] = False,
) -> None:
    """Keep the newest N backups in each folder (N nights) and every period-end backup.

    Example: ejournal backup prune --keep 14 --to /srv/backup --to /mnt/nas/ejournal
    """
    from ejournal_tui.services.backup import prune_backups
    from ejournal_tui.services.backup.errors import NoDestination

    folders = _destinations(to)
    if not folders:
        raise NoDestination()
    removed = prune_backups(STATE.engine(), _admin(), folders, keep, dry_run=dry_run)
    for path in removed:
        print(t("backup.would_prune" if dry_run else "backup.pruned", path=path))
    if not removed:
        print(t("backup.nothing_pruned"))

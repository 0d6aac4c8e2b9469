"""Errors of backups and restores, each with a message a sysadmin can act on."""

from __future__ import annotations

from ejournal_tui.domain.errors import EjournalError
from ejournal_tui.i18n import register_many

register_many(
    {
        "err.backup.passphrase": (
            "Неверный код доступа к резервной копии {path} (или повреждён заголовок файла)",
            "Wrong passphrase for backup {path} (or the file's header is damaged)",
        ),
        "err.backup.not_backup": (
            "{path} не является резервной копией ejournal",
            "{path} is not an ejournal backup",
        ),
        "err.backup.truncated": (
            "Резервная копия {path} обрезана (файл неполон): используйте другую копию",
            "Backup {path} is truncated (the file is incomplete): use another copy",
        ),
        "err.backup.altered": (
            "Резервная копия {path} изменена или повреждена ({detail}): используйте другую копию",
            "Backup {path} was altered or damaged ({detail}): use another copy",
        ),
        "err.backup.no_passphrase": (
            "Нет кода доступа: укажите --passphrase-file, переменную EJOURNAL_BACKUP_PASSPHRASE или backup_passphrase_file в файле настроек",
            "No passphrase: give --passphrase-file, set EJOURNAL_BACKUP_PASSPHRASE or backup_passphrase_file in the settings file",
        ),
        "err.backup.weak_passphrase": (
            "Код доступа к резервным копиям должен содержать не менее {min} символов",
            "The backup passphrase must have at least {min} characters",
        ),
        "err.backup.no_destination": (
            "Не задано, куда писать копию: укажите --to КАТАЛОГ или backup_dirs в файле настроек",
            "No backup destination: give --to DIR or set backup_dirs in the settings file",
        ),
        "err.backup.write_failed": (
            "Резервная копия не записана ни в один каталог: {detail}",
            "The backup could not be written to any destination: {detail}",
        ),
        "err.backup.partial": (
            "Резервная копия записана не во все каталоги: {detail}",
            "The backup was not written to every destination: {detail}",
        ),
        "err.backup.schema": (
            "Резервная копия {path} сделана более новой версией ejournal (ревизия схемы {found}; эта программа знает ревизии до {expected}): обновите ejournal, чтобы её восстановить",
            "Backup {path} was made by a newer ejournal (schema revision {found}; this program knows revisions up to {expected}): upgrade ejournal to restore it",
        ),
        "err.backup.not_empty": (
            "База данных {target} содержит данные ({what}): добавьте --yes, чтобы заменить их (сначала будет сделана страховочная копия)",
            "The database {target} holds data ({what}): add --yes to replace it (a safety backup is taken first)",
        ),
        "err.backup.restore_failed": (
            "Восстановление не выполнено, база данных не изменена: {detail}",
            "The restore failed and the database was not changed: {detail}",
        ),
        "err.backup.verify_failed": (
            "Проверка копии {path} не пройдена: {detail}",
            "Backup {path} failed verification: {detail}",
        ),
        "err.backup.not_recorded": (
            "{error}; эта неудачная проверка не записана в журнал резервного копирования: {detail}",
            "{error}; this failed verification could not be recorded in the log of backup use: {detail}",
        ),
        "backup.detail.no_decompress": ("содержимое не распаковывается", "the content does not decompress"),
        "backup.detail.no_header": ("нет заголовка резервной копии", "no backup header"),
        "backup.detail.unexpected_line": ("неожиданная строка {n}", "unexpected line {n}"),
        "backup.detail.not_json": ("строка {n} — не JSON", "line {n} is not JSON"),
        "backup.detail.not_object": ("строка {n} — не объект", "line {n} is not an object"),
        "backup.detail.sha": ("SHA-256 содержимого не совпадает с описью", "the content's SHA-256 differs from the manifest"),
        "backup.detail.counts": ("число строк не совпадает с описью", "row counts differ from the manifest"),
        "backup.detail.format": ("неизвестная версия формата или параметры", "unknown format version or parameters"),
        "backup.detail.chunk": ("блок {n} не проходит проверку", "chunk {n} fails its check"),
        "backup.detail.after_end": ("данные после конца", "data after the end"),
        "backup.detail.chunk_header": ("повреждён заголовок блока", "a chunk header is damaged"),
        "backup.detail.foreign_rows": ("строки таблицы {table} ссылаются на отсутствующие строки {other}",
                                       "rows of table {table} refer to missing rows of {other}"),
        "backup.detail.bad_table": ("таблица «{table}» не подходит к этой схеме", "table {table!r} does not fit this schema"),
        "backup.detail.no_manifest": ("нет описи", "no manifest"),
        "backup.detail.revision": ("содержимое копии — ревизии схемы {found}, база данных — ревизии {expected}",
                                   "the backup's content is at schema revision {found}, the database at {expected}"),
        "backup.detail.migration": ("перевод данных копии со схемы {found} на схему {expected} не удался: {detail}",
                                    "migrating the backup's data from schema {found} to {expected} failed: {detail}"),
        "backup.detail.bad_row": ("строка не подходит к своей таблице", "a row does not fit its table"),
        "backup.detail.row_count": ("таблица {table}: восстановлено строк {found}, в описи {expected}",
                                    "table {table}: {found} rows restored, {expected} in the manifest"),
        "backup.detail.missing_rows": ("строки ссылаются на отсутствующие строки", "rows refer to missing rows"),
        "backup.detail.integrity": ("проверка целостности: {detail}", "integrity check: {detail}"),
        "backup.detail.chain": ("журнал изменений школы {school} нарушен на событии {seq}: {problem}",
                                "change log of school {school} broken at event {seq}: {problem}"),
        "backup.detail.in_memory": ("базу данных в памяти нельзя скопировать", "an in-memory database cannot be backed up"),
        "backup.admin_only": ("резервные копии делает и восстанавливает системный администратор",
                              "backups are made and restored by the system administrator"),
        "backup.keep_one": ("оставьте хотя бы одну копию (--keep 1 или больше)",
                            "keep at least one backup (--keep 1 or more)"),
        "err.backup.unreadable": (
            "Не удаётся прочитать {path}: {detail}",
            "Cannot read {path}: {detail}",
        ),
    }
)


class BackupError(EjournalError):
    key = "err.backup.not_backup"


class WrongPassphrase(BackupError):
    key = "err.backup.passphrase"


class NotABackup(BackupError):
    key = "err.backup.not_backup"


class BackupTruncated(BackupError):
    key = "err.backup.truncated"


class BackupAltered(BackupError):
    key = "err.backup.altered"


class NoPassphrase(BackupError):
    key = "err.backup.no_passphrase"


class WeakPassphrase(BackupError):
    key = "err.backup.weak_passphrase"


class NoDestination(BackupError):
    key = "err.backup.no_destination"


class WriteFailed(BackupError):
    key = "err.backup.write_failed"


class PartialWrite(BackupError):
    key = "err.backup.partial"


class SchemaMismatch(BackupError):
    key = "err.backup.schema"


class TargetNotEmpty(BackupError):
    key = "err.backup.not_empty"


class RestoreFailed(BackupError):
    key = "err.backup.restore_failed"


class VerifyFailed(BackupError):
    key = "err.backup.verify_failed"


class Unreadable(BackupError):
    key = "err.backup.unreadable"


class NotRecorded(BackupError):
    key = "err.backup.not_recorded"

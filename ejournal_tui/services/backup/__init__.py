"""Encrypted, engine-neutral backups of the whole database and the log of backup use.

`service` holds the use cases; `content` the JSON-lines format; `crypto` the AES-256-GCM
container; `snapshot` and `load` the reading and writing of databases; `migrate` the way of a
backup made at an older schema revision (a scratch database, migrated); `files` the media.
"""

from __future__ import annotations

from ejournal_tui.services.backup.service import (
    MIN_PASSPHRASE,
    CreateResult,
    RestoreResult,
    VerifyReport,
    create_backup,
    dump_database,
    prune_backups,
    read_log,
    record_failed_verification,
    record_verification,
    restore_backup,
    verify_backup,
)

__all__ = [
    "MIN_PASSPHRASE", "CreateResult", "RestoreResult", "VerifyReport", "create_backup", "dump_database",
    "prune_backups", "read_log", "record_failed_verification", "record_verification", "restore_backup", "verify_backup",
]

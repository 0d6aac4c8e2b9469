"""A secret kept in a file, the way a sysadmin is told to keep one (README): the first line of
a file only its owner may read or write (chmod 600). A file open to the group or to others is
refused before it is read: the secret may already have leaked and should be changed.

One rule for every such file: a person's password for the CLI (`EJOURNAL_PASSWORD_FILE`), the
backup passphrase, the workstation role's password (`db upgrade --password-file`), the mail
account's password (`smtp_password_file`). The nightly backup alone is warned rather than
refused (a backup made with a warning is better than none)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many, t

register_many({
    "secret.open": ("{kind} {path} ({setting}) доступен другим пользователям (права {mode}): выполните chmod 600 {path}",
                    "{kind} {path} ({setting}) is open to other users (mode {mode}): run chmod 600 {path}"),
    "secret.open_warn": ("предупреждение: {kind} {path} ({setting}) доступен другим пользователям (права {mode}): "
                         "выполните chmod 600 {path}",
                         "warning: {kind} {path} ({setting}) is open to other users (mode {mode}): run chmod 600 {path}"),
    "secret.unreadable": ("{kind} {path} ({setting}) не читается: {detail}", "{kind} {path} ({setting}) cannot be read: {detail}"),
    "secret.empty": ("{kind} {path} ({setting}): первая строка пуста", "{kind} {path} ({setting}): the first line is empty"),
    "secret.kind.file": ("файл", "file"),
    "secret.kind.password": ("файл пароля", "password file"),
    "secret.kind.passphrase": ("файл с кодом", "passphrase file"),
})


class SecretFileRefused(InvalidInput):
    """A secret's file that will not do; the message names the file, where it was named
    (`setting`) and what to do."""

    key = "secret.unreadable"


def read_secret(path: str | Path, setting: str, *, kind: str = "file",
                warn: Callable[[str], None] | None = None) -> str:
    """The first line of `path` (its line ending dropped). `setting` names where the path came
    from (`smtp_password_file`, `--passphrase-file`), `kind` what the file holds (`file`,
    `password`, `passphrase`). A file open to others is refused, unless `warn` is given: then
    it is told the warning and the secret is read."""
    file = Path(path).expanduser()
    named = {"kind": Phrase(f"secret.kind.{kind}"), "path": file, "setting": setting}
    try:
        mode = file.stat().st_mode
        if os.name != "nt" and mode & 0o077:
            shown = oct(mode & 0o777)[2:].rjust(4, "0")
            if warn is None:
                raise SecretFileRefused("secret.open", **named, mode=shown)
            warn(t("secret.open_warn", **named, mode=shown))
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretFileRefused("secret.unreadable", **named, detail=getattr(exc, "strerror", None) or exc) from exc
    first = text.split("\n", 1)[0].removesuffix("\r")
    if not first:
        raise SecretFileRefused("secret.empty", **named)
    return first

"""A secret kept in a file, the way a sysadmin is told to keep one (README): the first line of
a file only its owner may read or write (chmod 600). A file open to the group or to others is
refused before it is read: the secret may already have leaked and should be changed. The
mail account's password (`smtp_password_file`) is read here; the entry points' own readers
(the backup passphrase, a person's password file) keep the same rule."""

from __future__ import annotations

import os
from pathlib import Path

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "secret.open": ("файл {path} ({setting}) доступен другим пользователям (права {mode}): выполните chmod 600 {path}",
                    "file {path} ({setting}) is open to other users (mode {mode}): run chmod 600 {path}"),
    "secret.unreadable": ("файл {path} ({setting}) не читается: {detail}",
                          "file {path} ({setting}) cannot be read: {detail}"),
    "secret.empty": ("файл {path} ({setting}): первая строка пуста", "file {path} ({setting}): the first line is empty"),
})


def read_secret(path: str | Path, setting: str) -> str:
    """The first line of `path` (its line ending dropped); `setting` names where the path
    came from in a refusal (`smtp_password_file`)."""
    file = Path(path).expanduser()
    try:
        mode = file.stat().st_mode
        if os.name != "nt" and mode & 0o077:
            raise InvalidInput(what=Phrase("secret.open", path=file, setting=setting,
                                           mode=oct(mode & 0o777)[2:].rjust(4, "0")))
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise InvalidInput(what=Phrase("secret.unreadable", path=file, setting=setting, detail=detail)) from exc
    first = text.split("\n", 1)[0].removesuffix("\r")
    if not first:
        raise InvalidInput(what=Phrase("secret.empty", path=file, setting=setting))
    return first

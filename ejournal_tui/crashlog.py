"""The log of unexpected errors, for the administrator: each error with its traceback, in a
file only its owner can read (`crash.log` in the user log directory, 0600 in a 0700 folder),
with what must never be written down removed: the values a failed SQL statement was given
(a new account's password hash, pupils' names) and anything that looks like a password hash.

The CLI's last guard and the TUI's unexpected-error notice both write here and name the file.
"""

from __future__ import annotations

import os
import re
import traceback
from datetime import datetime
from pathlib import Path

# SQLAlchemy appends "[parameters: (...)]" and "[SQL: ...]" to a failed statement's message
_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL)
_HASHES = re.compile(r"\$argon2[a-z]*\$[^\s'\",)]*|\$scrypt\$[^\s'\",)]*")
# a database URL's password: postgresql+psycopg://user:secret@host/db
_URL_PASSWORD = re.compile(r"(://[^:/\s@]*:)[^\s/]+@")


def hide_url_password(text: str) -> str:
    """The text with every database URL's password replaced by ***."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def scrub(text: str) -> str:
    """The text without statement parameters, password hashes and passwords in URLs."""
    text = hide_url_password(text)
    return _HASHES.sub("$argon2…", _PARAMETERS.sub("[parameters: hidden]", text))


def log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path("ejournal") / "crash.log"


def write_crash(exc: BaseException) -> Path | None:
    """Append the error to the log; returns the file, or None when it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)  # a file made by an older version may be readable by others
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"\n--- {datetime.now().isoformat()} ---\n")
            fh.write(scrub("".join(traceback.format_exception(exc))))
    except OSError:
        return None
    return path


def one_line(exc: BaseException) -> str:
    """What the user is told: the kind of error and its first line, scrubbed."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return scrub(f"{exc.__class__.__name__}: {first}" if first else exc.__class__.__name__)

"""The last guard: an unexpected error is written to the log file with its traceback and
the user gets one line naming the file."""

from __future__ import annotations

import traceback
from datetime import datetime


def report_crash(exc: BaseException) -> str:
    from platformdirs import user_log_path

    folder = user_log_path("ejournal")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "crash.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"\n--- {datetime.now().isoformat()} ---\n")
            fh.write("".join(traceback.format_exception(exc)))
        where = f"; details in {log}"
    except OSError:
        where = ""
    return f"unexpected {exc.__class__.__name__}: {exc}{where}"

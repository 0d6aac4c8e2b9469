"""The CLI's last guard: an unexpected error goes to the crash log (ejournal_tui/crashlog.py)
and the user gets one line naming the file."""

from __future__ import annotations

from ejournal_tui.crashlog import one_line, write_crash


def report_crash(exc: BaseException) -> str:
    where = write_crash(exc)
    return f"unexpected {one_line(exc)}" + (f"; details in {where}" if where else "")

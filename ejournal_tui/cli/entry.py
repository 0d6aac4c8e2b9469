"""The console script `ejournal`.

`ejournal` and `ejournal tui` are what a teacher's desktop shortcut runs many times a day, so
they open the TUI without loading Typer: Typer and the pydantic it pulls in cost about a third
of a second before the first screen could be painted. Only the global options and the `tui`
command's own options are understood here; anything else (`--help`, `--version`, any other
command, a typo) goes to the full Typer command line in `cli/main.py`, which also gives the
usage errors. Both paths share one guard for the error contract of CLI.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

# option → (where it goes, its environment variable); the same names as cli/main.py's callback
_GLOBAL = {
    "--db": ("db_url", "EJOURNAL_DB"),
    "--config": ("config_file", "EJOURNAL_CONFIG_FILE"),
    "--school": ("school", "EJOURNAL_SCHOOL"),
    "--lang": ("lang", "EJOURNAL_LANG"),
}
_TUI = {"--user": "user", "--register": "register_name"}


@dataclass
class TuiLaunch:
    """What `ejournal [global options] [tui [--user L] [--register R]]` asked for."""

    globals: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    register_name: str | None = None


def parse_tui_launch(argv: list[str]) -> TuiLaunch | None:
    """The launch this command line asks for, or None when it is not a plain TUI start."""
    launch, i, in_tui = TuiLaunch(), 0, False
    while i < len(argv):
        arg = argv[i]
        if arg == "tui" and not in_tui:
            in_tui, i = True, i + 1
            continue
        name, eq, value = arg.partition("=")
        known = _GLOBAL if not in_tui else _TUI
        if name not in known:
            return None
        if not eq:
            if i + 1 >= len(argv):
                return None
            value, i = argv[i + 1], i + 1
        i += 1
        if in_tui:
            setattr(launch, _TUI[name], value)
        else:
            launch.globals[_GLOBAL[name][0]] = value
    return launch


def open_tui(school: str | None = None, user: str | None = None, register_name: str | None = None) -> None:
    """Run the staff TUI on the command line's state (Textual is imported only here)."""
    from ejournal_tui.cli.state import STATE
    from ejournal_tui.tui.app import run_app

    run_app(STATE, school=school, user=user, register=register_name)


def _launch(launch: TuiLaunch) -> None:
    from ejournal_tui.cli.state import STATE
    from ejournal_tui.i18n import set_language

    given = {key: launch.globals.get(key) or os.environ.get(env) or None for key, env in _GLOBAL.values()}
    STATE.db_url, STATE.config_file, STATE.school = given["db_url"], given["config_file"], given["school"]
    set_language(given["lang"] or STATE.config.lang or None)
    open_tui(user=launch.user, register_name=launch.register_name)


def guarded(call: Callable[[], object]) -> None:
    """Typed errors become one line on stderr and exit code 1; never a traceback on screen."""
    from ejournal_tui.cli.state import one_line
    from ejournal_tui.domain.errors import EjournalError

    _require_text_arguments(sys.argv[1:])
    try:
        call()
    except EjournalError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last guard
        from ejournal_tui.cli.crash import report_crash

        print(f"error: {one_line(report_crash(exc))}", file=sys.stderr)
        sys.exit(1)


def _require_text_arguments(args: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no database and no
    file name takes: a usage error, said before anything is opened."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            print(f"error: an argument is not valid UTF-8 text: {shown[:60]}", file=sys.stderr)
            sys.exit(2)


def run() -> None:
    """Console-script entry."""
    launch = parse_tui_launch(sys.argv[1:])
    if launch is not None:
        guarded(lambda: _launch(launch))
        return
    from ejournal_tui.cli.main import app

    guarded(app)

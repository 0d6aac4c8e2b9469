"""The README's "A new school" lines, run in order as a sysadmin would paste them, on an empty
SQLite file and on an empty PostgreSQL database, ending with the imported teacher signed in to
the TUI with a register open.

Each line runs in its own shell, so the test carries what a shell would keep between lines
(`cd`, `export`); the passwords the commands ask for are typed on their standard input, as a
person types them at the prompt (no terminal: `getpass` then reads the input). The last line,
`ejournal tui --user …`, is started the way the console script starts it and driven by Pilot.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from ejournal_tui.cli.entry import parse_tui_launch
from tests.ui.harness import screen_text, settle

README = Path(__file__).resolve().parents[2] / "README.md"
SAMPLES = README.parent / "data" / "samples"
ADMIN_PW = "Админ-пароль-2026"
FIRST_PW = "first-pass-2026"
OWN_PW = "Семёнов-пароль-7"
# what the person types at each command's prompt: a line run `--user admin` asks for the
# administrator's password first (CLI.md, "who acts"), then the command's own
TYPED = {"school create": f"{ADMIN_PW}\n{ADMIN_PW}\n", "users passwd": f"{FIRST_PW}\n{FIRST_PW}\n"}
SIGN_IN = {"--user admin ": f"{ADMIN_PW}\n"}


def readme_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- new-school:", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


class Shell:
    """Runs one line at a time, keeping the working folder and exported variables."""

    def __init__(self, home: Path, db_url: str | None) -> None:
        bin_dir = str(Path(sys.executable).parent)
        self.env = {**os.environ, "HOME": str(home), "PATH": f"{bin_dir}:{os.environ['PATH']}",
                    "EJOURNAL_LANG": "en", "EJOURNAL_BACKUP_PASSPHRASE": "код-директора-для-копий"}
        for name in ("EJOURNAL_DB", "EJOURNAL_SCHOOL", "EJOURNAL_BACKUP_DIRS", "EJOURNAL_CONFIG_FILE",
                     "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            self.env.pop(name, None)
        self.cwd = home
        self.kept = home.parent / "shell-state"  # where a line leaves its folder and variables
        self.kept.mkdir()
        self.server_url = db_url  # PostgreSQL: the README's "for a server" instead of the file

    def run(self, line: str) -> subprocess.CompletedProcess:
        if line.startswith("export EJOURNAL_DB=") and self.server_url:
            line = f"export EJOURNAL_DB={shlex.quote(self.server_url)}"
        stdin = "".join(typed for option, typed in SIGN_IN.items() if option in line)
        stdin += next((typed for cmd, typed in TYPED.items() if f" {cmd} " in f"{line} "), "")
        # the line, then what it leaves behind for the next one: the folder and the variables
        keep = shlex.quote(str(self.kept))
        script = f"{line}\nstatus=$?\npwd > {keep}/pwd; env -0 > {keep}/env\nexit $status"
        done = subprocess.run(["bash", "-c", script], cwd=self.cwd, env=self.env, input=stdin, text=True,
                              capture_output=True, timeout=300, start_new_session=True)
        self._carry()
        return done

    def _carry(self) -> None:
        self.cwd = Path((self.kept / "pwd").read_text().strip())
        env = (self.kept / "env").read_bytes().decode().split("\0")
        self.env = dict(item.split("=", 1) for item in env if "=" in item)


async def test_readme_day_one_ends_with_the_teacher_in_a_register(tmp_path: Path, db_url: str) -> None:
    """On SQLite the lines run exactly as written (the file under ~/ejournal); on PostgreSQL
    with EJOURNAL_DB set to an empty server database, as the README says for a server."""
    server_url = db_url if db_url.startswith("postgresql") else None
    lines = readme_lines()
    assert lines[-1].startswith("ejournal tui --user ")
    home = tmp_path / "home"
    (home / "ejournal").mkdir(parents=True)
    for sample in SAMPLES.iterdir():  # the school's own lists, in the folder the lines work in
        shutil.copy(sample, home / "ejournal" / sample.name)
    shell = Shell(home, server_url)
    for line in lines[:-1]:
        done = shell.run(line)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr
        if " users list" in line:
            assert re.search(r"semenov\.ip", done.stdout)
    backups = list((home / "ejournal" / "backup-1").glob("*.ejbk")) + list((home / "ejournal" / "backup-2").glob("*.ejbk"))
    assert len(backups) == 2, "one backup on each of the two media"
    await _teacher_signs_in(shell, lines[-1])


async def _teacher_signs_in(shell: Shell, line: str) -> None:
    """`ejournal tui --user semenov.ip`: the first password, a new one, then the register."""
    from ejournal_tui.cli.state import CliState
    from ejournal_tui.tui.app import EjournalApp

    launch = parse_tui_launch(shlex.split(line)[1:])
    assert launch is not None and launch.user == "semenov.ip"
    state = CliState(db_url=shell.env["EJOURNAL_DB"])
    app = EjournalApp(db=None, config=state.config, connect=state.database, user=launch.user)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#login").value == "semenov.ip"
            app.screen.query_one("#password").focus()
            await pilot.press(*FIRST_PW, "enter")
            await settle(pilot)
            await pilot.press(*OWN_PW, "enter", *OWN_PW, "enter")  # the first sign-in asks for a new password
            await settle(pilot)
            assert app.session is not None and app.session.actor.login == "semenov.ip"
            await pilot.press("f3")
            await settle(pilot)
            shown = screen_text(app)
            assert type(app.screen).__name__ == "RegisterScreen"
            assert "5Б" in shown and "Математика" in shown
            assert "Гришина" in shown and "Дёмин" in shown
    finally:
        if app.db is not None:
            app.db.engine.dispose()
        if state._engine is not None:
            state._engine.dispose()  # type: ignore[attr-defined]

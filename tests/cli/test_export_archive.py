"""`export all` and single exports keep an archive folder true (issue 14, item 5): the folder
appears complete or not at all, a non-empty one is replaced only with --force and as a whole,
nothing half-written is left behind, every file is in the change log with its absolute path,
digest and pages as it is written; single exports never overwrite without --force and write
only regular files; `--out dir/` is a folder; reports with pupils' data are in the change log.
Runs the real commands in this process on the small demo school."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.cli.test_backup_cli import cli
from tests.signin import password_file

AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    code, _, err = cli("--db", f"sqlite:///{path}", "demo", "--size", "small", "--no-tui", "--as-of", AS_OF)
    assert code == 0, err
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the demo for one test; the demo's password (every account's) in a file."""
    monkeypatch.setenv("EJOURNAL_PASSWORD_FILE", str(password_file(tmp_path)))
    for part in demo_file.parent.glob(demo_file.name + "*"):
        shutil.copy(part, tmp_path / part.name)
    return f"sqlite:///{tmp_path / demo_file.name}"


def run(db: str, *args: str, monkeypatch: pytest.MonkeyPatch | None = None,
        user: str = "secretary") -> tuple[int, str, str]:
    """`ejournal ARGS` as USER: the secretary prints, the deputy director reads reports and the log."""
    return cli("--db", db, "--lang", "en", "--user", user, *args, monkeypatch=monkeypatch)


def events(db: str, prefix: str) -> list[dict]:
    code, out, err = run(db, "audit", "log", "--json", user="deputy")
    assert code == 0, err
    rows = json.loads(out)
    return [e for e in (rows if isinstance(rows, list) else rows["events"]) if e["action"].startswith(prefix)]


def leftovers(folder: Path) -> list[str]:
    """Anything half-written beside or inside the target."""
    return [p.name for p in folder.parent.rglob("*") if p.name.endswith((".part", ".new", ".old"))]


def test_all_records_every_file_as_written_with_absolute_path(db: str, tmp_path: Path) -> None:
    target = tmp_path / "archive" / "q1"
    code, out, err = run(db, "export", "all", "--period", "Q1", "--out", str(target), "--workers", "1")
    assert code == 0, err
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    recorded = {e["after"]["file"]: e["after"] for e in events(db, "export.register")}
    assert manifest["files"] and len(recorded) == len(manifest["files"])
    for item in manifest["files"]:
        event = recorded[str(target / item["file"])]
        assert (event["sha256"], event["pages"]) == (item["sha256"], item["pages"])
    closing = events(db, "export.all")
    assert closing[0]["after"]["complete"] is True
    assert not leftovers(target)


def test_a_non_empty_folder_is_refused_and_force_replaces_it_whole(db: str, tmp_path: Path) -> None:
    target = tmp_path / "q1"
    assert run(db, "export", "all", "--period", "Q1", "--out", str(target), "--workers", "1")[0] == 0
    pdfs = sorted(p.name for p in target.glob("*.pdf"))
    code, _, err = run(db, "export", "all", "--period", "Q1", "--out", str(target), "--format", "xlsx")
    assert code == 1 and err.startswith("error:") and "--force" in err
    assert sorted(p.name for p in target.glob("*.pdf")) == pdfs and not list(target.glob("*.xlsx"))
    code, _, err = run(db, "export", "all", "--period", "Q1", "--out", str(target), "--format", "xlsx", "--force",
                       "--workers", "1")
    assert code == 0, err
    listed = {f["file"] for f in json.loads((target / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert listed == {p.name for p in target.iterdir()} - {"manifest.json"}  # no PDF left unlisted
    assert all(name.endswith(".xlsx") for name in listed) and not leftovers(target)


def test_a_failed_run_leaves_the_target_as_it_was(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ejournal_tui.services.exports import batch

    target = tmp_path / "q1"
    calls = []
    real = batch.run_job

    def fails_second(job):  # noqa: ANN001, ANN202
        calls.append(job)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(job)

    monkeypatch.setattr(batch, "run_job", fails_second)
    code, _, err = run(db, "export", "all", "--period", "Q1", "--out", str(target), "--workers", "1",
                       monkeypatch=monkeypatch)
    assert code != 0
    assert not target.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".q1")]
    assert events(db, "export.all")[0]["after"]["complete"] is False


def test_single_export_never_overwrites_without_force(db: str, tmp_path: Path) -> None:
    out = tmp_path / "5А.pdf"
    args = ("export", "register", "--class", "5А", "--period", "Q1", "--out", str(out))
    assert run(db, *args)[0] == 0
    before = out.read_bytes()
    code, _, err = run(db, *args)
    assert code == 1 and "--force" in err and out.read_bytes() == before
    assert run(db, *args, "--force")[0] == 0
    assert events(db, "export.register")[0]["after"]["file"] == str(out)
    assert not leftovers(out)


def test_only_regular_files_are_written(db: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    targets = [fifo] + ([Path("/dev/full")] if os.geteuid() == 0 else [])
    for target in targets:
        code, _, err = run(db, "export", "register", "--class", "5А", "--period", "Q1", "--out", str(target),
                           "--force")
        assert code == 1 and "not a regular file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    if os.geteuid() == 0:
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_trailing_slash_means_a_folder(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "dir"
    code, _, err = run(db, "export", "summary", "--class", "5А", "--format", "xlsx", "--out", f"{folder}/")
    assert code == 0, err
    assert folder.is_dir() and [p.name for p in folder.iterdir()] == ["summary-5А-2026.xlsx"]


@pytest.mark.parametrize("args", [
    ("report", "class", "--class", "5А", "--period", "Q1", "--format", "json"),
    ("report", "control", "--period", "Q1", "--format", "json"),
    ("report", "timesheet", "--month", "2026-10", "--format", "json"),
    ("report", "substitutions", "--month", "2026-10"),
])
def test_reports_with_pupils_data_are_in_the_change_log(db: str, args: tuple[str, ...]) -> None:
    code, _, err = run(db, *args, user="deputy")
    assert code == 0, err
    event = events(db, f"report.{args[1]}")[0]
    assert event["after"]["stdout"] is True and event["after"]["sha256"]


def test_a_report_file_is_logged_by_absolute_path(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(db, "report", "class", "--class", "5А", "--period", "Q1", "--format", "xlsx", "--out", "c.xlsx",
                       user="deputy")
    assert code == 0, err
    after = events(db, "report.class")[0]["after"]
    assert after["file"] == str(tmp_path / "c.xlsx") and after["format"] == "xlsx"

"""The small holes a hostile tester found, each closed and kept closed: a `--school` that
names no school, LIKE's wildcards typed as a pupil's name, an argument 50,000 characters long,
a URL whose port is not a number, a password in a URL, and what the crash log may hold.
The school is the small demo, made by `ejournal demo`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ejournal_tui.crashlog import scrub, write_crash
from tests.acceptance.runner import cli
from tests.signin import person_env


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('holes') / 'demo.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EJOURNAL_DB", url)
        cli("demo", "--size", "small", "--no-tui").ok()
    return url


@pytest.fixture
def admin(demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EJOURNAL_DB", demo_db)
    for name, value in person_env(tmp_path, "admin", "demo").items():
        monkeypatch.setenv(name, value)
    return demo_db


def test_a_school_code_that_names_no_school_is_an_error(admin: str) -> None:
    done = cli("--school", "nosuch", "audit", "verify")
    assert done.code == 1 and "nosuch" in done.err and done.out == ""
    done = cli("--school", "nosuch", "stats")
    assert done.code == 1 and "nosuch" in done.err
    assert cli("--school", "demo", "audit", "verify").ok().out.startswith("change log of school demo verifies")


def test_wildcards_typed_as_a_name_are_letters(admin: str) -> None:
    for pattern in ("%", "_", "%в%"):
        done = cli("audit", "log", "--pupil", pattern, "--json")
        assert done.code == 1 and "error:" in done.err, pattern
    assert cli("audit", "log", "--pupil", "Волков", "--json").code in (0, 1)  # a real prefix is still looked up


def test_a_50000_character_argument_is_one_line_of_error(admin: str) -> None:
    huge = "Ж" * 50_000
    for args in (("audit", "log", "--pupil", huge), ("audit", "log", "--class", huge), ("stats", "--class", huge)):
        done = cli(*args)
        assert done.code == 1, args
        lines = done.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "unexpected" not in lines[0], args
        assert len(lines[0]) < 400, args


def test_a_malformed_url_is_one_line_and_hides_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EJOURNAL_DB", raising=False)
    done = cli("--db", "postgresql+psycopg://clerk:s3cr@t@127.0.0.1:abc/test", "stats")
    assert done.code == 1 and done.err.startswith("error: ") and "unexpected" not in done.err
    assert "s3cr" not in done.err and "***" in done.err


def test_the_crash_log_holds_no_secrets_and_is_the_owners(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr("ejournal_tui.crashlog.log_path", lambda: tmp_path / "log" / "crash.log")
    try:
        raise RuntimeError("connect to postgresql+psycopg://clerk:hunter22@db/school failed\n"
                           "[SQL: INSERT INTO staff (login, password_hash) VALUES (?, ?)]\n"
                           "[parameters: ('x' * 500, '$argon2id$v=19$m=65536,t=3,p=4$abc$def')]")
    except RuntimeError as exc:
        path = write_crash(exc)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "hunter22" not in text and "$argon2id$v=19" not in text and "parameters: hidden" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert scrub("postgresql://a:b@c/d") == "postgresql://a:***@c/d"


@pytest.mark.postgres
def test_a_workstation_password_file_that_will_not_do_is_one_line_and_changes_nothing(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_schema_url")
    if url is None:
        pytest.skip("PostgreSQL not configured (set EJOURNAL_TEST_POSTGRES_URL)")
    from sqlalchemy import text

    from ejournal_tui.data.db import make_engine

    def revision() -> str | None:
        engine = make_engine(url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        engine.dispose()
        return found

    before = revision()
    missing, open_file = tmp_path / "nowhere", tmp_path / "ws.key"
    open_file.write_text("secret\n")
    open_file.chmod(0o644)
    for file, says in ((missing, "cannot be read"), (open_file, "is open to other users (mode 0644)")):
        done = cli("--db", url, "db", "upgrade", "--workstation-password-file", str(file))
        assert done.code == 1 and done.out == "", file
        lines = done.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: password file {file} (--workstation-password-file) "), lines
        assert says in lines[0]
    assert revision() == before

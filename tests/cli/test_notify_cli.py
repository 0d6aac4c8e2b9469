"""`ejournal notify parents|log` as a timer or a class leader runs it, signed in as the CLI
contract says (EJOURNAL_USER and a password file), on the small demo school and a real SMTP
server on loopback: the summary, the exit codes, one-line errors, the log as a table and as
JSON, help with examples."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from tests.acceptance.runner import Calendar, cli
from tests.mailserver import MailServer
from tests.signin import person_env

AS_OF = date(2026, 11, 20)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A fresh copy of a small demo built once, signed in as the administrator."""
    template = tmp_path_factory.getbasetemp() / "notify-cli-demo.db"
    if not template.exists():
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("EJOURNAL_DB", f"sqlite:///{template}")
            Calendar(mp).go(AS_OF, 6)
            cli("demo", "--size", "small", "--no-tui", "--as-of", AS_OF.isoformat()).ok()
    db = tmp_path / "demo.db"
    db.write_bytes(template.read_bytes())
    monkeypatch.setenv("EJOURNAL_DB", f"sqlite:///{db}")
    monkeypatch.chdir(tmp_path)
    for key, value in person_env(tmp_path, "admin", "demo").items():
        monkeypatch.setenv(key, value)
    Calendar(monkeypatch).go(AS_OF, 17)
    return f"sqlite:///{db}"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    with MailServer() as srv:
        for key, value in srv.env().items():
            monkeypatch.setenv(key, value)
        yield srv


def _rows(url: str) -> list[m.Delivery]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = [m.Delivery(**dict(r._mapping)) for r in conn.execute(select(m.Delivery))]
    engine.dispose()
    return rows


def _one_line_error(result, *words: str) -> None:  # noqa: ANN001
    assert result.code == 1, result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in result.err, result.err
    for word in words:
        assert word in lines[0], lines[0]


def test_every_notify_command_has_help_with_an_example() -> None:
    from typer.testing import CliRunner

    from ejournal_tui.cli.main import app

    for command in ("parents", "log"):
        done = CliRunner().invoke(app, ["notify", command, "--help"])
        assert done.exit_code == 0 and "Example: ejournal notify" in done.output


def test_a_dry_run_writes_the_messages_sends_and_logs_nothing(demo: str, server: MailServer, tmp_path: Path) -> None:
    done = cli("notify", "parents", "--class", "5A", "--dry-run", "--out", str(tmp_path / "dry")).ok()
    emls = sorted((tmp_path / "dry").glob("*.eml"))
    assert emls and f"dry run: {len(emls)} messages written into {tmp_path / 'dry'}, nothing sent" in done.out
    assert server.received == [] and _rows(demo) == []
    assert list((tmp_path / "dry").glob("report-cards-5А-paper-*.pdf"))


def test_a_run_sends_says_how_many_failed_and_exits_0(demo: str, server: MailServer) -> None:
    engine = make_engine(demo)
    with engine.connect() as conn:
        PC = m.ParentContact  # a family of one pupil with one address, in a class with marks
        rows = conn.execute(select(PC.pupil_id, PC.email, PC.consent, m.SchoolClass.grade)
                            .join(m.Membership, m.Membership.pupil_id == PC.pupil_id)
                            .join(m.SchoolClass, m.SchoolClass.id == m.Membership.class_id).order_by(PC.id)).all()
        emails = Counter(r.email for r in rows if r.email)
        per_pupil = Counter(r.pupil_id for r in rows if r.email)
        address = next(r.email for r in rows if r.consent and r.grade >= 2 and emails[r.email] == 1
                       and per_pupil[r.pupil_id] == 1)
    engine.dispose()
    server.refuse(address)
    done = cli("notify", "parents").ok()
    sent = len(server.received)
    assert sent > 20 and f"{sent} messages sent, 1 failed" in done.out
    assert f"→ {address}: 550 5.1.1" in done.out and "on paper: report cards of" in done.out
    folder = next(Path(".").glob("notify-*"))
    assert list(folder.glob("report-cards-*-paper-*.pdf"))
    again = cli("notify", "parents").ok()
    assert len(server.received) == sent and "0 messages sent, 1 failed" in again.out


def test_the_delivery_log_as_a_table_and_as_json(demo: str, server: MailServer) -> None:
    cli("notify", "parents", "--class", "5А").ok()
    table = cli("notify", "log", "--class", "5А").ok()
    assert table.out.splitlines()[0].split()[:3] == ["When", "Class", "Pupil"]
    assert "email" in table.out and "paper" in table.out and "sent" in table.out and "printed" in table.out
    rows = json.loads(cli("notify", "log", "--class", "5А", "--json").ok().out)
    assert rows and {r["class"] for r in rows} == {"5А"} and {r["status"] for r in rows} == {"sent", "printed"}
    name = rows[0]["pupil"].split()[0]
    mine = json.loads(cli("notify", "log", "--pupil", name.lower(), "--json").ok().out)
    assert mine and all(name in r["pupil"] for r in mine)
    assert json.loads(cli("notify", "log", "--since", "2026-11-21", "--json").ok().out) == []
    _one_line_error(cli("notify", "log", "--since", "21.11.2026"), "YYYY-MM-DD")


def test_settings_that_cannot_work_are_one_line_before_anything(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_line_error(cli("notify", "parents"), "smtp_from")
    monkeypatch.setenv("EJOURNAL_SMTP_FROM", "Школа <journal@school.example.org>")
    _one_line_error(cli("notify", "parents"), "smtp_host")
    monkeypatch.setenv("EJOURNAL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("EJOURNAL_SMTP_SECURITY", "tls")
    _one_line_error(cli("notify", "parents"), "starttls, ssl or none")
    assert _rows(demo) == []


def test_an_unreachable_server_exits_1_after_the_paper(demo: str, server: MailServer) -> None:
    server.down()
    done = cli("notify", "parents", "--class", "5А")
    _one_line_error(done, "sending stopped", "127.0.0.1")
    assert "0 messages sent" in done.out
    assert {r.status for r in _rows(demo)} == {"printed"}


def test_a_class_leader_informs_their_own_class(demo: str, server: MailServer, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(demo)
    with engine.connect() as conn:
        own = conn.execute(select(m.SchoolClass.name).join(m.Staff, m.Staff.id == m.SchoolClass.leader_id)
                           .where(m.Staff.login == "teacher")).scalar_one()
        other = conn.execute(select(m.SchoolClass.name).where(m.SchoolClass.name != own)).scalars().first()
    engine.dispose()
    for key, value in person_env(tmp_path, "teacher", "demo").items():
        monkeypatch.setenv(key, value)
    _one_line_error(cli("notify", "parents", "--class", other), "own class")
    cli("notify", "parents").ok()
    classes = {r["class"] for r in json.loads(cli("notify", "log", "--json").ok().out)}
    assert classes == {own}

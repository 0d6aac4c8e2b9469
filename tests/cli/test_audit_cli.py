"""`ejournal audit log|verify` on each engine: the change log filtered as the deputy director
asks for it, told in words (the JSON for scripts unchanged), and an event edited or deleted
directly in SQL found and named."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text

from ejournal_tui.services import marks
from tests.cli.test_backup_cli import cli
from tests.factory import PASSWORD
from tests.signin import person_env


@pytest.fixture
def logged(school, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path):  # noqa: ANN001, ANN201
    """Marks by two teachers in 5А and 10А, then a correction: five events."""
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("EJOURNAL_CONFIG_FILE", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    for name, value in person_env(tmp_path, "deputy", PASSWORD).items():  # the deputy director reads the log
        monkeypatch.setenv(name, value)
    rus = school.lesson("rus5", date(2026, 11, 20))
    alg = school.lesson("alg10", date(2026, 11, 20))
    with school.uow() as uow:
        first = marks.add_mark(uow, school.actors["ivanova"], rus, school.pupils["Волков"], "4")
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["ivanova"], rus, school.pupils["Борисова"], "5")
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["petrov"], alg, school.pupils["Ильин"], "3")
    with school.uow() as uow:
        marks.correct_mark(uow, school.actors["ivanova"], first.id, value="5", reason="ошибка ввода")
    return school


def _log(*args: str) -> list[dict]:
    """The events asked for, without the deputy's own sign-ins to read them."""
    code, out, err = cli("audit", "log", "--json", *args)
    assert code == 0, err
    return [e for e in json.loads(out) if e["action"] != "auth.login"]


def test_log_filters_by_user_class_pupil_and_date(logged) -> None:  # noqa: ANN001
    every = _log()
    assert [e["action"] for e in every] == ["mark.correct", "mark.add", "mark.add", "mark.add"]
    assert set(every[0]) == {"seq", "at", "actor", "action", "entity", "entity_id", "class", "pupil",
                             "lesson_date", "before", "after", "reason", "flagged"}  # scripts read these
    assert {e["actor"] for e in _log("--user", "petrov")} == {"petrov"}
    assert len(_log("--class", "5A")) == 3  # Latin A means the Cyrillic class
    volkov = _log("--pupil", "Волков")
    assert [e["action"] for e in volkov] == ["mark.correct", "mark.add"]
    assert volkov[0]["before"] == {"value": "4"} and volkov[0]["after"] == {"value": "5"}
    assert volkov[0]["reason"] == "ошибка ввода"
    assert _log("--since", "2026-11-21") == [] and len(_log("--since", "2026-11-20")) == 4


def test_log_as_text_and_bad_filters(logged) -> None:  # noqa: ANN001
    code, out, _ = cli("audit", "log", "--class", "5А")
    assert code == 0 and "(ошибка ввода)" in out
    first = out.splitlines()[0]  # the correction, newest first, in words: no codes, no raw JSON
    assert "Mark corrected" in first and "Русский язык · 2026-11-20 · Волков Виктор: 4 → 5" in first
    assert "mark.correct" not in out and '{"value"' not in out
    code, out, _ = cli("--lang", "ru", "audit", "log", "--class", "5А")
    first = out.splitlines()[0]
    assert code == 0 and "Отметка исправлена" in first
    assert "5А · Русский язык · 20.11.2026 · Волков Виктор: 4 → 5 (ошибка ввода)" in first
    assert "Отметка выставлена" in out and "5 (Устный ответ)" in out
    for args, words in ((("--since", "20.11.2026"), "YYYY-MM-DD"), (("--class", "9Я"), "class"),
                        (("--pupil", "Никто"), "Никто")):
        code, out, err = cli("audit", "log", *args)
        assert code == 1 and err.startswith("error: ") and words in err


def test_verify_passes_then_finds_an_edited_event(logged, engine) -> None:  # noqa: ANN001
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "verifies: 4 events" in out
    with engine.begin() as conn:  # someone with database access makes a 3 out of a 5
        conn.execute(text("UPDATE auditevent SET after = replace(after, '5', '3') WHERE seq = 2"))
    code, _, err = cli("audit", "verify")
    assert code == 1 and "broken at event 2" in err and "altered" in err


def test_verify_finds_a_deleted_event(logged, engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM auditevent WHERE seq = 3"))
    code, _, err = cli("audit", "verify")
    assert code == 1 and "broken at event 3" in err and "missing" in err


def test_verify_finds_the_last_event_deleted(logged, engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM auditevent WHERE seq = 4"))
    code, _, err = cli("audit", "verify")
    assert code == 1 and "deleted" in err

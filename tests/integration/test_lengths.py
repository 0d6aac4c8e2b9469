"""A text longer than its column is refused the same way on SQLite (which would keep it) and
PostgreSQL (which would fail with a DataError): an `InvalidInput` naming the field and the
limit, and nothing written. Unlimited text (topics, comments) is left alone. A database that
already holds such a value (written before the check) fails `backup verify`, which says why,
instead of failing later in the restore into PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, inspect, select
from sqlmodel import Session

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import set_language
from ejournal_tui.services import accounts, lengths, lessons, marks
from ejournal_tui.services.backup import create_backup, restore_backup, verify_backup
from ejournal_tui.services.backup.errors import RestoreFailed, VerifyFailed
from ejournal_tui.services.context import Clock
from ejournal_tui.services.imports import ImportRejected, import_file
from ejournal_tui.services.versioning import update_versioned
from tests.acceptance.runner import cli
from tests.conftest import FROZEN_NOW, count_rows
from tests.factory import PASSWORD, build_school
from tests.integration.test_backup import ADMIN, PASS
from tests.integration.test_backup_cross_engine import pg_target  # noqa: F401 - the fixture
from tests.signin import person_env

LONG_LOGIN = "a" * 500


def _written(engine) -> tuple[int, int]:  # noqa: ANN001
    """Accounts and change-log events, without the sign-ins (a person's command begins with one)."""
    with engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(m.AuditEvent)
                              .where(~m.AuditEvent.action.startswith("auth."))).scalar_one()
    return count_rows(engine, m.Staff), events


def test_the_database_enforces_the_models_limits(engine) -> None:
    """The limits checked are those of the schema the migrations made (PostgreSQL enforces it)."""
    schema = inspect(engine)
    for table, limits in lengths.LIMITS.items():
        made = {c["name"]: getattr(c["type"], "length", None) for c in schema.get_columns(table)}
        assert {name: made[name] for name in limits} == limits, table


def test_an_account_with_a_500_character_login_is_refused_with_the_field_named(school, engine) -> None:
    before = _written(engine)
    with school.uow() as uow, pytest.raises(InvalidInput) as err:
        accounts.add_account(uow, school.actors["admin"], LONG_LOGIN, "Длинный Логин Иванович", ["teacher"],
                             "Secret-pass-9")
    assert str(err.value) == "Invalid input: login: at most 64 characters, 500 given"
    set_language("ru")
    try:
        assert str(err.value) == "Неверные данные: логин — не более 64 символов, введено 500"
    finally:
        set_language("en")
    assert _written(engine) == before
    with school.uow() as uow:  # the unit of work is usable again: 64 characters fit
        accounts.add_account(uow, school.actors["admin"], "b" * 64, "Длинный Логин Иванович", ["teacher"],
                             "Secret-pass-9")
    assert _written(engine)[0] == before[0] + 1


def test_users_add_with_a_500_character_login_is_one_line_and_writes_nothing(school, engine, db_url, monkeypatch,
                                                                            tmp_path: Path) -> None:
    monkeypatch.setenv("EJOURNAL_DB", db_url)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # a crash log, if any, stays here
    for name, value in person_env(tmp_path, "admin", PASSWORD).items():
        monkeypatch.setenv(name, value)
    before = _written(engine)
    done = cli("users", "add", LONG_LOGIN, "--name", "Длинный Логин Иванович", "--role", "teacher",
               "--password-stdin", stdin="Secret-pass-9\n")
    assert done.code == 1 and "Traceback" not in done.err and "DataError" not in done.err
    assert done.err.strip() == "error: Invalid input: login: at most 64 characters, 500 given"
    assert _written(engine) == before and not (tmp_path / "ejournal").exists()


def _staff_file(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    for row in [["ФИО", "Логин", "Роли"], *rows]:
        wb.active.append(row)
    wb.save(path)
    return path


def test_a_staff_import_names_each_row_whose_login_does_not_fit(school, engine, tmp_path: Path) -> None:
    path = _staff_file(tmp_path / "staff.xlsx", [
        ["Кузьмин Кирилл Олегович", "kuzmin", "учитель"],
        ["Лаптев Лев Львович", "l" * 65, "учитель"],
        ["Ы" * 70 + " Мария Петровна", "", "учитель"],  # the login made from the surname is too long
    ])
    before = _written(engine)
    with pytest.raises(ImportRejected) as err:
        import_file(school.db, school.actors["admin"], "staff", path)
    assert [(p.row, p.reason) for p in err.value.problems] == [
        (3, "login: at most 64 characters, 65 given"), (4, "login: at most 64 characters, 73 given")]
    assert _written(engine) == before


def test_a_too_long_value_in_a_core_update_is_refused(school, engine) -> None:
    """The Core UPDATE of optimistic concurrency (marks, lessons, paper copies) is checked too."""
    lesson = school.lesson("rus5", date(2026, 11, 20))
    with school.uow() as uow:
        ref = marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Алексеев"], "5")
    with school.uow() as uow, pytest.raises(InvalidInput, match="mark: at most 4 characters, 7 given"):
        update_versioned(uow, m.Mark.__table__, ref.id, None, ref.version, {"value": "отлично"}, what="mark")
    with Session(engine) as s:
        assert s.scalars(select(m.Mark.value).where(m.Mark.id == ref.id)).one() == "5"


def test_unlimited_text_is_left_alone(school, engine) -> None:
    lesson = school.lesson("rus5", date(2026, 11, 20))
    topic, comment = "Орфограммы " * 500, "Пояснение " * 500
    with school.uow() as uow:
        lessons.record_lesson(uow, school.actors["ivanova"], lesson, topic=topic, homework=topic)
    with school.uow() as uow:
        marks.add_mark(uow, school.actors["ivanova"], lesson, school.pupils["Алексеев"], "5", comment=comment)
    with Session(engine) as s:
        assert s.get(m.Lesson, lesson).topic == topic.strip()
        assert s.scalars(select(m.Mark.comment)).one() == comment.strip()


@pytest.fixture
def legacy_school(sqlite_url: str) -> tuple:
    """An SQLite school whose account got a 500-character login before the check existed."""
    engine = make_engine(sqlite_url)
    school = build_school(engine, Clock(FROZEN_NOW))
    with Session(engine) as s:
        s.add(m.Staff(school_id=school.school_id, login=LONG_LOGIN, last_name="Длинный", first_name="Логин"))
        s.commit()
    yield engine, school
    engine.dispose()


def test_backup_verify_finds_a_value_that_postgresql_would_refuse(legacy_school, tmp_path: Path) -> None:
    engine, _school = legacy_school
    backup = create_backup(engine, ADMIN, [tmp_path], PASS).files[0]
    with pytest.raises(VerifyFailed) as err:
        verify_backup(ADMIN, backup, PASS)
    message = str(err.value)
    assert "staff, row" in message and "login has 500 characters where 64 fit" in message
    assert "PostgreSQL" in message


def test_such_a_backup_restored_into_postgresql_fails_cleanly(legacy_school, pg_target, tmp_path: Path) -> None:  # noqa: F811
    engine, _school = legacy_school
    backup = create_backup(engine, ADMIN, [tmp_path], PASS).files[0]
    target = make_engine(pg_target)
    try:
        with pytest.raises(RestoreFailed):
            restore_backup(target, ADMIN, backup, PASS)
        assert count_rows(target, m.Staff) == 0
    finally:
        target.dispose()

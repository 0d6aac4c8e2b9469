"""The rule that a text fits its column (services/lengths.py), on an in-memory database: the
limits are the models' own, the refusal names the field and the limit in both languages, and
the unit of work's session refuses before anything is written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select
from sqlmodel import Session, SQLModel

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import set_language
from ejournal_tui.services import lengths

# written by the program itself, never typed: their raw column names are enough
_PROGRAM_MADE = {"auditevent.action", "auditevent.entity", "auditevent.hash", "auditevent.prev_hash",
                 "backuprecord.action", "delivery.route", "delivery.status"}


@pytest.fixture
def engine() -> Iterator:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(m.School(id=1, code="s1", name="Школа"))
        s.commit()
    yield engine
    engine.dispose()


def _staff(login: str) -> m.Staff:
    return m.Staff(school_id=1, login=login, last_name="Длинный", first_name="Логин")


def test_the_limits_are_every_max_length_of_the_models() -> None:
    models = [v for v in vars(m).values() if isinstance(v, type) and issubclass(v, SQLModel) and hasattr(v, "__table__")]
    declared = {f"{model.__tablename__}.{name}": c.max_length
                for model in models for name, info in model.model_fields.items()
                for c in info.metadata if getattr(c, "max_length", None)}
    found = {f"{t}.{c}": n for t, cols in lengths.LIMITS.items() for c, n in cols.items()}
    assert len(models) == len(SQLModel.metadata.tables) and declared == found
    assert found["staff.login"] == 64 and found["papercopy.note"] == 500 and found["schoolclass.name"] == 8
    # unlimited text stays unlimited: names, topics, homework, comments
    for table, column in (("pupil", "last_name"), ("lesson", "topic"), ("lesson", "homework"), ("mark", "comment")):
        assert column not in lengths.LIMITS.get(table, {})


def test_every_limited_field_a_person_fills_has_a_human_name() -> None:
    set_language("ru")
    try:
        for table, cols in lengths.LIMITS.items():
            for column in cols:
                if f"{table}.{column}" not in _PROGRAM_MADE:
                    assert str(lengths.field_label(table, column)) != column, f"{table}.{column}"
        assert str(lengths.field_label("staff", "login")) == "логин"
    finally:
        set_language("en")


def test_the_refusal_names_the_field_and_the_limit_in_both_languages() -> None:
    why = lengths.problem("staff", {"login": "a" * 500, "last_name": "x" * 5000})
    assert str(why) == "login: at most 64 characters, 500 given"
    set_language("ru")
    try:
        assert str(InvalidInput(what=why)) == "Неверные данные: логин — не более 64 символов, введено 500"
    finally:
        set_language("en")
    assert lengths.problem("staff", {"login": "a" * 64}) is None
    # names are unlimited text in the tables; the program's own rule refuses a paste gone wrong
    assert str(lengths.problem("pupil", {"last_name": "x" * 5000})) == "last name: at most 100 characters, 5000 given"
    assert lengths.problem("pupil", {"last_name": "Римский-Корсаков" * 6}) is None


def test_the_checked_session_refuses_a_new_row_and_writes_nothing(engine) -> None:
    with lengths.CheckedSession(engine) as s:
        s.add(_staff("a" * 65))
        with pytest.raises(InvalidInput, match="login: at most 64 characters, 65 given"):
            s.commit()
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Staff)) == 0


def test_a_change_is_judged_and_an_old_long_value_does_not_block_other_changes(engine) -> None:
    with Session(engine) as s:  # written before the check existed
        s.add(_staff("b" * 100))
        s.add(_staff("fine"))
        s.commit()
    with lengths.CheckedSession(engine) as s:
        old = s.scalars(select(m.Staff).where(m.Staff.login == "b" * 100)).one()
        old.failed_logins += 1  # a sign-in still counts
        s.commit()
        fine = s.scalars(select(m.Staff).where(m.Staff.login == "fine")).one()
        fine.login = "c" * 70
        with pytest.raises(InvalidInput, match="70 given"):
            s.flush()
        s.rollback()
    with Session(engine) as s:
        assert set(s.scalars(select(m.Staff.login))) == {"b" * 100, "fine"}


def test_core_values_are_checked_by_table() -> None:
    lengths.check_values("mark", {"value": "5", "comment": "x" * 10_000})
    with pytest.raises(InvalidInput, match="mark: at most 4 characters"):
        lengths.check_values("mark", {"value": "отлично"})
    lengths.check_values("no_such_table", {"value": "x" * 100})

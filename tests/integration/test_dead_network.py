"""A dead network between a workstation and its PostgreSQL server (tests/netproxy.py: a
proxy that keeps TCP open and forwards nothing, as a dead switch or a frozen middlebox does).

A service call through it fails within seconds instead of hanging (the limit is 2 s here, 10 s
by default); a long statement of a server that answers is not cut; a mark whose commit
reached the server and whose answer was lost is found when sent again, never stored twice;
the engine's server options keep the URL's own `options` (search_path)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine, open_database
from ejournal_tui.data.network import NetworkLimits, in_flight
from ejournal_tui.domain.errors import DatabaseUnavailable
from ejournal_tui.domain.register_cells import CellRef
from ejournal_tui.services.context import Clock, Database
from ejournal_tui.services.marks import add_mark
from ejournal_tui.services.register_editor import AddMark, Plan, write
from tests.conftest import FROZEN_NOW
from tests.factory import TestSchool as School
from tests.factory import build_school
from tests.netproxy import SilentSwitch, pg_empty_url  # noqa: F401 - a fixture

TODAY = date(2026, 11, 20)
LIMITS = NetworkLimits(silence_s=2)
BOUND = 30  # seconds: far above the 2 s limit (and a connect timeout), for a slow CI machine

pytestmark = pytest.mark.postgres


@pytest.fixture
def switch():  # noqa: ANN201
    with SilentSwitch() as proxy:
        yield proxy


@pytest.fixture
def school(pg_empty_url: str) -> School:  # noqa: F811
    engine = make_engine(pg_empty_url)
    yield build_school(engine, Clock(FROZEN_NOW))
    engine.dispose()


@pytest.fixture
def proxied(pg_empty_url: str, switch: SilentSwitch, school: School):  # noqa: ANN201, F811
    """The school's database as a workstation behind the switch sees it."""
    engine = make_engine(switch.url(pg_empty_url), limits=LIMITS)
    yield Database(engine, school.school_id, Clock(FROZEN_NOW))
    switch.close()  # the connections still waiting get their end at once
    engine.dispose()


def within(seconds: float, call: Callable[[], Any]) -> dict[str, Any]:
    """Run `call` in a thread; its result or error and how long it took, or a failure if it
    still waits after `seconds` (a hang, rather than a failure, would stop the test run)."""
    box: dict[str, Any] = {}

    def run() -> None:
        start = time.monotonic()
        try:
            box["result"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc
        box["took"] = time.monotonic() - start

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s: the call hangs on a silent network"
    return box


def marks_of(school: School, lesson_id: int) -> list[str]:
    with school.db.engine.connect() as conn:
        return list(conn.execute(select(m.Mark.value).where(m.Mark.lesson_id == lesson_id)).scalars())


def a_mark(db: Database, school: School, lesson_id: int, value: str = "5") -> Any:
    with db.uow() as uow:
        return add_mark(uow, school.actors["ivanova"], lesson_id, school.pupils["Волков"], value)


def test_a_mark_through_a_silent_network_fails_in_seconds_and_goes_through_once_it_forwards(
        proxied: Database, school: School, switch: SilentSwitch) -> None:
    lesson = school.lesson("rus5", TODAY)
    a_mark(proxied, school, lesson, "4")  # the pool holds a connection that worked
    switch.go_silent()
    outcome = within(BOUND, lambda: a_mark(proxied, school, lesson))
    assert isinstance(outcome.get("error"), (OperationalError, DatabaseUnavailable)), outcome
    assert in_flight(proxied.engine) == 0
    switch.forward()
    a_mark(proxied, school, lesson, "3")
    assert marks_of(school, lesson) == ["4", "3"]


def test_reaching_a_server_behind_a_silent_network_says_it_is_unavailable(
        pg_empty_url: str, switch: SilentSwitch) -> None:  # noqa: F811
    switch.go_silent()
    outcome = within(BOUND, lambda: open_database(switch.url(pg_empty_url), limits=LIMITS))
    assert isinstance(outcome.get("error"), DatabaseUnavailable), outcome


def test_a_long_statement_of_a_server_that_answers_is_not_cut(proxied: Database) -> None:
    with proxied.engine.connect() as conn:  # longer than the limit of silence
        assert conn.execute(text("SELECT pg_sleep(:s), 1"), {"s": LIMITS.silence_s * 1.25}).one()[1] == 1


def test_a_mark_whose_answer_was_lost_after_its_commit_is_found_when_sent_again(
        proxied: Database, school: School, switch: SilentSwitch) -> None:
    lesson = school.lesson("rus5", TODAY)
    plan = Plan(CellRef(school.pupils["Волков"], lesson), AddMark(lesson, school.pupils["Волков"], "5"), "5")
    actor = school.actors["ivanova"]
    with proxied.uow(read_only=True) as uow:  # a connection that worked
        uow.conn.execute(text("SELECT 1"))
    switch.silent_after(b"COMMIT")  # the commit reaches the server, its answer never comes back

    def send(**kwargs: Any) -> Any:
        with proxied.uow() as uow:
            return write(uow, actor, plan, **kwargs)

    outcome = within(BOUND, send)
    assert isinstance(outcome.get("error"), OperationalError), outcome
    assert marks_of(school, lesson) == ["5"]  # the server took it
    switch.forward()
    again = send(again=True)
    assert marks_of(school, lesson) == ["5"]  # not a second copy
    with school.db.engine.connect() as conn:
        stored = conn.execute(select(m.Mark.id).where(m.Mark.lesson_id == lesson)).scalar_one()
    assert again.result.id == stored and again.lesson_id == lesson


def test_a_mark_sent_again_after_a_write_that_never_arrived_is_stored(
        proxied: Database, school: School) -> None:
    lesson = school.lesson("rus5", TODAY)
    plan = Plan(CellRef(school.pupils["Волков"], lesson), AddMark(lesson, school.pupils["Волков"], "5"), "5")
    with proxied.uow() as uow:
        write(uow, school.actors["ivanova"], plan, again=True)
    assert marks_of(school, lesson) == ["5"]


def test_server_options_keep_the_urls_search_path(pg_empty_url: str) -> None:  # noqa: F811
    for statement_s, shown in ((0, "0"), (7, "7s")):
        engine = make_engine(pg_empty_url, limits=NetworkLimits(silence_s=10, statement_s=statement_s))
        try:
            with engine.connect() as conn:
                schema = conn.execute(text("SELECT current_schema()")).scalar()
                assert conn.execute(text("SHOW statement_timeout")).scalar() == shown
                assert conn.execute(text("SHOW tcp_keepalives_idle")).scalar() == "5"
                assert conn.execute(select(func.count()).select_from(m.School)).scalar() == 0
        finally:
            engine.dispose()
        assert schema.startswith("ej_")  # the test's own schema, from the URL's options


def test_the_default_limits_notice_a_dead_network_within_ten_seconds() -> None:
    limits = NetworkLimits()
    params = limits.libpq_params()
    idle, interval, count = limits.keepalives()
    assert params["connect_timeout"] + 2 * limits.probe_s <= 10 + 1  # a cut ping, then a new connection
    assert idle + interval * count <= 10 and params["tcp_user_timeout"] == 10_000
    assert params["keepalives"] == 1 and "statement_timeout" not in limits.server_options()
    tui = NetworkLimits(statement_s=30).server_options()
    assert "-c statement_timeout=30000" in tui and "-c tcp_keepalives_idle=5" in tui


def test_the_urls_own_options_come_after_ours_and_win() -> None:
    from ejournal_tui.data.network import merged_options

    merged = merged_options("-c statement_timeout=30000", "-csearch_path=ej_1 -c statement_timeout=0")
    assert merged == "-c statement_timeout=30000 -csearch_path=ej_1 -c statement_timeout=0"
    assert merged_options("", None) == "" and merged_options("-c a=1", "") == "-c a=1"


def _sent_once_more_after_a_lost_answer(proxied: Database, switch: SilentSwitch, send: Callable[..., Any]) -> Any:
    """`send()` through a network that takes its COMMIT and loses the answer (the server stored
    it); then `send(again=True)` once the network forwards, as the TUI's writer does."""
    with proxied.uow(read_only=True) as uow:  # a connection that worked
        uow.conn.execute(text("SELECT 1"))
    switch.silent_after(b"COMMIT")
    outcome = within(BOUND, send)
    assert isinstance(outcome.get("error"), OperationalError), outcome
    switch.forward()
    return send(again=True)


def _events(school: School, action: str) -> int:
    with school.db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(m.AuditEvent).where(m.AuditEvent.action == action)).scalar()


def test_homework_whose_answer_was_lost_is_found_when_sent_again(
        proxied: Database, school: School, switch: SilentSwitch) -> None:
    from ejournal_tui.services.homework import HomeworkRow, set_homework

    load = school.loads["rus5"]
    row = HomeworkRow(TODAY, 1, load, school.classes["5А"], "5А · Русский язык", None, "", False, 0)

    def send(**kwargs: Any) -> Any:
        with proxied.uow() as uow:
            return set_homework(uow, school.actors["ivanova"], row, "§ 12, упр. 3", **kwargs)

    _sent_once_more_after_a_lost_answer(proxied, switch, send)  # no conflict with the first attempt
    with school.db.engine.connect() as conn:
        stored = conn.execute(select(m.Lesson.homework).where(m.Lesson.load_id == load, m.Lesson.date == TODAY)).all()
    assert stored == [("§ 12, упр. 3",)]
    assert _events(school, "lesson.open") == 1 and _events(school, "lesson.update") == 1


def test_an_absence_reason_whose_answer_was_lost_is_found_when_sent_again(
        proxied: Database, school: School, switch: SilentSwitch) -> None:
    from ejournal_tui.services.absence_sheet import set_day_reason
    from ejournal_tui.services.attendance import set_attendance

    lesson = school.lesson("rus5", TODAY)
    pupil = school.pupils["Волков"]
    with school.db.uow() as uow:
        set_attendance(uow, school.actors["ivanova"], lesson, pupil, "absent")

    def send(**kwargs: Any) -> Any:
        with proxied.uow() as uow:
            return set_day_reason(uow, school.actors["ivanova"], pupil, TODAY, "Б", **kwargs)

    assert _sent_once_more_after_a_lost_answer(proxied, switch, send) == 0  # stored by the first attempt
    with school.db.engine.connect() as conn:
        assert conn.execute(select(m.Attendance.reason).where(m.Attendance.lesson_id == lesson)).scalars().all() == ["Б"]
        assert conn.execute(select(func.count()).select_from(m.AbsenceNote)).scalar() == 1  # not a second note
    assert _events(school, "attendance.note") == 1


def test_parents_contacts_whose_answer_was_lost_are_found_when_sent_again(
        proxied: Database, school: School, switch: SilentSwitch) -> None:
    from ejournal_tui.services.parent_contacts import ParentInput, pupil_contacts, save_contacts

    pupil, leader = school.pupils["Волков"], school.actors["ivanova"]
    with school.db.uow() as uow:
        versions = pupil_contacts(uow, leader, pupil).versions
    parents = [ParentInput("Волкова Анна Ивановна", "volkova@example.org", "+7 900 111-22-33", True)]

    def send(**kwargs: Any) -> Any:
        with proxied.uow() as uow:
            return save_contacts(uow, leader, pupil, parents, versions, **kwargs)

    family = _sent_once_more_after_a_lost_answer(proxied, switch, send)  # not a conflict, not a second parent
    assert [(p.name, p.email) for p in family.parents] == [("Волкова Анна Ивановна", "volkova@example.org")]
    with school.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.ParentContact)).scalar() == 1
    assert _events(school, "contacts.save") == 1

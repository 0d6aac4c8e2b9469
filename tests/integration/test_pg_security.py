"""PostgreSQL refuses quiet rewrites: the workstation role may append to the change log but not
change it, may not change the register without an event in the same transaction, and on a
district database sees its own school only; `db check` notices a missing guard.

Each run makes a database and roles of its own (names with a random tag), as the server's
superuser, and drops them at the end: an owner (not a superuser, CREATEROLE), the database
it owns, the workstation role `db upgrade` makes, and one login role per school.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ejournal_tui.data import pg_append
from ejournal_tui.data.db import make_engine
from ejournal_tui.services import lessons, marks
from ejournal_tui.services.audit import verify_chain
from ejournal_tui.services.context import Clock, Database, resolve_school
from tests import factory
from tests.conftest import FROZEN_NOW, PG_URL, REQUIRE_PG
from tests.district_factory import SchoolBData, build_district

DAY = date(2026, 11, 20)


@dataclass
class Server:
    owner_url: str
    ws_url: str
    a_url: str  # school-a's workstation role
    owner: Engine
    ws_a: Engine
    a: factory.TestSchool
    b: factory.TestSchool
    b_rows: SchoolBData
    tag: str


def _url(base: str, user: str, database: str) -> str:
    return make_url(base).set(username=user, password=None, database=database).render_as_string(hide_password=False)


def cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "EJOURNAL_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "ejournal_tui", "--db", url, *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("EJOURNAL_REQUIRE_POSTGRES=1 but EJOURNAL_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set EJOURNAL_TEST_POSTGRES_URL)")
    tag = uuid.uuid4().hex[:8]
    db, owner, ws = f"ej_sec_{tag}", f"ej_sec_{tag}_owner", f"ej_sec_{tag}_ws"
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {owner} LOGIN CREATEROLE")
        conn.exec_driver_sql(f"CREATE DATABASE {db} OWNER {owner}")
    engines: list[Engine] = []
    try:
        owner_url = _url(PG_URL, owner, db)
        up = cli(owner_url, "db", "upgrade", "--workstation-role", ws, "--workstation-password-stdin",
                 stdin="ws-password\n")
        assert up.returncode == 0, up.stderr
        assert f"workstation role {ws} (LOGIN)" in up.stdout
        owner_engine = make_engine(owner_url)
        engines.append(owner_engine)
        a, b, b_rows = build_district(owner_engine, Clock(FROZEN_NOW))
        for code in ("school-a", "school-b"):
            made = cli(owner_url, "db", "school-role", code, "--workstation-role", ws,
                       "--workstation-password-stdin", stdin=f"{code}-password\n")
            assert made.returncode == 0, made.stderr
        # the district's shared role must not log in (db check says so): schools log in as their own
        with owner_engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER ROLE {ws} NOLOGIN")
        a_url = _url(PG_URL, f"{ws}_school-a", db)
        ws_a = make_engine(a_url)
        engines.append(ws_a)
        yield Server(owner_url, _url(PG_URL, ws, db), a_url, owner_engine, ws_a, a, b, b_rows, tag)
    finally:
        for engine in engines:
            engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            for role in (f'"{ws}_school-a"', f'"{ws}_school-b"', ws, owner):
                conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        admin.dispose()


def _refused(engine: Engine, *statements: str) -> str:
    """Run `statements` in one transaction and commit; the database's refusal, as text."""
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        for stmt in statements:
            conn.exec_driver_sql(stmt)
        conn.commit()
    return str(caught.value.orig)


def _scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_db_check_passes_after_upgrade_and_fails_without_a_trigger(server: Server) -> None:
    ws = f"ej_sec_{server.tag}_ws"
    ok = cli(server.owner_url, "db", "check", "--workstation-role", ws)
    assert ok.returncode == 0, ok.stderr
    assert "roles and guards in place" in ok.stdout
    try:
        with server.owner.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER ejournal_needs_event ON mark")
        broken = cli(server.owner_url, "db", "check", "--workstation-role", ws)
        assert broken.returncode == 1
        assert broken.stderr.startswith("error: roles and guards: trigger ejournal_needs_event on mark is missing")
    finally:
        again = cli(server.owner_url, "db", "upgrade", "--workstation-role", ws)
        assert again.returncode == 0, again.stderr
    assert cli(server.owner_url, "db", "check", "--workstation-role", ws).returncode == 0


def test_db_check_names_a_district_role_that_can_log_in(server: Server) -> None:
    ws = f"ej_sec_{server.tag}_ws"
    try:
        with server.owner.begin() as conn:
            conn.exec_driver_sql(f"ALTER ROLE {ws} LOGIN")
        out = cli(server.owner_url, "db", "check", "--workstation-role", ws)
        assert out.returncode == 1 and "sees every school" in out.stderr
    finally:
        with server.owner.begin() as conn:
            conn.exec_driver_sql(f"ALTER ROLE {ws} NOLOGIN")


def test_db_check_on_sqlite_says_not_applicable(sqlite_url: str) -> None:
    out = cli(sqlite_url, "db", "check")
    assert out.returncode == 0, out.stderr
    assert "n/a on SQLite" in out.stdout


def test_the_change_log_cannot_be_changed_by_a_workstation(server: Server) -> None:
    _a_mark(server)
    assert _scalar(server.ws_a, "SELECT count(*) FROM auditevent") > 0
    for stmt in ("UPDATE auditevent SET reason = 'quiet'", "DELETE FROM auditevent", "TRUNCATE auditevent",
                 "DELETE FROM audithead"):
        assert "permission denied" in _refused(server.ws_a, stmt)


def test_the_trigger_refuses_even_when_a_grant_slips_in(server: Server) -> None:
    ws = f"ej_sec_{server.tag}_ws"
    with server.owner.begin() as conn:
        conn.exec_driver_sql(f"GRANT UPDATE, DELETE ON auditevent TO {ws}")
    try:
        assert "append-only: UPDATE" in _refused(server.ws_a, "UPDATE auditevent SET reason = 'quiet'")
        assert "append-only: DELETE" in _refused(server.ws_a, "DELETE FROM auditevent")
    finally:
        with server.owner.begin() as conn:
            conn.exec_driver_sql(f"REVOKE UPDATE, DELETE ON auditevent FROM {ws}")


def test_the_head_only_moves_forward_onto_an_event(server: Server) -> None:
    assert "only moves forward" in _refused(server.ws_a, "UPDATE audithead SET seq = seq - 1")
    assert "is not on an event" in _refused(server.ws_a, "UPDATE audithead SET seq = seq + 1, hash = 'forged'")
    assert "starts at 0" in _refused(server.ws_a, "INSERT INTO audithead (school_id, seq, hash) VALUES (999, 5, 'x')")


_MADE: list[int] = []


def _a_mark(server: Server) -> tuple[int, int, int]:
    """(lesson, pupil, mark id) of a mark of school A written by the program, as the owner."""
    a = server.a
    lesson = a.lesson("rus5", DAY, number=len(_MADE) + 2)
    _MADE.append(lesson)
    with a.uow() as uow:
        ref = marks.add_mark(uow, a.actors["ivanova"], lesson, a.pupils["Волков"], "4")
    return lesson, a.pupils["Волков"], ref.id


def test_the_register_cannot_change_without_an_event(server: Server) -> None:
    lesson, pupil, mark_id = _a_mark(server)
    sid = server.a.school_id
    teacher = server.a.staff["ivanova"]
    insert = (f"INSERT INTO mark (school_id, lesson_id, pupil_id, value, work_kind, weight, comment, entered_by, "
              f"entered_at, late_entry, version) VALUES ({sid}, {lesson}, {pupil}, '5', 'oral', 1, '', {teacher}, "
              "now(), false, 1)")
    for stmt in (insert, f"UPDATE mark SET value = '5' WHERE id = {mark_id}", f"DELETE FROM mark WHERE id = {mark_id}",
                 f"UPDATE lesson SET topic = 'rewritten' WHERE id = {lesson}",
                 f"DELETE FROM attendance WHERE school_id = {sid}", "UPDATE finalmark SET value = '5'"):
        with server.ws_a.connect() as conn:  # each statement itself goes through ...
            conn.exec_driver_sql(stmt)
            conn.rollback()
    refused = _refused(server.ws_a, f"UPDATE mark SET value = '5' WHERE id = {mark_id}")
    assert "no change-log event in the same transaction" in refused  # ... the commit does not
    assert "no change-log event" in _refused(server.ws_a, insert)
    assert "no change-log event" in _refused(server.ws_a, f"DELETE FROM mark WHERE id = {mark_id}")
    # the marker cannot be set by hand
    assert "no change-log event" in _refused(
        server.ws_a, "SELECT set_config('ejournal.logged', '1', true)", f"DELETE FROM mark WHERE id = {mark_id}")
    assert _scalar(server.owner, "SELECT value FROM mark WHERE id = :i", i=mark_id) == "4"


def _event(school_id: int, seq: int, prev_hash: str, hash_: str, mark_id: int) -> str:
    """An event appended by hand: it links to the one before, its own hash is made up (the
    database checks the links; `audit verify` checks the hashes)."""
    return ("INSERT INTO auditevent (school_id, seq, at, actor, action, entity, entity_id, class_id, pupil_id, "
            "lesson_date, before, after, reason, flagged, prev_hash, hash) VALUES "
            f"({school_id}, {seq}, now(), 'psql', 'mark.delete', 'mark', {mark_id}, NULL, NULL, NULL, '', '', '', "
            f"false, '{prev_hash}', '{hash_}')")


def _by_hand(server: Server, mark_id: int) -> list[str]:
    """The statements of an append done by hand, as the program does it: the event after the
    head, and the head moved onto it; then the mark's deletion."""
    sid = server.a.school_id
    seq, head = _one(server.ws_a, f"SELECT seq, hash FROM audithead WHERE school_id = {sid}")
    return [_event(sid, seq + 1, head, "by-hand", mark_id),
            f"UPDATE audithead SET seq = {seq + 1}, hash = 'by-hand' WHERE school_id = {sid}",
            f"DELETE FROM mark WHERE id = {mark_id}"]


def _one(engine: Engine, sql: str) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.exec_driver_sql(sql).one())


def test_an_append_by_hand_is_accepted_which_shows_the_refusals_below_are_for_what_they_lack(server: Server) -> None:
    _, _, mark_id = _a_mark(server)
    with server.ws_a.connect() as conn:  # the checks at commit, run now; then nothing is kept
        for stmt in _by_hand(server, mark_id):
            conn.exec_driver_sql(stmt)
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        conn.rollback()
    assert _scalar(server.owner, "SELECT count(*) FROM mark WHERE id = :i", i=mark_id) == 1


def test_an_event_that_moves_no_head_is_no_append(server: Server) -> None:
    """A copy of the school's last event (seq and link right, the head left where it is: the
    chain check lets it in, `audit verify` would see a fork) does not open the register."""
    _, _, mark_id = _a_mark(server)
    sid = server.a.school_id
    seq, prev = _one(server.ws_a, f"SELECT seq, prev_hash FROM auditevent WHERE school_id = {sid} "
                                  "ORDER BY seq DESC LIMIT 1")
    refused = _refused(server.ws_a, _event(sid, seq, prev, "fork", mark_id), f"DELETE FROM mark WHERE id = {mark_id}")
    assert "no change-log event" in refused


def test_a_marker_is_no_use_in_another_transaction(server: Server) -> None:
    """The marker an append set, read back and set again by hand in the next transaction."""
    _, _, mark_id = _a_mark(server)
    with server.ws_a.connect() as conn:
        for stmt in _by_hand(server, mark_id)[:2]:
            conn.exec_driver_sql(stmt)
        marker = conn.exec_driver_sql("SELECT current_setting('ejournal.logged')").scalar()
        conn.rollback()
    assert marker and len(marker) == 64  # the append marked its transaction
    refused = _refused(server.ws_a, f"SELECT set_config('ejournal.logged', '{marker}', true)",
                       f"DELETE FROM mark WHERE id = {mark_id}")
    assert "no change-log event" in refused
    assert _scalar(server.owner, "SELECT count(*) FROM mark WHERE id = :i", i=mark_id) == 1


def test_an_append_rolled_back_to_a_savepoint_does_not_count(server: Server) -> None:
    _, _, mark_id = _a_mark(server)
    append, move, delete = _by_hand(server, mark_id)
    refused = _refused(server.ws_a, "SAVEPOINT s", append, move, "ROLLBACK TO SAVEPOINT s", delete)
    assert "no change-log event" in refused


def test_a_workstation_cannot_switch_the_triggers_off(server: Server) -> None:
    for stmt in ("SET session_replication_role = replica", "ALTER TABLE mark DISABLE TRIGGER ejournal_needs_event"):
        with server.ws_a.connect() as conn, pytest.raises(DBAPIError) as caught:
            conn.exec_driver_sql(stmt)
        assert "permission denied" in str(caught.value.orig) or "must be owner" in str(caught.value.orig)


def test_the_program_writes_as_the_workstation(server: Server) -> None:
    a = server.a
    db = Database(server.ws_a, a.school_id, Clock(FROZEN_NOW))
    teacher = a.actors["ivanova"]
    with db.uow() as uow:
        ref = lessons.open_lesson(uow, teacher, a.loads["rus5"], DAY, 5)
    with db.uow() as uow:
        first = marks.add_mark(uow, teacher, ref.id, a.pupils["Алексеев"], "5")
    with db.uow() as uow:
        marks.correct_mark(uow, teacher, first.id, value="4", expected_version=first.version, reason="описка")
    with db.uow() as uow:
        marks.delete_mark(uow, teacher, first.id, reason="не тот ученик")
    with db.uow() as uow:
        report = verify_chain(uow)
    assert report.ok, report
    assert _scalar(server.owner, "SELECT count(*) FROM auditevent WHERE entity_id = :i AND entity = 'mark'",
                   i=first.id) == 3


def test_without_the_append_function_the_program_sends_the_statement(server: Server) -> None:
    """A database upgraded by an older version has no `append_event`: marks still go through,
    with the same checks, and the chain verifies; `db upgrade` brings the function back."""
    a = server.a
    guard = "ejournal_guard"  # the register is in the database's public schema
    with server.owner.begin() as conn:
        conn.exec_driver_sql(f"DROP FUNCTION {guard}.{pg_append.SIGNATURE}")
    fresh = make_engine(server.a_url)  # connections that have not looked for it yet
    try:
        db = Database(fresh, a.school_id, Clock(FROZEN_NOW))
        with db.uow() as uow:
            assert pg_append.function_of(uow.conn) is None
        lesson = a.lesson("rus5", DAY, number=len(_MADE) + 2)
        _MADE.append(lesson)
        with db.uow() as uow:
            ref = marks.add_mark(uow, a.actors["ivanova"], lesson, a.pupils["Волков"], "3")
        with db.uow() as uow:
            assert verify_chain(uow).ok
        assert _scalar(server.owner, "SELECT value FROM mark WHERE id = :i", i=ref.id) == "3"
    finally:
        fresh.dispose()
        again = cli(server.owner_url, "db", "upgrade", "--workstation-role", f"ej_sec_{server.tag}_ws")
        assert again.returncode == 0, again.stderr
    back = make_engine(server.a_url)
    try:
        with back.connect() as conn:  # there again, and the school's role may call it
            assert pg_append.function_of(conn) == f'"{guard}".append_event'
    finally:
        back.dispose()


def test_a_school_sees_its_own_rows_only(server: Server) -> None:
    a, b = server.a, server.b
    assert _scalar(server.owner, "SELECT count(*) FROM mark WHERE school_id = :b", b=b.school_id) > 0
    for table in ("mark", "attendance", "finalmark", "lesson", "pupil", "staff", "auditevent", "audithead"):
        sql = f"SELECT count(*) FROM {table} WHERE school_id = {b.school_id}"
        assert _scalar(server.owner, sql) > 0, table
        assert _scalar(server.ws_a, sql) == 0, table
    b_members = f"SELECT count(*) FROM groupmember g JOIN pupil p ON p.id = g.pupil_id WHERE p.school_id = {b.school_id}"
    assert _scalar(server.owner, b_members) > 0
    assert _scalar(server.ws_a, f"SELECT count(*) FROM groupmember WHERE pupil_id IN "
                                f"(SELECT id FROM pupil WHERE school_id = {b.school_id})") == 0
    assert _scalar(server.ws_a, "SELECT count(*) FROM mark WHERE id = :i", i=server.b_rows.mark) == 0
    assert _scalar(server.ws_a, "SELECT string_agg(code, ',') FROM school") == "school-a"
    assert resolve_school(server.ws_a, None) == a.school_id  # no --school needed at a workstation
    refused = _refused(server.ws_a, f"UPDATE pupil SET school_id = {b.school_id} WHERE school_id = {a.school_id}")
    assert "row-level security" in refused


def test_only_the_owner_recovers_an_administrators_access(server: Server) -> None:
    """`users recover` with a workstation's role (whose password every workstation holds)
    would let a teacher at a workstation take over the administrator's account."""
    def password_hash() -> str:
        return _scalar(server.owner, "SELECT password_hash FROM staff WHERE login = 'admin' AND school_id = :s",
                       s=server.a.school_id)

    before = password_hash()
    refused = cli(server.a_url, "--school", "school-a", "users", "recover", "admin", "--password-stdin",
                  stdin="Восстановлен-2026\n")
    assert refused.returncode == 1 and "only the database's owner" in refused.stderr, refused.stderr
    assert password_hash() == before
    done = cli(server.owner_url, "--school", "school-a", "users", "recover", "admin", "--password-stdin",
               stdin="Восстановлен-2026\n")
    assert done.returncode == 0, done.stderr
    assert password_hash() != before

"""`ejournal db upgrade|check|school-role`: the schema, the database's health, and on
PostgreSQL the roles and guards that keep the change log append-only (data/pg_security.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE, fail
from ejournal_tui.services.secret_file import read_secret

RoleOption = Annotated[str | None, typer.Option(
    "--workstation-role", envvar="EJOURNAL_WORKSTATION_ROLE",
    help="PostgreSQL role the workstations log in as (default: <database>_ws)")]
StdinOption = Annotated[bool, typer.Option(
    "--workstation-password-stdin", help="Make the role LOGIN with the password read from stdin")]
FileOption = Annotated[Path | None, typer.Option(
    "--workstation-password-file", help="Make the role LOGIN with the first line of this file (mode 0600)")]


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The database's schema and health.", no_args_is_help=True)
    app.add_typer(group, name="db")

    @group.command("upgrade")
    def upgrade_cmd(role: RoleOption = None, password_stdin: StdinOption = False,
                    password_file: FileOption = None) -> None:
        """Create or migrate the schema to this program's version. On PostgreSQL, run as the
        database's owner: also installs the change log's guards and makes the workstation role
        (NOLOGIN unless a password is given) with what it may do.

        Example: ejournal --db postgresql+psycopg://ejournal@server/school db upgrade --workstation-password-stdin
        """
        from ejournal_tui.data.db import make_engine, resolve_url, upgrade

        engine = make_engine(resolve_url(STATE.url))
        server = engine.dialect.name == "postgresql"
        secret = _read_secret(password_stdin, password_file) if server else None  # a bad file changes nothing
        rev = _guarded(lambda: upgrade(engine))
        print(f"schema is at version {rev}")
        if server:
            _install_roles(engine, role, secret)

    @group.command("school-role")
    def school_role_cmd(code: str, role: RoleOption = None, password_stdin: StdinOption = False,
                        password_file: FileOption = None) -> None:
        """PostgreSQL district database: the login role of one school's workstations,
        <workstation role>_<code>, which sees and writes that school's rows only.

        Example: ejournal --db postgresql+psycopg://ejournal@server/district db school-role 1234 --workstation-password-stdin
        """
        from sqlalchemy import select

        from ejournal_tui.data import models as m
        from ejournal_tui.data.db import make_engine, resolve_url
        from ejournal_tui.data.pg_security import add_school_role

        engine = make_engine(resolve_url(STATE.url))
        if engine.dialect.name != "postgresql":
            fail("school roles are for a PostgreSQL server")
        with engine.connect() as conn:
            if _guarded(lambda: conn.execute(select(m.School.id).where(m.School.code == code)).first()) is None:
                fail(f"no school {code!r} in this database")
        name = add_school_role(engine, code, role, _read_secret(password_stdin, password_file))
        print(f"role {name}: workstations of school {code} log in as it and see that school only")

    @group.command("check")
    def check_cmd(role: RoleOption = None) -> None:
        """Exit 0 only if the schema is current, the integrity check passes, every school's
        change log verifies and, on PostgreSQL, the roles, grants, triggers and row-level
        security policies are in place.

        Example: ejournal db check && echo healthy
        """
        from sqlalchemy import select

        from ejournal_tui.data import models as m
        from ejournal_tui.data.db import integrity_ok, make_engine, resolve_url, schema_state
        from ejournal_tui.services.audit import verify_chain
        from ejournal_tui.services.context import Database

        engine = make_engine(resolve_url(STATE.url))
        state = _guarded(lambda: schema_state(engine))
        if not state.is_current:
            fail(f"schema is at {state.current or 'nothing'}, this program needs {state.head}: run 'ejournal db upgrade'")
        ok, detail = integrity_ok(engine)
        if not ok:
            fail(f"integrity check failed: {detail}")
        with engine.connect() as conn:
            schools = conn.execute(select(m.School.id, m.School.code)).all()
        for sid, code in schools:
            with Database(engine, sid).uow() as uow:
                report = verify_chain(uow)
            if not report.ok:
                fail(f"change log of school {code} is broken at event {report.broken_at}: {report.problem}")
        guards = _check_guards(engine, role)
        print(f"ok: schema {state.head}, integrity ok, change log verified for {len(schools)} school(s), {guards}")


def _install_roles(engine, role: str | None, password: str | None) -> None:  # noqa: ANN001
    from ejournal_tui.data.pg_security import install

    report = _guarded(lambda: install(engine, role, password))
    if report.dba_sql:
        print("this role may not create roles: the workstation role is missing. As the database "
              "administrator run, then 'ejournal db upgrade' again:")
        for stmt in report.dba_sql:
            print(f"    {stmt};")
    elif report.granted:
        print(f"change-log guards installed; workstation role {report.role} "
              f"({'LOGIN' if report.login else 'NOLOGIN'}): the register's tables, append-only on the change log")


def _check_guards(engine, role: str | None) -> str:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        return "roles and guards n/a on SQLite"
    from ejournal_tui.data.pg_security import Names, check

    with engine.connect() as conn:
        problems = check(conn, role)
        ws = Names.of(conn, role).workstation
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        fail("roles and guards: " + "; ".join(problems[:3]) + more + ": run 'ejournal db upgrade' as the owner")
    return f"roles and guards in place (workstation role {ws})"


def _read_secret(from_stdin: bool, file: Path | None) -> str | None:
    """A password from stdin or the first line of a file only its owner can read; never an
    argument. None: no password (the role stays NOLOGIN)."""
    if file is not None:
        return read_secret(file, "--workstation-password-file", kind="password")
    if from_stdin:
        return sys.stdin.readline().rstrip("\n") or fail("no password on stdin")  # type: ignore[func-returns-value]
    return None


def _guarded(call):  # noqa: ANN001, ANN202
    from sqlalchemy.exc import OperationalError

    from ejournal_tui.domain.errors import DatabaseUnavailable

    try:
        return call()
    except OperationalError as exc:
        raise DatabaseUnavailable(detail=str(exc.orig).strip().splitlines()[0]) from exc

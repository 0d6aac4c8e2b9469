"""`ejournal db upgrade|check`: the schema and the database's health."""

from __future__ import annotations

import typer

from ejournal_tui.cli.state import STATE, fail


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The database's schema and health.", no_args_is_help=True)
    app.add_typer(group, name="db")

    @group.command("upgrade")
    def upgrade_cmd() -> None:
        """Create or migrate the schema to this program's version.

        Example: ejournal --db postgresql+psycopg://ejournal@server/school db upgrade
        """
        from ejournal_tui.data.db import make_engine, resolve_url, upgrade

        engine = make_engine(resolve_url(STATE.url))
        rev = _guarded(lambda: upgrade(engine))
        print(f"schema is at version {rev}")

    @group.command("check")
    def check_cmd() -> None:
        """Exit 0 only if the schema is current, the integrity check passes and every school's
        change log verifies.

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
        print(f"ok: schema {state.head}, integrity ok, change log verified for {len(schools)} school(s)")


def _guarded(call):  # noqa: ANN001, ANN202
    from sqlalchemy.exc import OperationalError

    from ejournal_tui.domain.errors import DatabaseUnavailable

    try:
        return call()
    except OperationalError as exc:
        raise DatabaseUnavailable(detail=str(exc.orig).strip().splitlines()[0]) from exc

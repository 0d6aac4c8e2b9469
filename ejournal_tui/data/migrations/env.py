"""Alembic environment: runs migrations on the engine the program passes in."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import ejournal_tui.data.models  # noqa: F401 - registers the tables

target_metadata = SQLModel.metadata
config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from ejournal_tui.data.db import make_engine, resolve_url

        engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()

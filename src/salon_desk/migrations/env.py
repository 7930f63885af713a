"""Alembic environment: runs on the connection Salon Desk hands over, batch mode on SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from salon_desk.models import Base

config = context.config
target_metadata = Base.metadata


_BY_HAND = ("ix_clients_search", "ix_clients_search_other")


def _include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Leave the client search indexes (FTS5 tables, PostgreSQL's client_search_words; GIN indexes) out of autogenerate."""
    return not (name is not None and (name.startswith("client_search") or name in _BY_HAND))


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as own_connection:
        _run(own_connection)

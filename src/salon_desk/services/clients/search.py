"""Client search on the database's text index (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, literal_column, select, text, true
from sqlalchemy.orm import Session

from salon_desk.models import Client
from salon_desk.services.common import Service
from salon_desk.textindex import fts5_query, query_alternatives, tsquery


def match_condition(dialect: str, query: str) -> ColumnElement[bool]:
    """A WHERE condition selecting the clients that ``query`` finds.

    true() for an empty query; false() for one of signs only ("+", "(-"): it names nobody.
    """
    alternatives = query_alternatives(query)
    if not alternatives:
        return false() if query.strip() else true()
    if dialect == "sqlite":
        hits = (
            select(literal_column("rowid"))
            .select_from(text("client_search"))
            .where(text("client_search MATCH :fts_query").bindparams(fts_query=fts5_query(alternatives)))
        )
        return Client.id.in_(hits)
    return func.to_tsvector("simple", Client.search_text).bool_op("@@")(
        func.to_tsquery("simple", tsquery(alternatives))
    )


def dialect_of(session: Session) -> str:
    """'sqlite' or 'postgresql'."""
    return session.get_bind().dialect.name


class SearchService(Service):
    """Find clients by name, phone or email as the user types."""

    def client_ids(self, query: str, limit: int = 50) -> list[int]:
        """Ids of the first ``limit`` clients found, by name."""
        with self.db.read() as session:
            condition = match_condition(dialect_of(session), query)
            rows = session.scalars(
                select(Client.id).where(condition).order_by(Client.sort_name, Client.id).limit(limit)
            )
            return list(rows)

    def count(self, query: str) -> int:
        """How many clients ``query`` finds."""
        with self.db.read() as session:
            condition = match_condition(dialect_of(session), query)
            return session.scalar(select(func.count()).select_from(Client).where(condition)) or 0

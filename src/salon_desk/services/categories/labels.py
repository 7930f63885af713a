"""The clients' category label column (shown and sorted in the client list), refreshed in SQL."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from salon_desk.models import Category, Client, ClientCategory

SEPARATOR = ", "


def _label_subquery(session: Session) -> ColumnElement[str]:
    """The comma-separated category names of the client in the outer UPDATE, by name."""
    if session.get_bind().dialect.name == "postgresql":
        names = (
            select(func.string_agg(Category.name, aggregate_order_by(SEPARATOR, Category.name_key)))  # type: ignore[arg-type]
            .join(ClientCategory, ClientCategory.category_id == Category.id)
            .where(ClientCategory.client_id == Client.id)
        )
        return func.coalesce(names.scalar_subquery(), "")
    ordered = (
        select(Category.name)
        .join(ClientCategory, ClientCategory.category_id == Category.id)
        .where(ClientCategory.client_id == Client.id)
        .order_by(Category.name_key)
        .correlate(Client)
        .subquery()
    )
    return func.coalesce(select(func.group_concat(ordered.c.name, SEPARATOR)).scalar_subquery(), "")


def refresh_labels(session: Session, where: ColumnElement[bool]) -> None:
    """Recompute ``category_label`` for the clients matching ``where`` in one statement."""
    session.execute(
        update(Client).where(where).values(category_label=_label_subquery(session)),
        execution_options={"synchronize_session": False},
    )


def members_of(category_id: int) -> ColumnElement[bool]:
    """Condition: the client is a member of the category."""
    return Client.id.in_(select(ClientCategory.client_id).where(ClientCategory.category_id == category_id))

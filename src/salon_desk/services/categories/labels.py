"""The clients' category label column (shown and sorted in the client list), refreshed in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ColumnElement, Integer, MetaData, Table, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from salon_desk.models import Category, Client, ClientCategory, utcnow

SEPARATOR = ", "
STALE_MARK = "salon_desk.labels_stale"
"""In ``session.info``: some clients' labels wait in the stale table for ``refresh_stale``."""
STALE = Table(
    "stale_labels", MetaData(), Column("client_id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)
_CREATE_STALE = "CREATE TEMPORARY TABLE IF NOT EXISTS stale_labels (client_id INTEGER PRIMARY KEY)"


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


def refresh_labels(session: Session, where: ColumnElement[bool], **also: Any) -> None:
    """Recompute ``category_label`` for the clients matching ``where`` in one statement (setting ``also`` too)."""
    session.execute(
        update(Client).where(where).values(category_label=_label_subquery(session), **also),
        execution_options={"synchronize_session": False},
    )


def members_of(category_id: int) -> ColumnElement[bool]:
    """Condition: the client is a member of the category."""
    return Client.id.in_(select(ClientCategory.client_id).where(ClientCategory.category_id == category_id))


def mark_stale(session: Session, where: ColumnElement[bool]) -> None:
    """Note the clients matching ``where`` (evaluated now), whose categories changed, for ``refresh_stale``.

    A bulk change and the rules it sets off may change the same 100,000 clients' categories
    several times; each rewrite of those rows costs a second or more, so their labels and
    versions are written once, by ``refresh_stale``, in the same transaction.
    """
    session.connection().exec_driver_sql(_CREATE_STALE)
    noted = select(STALE.c.client_id)
    session.execute(
        insert(STALE).from_select(["client_id"], select(Client.id).where(where, Client.id.not_in(noted)))
    )
    session.info[STALE_MARK] = True


def refresh_stale(session: Session) -> None:
    """Refresh the labels of the clients ``mark_stale`` noted in this transaction, and forget them.

    Their version moves too (in the same UPDATE): a card opened before the change is refused
    on save and read again, instead of writing back the categories it showed.
    """
    if not session.info.pop(STALE_MARK, False):
        return
    noted = Client.id.in_(select(STALE.c.client_id))
    refresh_labels(session, noted, version=Client.version + 1, updated_at=utcnow())
    session.execute(delete(STALE))

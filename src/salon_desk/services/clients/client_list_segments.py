"""A page of the client list inside a segment: a stretch of the list's own order first, then the members sorted.

The segment's conditions are asked per client for a stretch of rows read along the sort
index (``STRETCH_ROWS_PER_ROW`` rows for each row the page wants). Where the segment holds
a fair share of the clients, the page is in that stretch. Where it does not (the 1,208
VIPs with a birthday next week among 1,000,000 clients, or a segment nobody is in),
walking on would read the whole order: 6 s for an empty segment. The members after the
stretch are then found through the segment's own conditions and sorted, which costs about
what counting the segment costs.

On SQLite the sorted plan orders by the sort columns written ``+column`` so that no index
can serve the ORDER BY (``sql_hints.unindexed``): otherwise its planner, which knows nothing
of the segment's size, walks the sort index after all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, Select

from salon_desk.models import Client
from salon_desk.services.clients.client_list_order import Segment, SortKey, keyset, order_by
from salon_desk.services.clients.sql_hints import unindexed

STRETCH_ROWS_PER_ROW: Final = 50
"""Rows of the list read in order per row wanted before the members are sorted instead (2 % of the list must match)."""


def segment_keys(
    connection: Connection,
    key_select: Select[Any],
    segment: Segment,
    after: SortKey | None,
    desc: bool,
    want: int,
    per_client: Sequence[ColumnElement[bool]],
    filters: Sequence[ColumnElement[bool]],
    stretch_rows: int,
) -> list[SortKey]:
    """Up to ``want`` sort keys of the members in the ordering ``segment`` after ``after``, nearest first.

    ``per_client``: the list's conditions asked per client (for the stretch); ``filters``:
    the same conditions with the segment as the list of its members read from
    ``client_facts``, as its count reads them (for the sorted rest). ``stretch_rows`` 0:
    no stretch, the members sorted at once.
    """
    sorting = _sorting(segment)
    if stretch_rows <= 0:  # a segment known to be sparse: its members sorted at once
        start = [keyset(sorting, segment.project(after), desc)] if after is not None else []
        members = key_select.where(segment.condition, *start, *filters).order_by(*order_by(sorting, desc)).limit(want)
        return [tuple(row) for row in connection.execute(members)]
    following = [segment.condition]
    if after is not None:
        following.append(keyset(segment.parts, segment.project(after), desc))
    in_order = key_select.where(*following).order_by(*segment.order(desc))
    stretch = in_order.with_only_columns(Client.id).limit(stretch_rows)
    found = [
        tuple(row)
        for row in connection.execute(
            key_select.where(Client.id.in_(stretch), *per_client).order_by(*order_by(sorting, desc)).limit(want)
        )
    ]
    if len(found) >= want:
        return found
    last = connection.execute(in_order.offset(stretch_rows - 1).limit(1)).first()
    if last is None:  # the stretch reached the end of the ordering segment
        return found
    rest = (
        key_select.where(segment.condition, keyset(sorting, segment.project(tuple(last)), desc), *filters)
        .order_by(*order_by(sorting, desc))
        .limit(want - len(found))
    )
    return found + [tuple(row) for row in connection.execute(rest)]


def _sorting(segment: Segment) -> tuple[ColumnElement[Any], ...]:
    """The segment's sort columns for sorting members, kept from SQLite's indexes."""
    return tuple(unindexed(part) for part in segment.parts)


__all__ = ["STRETCH_ROWS_PER_ROW", "segment_keys"]

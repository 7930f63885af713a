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

The list counts a segment before it asks for the first page. Where that count can read the
members themselves and stop early (``KnownMembers``), a segment found sparse keeps its
members' ids for some seconds: the page then sorts those ids instead of evaluating the
segment a second time, and checks the clients it shows against the segment once more.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import ARRAY, ColumnElement, Connection, Integer, Select, any_, bindparam, column, func, select

from salon_desk.models import Client
from salon_desk.services.clients.client_list_order import Segment, SortKey, keyset, order_by
from salon_desk.services.clients import sales_year
from salon_desk.services.clients.recent import RecentValues
from salon_desk.services.clients.segment_rules import CategoryMode, SegmentRules
from salon_desk.services.clients.segment_sql import segment_count, segment_members
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


class KnownMembers:
    """The counts of the segments the list counted in the last seconds, and the ids of the sparse ones, for
    their pages (the plan, and the members to sort).

    A count reads the members (at most ``cap + 1`` of them) where its statement can stop
    early, and counts them only when there are more than ``cap``. Segments that must be
    evaluated whole before the first member is known (any of several categories, none of
    some, sales in a period) are counted as before and keep nothing.
    """

    def __init__(self, seconds: float = 10.0, size: int = 8) -> None:
        self._counts: RecentValues[SegmentRules, int] = RecentValues(seconds, size)
        self._members: RecentValues[SegmentRules, tuple[int, ...]] = RecentValues(seconds, size // 2)

    def count(self, connection: Connection, rules: SegmentRules, cap: int) -> int:
        """The number of clients in the segment; its members kept when they are ``cap`` or fewer."""
        self._members.forget(rules)
        if cap > 0 and _stops_early(rules):
            ids = tuple(connection.scalars(segment_members(rules).limit(cap + 1)))
            if len(ids) <= cap:
                self._members.note(rules, ids)
                self._counts.note(rules, len(ids))
                return len(ids)
        count = connection.scalar(segment_count(rules, sales_year=sales_year.counted_for(connection, rules))) or 0
        self._counts.note(rules, count)
        return count

    def counted(self, rules: SegmentRules) -> int | None:
        """The segment's count a moment ago, or None (for choosing a page's plan)."""
        return self._counts.get(rules)

    def get(self, rules: SegmentRules) -> tuple[int, ...] | None:
        """The members counted a moment ago, or None."""
        return self._members.get(rules)

    def still_hold(
        self,
        connection: Connection,
        rules: SegmentRules,
        keys: Sequence[SortKey],
        conditions: Sequence[ColumnElement[bool]],
    ) -> bool:
        """False when members were kept for ``rules`` and one of the clients of ``keys`` (found among them) no
        longer matches ``conditions``: those members are then forgotten."""
        if self._members.get(rules) is None or _all_match(connection, keys, conditions):
            return True
        self._members.forget(rules)
        return False


def _stops_early(rules: SegmentRules) -> bool:
    """The members' statement yields its first rows without evaluating the whole segment first."""
    several = len(rules.category_ids) > 1 and rules.category_mode == CategoryMode.ANY
    none_of = bool(rules.category_ids) and rules.category_mode == CategoryMode.NONE
    return not (several or none_of or rules.uses_sales())


def _all_match(connection: Connection, keys: Sequence[SortKey], conditions: Sequence[ColumnElement[bool]]) -> bool:
    """Every client of ``keys`` (their ids last) matches ``conditions``."""
    ids = [key[-1] for key in keys]
    if not ids:
        return True
    matching = select(func.count()).select_from(Client).where(Client.id.in_(ids), *conditions)
    return connection.scalar(matching) == len(ids)


def id_list(connection: Connection, ids: Sequence[int]) -> ColumnElement[bool]:
    """``clients.id`` is one of ``ids``, passed as one parameter (thousands of them)."""
    if connection.dialect.name == "postgresql":
        return Client.id == any_(bindparam("member_ids", list(ids), type_=ARRAY(Integer())))
    listed = select(column("value", Integer())).select_from(
        func.json_each(bindparam("member_ids", json.dumps(list(ids))))
    )
    return Client.id.in_(listed)


__all__ = ["STRETCH_ROWS_PER_ROW", "KnownMembers", "id_list", "segment_keys"]

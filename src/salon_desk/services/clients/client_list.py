"""The client list: filtered, sorted pages of clients fetched by keyset, for lists of any size.

The orderings and their keyset conditions are in ``client_list_order``.

A search finds its page in one of three ways, whichever reads fewest rows:
- sorted by name, a search for a last name's first letters reads the range of sort
  names starting with them, plus the few clients found by another word
  (``client_list_search.name_page_by_lead_ranges``; on PostgreSQL for several words
  too, by the ranges of one of them);
- a search with many hits spread over the list walks the sort index as without a
  search and keeps the rows whose words match (``client_list_walk``): about
  ``want × clients / hits`` rows, 0.4 µs each along the name index, which holds the
  words (migration 0007), 2.4 µs along another, where they are read from the table;
- otherwise every hit is sorted (1 µs each; on PostgreSQL the hits of one word prefix
  are sorted from ``client_search_words``, which holds their sort names). Where a walk
  finds its hits further apart than expected it gives up and the hits are sorted after
  all, continuing exactly after the last row it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, Select, and_, bindparam, exists, func, select, true

from salon_desk.db import Database
from salon_desk.models import Client, ClientCategory, ClientMerge, ClientTotal, CustomerGroup
from salon_desk.services.clients.client_list_order import (
    GROUP_KEY,
    SORT_PARTS,
    Segment,
    SortKey,
    group_segments,
    keyset,
    visit_segments,
    whole,
)
from salon_desk.services.clients.client_list_rows import (  # the row types, imported from here by the pages
    CategoryChip as CategoryChip,
    ClientRow as ClientRow,
    display_name as display_name,
    read_rows,
)
from salon_desk.services.clients.client_list_segments import (
    STRETCH_ROWS_PER_ROW,
    KnownMembers,
    id_list,
    segment_keys,
)
from salon_desk.services.clients.client_list_walk import rows_per_hit, walk
from salon_desk.services.clients.client_list_search import (
    RecentCounts,
    count_hits,
    execute_indexed,
    name_page_by_lead_ranges,
    pg_name_page_by_lead_ranges,
    pg_name_page_of_sorted_hits,
)
from salon_desk.services.common import Service, Workstation
from salon_desk.services.clients import sales_year
from salon_desk.services.clients.search import match_condition
from salon_desk.services.clients.segment_rules import SegmentRules
from salon_desk.services.clients.segment_sql import segment_condition, segment_members
from salon_desk.textindex import query_alternatives

SORT_COLUMNS: Final = ("name", "category", "group", "phone", "email", "last_visit")
NO_GROUP: Final = -1
"""``ClientListQuery.group_id`` value that selects the clients without a customer group."""
NO_CATEGORY: Final = -1
"""``ClientListQuery.category_id`` value that selects the clients without any category."""
PAGE_SIZE: Final = 200
_ID_CHUNK = 500
_TOTAL = select(ClientTotal.clients).where(ClientTotal.id == 1)
COUNT_CAP: Final = 20_000
"""``count_up_to`` stops counting search hits here: the list says "more than 20,000" at first."""
BROAD_SEARCH: Final = 20_000
"""From this many hits on (SQLite), a page of a search always walks the sort index instead of sorting the hits."""
ANCHOR_EVERY: Final = 4096
"""``anchors`` keeps the sort key of every this many rows; a jump then counts at most this far by OFFSET."""


@dataclass(frozen=True)
class ClientListQuery:
    """What the client list shows: search text, filters and the sort order."""

    text: str = ""
    category_id: int | None = None
    group_id: int | None = None
    sort: str = "name"
    descending: bool = False
    segment: SegmentRules | None = None
    """A segment's conditions (saved or not); the list shows only the clients in it."""

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"unknown sort column {self.sort!r}")


MAX_GROUP_SEGMENTS = 64


@dataclass(frozen=True)
class Anchors:
    """Sort keys spaced ``every`` rows apart along the list a query shows, for jumps (``ClientListService.anchors``).

    ``keys[s][m]`` is the key at row ``(m + 1) × every - 1`` of the query's segment ``s``
    (see ``Segment``), counted from the segment's start.
    """

    query: ClientListQuery
    every: int
    keys: tuple[tuple[SortKey, ...], ...]

    def before(self, segment: int, offset: int) -> tuple[SortKey, int] | None:
        """The nearest kept key at or before row ``offset`` of segment ``segment``, with its row; None if none."""
        if segment >= len(self.keys):
            return None
        kept = min((offset + 1) // self.every, len(self.keys[segment]))
        if kept == 0:
            return None
        return self.keys[segment][kept - 1], kept * self.every - 1


# -- the service -----------------------------------------------------------------


class ClientListService(Service):
    """Count, page and locate the clients of the client list in SQL (Core, no ORM objects).

    A page is found by its sort keys first (the sort index alone, or a top-N sort of
    two columns where no index exists), then its rows are read by primary key. Sorting
    by group walks the groups in name order, one index range each; sorting by last visit
    takes the never-visited clients first, then the dated ones: each range is a plain
    ``ORDER BY … LIMIT`` on an index in both databases, however deep the page.
    """

    broad_search: int = BROAD_SEARCH
    """Hits from which a page walks the sort index (SQLite); tests lower it."""
    segment_stretch_rows_per_row: int = STRETCH_ROWS_PER_ROW
    """Rows a page inside a segment reads in list order per row before it sorts the members; tests lower it."""

    def __init__(self, db: Database, workstation: Workstation | None = None) -> None:
        super().__init__(db, workstation)
        self.recent_counts = RecentCounts()
        self.known_members = KnownMembers()  # the segments' counts just shown, a sparse one's members, for the pages

    def count(self, query: ClientListQuery) -> int:
        """How many clients the query shows."""
        with self.db.engine.connect() as connection:
            if query.category_id is None and query.group_id is None and query.segment is None:
                if not query.text.strip():
                    # the whole list: the total the triggers keep, less the closed cards (few), no index read
                    total = connection.scalar(_TOTAL)
                    if total is not None:
                        return total - (connection.scalar(select(func.count()).select_from(ClientMerge)) or 0)
                alternatives = query_alternatives(query.text)
                if alternatives and connection.dialect.name == "sqlite":
                    return count_hits(connection, alternatives)
            if _segment_only(query):
                sparse_below = (connection.scalar(_TOTAL) or 0) // self.segment_stretch_rows_per_row
                return self.known_members.count(connection, query.segment, sparse_below)
            return self._count(connection, query, true())

    def count_up_to(self, query: ClientListQuery, cap: int = COUNT_CAP) -> int:
        """How many clients the query shows, but at most ``cap + 1``, which means "more than ``cap``".

        Cheap for a broad search, where the exact count costs up to 0.25 s among
        1,000,000 clients: it reads at most ``cap + 1`` hits.
        """
        with self.db.engine.connect() as connection:
            if query.category_id is None and query.group_id is None and query.segment is None:
                alternatives = query_alternatives(query.text)
                if alternatives:  # kept for the page's choice of plan (SQLite's walks, PostgreSQL's sorted hits)
                    return self.recent_counts.counted(connection, alternatives, cap)
            if _segment_only(query):  # the facts count the whole segment faster than its first cap + 1 cards
                return min(self.known_members.count(connection, query.segment, 0), cap + 1)
            hits = select(Client.id).where(*self._filters(connection, query)).limit(cap + 1).subquery()
            return connection.scalar(select(func.count()).select_from(hits)) or 0

    def page(
        self,
        query: ClientListQuery,
        after: SortKey | None = None,
        limit: int = PAGE_SIZE,
        *,
        before: SortKey | None = None,
    ) -> list[ClientRow]:
        """Up to ``limit`` rows following ``after`` (or the first ones), or the ones just ``before`` a key."""
        if after is not None and before is not None:
            raise ValueError("give either after or before, not both")
        backward = before is not None
        with self.db.engine.connect() as connection:
            keys = self._keys_from(connection, query, before if backward else after, limit, backward)
            rows = read_rows(connection, keys)
        return rows[::-1] if backward else rows

    def page_at(
        self, query: ClientListQuery, offset: int, limit: int = PAGE_SIZE, anchors: Anchors | None = None
    ) -> list[ClientRow]:
        """Up to ``limit`` rows from position ``offset``: for a jump, when no neighbouring key is known.

        Only the key at ``offset - 1`` is found by OFFSET (on the sort index alone, no
        table rows), counted from the nearest of ``anchors`` when they belong to
        ``query``; the page itself then follows it by keyset.
        """
        with self.db.engine.connect() as connection:
            previous = self._key_at(connection, query, offset - 1, anchors) if offset > 0 else None
            if offset > 0 and previous is None:
                return []
            keys = self._keys_from(connection, query, previous, limit, backward=False)
            return read_rows(connection, keys)

    def anchors(
        self, query: ClientListQuery, every: int = ANCHOR_EVERY, stop: Callable[[], bool] | None = None
    ) -> Anchors | None:
        """The sort key of every ``every``-th row of ``query``'s list, for ``page_at``; None for a search or when stopped.

        Each key is found by OFFSET after the one before, so all of them together read
        the sort index once (about 0.1 s for 1,000,000 clients on SQLite): meant for a
        thread beside the list. ``stop`` is asked before each step. A search's hits
        would be sorted anew for each key, so a search gets none.
        """
        if query.text.strip():
            return None
        with self.db.engine.connect() as connection:
            filters = self._filters(connection, query)
            per_segment: list[tuple[SortKey, ...]] = []
            for segment in self._segments(connection, query):
                stmt = self._key_select(query.sort).where(segment.condition, *filters)
                ordering = segment.order(query.descending)
                first = stmt.order_by(*ordering).offset(every - 1).limit(1)
                # one statement for every further step, its key as parameters: little Python work between them
                names = [f"after_{i}" for i in range(len(segment.parts))]
                after = keyset(segment.parts, tuple(bindparam(name) for name in names), query.descending)
                step = stmt.where(after).order_by(*ordering).offset(every - 1).limit(1)
                keys: list[SortKey] = []
                while stop is None or not stop():
                    if keys:
                        found = connection.execute(step, dict(zip(names, segment.project(keys[-1])))).first()
                    else:
                        found = connection.execute(first).first()
                    if found is None:
                        break
                    keys.append(tuple(found))
                else:  # stopped
                    return None
                per_segment.append(tuple(keys))
        return Anchors(query, every, tuple(per_segment))

    def rows_by_ids(self, ids: Iterable[int], query: ClientListQuery | None = None) -> list[ClientRow]:
        """The rows of these clients in the given order (deleted ones left out); keys for ``query``'s sort."""
        sort = (query or ClientListQuery()).sort
        wanted = list(dict.fromkeys(ids))
        keys: list[SortKey] = []
        with self.db.engine.connect() as connection:
            for start in range(0, len(wanted), _ID_CHUNK):
                stmt = self._key_select(sort).where(Client.id.in_(wanted[start : start + _ID_CHUNK]))
                keys += [tuple(row) for row in connection.execute(stmt)]
            by_id = {row.id: row for row in read_rows(connection, keys)}
        return [by_id[i] for i in wanted if i in by_id]

    def position(self, query: ClientListQuery, client_id: int) -> int | None:
        """The row number of the client in the list ``query`` shows, or None when it is not shown."""
        with self.db.engine.connect() as connection:
            stmt = self._key_select(query.sort).where(Client.id == client_id, *self._filters(connection, query))
            found = connection.execute(stmt).first()
            if found is None:
                return None
            key, earlier = tuple(found), 0
            for segment in self._segments(connection, query):
                if segment.member(key):
                    before = keyset(segment.parts, segment.project(key), not query.descending)
                    joined = any(part is GROUP_KEY for part in segment.parts)
                    return earlier + self._count(connection, query, and_(segment.condition, before), joined)
                earlier += self._count(connection, query, segment.condition)
            raise AssertionError("a sort key outside every segment")

    # -- keys ----------------------------------------------------------------------

    def _segments(self, connection: Connection, query: ClientListQuery) -> list[Segment]:
        """The slices of the ordering in display order (reversed for a descending sort)."""
        if query.sort == "last_visit":
            segments = visit_segments()
        elif query.sort == "group":
            segments = self._groups(connection, query)
        else:
            segments = whole(query.sort)
        return segments[::-1] if query.descending else segments

    def _groups(self, connection: Connection, query: ClientListQuery) -> list[Segment]:
        found = connection.execute(select(CustomerGroup.id, CustomerGroup.name_key).order_by(CustomerGroup.name_key))
        groups: list[tuple[int | None, str]] = [(None, ""), *((row[0], row[1]) for row in found)]
        if len(groups) > MAX_GROUP_SEGMENTS:
            return whole("group")  # many groups: one sort over the joined name instead of a query per group
        if query.group_id is not None:
            wanted = None if query.group_id == NO_GROUP else query.group_id
            groups = [g for g in groups if g[0] == wanted]
        # PostgreSQL reads a group's names in order from the index on (group_id, sort_name, id) for
        # "group_id = 3" but not for "IS NULL" unless the ORDER BY names group_id too: 1.8 s → 0.2 s
        # for a jump into the 800,000 clients without a group
        return group_segments(groups, lead=connection.dialect.name != "sqlite")

    def _key_select(self, sort: str) -> Select[Any]:
        stmt = select(*SORT_PARTS[sort]).select_from(Client)
        if sort == "group":
            stmt = stmt.outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
        return stmt

    def _keys_from(
        self, connection: Connection, query: ClientListQuery, key: SortKey | None, limit: int, backward: bool
    ) -> list[SortKey]:
        """Up to ``limit`` sort keys after ``key`` (before it when ``backward``), nearest first."""
        desc = query.descending != backward
        segments = self._segments(connection, query)
        if backward:
            segments = segments[::-1]
        if key is not None:
            start = next((i for i, s in enumerate(segments) if s.member(key)), None)
            # None: the key's group was deleted at another desk; one sort of the whole order still continues it.
            segments = whole(query.sort) if start is None else segments[start:]
        filters = self._filters(connection, query)
        sqlite = connection.dialect.name == "sqlite"
        searched = query_alternatives(query.text)
        unfiltered = query.category_id is None and query.group_id is None and query.segment is None
        if searched and query.sort == "name" and unfiltered:
            plan = name_page_by_lead_ranges if sqlite else pg_name_page_by_lead_ranges
            found = plan(connection, searched, key, limit, desc)
            if found is not None:
                return found
            if not sqlite and self.recent_counts.up_to(connection, searched, self.broad_search) <= self.broad_search:
                return pg_name_page_of_sorted_hits(connection, searched, key, limit, desc)
        if query.segment is not None and not searched:
            per_client = self._filters(connection, query, per_client=True)
            by_members = self._filters(connection, query, members=True)
            rows_per_row = 0 if self._sparse(connection, query) else self.segment_stretch_rows_per_row
            keys = []
            for index, segment in enumerate(segments):
                want = limit - len(keys)
                keys += segment_keys(
                    connection, self._key_select(query.sort), segment, key if index == 0 else None, desc, want,
                    per_client, by_members, want * rows_per_row,
                )  # fmt: skip
                if len(keys) >= limit:
                    break
            if rows_per_row == 0 and not self.known_members.still_hold(connection, query.segment, keys, per_client):
                return self._keys_from(connection, query, key, limit, backward)  # one left the segment since its count
            return keys
        alternatives = searched
        rows_per_hit = self._walk_rows_per_hit(connection, alternatives, limit, query.sort) if alternatives else 0
        keys: list[SortKey] = []
        for index, segment in enumerate(segments):
            after = key if index == 0 else None
            if rows_per_hit:
                want = limit - len(keys)
                found, after, complete = self._walk(connection, query, segment, after, desc, want, want * rows_per_hit)
                keys += found
                if len(keys) >= limit:
                    break
                if complete:
                    continue
                # too few hits among the rows read: sort the hits after the last row read
            stmt = self._key_select(query.sort).where(segment.condition, *filters)
            if after is not None:
                stmt = stmt.where(keyset(segment.parts, segment.project(after), desc))
            stmt = stmt.order_by(*segment.order(desc)).limit(limit - len(keys))
            if alternatives and query.sort == "name" and sqlite:
                keys += [tuple(row) for row in execute_indexed(connection, stmt, "ix_clients_id_sort_name")]
            else:
                keys += [tuple(row) for row in connection.execute(stmt)]
            if len(keys) >= limit:
                break
        return keys

    def _walk_rows_per_hit(self, connection: Connection, alternatives: list[list[str]], want: int, sort: str) -> int:
        """Rows a walk may read per wanted hit, or 0 where sorting every hit costs less (``client_list_walk``)."""
        hits = self.recent_counts.up_to(connection, alternatives, self.broad_search)
        clients = connection.scalar(select(func.max(Client.id))) or 0
        return rows_per_hit(hits, clients, want, sort, self.broad_search)

    def _walk(
        self,
        connection: Connection,
        query: ClientListQuery,
        segment: Segment,
        key: SortKey | None,
        desc: bool,
        want: int,
        budget: int,
    ) -> tuple[list[SortKey], SortKey | None, bool]:
        """Up to ``want`` keys of hits after ``key`` in ``segment``, reading at most ``budget`` rows of it."""
        stmt = self._key_select(query.sort).add_columns(Client.search_text)
        stmt = stmt.where(segment.condition, *self._filters(connection, replace(query, text="")))
        if key is not None:
            stmt = stmt.where(keyset(segment.parts, segment.project(key), desc))
        stmt = stmt.order_by(*segment.order(desc))
        return walk(connection, stmt, query_alternatives(query.text), key, want, budget)

    def _key_at(
        self, connection: Connection, query: ClientListQuery, offset: int, anchors: Anchors | None = None
    ) -> SortKey | None:
        """The sort key at row ``offset``, counting the segments before the one it lies in.

        Inside its segment the OFFSET counts from the nearest anchor before it, if
        ``anchors`` were taken for this query and the key still lies in that segment
        (a group added at another desk since shifts the segments).
        """
        segments = self._segments(connection, query)
        filters = self._filters(connection, query)
        if anchors is not None and (anchors.query != query or len(anchors.keys) != len(segments)):
            anchors = None
        for index, segment in enumerate(segments):
            size = self._count(connection, query, segment.condition) if index < len(segments) - 1 else offset + 1
            if offset < size:
                stmt = self._key_select(query.sort).where(segment.condition, *filters)
                start = anchors.before(index, offset) if anchors is not None else None
                if start is not None and segment.member(start[0]):
                    key, row = start
                    if row == offset:
                        return key
                    stmt = stmt.where(keyset(segment.parts, segment.project(key), query.descending))
                    offset -= row + 1
                stmt = stmt.order_by(*segment.order(query.descending)).offset(offset).limit(1)
                found = connection.execute(stmt).first()
                return tuple(found) if found is not None else None
            offset -= size
        return None

    def _count(
        self, connection: Connection, query: ClientListQuery, condition: ColumnElement[bool], joined: bool = False
    ) -> int:
        """Clients the query shows that match ``condition``; ``joined`` when it compares group names."""
        stmt = select(func.count()).select_from(Client).where(condition, *self._filters(connection, query))
        if joined:
            stmt = stmt.outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
        return connection.scalar(stmt) or 0

    def _sparse(self, connection: Connection, query: ClientListQuery) -> bool:
        """The list's segment held too few of the clients for a stretch in list order when it was just counted.

        For the plan only: a stretch reads ``segment_stretch_rows_per_row`` rows per row it
        wants, so below that share of the clients it would read on for nothing (about 0.1 s
        among 1,000,000 clients) before the members are sorted anyway.
        """
        if not _segment_only(query):
            return False
        count = self.known_members.counted(query.segment)
        total = connection.scalar(_TOTAL) if count is not None else None
        return count is not None and total is not None and count * self.segment_stretch_rows_per_row < total

    # -- rows ------------------------------------------------------------------------

    def _filters(
        self, connection: Connection, query: ClientListQuery, per_client: bool = False, members: bool = False
    ) -> list[ColumnElement[bool]]:
        """The list's conditions on ``clients``. A segment's asked per client (``per_client``, for a stretch
        read in list order), or as the list of its members read from the facts (``members``, for a sparse
        segment's members sorted), or else as one condition on the cards."""
        # Cards merged into another are closed; a search never finds them (they have no search words).
        # SQLite: few, so NOT IN their ids keeps every sort index usable. PostgreSQL guesses that NOT IN
        # keeps half the clients, and then sorted all 1,000,000 for a jump (1.9 s); NOT EXISTS, an
        # anti-join it estimates right, walks the sort index (0.24 s to row 500,000).
        if connection.dialect.name == "sqlite":
            open_cards = Client.id.not_in(select(ClientMerge.client_id))
        else:
            open_cards = ~exists().where(ClientMerge.client_id == Client.id)
        conditions: list[ColumnElement[bool]] = [open_cards]
        if query.text.strip():
            conditions.append(match_condition(connection.dialect.name, query.text))
        if query.category_id == NO_CATEGORY:
            conditions.append(Client.category_label == "")  # the label lists every category, expired ones too
        elif query.category_id is not None:
            conditions.append(
                exists().where(ClientCategory.client_id == Client.id, ClientCategory.category_id == query.category_id)
            )
        if query.group_id == NO_GROUP:
            conditions.append(Client.group_id.is_(None))
        elif query.group_id is not None:
            conditions.append(Client.group_id == query.group_id)
        if query.segment is None:
            return conditions
        known = self.known_members.get(query.segment) if members and _segment_only(query) else None
        counted = sales_year.counted_for(connection, query.segment) if known is None else None
        if known is not None:
            conditions.append(id_list(connection, known))
        elif members:
            conditions.append(Client.id.in_(segment_members(query.segment, sales_year=counted)))
        else:
            conditions.append(segment_condition(query.segment, per_client=per_client, sales_year=counted))
        return conditions

    def filters(self, connection: Connection, query: ClientListQuery) -> list[ColumnElement[bool]]:
        """The conditions on ``clients`` of the list ``query`` shows (for bulk actions on the whole list)."""
        return self._filters(connection, query)


def _segment_only(query: ClientListQuery) -> bool:
    """The list shows a segment and nothing narrows it further: its count is the segment's."""
    return query.segment is not None and not query.text.strip() and query.category_id is None and query.group_id is None

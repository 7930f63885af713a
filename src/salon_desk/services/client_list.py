"""The client list: filtered, sorted pages of clients fetched by keyset, for lists of any size.

Every ordering ends in the client id, so it is total and a page can continue exactly
after (or before) the sort key of a row of the previous page. The keyset condition is
written out as ``(a > v) OR (a = v AND id > i)`` instead of a row-value comparison, with
a redundant leading ``a >= v`` so that SQLite and PostgreSQL scan the sort index as a
range instead of evaluating the OR for every row.

Never-visited clients (last visit NULL) count as visited longest ago, and clients
without a group sort as if their group name were '' (no real name is empty): first
ascending, last descending, alike in SQLite and PostgreSQL, whose NULL orders differ.
Both orderings are walked in segments (see ``_Segment``) so that no NULL ever takes
part in a comparison or an ORDER BY.

A search (SQLite) finds its page in one of three ways, whichever reads fewest rows:
- sorted by name, a search for a last name's first letters reads the range of sort
  names starting with them, plus the few clients found by another word
  (``client_list_search.name_page_by_lead_ranges``);
- a search with many hits spread over the list walks the sort index as without a
  search and keeps the rows whose words match (``ClientListService._walk``): about
  ``want × clients / hits`` rows, 2.4 µs each among 1,000,000 clients;
- otherwise every hit is sorted (1.3 µs each). Where a walk finds its hits further
  apart than expected it gives up and the hits are sorted after all, continuing
  exactly after the last row it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, Row, Select, and_, exists, func, literal, or_, select, true
from sqlalchemy.sql.elements import UnaryExpression

from salon_desk.db import Database
from salon_desk.models import Category, Client, ClientCategory, CustomerGroup
from salon_desk.services.client_list_search import RecentCounts, count_hits, execute_indexed, name_page_by_lead_ranges
from salon_desk.services.common import Service, Workstation
from salon_desk.services.search import match_condition
from salon_desk.textindex import query_alternatives

SORT_COLUMNS: Final = ("name", "category", "group", "phone", "email", "last_visit")
NO_GROUP: Final = -1
"""``ClientListQuery.group_id`` value that selects the clients without a customer group."""
PAGE_SIZE: Final = 200
_ID_CHUNK = 500
COUNT_CAP: Final = 20_000
"""``count_up_to`` stops counting search hits here: the list says "more than 20,000" at first."""
BROAD_SEARCH: Final = 20_000
"""From this many hits on (SQLite), a page of a search always walks the sort index instead of sorting the hits."""
WALK_COST: Final = 2
"""A row read by a walk costs about twice as much as a hit sorted (its words are read from the table row)."""
WALK_ROWS_PER_HIT: Final = 400
"""A walk reads at most this many rows per wanted hit (0.25 % of the rows must match) before sorting the hits."""

SortKey = tuple[Any, ...]
"""The values of every ORDER BY column of one row, the client id last."""


@dataclass(frozen=True)
class ClientListQuery:
    """What the client list shows: search text, filters and the sort order."""

    text: str = ""
    category_id: int | None = None
    group_id: int | None = None
    sort: str = "name"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"unknown sort column {self.sort!r}")


@dataclass(frozen=True)
class CategoryChip:
    """One of a client's categories as the list draws it."""

    name: str
    color: str
    icon: str


@dataclass(frozen=True)
class ClientRow:
    """One row of the client list."""

    id: int
    name: str
    category_label: str
    categories: tuple[CategoryChip, ...]
    group_name: str
    phone: str
    email: str
    last_visit: date | None
    sort_key: SortKey


_GROUP_KEY: ColumnElement[str] = func.coalesce(CustomerGroup.name_key, "")
_NAME: tuple[ColumnElement[Any], ...] = (Client.sort_name, Client.id)
_SORT_PARTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": _NAME,
    "category": (Client.category_label, *_NAME),
    "group": (_GROUP_KEY, *_NAME),
    "phone": (Client.phone, Client.id),
    "email": (Client.email, Client.id),
    "last_visit": (Client.last_visit, Client.id),
}
MAX_GROUP_SEGMENTS = 64


@dataclass(frozen=True)
class _Segment:
    """A slice of the ordering that one index range serves: the rows matching ``condition``.

    Inside it the rows are ordered by ``parts``, which are the entries ``slots`` of the
    full sort key; ``member`` tells whether a full sort key falls into this slice.
    """

    condition: ColumnElement[bool]
    parts: tuple[ColumnElement[Any], ...]
    slots: tuple[int, ...]
    member: Callable[[SortKey], bool]

    def project(self, key: SortKey) -> SortKey:
        """The entries of the full ``key`` this segment orders by."""
        return tuple(key[i] for i in self.slots)


def display_name(first_name: str, last_name: str) -> str:
    """The name as the list shows it, "Müller, Anna"; just one name when the other is empty."""
    if first_name and last_name:
        return f"{last_name}, {first_name}"
    return last_name or first_name


# -- ordering and keyset conditions ----------------------------------------------


def _order_by(parts: Sequence[ColumnElement[Any]], desc: bool) -> list[UnaryExpression[Any]]:
    return [part.desc() if desc else part.asc() for part in parts]


def _keyset(parts: Sequence[ColumnElement[Any]], key: SortKey, desc: bool) -> ColumnElement[bool]:
    """Rows strictly after ``key`` when ordered by ``parts`` (descending when ``desc``); no NULLs in ``key``."""
    if len(key) != len(parts):
        raise ValueError("the sort key does not belong to this sort order")

    def beyond(part: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
        return part < value if desc else part > value

    alternatives = [
        and_(*(p == v for p, v in zip(parts[:i], key[:i])), beyond(parts[i], key[i])) for i in range(len(parts))
    ]
    leading = parts[0] <= key[0] if desc else parts[0] >= key[0]
    return and_(leading, or_(*alternatives))


def _whole(sort: str) -> list[_Segment]:
    parts = _SORT_PARTS[sort]
    return [_Segment(true(), parts, tuple(range(len(parts))), lambda key: True)]


def _visit_segments() -> list[_Segment]:
    """Never visited (NULL, the smallest value) first, ordered by id; then by date and id."""
    return [
        _Segment(Client.last_visit.is_(None), (Client.id,), (1,), lambda key: key[0] is None),
        _Segment(Client.last_visit.is_not(None), _SORT_PARTS["last_visit"], (0, 1), lambda key: key[0] is not None),
    ]


def _group_segments(groups: Sequence[tuple[int | None, str]]) -> list[_Segment]:
    """One segment per group (no group first, as ''), each ordered by name along the index on (group_id, sort_name, id)."""
    segments = []
    for group_id, group_key in groups:
        condition = Client.group_id.is_(None) if group_id is None else Client.group_id == group_id
        segments.append(_Segment(condition, _NAME, (1, 2), lambda key, k=group_key: key[0] == k))
    return segments


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

    def __init__(self, db: Database, workstation: Workstation | None = None) -> None:
        super().__init__(db, workstation)
        self.recent_counts = RecentCounts()

    def count(self, query: ClientListQuery) -> int:
        """How many clients the query shows."""
        with self.db.engine.connect() as connection:
            if connection.dialect.name == "sqlite" and query.category_id is None and query.group_id is None:
                alternatives = query_alternatives(query.text)
                if alternatives:
                    return count_hits(connection, alternatives)
            return self._count(connection, query, true())

    def count_up_to(self, query: ClientListQuery, cap: int = COUNT_CAP) -> int:
        """How many clients the query shows, but at most ``cap + 1``, which means "more than ``cap``".

        Cheap for a broad search, where the exact count costs up to 0.25 s among
        1,000,000 clients: it reads at most ``cap + 1`` hits.
        """
        with self.db.engine.connect() as connection:
            if connection.dialect.name == "sqlite" and query.category_id is None and query.group_id is None:
                alternatives = query_alternatives(query.text)
                if alternatives:
                    return self.recent_counts.counted(connection, alternatives, cap)
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
            rows = self._rows(connection, query.sort, keys)
        return rows[::-1] if backward else rows

    def page_at(self, query: ClientListQuery, offset: int, limit: int = PAGE_SIZE) -> list[ClientRow]:
        """Up to ``limit`` rows from position ``offset``: for a jump, when no neighbouring key is known.

        Only the key at ``offset - 1`` is found by OFFSET (on the sort index alone, no
        table rows); the page itself then follows it by keyset.
        """
        with self.db.engine.connect() as connection:
            previous = self._key_at(connection, query, offset - 1) if offset > 0 else None
            if offset > 0 and previous is None:
                return []
            keys = self._keys_from(connection, query, previous, limit, backward=False)
            return self._rows(connection, query.sort, keys)

    def rows_by_ids(self, ids: Iterable[int], query: ClientListQuery | None = None) -> list[ClientRow]:
        """The rows of these clients in the given order (deleted ones left out); keys for ``query``'s sort."""
        sort = (query or ClientListQuery()).sort
        wanted = list(dict.fromkeys(ids))
        keys: list[SortKey] = []
        with self.db.engine.connect() as connection:
            for start in range(0, len(wanted), _ID_CHUNK):
                stmt = self._key_select(sort).where(Client.id.in_(wanted[start : start + _ID_CHUNK]))
                keys += [tuple(row) for row in connection.execute(stmt)]
            by_id = {row.id: row for row in self._rows(connection, sort, keys)}
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
                    before = _keyset(segment.parts, segment.project(key), not query.descending)
                    joined = any(part is _GROUP_KEY for part in segment.parts)
                    return earlier + self._count(connection, query, and_(segment.condition, before), joined)
                earlier += self._count(connection, query, segment.condition)
            raise AssertionError("a sort key outside every segment")

    # -- keys ----------------------------------------------------------------------

    def _segments(self, connection: Connection, query: ClientListQuery) -> list[_Segment]:
        """The slices of the ordering in display order (reversed for a descending sort)."""
        if query.sort == "last_visit":
            segments = _visit_segments()
        elif query.sort == "group":
            segments = self._groups(connection, query)
        else:
            segments = _whole(query.sort)
        return segments[::-1] if query.descending else segments

    def _groups(self, connection: Connection, query: ClientListQuery) -> list[_Segment]:
        found = connection.execute(select(CustomerGroup.id, CustomerGroup.name_key).order_by(CustomerGroup.name_key))
        groups: list[tuple[int | None, str]] = [(None, ""), *((row[0], row[1]) for row in found)]
        if len(groups) > MAX_GROUP_SEGMENTS:
            return _whole("group")  # many groups: one sort over the joined name instead of a query per group
        if query.group_id is not None:
            wanted = None if query.group_id == NO_GROUP else query.group_id
            groups = [g for g in groups if g[0] == wanted]
        return _group_segments(groups)

    def _key_select(self, sort: str) -> Select[Any]:
        stmt = select(*_SORT_PARTS[sort]).select_from(Client)
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
            segments = _whole(query.sort) if start is None else segments[start:]
        filters = self._filters(connection, query)
        alternatives = query_alternatives(query.text) if connection.dialect.name == "sqlite" else []
        if alternatives and query.sort == "name" and query.category_id is None and query.group_id is None:
            found = name_page_by_lead_ranges(connection, alternatives, key, limit, desc)
            if found is not None:
                return found
        rows_per_hit = self._walk_rows_per_hit(connection, alternatives, limit) if alternatives else 0
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
                stmt = stmt.where(_keyset(segment.parts, segment.project(after), desc))
            stmt = stmt.order_by(*_order_by(segment.parts, desc)).limit(limit - len(keys))
            if alternatives and query.sort == "name":
                keys += [tuple(row) for row in execute_indexed(connection, stmt, "ix_clients_id_sort_name")]
            else:
                keys += [tuple(row) for row in connection.execute(stmt)]
            if len(keys) >= limit:
                break
        return keys

    def _walk_rows_per_hit(self, connection: Connection, alternatives: list[list[str]], want: int) -> int:
        """Rows a walk may read per wanted hit, or 0 where sorting every hit reads fewer rows.

        A walk expects to read ``want × clients / hits`` rows, each costing ``WALK_COST``
        sorted hits; it may read three times that before it gives up.
        """
        hits = self.recent_counts.up_to(connection, alternatives, self.broad_search)
        clients = connection.scalar(select(func.max(Client.id))) or 0
        expected = want * clients / max(hits, 1)
        if hits <= self.broad_search and expected * WALK_COST >= hits:
            return 0
        return max(1, min(WALK_ROWS_PER_HIT, round(3 * expected / want)))

    def _walk(
        self,
        connection: Connection,
        query: ClientListQuery,
        segment: _Segment,
        key: SortKey | None,
        desc: bool,
        want: int,
        budget: int,
    ) -> tuple[list[SortKey], SortKey | None, bool]:
        """Up to ``want`` keys of hits after ``key`` in ``segment``, reading the sort index row by row.

        Returns the keys, the key of the last row read and whether the segment is done
        (the keys are all it holds after ``key``, or ``want`` were found). At most
        ``budget`` rows are read; then the caller sorts the remaining hits after the
        returned key instead. A row matches when each word of one
        alternative starts one of its words, which is what FTS5 finds: ``search_text``
        holds folded words of [a-z] or [0-9] between single spaces (``client_search_text``),
        the very tokens of the index.
        """
        stmt = self._key_select(query.sort).add_columns(Client.search_text)
        stmt = stmt.where(segment.condition, *self._filters(connection, replace(query, text="")))
        if key is not None:
            stmt = stmt.where(_keyset(segment.parts, segment.project(key), desc))
        stmt = stmt.order_by(*_order_by(segment.parts, desc))
        read = stmt.limit(budget).subquery()
        spaced = literal(" ").concat(read.c.search_text)
        match = or_(*(and_(*(func.instr(spaced, " " + term) > 0 for term in terms)) for terms in query_alternatives(query.text)))
        hits = select(*list(read.c)[:-1]).where(match).limit(want)
        found = [tuple(row) for row in connection.execute(hits)]
        if len(found) >= want:
            return found, found[-1], True
        last = connection.execute(stmt.with_only_columns(*stmt.selected_columns[:-1]).offset(budget - 1).limit(1)).first()
        return found, tuple(last) if last is not None else key, last is None

    def _key_at(self, connection: Connection, query: ClientListQuery, offset: int) -> SortKey | None:
        """The sort key at row ``offset``, counting the segments before the one it lies in."""
        segments = self._segments(connection, query)
        filters = self._filters(connection, query)
        for index, segment in enumerate(segments):
            size = self._count(connection, query, segment.condition) if index < len(segments) - 1 else offset + 1
            if offset < size:
                stmt = self._key_select(query.sort).where(segment.condition, *filters)
                stmt = stmt.order_by(*_order_by(segment.parts, query.descending)).offset(offset).limit(1)
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

    # -- rows ------------------------------------------------------------------------

    def _filters(self, connection: Connection, query: ClientListQuery) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if query.text.strip():
            conditions.append(match_condition(connection.dialect.name, query.text))
        if query.category_id is not None:
            conditions.append(
                exists().where(ClientCategory.client_id == Client.id, ClientCategory.category_id == query.category_id)
            )
        if query.group_id == NO_GROUP:
            conditions.append(Client.group_id.is_(None))
        elif query.group_id is not None:
            conditions.append(Client.group_id == query.group_id)
        return conditions

    def _rows(self, connection: Connection, sort: str, keys: list[SortKey]) -> list[ClientRow]:
        """The rows of the clients whose sort keys are ``keys`` (the id last), in that order."""
        if not keys:
            return []
        ids = [key[-1] for key in keys]
        stmt = (
            select(
                Client.id,
                Client.first_name,
                Client.last_name,
                Client.category_label,
                CustomerGroup.name,
                Client.phone,
                Client.email,
                Client.last_visit,
            )
            .select_from(Client)
            .outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
            .where(Client.id.in_(ids))
        )
        found = {row[0]: row for row in connection.execute(stmt)}
        chips = self._chips(connection, ids)
        return [_row(found[key[-1]], chips.get(key[-1], ()), key) for key in keys if key[-1] in found]

    def _chips(self, connection: Connection, ids: list[int]) -> dict[int, tuple[CategoryChip, ...]]:
        """Each client's categories in label order (by name), for the coloured chips."""
        found: dict[int, list[CategoryChip]] = {}
        stmt = (
            select(ClientCategory.client_id, Category.name, Category.color, Category.icon)
            .join(Category, Category.id == ClientCategory.category_id)
            .where(ClientCategory.client_id.in_(ids))
            .order_by(ClientCategory.client_id, Category.name_key)
        )
        for client_id, name, color, icon in connection.execute(stmt):
            found.setdefault(client_id, []).append(CategoryChip(name, color, icon))
        return {client_id: tuple(chips) for client_id, chips in found.items()}


def _row(found: Row[Any], chips: tuple[CategoryChip, ...], key: SortKey) -> ClientRow:
    return ClientRow(
        id=found[0],
        name=display_name(found[1], found[2]),
        category_label=found[3],
        categories=chips,
        group_name=found[4] or "",
        phone=found[5],
        email=found[6],
        last_visit=found[7],
        sort_key=key,
    )

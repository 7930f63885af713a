"""The broad-search plan of the client list: walk the sort index and keep the rows whose words match.

A search with many hits spread over the list ("s", "0151", "pet") finds a page faster by
reading the list in its own order and keeping the matching rows than by sorting every
hit: about ``want × clients / hits`` rows, 0.4 µs each along the name index, which holds
the words (migration 0007), 2.4 µs along another, where they are read from the table.
Where a walk finds its hits further apart than expected it gives up, and the caller
sorts the hits after the last row it read.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Connection, Select, and_, func, literal, or_, select

WALK_COST: Final = 2.0
"""A row read by a walk costs about twice as much as a hit sorted: its words are read from the table row."""
NAME_WALK_COST: Final = 0.5
"""Along the name index, which holds the words too, a row read costs half a hit sorted."""
WALK_ROWS_PER_HIT: Final = 400
"""A walk reads at most this many rows per wanted hit (0.25 % of the rows must match) before sorting the hits."""

SortKey = tuple[Any, ...]


def rows_per_hit(hits: int, clients: int, want: int, sort: str, broad_search: int) -> int:
    """Rows a walk may read per wanted hit, or 0 where sorting every hit costs less.

    A walk expects to read ``want × clients / hits`` rows, each costing ``WALK_COST``
    sorted hits (``NAME_WALK_COST`` by name); it may read three times that before it
    gives up. From ``broad_search`` hits on it always walks.
    """
    expected = want * clients / max(hits, 1)
    cost = NAME_WALK_COST if sort == "name" else WALK_COST
    if hits <= broad_search and expected * cost >= hits:
        return 0
    return max(1, min(WALK_ROWS_PER_HIT, round(3 * expected / want)))


def walk(
    connection: Connection,
    stmt: Select[Any],
    alternatives: list[list[str]],
    key: SortKey | None,
    want: int,
    budget: int,
) -> tuple[list[SortKey], SortKey | None, bool]:
    """Up to ``want`` keys of hits among the first ``budget`` rows of ``stmt``.

    ``stmt`` selects the sort key and, last, ``Client.search_text`` in list order, after
    ``key``. Returns the keys, the key of the last row read and whether the segment is
    done (the keys are all it holds after ``key``, or ``want`` were found). A row matches
    when each word of one alternative starts one of its words, which is what FTS5 (or GIN) finds:
    ``search_text`` holds folded words of [a-z] or [0-9] between single spaces
    (``client_search_text``), the very tokens of the index.
    """
    read = stmt.limit(budget).subquery()
    spaced = literal(" ").concat(read.c.search_text)
    position = func.instr if connection.dialect.name == "sqlite" else func.strpos
    match = or_(*(and_(*(position(spaced, " " + term) > 0 for term in terms)) for terms in alternatives))
    hits = select(*list(read.c)[:-1]).where(match).limit(want)
    found = [tuple(row) for row in connection.execute(hits)]
    if len(found) >= want:
        return found, found[-1], True
    last = connection.execute(stmt.with_only_columns(*stmt.selected_columns[:-1]).offset(budget - 1).limit(1)).first()
    return found, tuple(last) if last is not None else key, last is None

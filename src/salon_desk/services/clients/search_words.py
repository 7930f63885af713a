"""A search for one word prefix on PostgreSQL, read from client_search_words (migration 0023).

The table holds each search word of a client with the client's sort name, in a B-tree on
(other, word, client). The words a prefix finds lie together there, in the range
``[prefix, prefix with its last letter raised)``, so a count or a first page reads that
range only, and can stop early. The GIN index would first build the bitmap of every
client found ("jür": 65 ms to count 19,608 clients, here 5 ms).

A client may hold several words of one prefix ("0151" is the phone's first group and the
start of all its digits), so entries are counted as distinct clients.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Connection, text

from salon_desk.services.clients.client_list_order import SortKey

ENTRIES_PER_CLIENT: Final = 3
"""A count reads at most this many entries per client it may count (see ``count_up_to``)."""

_KINDS: Final = {None: "other IN (false, true)", True: "other", False: "NOT other"}


def word_range(term: str) -> tuple[str, str]:
    """The words ``[low, high)`` that start with ``term`` (a word of [a-z0-9], compared byte by byte)."""
    return term, term[:-1] + chr(ord(term[-1]) + 1)


@lru_cache(maxsize=4)
def _count_sql(other: bool | None) -> Any:
    return text(
        "SELECT count(*), count(DISTINCT client_id) FROM (SELECT client_id FROM client_search_words"
        f" WHERE {_KINDS[other]} AND word >= :low AND word < :high LIMIT :entries) AS entries"
    )


def count_up_to(connection: Connection, term: str, cap: int, other: bool | None = None) -> int | None:
    """Clients with a word starting with ``term``, at most ``cap + 1``; None where the entries read cannot tell.

    ``other``: True counts only the other words (not the lead words), False only the lead
    words, None both. It reads ``cap + 1`` entries, then, if those hold fewer clients and
    more entries follow, twice as many, and so on up to ``ENTRIES_PER_CLIENT`` times as
    many ("sch": 18,512 clients in the first 20,001 entries, the lead words' spellings
    with ä and ae). None when even those hold at most ``cap`` clients and more entries
    follow (the caller then asks the GIN index).
    """
    low, high = word_range(term)
    for entries in [times * (cap + 1) for times in range(1, ENTRIES_PER_CLIENT + 1)]:
        read, clients = connection.execute(
            _count_sql(other), {"low": low, "high": high, "entries": entries}
        ).one()
        if clients > cap:
            return cap + 1
        if read < entries:
            return clients
    return None


def keyset_sql(desc: bool, id_column: str = "client_id") -> str:
    """SQL: rows after (``:after_name``, ``:after_id``) in (sort_name, id) order, descending or not."""
    beyond = "<" if desc else ">"
    return (
        f" AND sort_name {beyond}= :after_name"
        f" AND (sort_name {beyond} :after_name OR (sort_name = :after_name AND {id_column} {beyond} :after_id))"
    )


@lru_cache(maxsize=16)
def _page_sql(other: bool | None, after: bool, desc: bool) -> Any:
    direction = "DESC" if desc else "ASC"
    return text(
        "SELECT DISTINCT sort_name, client_id FROM client_search_words"
        f" WHERE {_KINDS[other]} AND word >= :low AND word < :high{keyset_sql(desc) if after else ''}"
        f" ORDER BY sort_name {direction}, client_id {direction} LIMIT :want"
    )


def name_page(
    connection: Connection, term: str, after: SortKey | None, want: int, desc: bool, other: bool | None = None
) -> list[SortKey]:
    """Up to ``want`` keys (sort_name, id) of the clients ``term`` finds, after ``after`` in name order.

    Every entry of the prefix is read and the first ``want`` kept (a top-N sort): for a
    narrow search, up to about 20,000 clients ("jür": 10 ms for 19,608, where reading each
    hit's sort name from the table took 50 ms). ``other`` as for ``count_up_to``.
    """
    low, high = word_range(term)
    parameters: dict[str, Any] = {"low": low, "high": high, "want": want}
    if after is not None:
        parameters |= {"after_name": after[0], "after_id": after[1]}
    return [tuple(row) for row in connection.execute(_page_sql(other, after is not None, desc), parameters)]

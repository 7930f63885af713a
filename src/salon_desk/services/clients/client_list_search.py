"""Searches in the client list on SQLite's FTS5 index: counts, and first pages by name without sorting every hit.

A search for one word prefix ("sch", "mül", "0151") finds clients in two ways: by
their lead word, the word their sort name starts with (then they lie together in name
order, in the range of sort names starting with the prefix), or by any other word
(first name, phone, email). The index holds the two kinds of words in two columns
(migration 0006, ``salon_desk.textindex``). When few clients are found by their other
words, a page in name order is the merge of two short lists: the first rows of each
range, read along the name index, and those few clients sorted. The cost then no longer
grows with the number of hits: "sch" finds 205,000 of 1,000,000 clients, and sorting
them all by name took 85 ms.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Connection, Select, text

from salon_desk.services.clients import search_words
from salon_desk.services.clients.recent import RecentValues
from salon_desk.textindex import fts5_query, lead_ranges, tsquery

OTHER_HITS: Final = 1000
"""Up to this many clients found by other words than their lead word, a page merges ranges (see module notes)."""
RANGE_ROWS_PER_HIT: Final = 20
"""A range is read for at most this many rows per wanted hit; beyond that the caller's plan takes over."""

SortKey = tuple[Any, ...]

_CAPPED_COUNT = text(
    "SELECT count(*) FROM (SELECT rowid FROM client_search WHERE client_search MATCH :fts_query LIMIT :cap)"
)
_COUNT = text("SELECT count(*) FROM client_search WHERE client_search MATCH :fts_query")


def execute_indexed(connection: Connection, stmt: Select[Any], index: str) -> Any:
    """Run ``stmt`` (SQLite, FROM clients) with ``clients INDEXED BY index``; SQLAlchemy renders no SQLite hints.

    Sorting the hits of a search by name reads each hit's name from the index on
    (id, sort_name) (migration 0005) instead of the table row: half the time. SQLite's
    planner always prefers the rowid for ``id IN (…)``.
    """
    compiled = stmt.compile(dialect=connection.dialect)
    sql, found = re.subn(r"\bFROM clients\b(?! INDEXED)", f"FROM clients INDEXED BY {index}", str(compiled), count=1)
    if not found or compiled.positiontup is None:
        return connection.execute(stmt)  # another shape of statement: the same result, without the hint
    return connection.exec_driver_sql(sql, tuple(compiled.params[name] for name in compiled.positiontup))


def count_hits(connection: Connection, alternatives: list[list[str]]) -> int:
    """Every hit of the search, counted in the FTS5 index itself (one index row per client).

    Counting ``clients WHERE id IN (hits)`` first copies every hit into a temporary
    index: 0.4 s instead of 0.06 s for the 565,000 clients that "+49 17" finds among
    1,000,000.
    """
    return connection.scalar(_COUNT, {"fts_query": fts5_query(alternatives)}) or 0


def count_hits_up_to(connection: Connection, alternatives: list[list[str]], cap: int) -> int:
    """Hits of the search in the text index, at most ``cap + 1``: it reads at most that many.

    On PostgreSQL a search for one word prefix is counted in ``client_search_words``, one
    of several words by the ranges of one of them (``_pg_anchor``); what neither can tell
    goes to the GIN index.
    """
    if connection.dialect.name != "sqlite":
        term = single_term(alternatives)
        if term is not None:
            counted = search_words.count_up_to(connection, term, cap)
        else:
            counted = _pg_count_by_anchor(connection, alternatives, cap)
        if counted is not None:
            return counted
        if _pg_lead_hits_exceed(connection, alternatives, cap):
            return cap + 1
        return connection.scalar(_PG_CAPPED_COUNT, {"query": tsquery(alternatives), "cap": cap + 1}) or 0
    return connection.scalar(_CAPPED_COUNT, {"fts_query": fts5_query(alternatives), "cap": cap + 1}) or 0


class RecentCounts:
    """Capped hit counts of the last few searches, a moment old at most.

    The list counts a search's hits for the user (``count_up_to``), then chooses how
    to read its first page by the same count: a phone number's count merges long lists
    of words (6 ms for "0171 5" among 1,000,000 clients), and is not done twice. Only
    the choice of plan uses these counts, never a figure shown, so a client saved in
    between costs at most a slower plan.
    """

    def __init__(self, seconds: float = 2.0, size: int = 16) -> None:
        self._counts: RecentValues[tuple[str, int], int] = RecentValues(seconds, size)

    def up_to(self, connection: Connection, alternatives: list[list[str]], cap: int) -> int:
        """``count_hits_up_to``, from a count taken in the last seconds when there is one (for plans only)."""
        found = self._counts.get((fts5_query(alternatives), cap))
        return found if found is not None else self.counted(connection, alternatives, cap)

    def counted(self, connection: Connection, alternatives: list[list[str]], cap: int) -> int:
        """``count_hits_up_to`` counted now, and kept for ``up_to``: the figure the user is shown."""
        count = count_hits_up_to(connection, alternatives, cap)
        self._counts.note((fts5_query(alternatives), cap), count)
        return count


def other_words_query(terms: list[str]) -> str:
    """An FTS5 query for clients that one of ``terms`` finds by another word than their lead words."""
    return "{other_words} : (" + " OR ".join(f'"{term}"*' for term in terms) + ")"


@lru_cache(maxsize=8)
def _range_sql(after: bool, desc: bool) -> tuple[Any, Any]:
    """The statements reading one range of sort names in order: its hits, and whether rows remain beyond a budget."""
    direction = "DESC" if desc else "ASC"
    beyond = "<" if desc else ">"
    keyset = ""
    if after:
        keyset = (
            f" AND sort_name {beyond}= :after_name"
            f" AND (sort_name {beyond} :after_name OR (sort_name = :after_name AND id {beyond} :after_id))"
        )
    rows = (
        f"SELECT sort_name, id, search_text FROM clients INDEXED BY ix_clients_sort_name_words"
        f" WHERE sort_name >= :low AND sort_name < :high{keyset}"
        f" ORDER BY sort_name {direction}, id {direction}"
    )
    hits = text(
        f"SELECT sort_name, id FROM ({rows} LIMIT :budget)"
        f" WHERE instr(' ' || search_text, ' ' || :term) > 0 LIMIT :want"
    )
    more = text(f"SELECT 1 FROM ({rows} LIMIT 1 OFFSET :budget)")
    return hits, more


@lru_cache(maxsize=8)
def _others_sql(after: bool, desc: bool) -> Any:
    direction = "DESC" if desc else "ASC"
    beyond = "<" if desc else ">"
    keyset = f" AND (sort_name {beyond} :after_name OR (sort_name = :after_name AND id {beyond} :after_id))"
    return text(
        "SELECT sort_name, id FROM clients INDEXED BY ix_clients_id_sort_name"
        " WHERE id IN (SELECT rowid FROM client_search WHERE client_search MATCH :fts_query)"
        f"{keyset if after else ''} ORDER BY sort_name {direction}, id {direction} LIMIT :want"
    )


def single_term(alternatives: list[list[str]]) -> str | None:
    """The one word prefix of a search for one, else None."""
    return alternatives[0][0] if len(alternatives) == 1 and len(alternatives[0]) == 1 else None


def term_ranges(alternatives: list[list[str]]) -> list[tuple[str, list[tuple[str, str]]]] | None:
    """The prefixes of a search of single word prefixes, each with its ranges of sort names; None otherwise."""
    if any(len(terms) != 1 for terms in alternatives):
        return None
    found = [(term, lead_ranges(term)) for term in dict.fromkeys(terms[0] for terms in alternatives)]
    if any(ranges is None for _term, ranges in found):
        return None
    return [(term, ranges or []) for term, ranges in found]


def name_page_by_lead_ranges(
    connection: Connection, alternatives: list[list[str]], after: SortKey | None, want: int, desc: bool
) -> list[SortKey] | None:
    """Up to ``want`` keys (sort_name, id) of hits after ``after`` in name order, or None where this plan does not fit.

    It fits a search of single word prefixes (a phone number typed in several forms
    is that too) when at most ``OTHER_HITS`` clients are found by other words than
    their lead words, and each range holds its hits close together. Every hit lies
    in a range of one of its words or among those others (``textindex.lead_ranges``),
    and the first ``want`` of each list after ``after`` hold the first ``want`` of
    them all.
    """
    ranges = term_ranges(alternatives)
    if ranges is None:
        return None
    terms = [term for term, _found in ranges]
    others = other_words_query(terms)
    if (connection.scalar(_CAPPED_COUNT, {"fts_query": others, "cap": OTHER_HITS + 1}) or 0) > OTHER_HITS:
        return None
    bounds: dict[str, Any] = {"want": want}
    if after is not None:
        bounds |= {"after_name": after[0], "after_id": after[1]}
    keys = {tuple(row) for row in connection.execute(_others_sql(after is not None, desc), {**bounds, "fts_query": others})}
    hits_sql, more_sql = _range_sql(after is not None, desc)
    budget = want * RANGE_ROWS_PER_HIT
    for term, found in ranges:
        for low, high in found:
            parameters = {**bounds, "low": low, "high": high, "term": term, "budget": budget}
            rows = [tuple(row) for row in connection.execute(hits_sql, parameters)]
            if len(rows) < want and connection.execute(more_sql, parameters).first() is not None:
                return None  # the range's hits lie far apart: sorting them is cheaper
            keys.update(rows)
    return sorted(keys, reverse=desc)[:want]


# -- PostgreSQL ----------------------------------------------------------------------------

PG_WORDS: Final = "to_tsvector('simple', search_text)"
"""All words of a client, as indexed by migration 0001."""
_PG_CAPPED_COUNT = text(
    f"SELECT count(*) FROM (SELECT 1 FROM clients WHERE {PG_WORDS} @@ to_tsquery('simple', :query) LIMIT :cap) AS found"
)

_PG_RANGE_COUNT = text(
    "SELECT count(*) FROM (SELECT 1 FROM clients WHERE sort_name >= :low AND sort_name < :high"
    " AND position(' ' || :term in ' ' || search_text) > 0 LIMIT :cap) AS found"
)


def _pg_lead_hits_exceed(connection: Connection, alternatives: list[list[str]], cap: int) -> bool:
    """Whether a search for one word prefix finds more than ``cap`` clients by their lead word alone.

    Before the ``LIMIT`` of the capped count applies, the GIN index builds the bitmap of
    every hit: 115 ms for "s" (297,000 of 1,000,000 clients), 55–95 ms for a common last
    name's first letters. The lead word's ranges of sort names are read along the name
    index (``ix_clients_sort_name_words``, without the table), at most ``cap + 1``
    entries: 6–13 ms. Those clients are hits of the search (the first page of
    ``pg_name_page_by_lead_ranges`` takes them as such), so more of them than ``cap``
    answers the count; fewer leave it to the index.
    """
    ranges = term_ranges(alternatives)
    if ranges is None or len(ranges) != 1:
        return False
    term, found = ranges[0]
    counted = 0
    for low, high in found:  # the ranges of one term do not overlap (``textindex.lead_ranges``)
        parameters = {"low": low, "high": high, "term": term, "cap": cap + 1 - counted}
        counted += connection.scalar(_PG_RANGE_COUNT, parameters) or 0
        if counted > cap:
            return True
    return False


RANGE_ROWS_FOR_COUNT: Final = 50_000
"""A count by an anchor's ranges reads at most this many sort names in a range, else the GIN index counts."""


Anchor = tuple[list[str], str, list[tuple[str, str]]]
"""A search's words, the one whose ranges are read, and its ranges of sort names."""


def _pg_anchor(connection: Connection, alternatives: list[list[str]]) -> Anchor | None:
    """The words of a search of one list of words, and the one whose ranges and other words hold every hit.

    Every hit has a word starting with each of the search's words, so for any one of
    them (the anchor) it lies in the anchor's ranges of sort names (found by its lead
    word) or among the clients with another word starting with it. An anchor fits
    where those are at most ``OTHER_HITS``: the longest such word is taken. None
    where none fits ("t-on": "t" and "on" each start other words of 90,000 clients).
    """
    if len(alternatives) != 1:
        return None
    terms = list(dict.fromkeys(alternatives[0]))
    for term in sorted(terms, key=len, reverse=True):
        ranges = lead_ranges(term)
        if ranges is None:
            continue
        others = search_words.count_up_to(connection, term, OTHER_HITS, other=True)
        if others is not None and others <= OTHER_HITS:
            return terms, term, ranges
    return None


def _pg_match(words: int) -> str:
    """SQL: each of ``:term0`` … starts a word of the search text (the text's words are single-spaced)."""
    return " AND ".join(f"position(' ' || :term{i} in ' ' || search_text) > 0" for i in range(words))


def _pg_terms(terms: list[str]) -> dict[str, str]:
    return {f"term{i}": term for i, term in enumerate(terms)}


@lru_cache(maxsize=8)
def _pg_range_hits_sql(words: int) -> Any:
    return text(
        f"SELECT count(*), array_agg(id) FILTER (WHERE {_pg_match(words)}) FROM (SELECT id, search_text FROM clients"
        " WHERE sort_name >= :low AND sort_name < :high ORDER BY sort_name, id LIMIT :budget) AS range_rows"
    )


@lru_cache(maxsize=32)
def _pg_others_sql(words: int, after: bool, desc: bool) -> Any:
    """The anchor's clients found by other words that every word finds, in name order."""
    direction = "DESC" if desc else "ASC"
    # The anchor has at most OTHER_HITS of them (a few more if cards were saved meanwhile): the LIMIT, three
    # times that, only tells the planner to look each one up rather than read the table.
    return text(
        "SELECT id FROM (SELECT DISTINCT client_id FROM client_search_words"
        " WHERE other AND word >= :low AND word < :high LIMIT :others) AS found JOIN clients ON id = found.client_id"
        f" WHERE {_pg_match(words)}{_pg_keyset(desc) if after else ''}"
        f" ORDER BY sort_name {direction}, id {direction} LIMIT :want"
    )


def _others_limit() -> int:
    return search_words.ENTRIES_PER_CLIENT * (OTHER_HITS + 1)


def _pg_count_by_anchor(connection: Connection, alternatives: list[list[str]], cap: int) -> int | None:
    """Hits of a search of several words, at most ``cap + 1``, by an anchor's ranges and other words (``_pg_anchor``).

    "schmidt an": the 15,000 sort names starting with "schmidt", read along the name
    index that holds their words, and the few clients with "schmidt" among their other
    words. None without an anchor, or when a range holds more than
    ``RANGE_ROWS_FOR_COUNT`` sort names.
    """
    anchor = _pg_anchor(connection, alternatives)
    if anchor is None:
        return None
    terms, term, ranges = anchor
    hits: set[int] = set()
    for low, high in ranges:
        parameters = {**_pg_terms(terms), "low": low, "high": high, "budget": RANGE_ROWS_FOR_COUNT + 1}
        read, found = connection.execute(_pg_range_hits_sql(len(terms)), parameters).one()
        if read > RANGE_ROWS_FOR_COUNT:
            return None
        hits.update(found or ())
    low, high = search_words.word_range(term)
    parameters = {**_pg_terms(terms), "low": low, "high": high, "want": _others_limit(), "others": _others_limit()}
    hits.update(connection.scalars(_pg_others_sql(len(terms), False, False), parameters))
    return min(len(hits), cap + 1)


def pg_name_page_by_lead_ranges(
    connection: Connection, alternatives: list[list[str]], after: SortKey | None, want: int, desc: bool
) -> list[SortKey] | None:
    """``name_page_by_lead_ranges`` on PostgreSQL, for one word or several: an anchor's ranges and other words.

    Without it a search whose hits are one range of last names ("sch": 205,000 of
    1,000,000 clients) walked the name index from the top and parsed every client's
    words on the way: 6 s for the first page. Every hit lies in the anchor's ranges or
    among its few clients found by other words (``_pg_anchor``); the first ``want`` of
    each after ``after`` hold the first ``want`` of them all. The keys found are put in
    order by the database, in its own collation, as every other page of the list is.
    """
    anchor = _pg_anchor(connection, alternatives)
    if anchor is None:
        return None
    terms, term, ranges = anchor
    bounds: dict[str, Any] = {"want": want, **_pg_terms(terms)}
    if after is not None:
        bounds |= {"after_name": after[0], "after_id": after[1]}
    if len(terms) == 1:  # every client found by the word is a hit: no need to read their words
        ids = {key[1] for key in search_words.name_page(connection, term, after, want, desc, other=True)}
    else:
        low, high = search_words.word_range(term)
        others = _pg_others_sql(len(terms), after is not None, desc)
        ids = set(connection.scalars(others, {**bounds, "low": low, "high": high, "others": _others_limit()}))
    hits_sql, more_sql = _pg_range_sql(len(terms), after is not None, desc)
    budget = want * RANGE_ROWS_PER_HIT
    for low, high in ranges:
        parameters = {**bounds, "low": low, "high": high, "budget": budget}
        rows = list(connection.scalars(hits_sql, parameters))
        if len(rows) < want and connection.execute(more_sql, parameters).first() is not None:
            return None  # the range's hits lie far apart: sorting them is cheaper
        ids.update(rows)
    if not ids:
        return []
    return [tuple(row) for row in connection.execute(_pg_merge_sql(desc), {"ids": sorted(ids), "want": want})]


def _pg_keyset(desc: bool) -> str:
    return search_words.keyset_sql(desc, "id")


@lru_cache(maxsize=32)
def _pg_range_sql(words: int, after: bool, desc: bool) -> tuple[Any, Any]:
    """PostgreSQL's ``_range_sql``: the ids of one range's hits in order, and whether rows remain beyond a budget."""
    direction = "DESC" if desc else "ASC"
    order = f" ORDER BY sort_name {direction}, id {direction}"
    rows = (
        "SELECT sort_name, id, search_text FROM clients WHERE sort_name >= :low AND sort_name < :high"
        f"{_pg_keyset(desc) if after else ''}{order}"
    )
    hits = text(
        f"SELECT id FROM ({rows} LIMIT :budget) AS range_rows"
        f" WHERE {_pg_match(words)}{order} LIMIT :want"
    )
    more = text(f"SELECT 1 FROM ({rows} LIMIT 1 OFFSET :budget) AS beyond")
    return hits, more


@lru_cache(maxsize=2)
def _pg_merge_sql(desc: bool) -> Any:
    direction = "DESC" if desc else "ASC"
    return text(
        "SELECT sort_name, id FROM clients WHERE id = ANY(:ids)"
        f" ORDER BY sort_name {direction}, id {direction} LIMIT :want"
    )


def pg_name_page_of_sorted_hits(
    connection: Connection, alternatives: list[list[str]], after: SortKey | None, want: int, desc: bool
) -> list[SortKey]:
    """Up to ``want`` keys (sort_name, id) of hits after ``after`` in name order: all hits found, then sorted.

    For a search of a few thousand hits spread over the list ("kla", 8,300 of 1,000,000),
    left to itself PostgreSQL walked the name index and parsed each client's words:
    1.2 s instead of about 60 ms.
    """
    term = single_term(alternatives)
    if term is not None:
        return search_words.name_page(connection, term, after, want, desc)
    bounds: dict[str, Any] = {"want": want, "query": tsquery(alternatives)}
    if after is not None:
        bounds |= {"after_name": after[0], "after_id": after[1]}
    return [tuple(row) for row in connection.execute(_pg_sorted_hits_sql(after is not None, desc), bounds)]


@lru_cache(maxsize=8)
def _pg_sorted_hits_sql(after: bool, desc: bool) -> Any:
    direction = "DESC" if desc else "ASC"
    return text(
        "WITH found AS MATERIALIZED"
        f" (SELECT sort_name, id FROM clients WHERE {PG_WORDS} @@ to_tsquery('simple', :query))"
        f" SELECT sort_name, id FROM found WHERE true{_pg_keyset(desc) if after else ''}"
        f" ORDER BY sort_name {direction}, id {direction} LIMIT :want"
    )

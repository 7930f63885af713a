"""The orderings of the client list: sort keys, keyset conditions and the segments each ordering is read in.

Every ordering ends in the client id, so it is total and a page can continue exactly
after (or before) the sort key of a row of the previous page. The keyset condition is
written out as ``(a > v) OR (a = v AND id > i)`` instead of a row-value comparison, with
a redundant leading ``a >= v`` so that SQLite and PostgreSQL scan the sort index as a
range instead of evaluating the OR for every row.

Never-visited clients (last visit NULL) count as visited longest ago, and clients
without a group sort as if their group name were '' (no real name is empty): first
ascending, last descending, alike in SQLite and PostgreSQL, whose NULL orders differ.
Both orderings are walked in segments (see ``Segment``) so that no NULL ever takes
part in a comparison or an ORDER BY.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, true
from sqlalchemy.sql.elements import UnaryExpression

from salon_desk.models import Client, CustomerGroup

SortKey = tuple[Any, ...]
"""The values of every ORDER BY column of one row, the client id last."""

GROUP_KEY: ColumnElement[str] = func.coalesce(CustomerGroup.name_key, "")
NAME_PARTS: tuple[ColumnElement[Any], ...] = (Client.sort_name, Client.id)
SORT_PARTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": NAME_PARTS,
    "category": (Client.category_label, *NAME_PARTS),
    "group": (GROUP_KEY, *NAME_PARTS),
    "phone": (Client.phone, Client.id),
    "email": (Client.email, Client.id),
    "last_visit": (Client.last_visit, Client.id),
}


@dataclass(frozen=True)
class Segment:
    """A slice of the ordering that one index range serves: the rows matching ``condition``.

    Inside it the rows are ordered by ``parts``, which are the entries ``slots`` of the
    full sort key; ``member`` tells whether a full sort key falls into this slice.
    """

    condition: ColumnElement[bool]
    parts: tuple[ColumnElement[Any], ...]
    slots: tuple[int, ...]
    member: Callable[[SortKey], bool]
    lead: tuple[ColumnElement[Any], ...] = ()
    """Columns with one value inside the segment, put first in its ORDER BY only (a hint to the planner)."""

    def project(self, key: SortKey) -> SortKey:
        """The entries of the full ``key`` this segment orders by."""
        return tuple(key[i] for i in self.slots)

    def order(self, desc: bool) -> list[UnaryExpression[Any]]:
        """The ORDER BY of the segment's rows."""
        return order_by((*self.lead, *self.parts), desc)


def order_by(parts: Sequence[ColumnElement[Any]], desc: bool) -> list[UnaryExpression[Any]]:
    """``parts`` ascending, or descending when ``desc``."""
    return [part.desc() if desc else part.asc() for part in parts]


def keyset(parts: Sequence[ColumnElement[Any]], key: SortKey, desc: bool) -> ColumnElement[bool]:
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


def whole(sort: str) -> list[Segment]:
    """The ordering ``sort`` read as one range."""
    parts = SORT_PARTS[sort]
    return [Segment(true(), parts, tuple(range(len(parts))), lambda key: True)]


def visit_segments() -> list[Segment]:
    """Never visited (NULL, the smallest value) first, ordered by id; then by date and id."""
    return [
        Segment(Client.last_visit.is_(None), (Client.id,), (1,), lambda key: key[0] is None),
        Segment(Client.last_visit.is_not(None), SORT_PARTS["last_visit"], (0, 1), lambda key: key[0] is not None),
    ]


def group_segments(groups: Sequence[tuple[int | None, str]], lead: bool = False) -> list[Segment]:
    """One segment per group (no group first, as ''), each ordered by name along the index on (group_id, sort_name, id).

    ``lead``: each segment's ORDER BY starts with the group id (one value inside it).
    """
    segments = []
    for group_id, group_key in groups:
        condition = Client.group_id.is_(None) if group_id is None else Client.group_id == group_id
        first = (Client.group_id,) if lead else ()
        segments.append(Segment(condition, NAME_PARTS, (1, 2), lambda key, k=group_key: key[0] == k, first))
    return segments

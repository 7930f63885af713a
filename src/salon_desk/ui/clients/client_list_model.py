"""The client list's table model: every client counted, rows loaded page by page when painted."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any, Final, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPen, QPixmap

from salon_desk.i18n import N_, _, format_date, language
from salon_desk.services.clients.client_list import (
    ANCHOR_EVERY,
    COUNT_CAP,
    Anchors,
    ClientListQuery,
    ClientListService,
    ClientRow,
)

Index = QModelIndex | QPersistentModelIndex

# (sort column of the service, header title): Category right after the name (DESIGN §4).
COLUMNS: Final = (
    ("name", N_("Name")),
    ("category", N_("Category")),
    ("group", N_("Group")),
    ("phone", N_("Phone")),
    ("email", N_("Email")),
    ("last_visit", N_("Last visit")),
)
NAME, CATEGORY, GROUP, PHONE, EMAIL, LAST_VISIT = range(len(COLUMNS))
PAGE_ROWS: Final = 50
"""Rows loaded at a time: a screenful. A search's first page costs in proportion to it (see ClientListService)."""
MAX_PAGES: Final = 200
ANCHOR_DELAY_MS: Final = 250
"""The anchors of a list are sought once it has stood this long: a thread beside typing or sorting slows them."""
COUNT_DELAY_MS: Final = 300
"""A search counted only up to the cap is counted exactly once it has stood this long: not for each letter typed.

A count in a thread beside the next keystroke slowed it (PostgreSQL, 1,000,000 clients:
the keystroke's p50 32 ms instead of 24), and the count of a word still being typed is
thrown away anyway.
"""
KEPT_ANCHORS: Final = 4
"""The anchors of this many lists (query, filters, order) are kept until the data changes."""
DOT, DOT_STEP, MAX_DOTS = 12, 8, 4
EXPIRED_COLOR: Final = "#BDBDBD"
"""The dot of an expired membership: grey, whatever the category's colour."""

DISPLAY: Final = Qt.ItemDataRole.DisplayRole.value
DECORATION: Final = Qt.ItemDataRole.DecorationRole.value
TOOLTIP: Final = Qt.ItemDataRole.ToolTipRole.value
CLIENT_ID_ROLE: Final = Qt.ItemDataRole.UserRole.value
"""data() role: the client id of the row."""
CHIPS_ROLE: Final = Qt.ItemDataRole.UserRole.value + 1
"""data() role: the row's categories as a tuple of CategoryChip (name, colour, icon)."""
_SERVED: Final = frozenset({DISPLAY, DECORATION, TOOLTIP, CLIENT_ID_ROLE, CHIPS_ROLE})


_log = logging.getLogger(__name__)

_FLAGS: Final = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


@lru_cache(maxsize=4096)
def _date_text(value: date | None, language_code: str) -> str:
    """Babel takes about 0.2 ms per date: each date is formatted once per language."""
    return format_date(value)


class _Entry(NamedTuple):
    """A loaded row with what the view shows of it, computed once when its page loads."""

    row: ClientRow
    texts: tuple[str, ...]
    dots: QPixmap | None


def category_text(row: ClientRow) -> str:
    """The category column: the names (as sorted in SQL), an expired membership marked "(expired)"."""
    if not any(chip.expired for chip in row.categories):
        return row.category_label
    expired = _("{name} (expired)")
    return ", ".join(expired.format(name=chip.name) if chip.expired else chip.name for chip in row.categories)


def _entry(row: ClientRow, ratio: float) -> _Entry:
    visit = _date_text(row.last_visit, language())
    texts = (row.name, category_text(row), row.group_name, row.phone, row.email, visit)
    colors = tuple(EXPIRED_COLOR if chip.expired else chip.color for chip in row.categories)
    dots = category_dots(colors, ratio) if row.categories else None
    return _Entry(row, texts, dots)


class _Counter(QObject):
    """Carries what the threads beside the list found to the model's thread."""

    sig_counted = Signal(int, int)
    """(generation, count)"""

    sig_anchored = Signal(int, object)
    """(generation, Anchors)"""


class ClientListModel(QAbstractTableModel):
    """All clients a query shows: the row count is the SQL count, rows come in pages of ``page_size``.

    Pages live in a least-recently-used cache of ``max_pages`` pages (10,000 rows), so
    memory stays bounded however far the user scrolls; a page is loaded when the view
    first asks for one of its rows, i.e. when it is painted.

    A search is counted only up to ``count_cap`` first (its hits can be 565,000 of
    1,000,000 clients, 0.25 s to count): beyond it the list holds ``count_cap + 1``
    rows, ``count_is_exact()`` is False, and once the search has stood for
    ``COUNT_DELAY_MS`` a thread counts exactly; the rows then grow to the full count.
    """

    sig_count_changed = Signal(int)
    """Emitted after every (re)load.

    Args:
        count (int): how many clients the query shows.
    """

    def __init__(self, service: ClientListService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.page_size = PAGE_ROWS
        self.max_pages = MAX_PAGES
        self._query = ClientListQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[_Entry]] = OrderedDict()
        self.pages_loaded = 0
        """How many page queries ran (for tests and benchmarks)."""
        self.count_cap = COUNT_CAP
        self._exact = True
        self._generation = 0
        self.anchor_every = ANCHOR_EVERY
        self._anchors: Anchors | None = None
        self._kept_anchors: OrderedDict[ClientListQuery, Anchors] = OrderedDict()
        self._anchor_timer = QTimer(self)
        self._anchor_timer.setSingleShot(True)
        self._anchor_timer.setInterval(ANCHOR_DELAY_MS)
        self._anchor_timer.timeout.connect(self._find_anchors)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count_exactly)
        self._counter = _Counter(self)
        self._counter.sig_counted.connect(self._counted, Qt.ConnectionType.QueuedConnection)
        self._counter.sig_anchored.connect(self._anchored, Qt.ConnectionType.QueuedConnection)

    # -- the query ---------------------------------------------------------------

    def query(self) -> ClientListQuery:
        """What the list shows now."""
        return self._query

    def set_query(self, query: ClientListQuery) -> None:
        """Show ``query``'s clients: count them (a search up to ``count_cap`` at first), forget every cached page."""
        self._generation += 1
        self._count_timer.stop()
        if not query.text.strip():
            self._reset(query, self.service.count(query))
            return
        count = self.service.count_up_to(query, self.count_cap)
        exact = count <= self.count_cap
        self._reset(query, count, exact)
        if not exact:
            self._count_timer.start()

    def count_is_exact(self) -> bool:
        """False while a search with more than ``count_cap`` hits is being counted."""
        return self._exact

    def _count_exactly(self) -> None:
        if not self._exact:
            self._count_in_background(self._query, self._generation)

    def _count_in_background(self, query: ClientListQuery, generation: int) -> None:
        def count() -> None:
            try:
                found = self.service.count(query)
            except Exception:  # noqa: BLE001 - the list keeps its lower bound; nothing to show the user
                _log.exception("counting the clients of %r failed", query)
                return
            self._counter.sig_counted.emit(generation, found)

        threading.Thread(target=count, name="client-list-count", daemon=True).start()

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation or self._exact:
            return  # another query since
        self._exact = True
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:  # clients deleted at another desk meanwhile
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            self._count = count
            self.endRemoveRows()
        self.sig_count_changed.emit(count)

    def has_anchors(self) -> bool:
        """True once the anchors of the list shown now are there (see the class notes)."""
        return self._anchors is not None and self._anchors.query == self._query

    def gets_anchors(self) -> bool:
        """True when the list shown now is one that gets anchors: long enough, and no search."""
        return self._exact and self._count > 2 * self.anchor_every and not self._query.text.strip()

    def _find_anchors(self) -> None:
        if self.gets_anchors() and not self.has_anchors():
            self._anchor_in_background(self._query, self._generation)

    def _anchor_in_background(self, query: ClientListQuery, generation: int) -> None:
        every = self.anchor_every

        def stale() -> bool:  # read from the thread: a newer query makes these anchors useless
            return generation != self._generation or query != self._query

        def anchor() -> None:
            try:
                found = self.service.anchors(query, every, stop=stale)
            except Exception:  # noqa: BLE001 - jumps count from the top as before; nothing to show the user
                _log.exception("finding the anchors of %r failed", query)
                return
            if found is not None:
                self._counter.sig_anchored.emit(generation, found)

        threading.Thread(target=anchor, name="client-list-anchors", daemon=True).start()

    def _anchored(self, generation: int, anchors: Anchors) -> None:
        if generation == self._generation and anchors.query == self._query:
            self._anchors = self._kept_anchors[anchors.query] = anchors
            while len(self._kept_anchors) > KEPT_ANCHORS:
                self._kept_anchors.popitem(last=False)

    def _reset(self, query: ClientListQuery, count: int, exact: bool = True) -> None:
        self.beginResetModel()
        self._query = query
        self._count = count
        self._exact = exact
        self._pages.clear()
        self._anchors = self._kept_anchors.get(query)
        if self._anchors is not None:
            self._kept_anchors.move_to_end(query)
        self.endResetModel()
        self.sig_count_changed.emit(count)
        self._anchor_timer.start()

    def reload(self) -> None:
        """Count and load again, for data changed elsewhere (the rows' positions too: the anchors go)."""
        self._kept_anchors.clear()
        self.set_query(self._query)

    def count(self) -> int:
        """How many clients the query shows."""
        return self._count

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by ``column``; ids break ties."""
        if not 0 <= column < len(COLUMNS):
            return
        query = replace(self._query, sort=COLUMNS[column][0], descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self._reset(query, self._count, self._exact)  # the order changes, not which clients are shown

    # -- Qt's model interface -------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in _SERVED:
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        column = index.column()
        if role == DISPLAY:
            return entry.texts[column]
        if role == CLIENT_ID_ROLE:
            return entry.row.id
        if column != CATEGORY:
            return None
        if role == DECORATION:
            return entry.dots
        if role == CHIPS_ROLE:
            return entry.row.categories
        return entry.texts[CATEGORY] or None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if role != DISPLAY or orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        return _(COLUMNS[section][1])

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    # -- rows ---------------------------------------------------------------------

    def row(self, row: int) -> ClientRow | None:
        """The client shown in ``row``, loading its page if needed; None outside the list."""
        entry = self._entry(row)
        return entry.row if entry is not None else None

    def _entry(self, row: int) -> _Entry | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self.page_size)
        page = self._page(number)
        return page[offset] if offset < len(page) else None

    def client_id(self, row: int) -> int | None:
        """The id of the client in ``row``."""
        found = self.row(row)
        return found.id if found is not None else None

    def cached_client_id(self, row: int) -> int | None:
        """The id of the client in ``row`` if its page is loaded; never queries."""
        number, offset = divmod(row, self.page_size)
        page = self._pages.get(number)
        return page[offset].row.id if page is not None and offset < len(page) else None

    def row_of(self, client_id: int) -> int | None:
        """The row showing the client, or None when the query does not show it."""
        position = self.service.position(self._query, client_id)
        return position if position is not None and position < self._count else None

    def cached_pages(self) -> list[int]:
        """Numbers of the pages held now, least recently used first."""
        return list(self._pages)

    def _page(self, number: int) -> list[_Entry]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        page = [_entry(row, ratio) for row in self._load(number)]
        self.pages_loaded += 1
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    def _load(self, number: int) -> list[ClientRow]:
        """One page: by keyset from a cached neighbour, else (a jump) by position.

        Scrolling reaches a page next to one already loaded: the page then continues
        after the last sort key of the page above (or ends before the first key of the
        page below), an index range scan of one page wherever it lies in the list.
        Only a jump (scroll bar dragged, End key, a restored selection) lands on a page
        without a loaded neighbour. The service then finds the key just before it by
        OFFSET on the sort index alone, once per jump: from the nearest anchor when the
        list has them, else from the top (no table rows, but 10–30 ms for the middle of
        1,000,000 clients on SQLite, see benchmarks/bench_client_list.py), or in the lower
        half of the list from the end, so End is as quick as Home.
        """
        size, query = self.page_size, self._query
        start = number * size
        end = min(self._count, start + size)
        previous = self._pages.get(number - 1)
        if number == 0:
            return self.service.page(query, None, size)
        if previous and len(previous) == size:
            return self.service.page(query, previous[-1].row.sort_key, size)
        following = self._pages.get(number + 1)
        if following:
            return self.service.page(query, limit=size, before=following[0].row.sort_key)
        if self.has_anchors():
            return self.service.page_at(query, start, size, self._anchors)
        if start > self._count // 2 and self._exact:
            reverse = replace(query, descending=not query.descending)
            return self.service.page_at(reverse, self._count - end, end - start)[::-1]
        return self.service.page_at(query, start, size)


@lru_cache(maxsize=512)
def category_dots(colors: tuple[str, ...], ratio: float = 1.0) -> QPixmap:
    """Overlapping coloured dots, one per category (at most MAX_DOTS), drawn once per colour combination.

    A pixmap from data() is painted by Qt's own delegate in C++. A Python delegate
    would run for every visible cell on every paint; besides the cost, PySide6 6.12 on
    Python 3.11 drops a reference to None on each call of a Qt method returning
    nothing, which a per-cell paint repeats thousands of times per screen.
    """
    shown = colors[:MAX_DOTS]
    width = DOT + DOT_STEP * (len(shown) - 1) + 2
    pixmap = QPixmap(round(width * ratio), round((DOT + 2) * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
    for number, color in enumerate(shown):
        painter.setBrush(QColor(color))
        painter.drawEllipse(QRectF(1 + number * DOT_STEP, 1, DOT, DOT))
    painter.end()
    return pixmap

"""Values the client list worked out a moment ago, kept for choosing how to read its next pages (never shown)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RecentValues(Generic[K, V]):
    """The last ``size`` values by key, each for ``seconds`` after it was noted.

    A value a few seconds old may be off by the clients saved since: used for plans only,
    that costs at most a slower plan.
    """

    def __init__(self, seconds: float, size: int) -> None:
        self.seconds = seconds
        self.size = size
        self._values: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def note(self, key: K, value: V) -> None:
        self._values[key] = (time.monotonic(), value)
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def forget(self, key: K) -> None:
        self._values.pop(key, None)

    def get(self, key: K) -> V | None:
        found = self._values.get(key)
        return found[1] if found is not None and time.monotonic() - found[0] <= self.seconds else None


__all__ = ["RecentValues"]

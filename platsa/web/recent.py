"""A few recent values in this process's memory, in front of the shared cache.

For values under keys that name one version of what they were made from (every change
stamp is in the key): an entry can be evicted, never stale, so no invalidation is needed.
Saves the shared cache's round trip and the unpickling on every request for a page or a
comparison many people open.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")

_ALL: list[Recent[object]] = []


class Recent(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, V] = OrderedDict()
        self.lock = threading.Lock()
        _ALL.append(self)  # type: ignore[arg-type]

    def get(self, key: str) -> V | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: str, value: V) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


def clear_all() -> None:
    """Empty every process-local store (tests; a cache flush)."""
    for store in _ALL:
        store.clear()

"""Answers to repeated identical queries, kept until the store changes.

Editors and facet pages send the same queries again and again; serving them from memory beats
even the engine's own server. Every entry is tagged with the store generation it was computed
from and `clear()` runs from the store's change listener, so a write is visible at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    media_type: str


class QueryCache:
    """A thread-safe LRU bounded by entry count and total body bytes.

    >>> cache = QueryCache(max_entries=2, max_bytes=100)
    >>> cache.put(("q", 1), 1, CachedAnswer(b"x", "text/csv"))
    >>> cache.get(("q", 1), 1).body
    b'x'
    >>> cache.get(("q", 1), 2) is None  # the store changed since
    True
    """

    def __init__(self, max_entries: int = 1024, max_bytes: int = 64_000_000) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[int, CachedAnswer]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, generation: int) -> CachedAnswer | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, generation: int, answer: CachedAnswer) -> None:
        size = len(answer.body)
        if self.max_entries <= 0 or size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1].body)
            self._entries[key] = (generation, answer)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _key, (_gen, evicted) = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

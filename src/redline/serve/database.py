"""The server's hold on its store: one owning connection, a connection of its own
for each request (DuckDB allows reads beside a write), one writer at a time, and
the analyses of the stored data kept until the next write."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

from redline.store import Store, open_store

T = TypeVar("T")
KEPT = 256  # analyses kept at most (least recently used dropped)
RECHECK_SECONDS = 5.0  # how stale an analysis may be after another process writes


class Database:
    """The store a server owns, opened once for writing."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.store = open_store(path)
        self._writer = threading.Lock()
        self.version = 0  # goes up with every write here: older analyses are stale
        self._seen: tuple[float, tuple] = (0.0, ())  # (when, data version) — others' writes
        self._kept: OrderedDict[tuple, object] = OrderedDict()
        self._kept_lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A store for one request's reads."""
        view = self.store.cursor()
        try:
            yield view
        finally:
            view.close()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """A store for one write; writers wait for each other."""
        with self._writer:
            view = self.store.cursor()
            try:
                yield view
            finally:
                view.close()
                self.version += 1

    def analysis(self, key: Hashable, compute: Callable[[Store], T]) -> T:
        """``compute(store)`` over the data as it is now, computed once until the next
        write, however many ask at once (the result is shared: callers must not
        change it)."""
        slot = (self.version, self._data_version(), key)
        with self._kept_lock:
            if slot in self._kept:
                self._kept.move_to_end(slot)
                return self._kept[slot]  # type: ignore[return-value]
            computing = self._computing.setdefault(slot, threading.Lock())
        with computing:  # the first computes, the others wait for its result
            with self._kept_lock:
                if slot in self._kept:
                    return self._kept[slot]  # type: ignore[return-value]
            try:
                with self.reading() as store:
                    value = compute(store)
            finally:
                with self._kept_lock:
                    self._computing.pop(slot, None)
            with self._kept_lock:
                self._kept[slot] = value
                while len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
        return value

    def _data_version(self) -> tuple:
        """The store's data version, looked up at most every few seconds: other
        processes may write to a PostgreSQL store too."""
        when, version = self._seen
        if time.monotonic() - when > RECHECK_SECONDS:
            with self.reading() as store:
                version = store.data_version()
            self._seen = (time.monotonic(), version)
        return version

    def last_day(self) -> date | None:
        """The last publication day of the stored news, or None."""
        span = self.analysis(("period",), lambda store: store.period())
        return span[1] if span else None

    def close(self) -> None:
        self.store.close()

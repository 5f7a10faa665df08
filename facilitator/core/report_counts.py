"""The log counted once per report: several sections (participants, interactions,
tallies, network) read the same grouped counts, so they are asked of SQLite once
and kept while the file stays as it was.

`count_ahead(store, modules)` makes that count in a thread while importing the
modules: packed by SQLite into a text per column, the count is one SQLite step
without the GIL (models.aggregates packed_session_counts), so with two cores what
a command needs next (the report's sections, networkx, numpy) is imported in the
count's time; the texts are read back afterwards, in the caller's thread."""

from __future__ import annotations

import importlib
import sqlite3
import threading
from weakref import WeakKeyDictionary

from facilitator.models.aggregates import (
    CountColumns, PackedCounts, packed_session_counts, unpack_session_counts)
from facilitator.models.store import SessionError, SessionStore

_cache: WeakKeyDictionary[SessionStore, tuple[tuple[int, int], CountColumns]] = \
    WeakKeyDictionary()
#: Counted by count_ahead and not read yet: the file's stamp then, and the count.
_ahead: WeakKeyDictionary[SessionStore, tuple[tuple[int, int], PackedCounts]] = \
    WeakKeyDictionary()


def _stamp(store: SessionStore) -> tuple[int, int]:
    return (store.data_version(), store.conn.total_changes)


def session_counts(store: SessionStore) -> CountColumns:
    """The whole session's live entries grouped by (source, target, kind, round);
    read again as soon as anyone (another process: data_version; this one:
    total_changes) has written since."""
    stamp = _stamp(store)
    cached = _cache.get(store)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    ahead = _ahead.pop(store, None)
    packed = ahead[1] if ahead is not None and ahead[0] == stamp else packed_session_counts(store)
    counts = unpack_session_counts(packed)
    _cache[store] = (stamp, counts)
    return counts


def count_ahead(store: SessionStore, modules: tuple[str, ...]) -> None:
    """Count the session's log (for session_counts) in a thread while this one
    imports `modules`; return when both are done. Nothing else touches the store
    meanwhile. A count that failed is left to session_counts, which counts again
    and says why."""
    def count() -> None:
        try:
            stamp = _stamp(store)
            _ahead[store] = (stamp, packed_session_counts(store))
        except (sqlite3.Error, SessionError):
            pass  # counted again in the caller's thread, which says what went wrong

    thread = threading.Thread(target=count, name="count-ahead", daemon=True)
    thread.start()
    try:
        for name in modules:
            importlib.import_module(name)
    finally:
        thread.join()

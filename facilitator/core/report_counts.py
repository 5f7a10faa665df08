"""The log counted once per report: several sections (participants, interactions,
tallies, network) read the same grouped counts, so they are asked of SQLite once
and kept while the file stays as it was."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from facilitator.models.aggregates import EntryCount, entry_counts
from facilitator.models.store import SessionStore

_cache: WeakKeyDictionary[SessionStore, tuple[tuple[int, int], list[EntryCount]]] = \
    WeakKeyDictionary()


def session_counts(store: SessionStore) -> list[EntryCount]:
    """The whole session's live entries grouped by (source, target, kind); read again
    as soon as anyone (another process: data_version; this one: total_changes) has
    written since."""
    stamp = (store.data_version(), store.conn.total_changes)
    cached = _cache.get(store)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    counts = entry_counts(store)
    _cache[store] = (stamp, counts)
    return counts

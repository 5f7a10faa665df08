"""The network kept in step with a live session cheaply, for the screen.

Re-reading the whole log after every new interaction costs tens of milliseconds at
a few thousand entries: more than a frame. So `LiveNetwork` keeps the entries it has
read and, when the file changes, fetches only `interactions WHERE id > last seen`.
A small stamp of the voided entries (count, latest voided_at, sum of ids) tells
when an undo or a restore touched older entries: only then is the log re-read.

Tie counts are cached per filter and grown by the new entries; each view says which
ties the growth touched, so the picture can draw just those. Replay and time
windows are recounted from the entries in memory (no database read).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from facilitator.analysis.layout import NetworkFingerprint
from facilitator.analysis.network import (
    LogEntry, NetworkData, NetworkFilter, Ties, count_entries, load_context, load_network,
    selected_entries, tie_counts)
from facilitator.models.store import SessionStore

#: Views kept per filter; a filter change past this many starts afresh.
MAX_VIEWS = 8
WHOLE_SESSION = NetworkFilter()


def void_stamp(store: SessionStore) -> tuple[object, ...]:
    """Changes whenever an entry is voided or restored (one scan of a small column;
    the schema has no index on voided_at, and we may not add one)."""
    row = store.one("SELECT count(*), max(voided_at), total(id) FROM interactions"
                    " WHERE voided_at IS NOT NULL")
    return tuple(row) if row is not None else ()


@dataclass(frozen=True)
class TieView:
    """The ties for one filter, and how they grew from the previous ones (if they
    did): `previous` is the Ties they were grown from, `touched` the undirected
    pairs whose counts changed. previous None = counted afresh."""

    ties: Ties
    previous: Ties | None = None
    touched: frozenset[tuple[int, int]] = frozenset()


@dataclass
class _Cached:
    epoch: int
    upto: int  # entries of data.entries already counted
    view: TieView
    fingerprint: NetworkFingerprint | None = None


class LiveNetwork:
    """A network snapshot that follows the file: `refresh(store)`, then `view(filter)`."""

    def __init__(self) -> None:
        self.data: NetworkData | None = None
        #: Bumped whenever the snapshot changed other than by appending entries.
        self.epoch = 0
        self.last_id = 0
        self.voids: tuple[object, ...] = ()
        self.full_reads = 0  # how many times the whole log was read (for tests/bench)
        self._views: dict[NetworkFilter, _Cached] = {}
        self._totals: dict[NetworkFilter, tuple[int, int, int]] = {}

    def refresh(self, store: SessionStore) -> bool:
        """Bring the snapshot up to date with the file; True if anything changed."""
        voids = void_stamp(store)  # read first: a void after this shows next time
        context = load_context(store)
        old = self.data
        if old is None or voids != self.voids or context.kinds != old.kinds:
            self._read_all(store, voids)
            return True
        new = self._new_entries(store)
        same_context = (context.people, context.groups, context.rounds,
                        context.current_round_id) == (old.people, old.groups, old.rounds,
                                                      old.current_round_id)
        if not new and same_context:
            return False
        entries = old.entries + new
        in_order = not new or not old.entries or new[0].at >= old.entries[-1].at
        if not in_order:  # imported or back-dated entries: keep the log in time order
            entries = tuple(sorted(entries, key=lambda e: (e.at, e.id)))
        self.data = replace(context, entries=entries)
        if not (in_order and same_context):
            self._forget()
        return True

    def _read_all(self, store: SessionStore, voids: tuple[object, ...]) -> None:
        self.data = load_network(store)
        self.voids = voids
        # Entries with a larger id are fetched next time; nothing loaded has one.
        self.last_id = max((e.id for e in self.data.entries), default=0)
        self.full_reads += 1
        self._forget()

    def _new_entries(self, store: SessionStore) -> tuple[LogEntry, ...]:
        """Live pair entries logged since the last look (the id is the primary key)."""
        rows = store.rows(
            "SELECT i.id, i.at, i.source_id, i.target_id, i.kind, i.group_id, i.round_id,"
            " i.voided_at, k.scope FROM interactions i LEFT JOIN kinds k ON k.name = i.kind"
            " WHERE i.id > ? ORDER BY i.at, i.id", (self.last_id,))
        if rows:
            self.last_id = max(self.last_id, max(r["id"] for r in rows))
        return tuple(
            LogEntry(r["id"], r["at"], r["source_id"], r["target_id"], r["kind"],
                     r["group_id"], r["round_id"])
            for r in rows
            if r["voided_at"] is None and r["source_id"] is not None and r["scope"] == "pair")

    def _forget(self) -> None:
        self.epoch += 1
        self._views.clear()
        self._totals.clear()

    # ------------------------------------------------------------ views
    def view(self, flt: NetworkFilter = WHOLE_SESSION) -> TieView:
        """The ties a filter selects, grown from the last view of the same filter when
        only new entries arrived (live, no time window)."""
        data = self.data
        assert data is not None, "refresh() first"
        cached = self._views.get(flt)
        growable = flt.until is None and not flt.window_minutes
        if cached is not None and cached.epoch == self.epoch and growable:
            if cached.upto == len(data.entries):
                return cached.view
            old = cached.view.ties
            new = selected_entries(replace(data, entries=data.entries[cached.upto:]), flt)
            counts, to_group = Counter(old.counts), Counter(old.to_group)
            touched = count_entries(new, data.undirected_kinds(), counts, to_group)
            pairs = frozenset((min(u, v), max(u, v)) for u, v in touched)
            node_ids = old.node_ids
            if flt.group_id is not None:  # newcomers to the group's talk join the view
                extra = {u for pair in pairs for u in pair} | set(to_group)
                node_ids = tuple(sorted(set(node_ids) | extra))
            ties = Ties(node_ids, dict(counts), old.entries + len(new), to_group,
                        new[-1].at if new else old.last_at)
            object.__setattr__(ties, "_pairs", old.pairs() | pairs)
            cached.view, cached.upto = TieView(ties, old, pairs), len(data.entries)
            if cached.fingerprint is not None:
                cached.fingerprint.add_pairs(pairs)
            return cached.view
        view = TieView(tie_counts(data, flt))
        if growable:
            if len(self._views) >= MAX_VIEWS:
                self._views.clear()
            self._views[flt] = _Cached(self.epoch, len(data.entries), view)
        return view

    def signature(self) -> str:
        """The layout fingerprint of the whole session's ties, kept up to date as ties
        arrive (one term per new tie, not a re-hash of them all)."""
        ties = self.view(WHOLE_SESSION).ties
        cached = self._views[WHOLE_SESSION]
        if cached.fingerprint is None:
            cached.fingerprint = NetworkFingerprint(ties.node_ids, ties.pairs())
        return cached.fingerprint.signature

    def total(self, flt: NetworkFilter) -> int:
        """How many entries the filter selects by kind, round and group (the length
        of the replay timeline), counted incrementally too."""
        data = self.data
        assert data is not None, "refresh() first"
        key = flt.with_(until=None, window_minutes=None)
        epoch, upto, count = self._totals.get(key, (-1, 0, 0))
        if epoch != self.epoch:
            upto, count = 0, 0
        if upto < len(data.entries):
            count += len(selected_entries(replace(data, entries=data.entries[upto:]), key))
        if len(self._totals) >= MAX_VIEWS:
            self._totals.clear()
        self._totals[key] = (self.epoch, len(data.entries), count)
        return count

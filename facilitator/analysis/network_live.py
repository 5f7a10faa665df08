"""Tie counts kept in step with a growing log cheaply, for the live screen.

Re-counting the whole log after every new interaction costs tens of milliseconds at
a few thousand entries: more than a frame. So `TieCache` keeps the ties counted per
filter and grows them by the new entries only; each view says which ties the
growth touched, so the picture can draw just those. Replay and time windows are
recounted from the entries in memory.

Pure: it is fed records. Reading the file (only `interactions WHERE id > last
seen`, and the whole log only after an undo touched older entries) is
facilitator.core.network.LiveNetwork's job.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from facilitator.analysis.layout import NetworkFingerprint
from facilitator.analysis.network import (
    LogEntry, NetworkData, NetworkFilter, Ties, count_entries, selected_entries, tie_counts)

#: Views kept per filter; a filter change past this many starts afresh.
MAX_VIEWS = 8
WHOLE_SESSION = NetworkFilter()


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


class TieCache:
    """A network snapshot and its tie counts per filter: `reset(data)` or
    `extend(context, new_entries)`, then `view(filter)`."""

    def __init__(self) -> None:
        self.data: NetworkData | None = None
        #: Bumped whenever the snapshot changed other than by appending entries.
        self.epoch = 0
        self._views: dict[NetworkFilter, _Cached] = {}
        self._totals: dict[NetworkFilter, tuple[int, int, int]] = {}

    def reset(self, data: NetworkData) -> None:
        """A whole new snapshot (the log was read afresh)."""
        self.data = data
        self._forget()

    def extend(self, context: NetworkData, new: tuple[LogEntry, ...]) -> bool:
        """The same log plus `new` entries, with the roster, groups and rounds of
        `context`; True if anything changed."""
        old = self.data
        if old is None or context.kinds != old.kinds:
            self.reset(replace(context, entries=new))
            return True
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

    def _forget(self) -> None:
        self.epoch += 1
        self._views.clear()
        self._totals.clear()

    # ------------------------------------------------------------ views
    def view(self, flt: NetworkFilter = WHOLE_SESSION) -> TieView:
        """The ties a filter selects, grown from the last view of the same filter when
        only new entries arrived (live, no time window)."""
        data = self.data
        assert data is not None, "reset() or refresh() first"
        cached = self._views.get(flt)
        growable = flt.until is None and not flt.window_minutes
        if cached is not None and cached.epoch == self.epoch and growable:
            if cached.upto == len(data.entries):
                return cached.view
            old = cached.view.ties
            new = selected_entries(replace(data, entries=data.entries[cached.upto:]), flt)
            counts, to_group = Counter(old.counts), Counter(old.to_group)
            together = Counter(old.together)
            pairs = frozenset(count_entries(new, data.undirected_kinds(), counts, to_group,
                                            together))
            node_ids = old.node_ids
            if flt.group_id is not None:  # newcomers to the group's talk join the view
                extra = {u for pair in pairs for u in pair} | set(to_group)
                node_ids = tuple(sorted(set(node_ids) | extra))
            ties = Ties(node_ids, dict(counts), old.entries + len(new), to_group,
                        new[-1].at if new else old.last_at, dict(together))
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

    def has_view(self, flt: NetworkFilter) -> bool:
        """Whether view(flt) is cheap now: kept for this snapshot and growable, so
        it costs the new entries only (otherwise it counts every entry)."""
        cached = self._views.get(flt)
        return (cached is not None and cached.epoch == self.epoch and flt.until is None
                and not flt.window_minutes)

    def seed(self, data: NetworkData, flt: NetworkFilter, ties: Ties,
             fingerprint: NetworkFingerprint | None = None) -> None:
        """Keep ties counted elsewhere (a worker, from the snapshot `data`) as the
        view of `flt`, if the snapshot is still this one: later entries then grow
        them instead of a count of every entry."""
        if data is not self.data or flt.until is not None or flt.window_minutes:
            return
        if len(self._views) >= MAX_VIEWS:
            self._views.clear()
        self._views[flt] = _Cached(self.epoch, len(data.entries), TieView(ties), fingerprint)

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
        assert data is not None, "reset() or refresh() first"
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

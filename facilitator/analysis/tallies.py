"""Live tallies of the interaction log: who spoke, who was addressed, by kind, talk
share, an equity figure (Gini) with a plain reading, who has not spoken this round,
and mutual pairs.

Pure functions and records: nothing here reads the store. facilitator.core.tally
reads the file and feeds the board what it read (new ids, and entries voided or
restored since), so a keystroke never reloads the whole log, and the board only
ever holds what the file holds.

Undirected kinds (kinds.directed = 0) count once per entry, for both people: an
undirected entry A–B gives A and B each one more in spoke and by_kind, nobody is
"addressed", and the pair is one undirected pair (A, B) with A < B. Mutual pairs
and reciprocity are over directed kinds only.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from facilitator.models.records import Interaction

@dataclass
class Tally:
    """Counts over a set of live entries (a group, a round, or the whole session)."""

    spoke: Counter[int] = field(default_factory=Counter)
    addressed: Counter[int] = field(default_factory=Counter)
    turns: Counter[int] = field(default_factory=Counter)
    by_kind: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    #: Directed pairs (source, target): what mutual pairs are computed from.
    pairs: Counter[tuple[int, int]] = field(default_factory=Counter)
    #: Undirected pairs (a, b) with a < b, one per undirected entry.
    together: Counter[tuple[int, int]] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    entries: int = 0
    #: Pairs (a, b), a < b, who addressed each other both ways: (a_to_b, b_to_a).
    #: Kept as `pairs` moves, so mutual_pairs never walks every pair.
    mutual: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    #: The latest moves of `pairs`: ((a, b), grew), the oldest first; `moves_base`
    #: is how many older moves were dropped. Lets a cached ranking of mutual pairs
    #: be brought up to date from the few pairs that moved.
    moves: list[tuple[tuple[int, int], bool]] = field(default_factory=list)
    moves_base: int = 0
    _ranked: dict[object, tuple[int, list["MutualPair"]]] = field(default_factory=dict)

    def apply(self, entry: Interaction, sign: int, turn_kind: str,
              directed: bool = True, track: bool = True) -> None:
        """Count an entry in (sign=1) or out again (sign=-1, when it is voided); or
        with sign=n, n entries alike (grouped counts: every figure is a sum)."""
        self.count(((entry.source_id, entry.target_id, entry.kind, sign),), turn_kind,
                   () if directed else (entry.kind,), track)

    def count(self, rows: "Iterable[tuple[int | None, int | None, str, int]]", turn_kind: str,
              undirected: "Collection[str]" = (), track: bool = True) -> None:
        """The one counting rule, for rows (source, target, kind, n): n entries alike
        counted in (n < 0: out again). An entry of an undirected kind counts for both
        people; a whole-group state (no source) is nobody's. track=False leaves the
        mutual pairs to recount_mutual (a tally built from many rows at once).

        A tight loop: a scope of a long session starts from tens of thousands of
        grouped rows, on the UI thread."""
        spoke, addressed, turns, by_kind = self.spoke, self.addressed, self.turns, self.by_kind
        pairs, together, states = self.pairs, self.together, self.states
        entries = 0
        for source, target, kind, n in rows:
            entries += n
            if source is None:
                states[kind] = states.get(kind, 0) + n
                continue
            both = target is not None and kind in undirected
            for person in (source, target) if both else (source,):
                kinds = by_kind[person]
                kinds[kind] = kinds.get(kind, 0) + n
                spoke[person] = spoke.get(person, 0) + n
                if kind == turn_kind:
                    turns[person] = turns.get(person, 0) + n
            if target is None:
                continue
            if both:
                key = (source, target) if source < target else (target, source)
                together[key] = together.get(key, 0) + n
                continue
            addressed[target] = addressed.get(target, 0) + n
            key = (source, target)
            pairs[key] = pairs.get(key, 0) + n
            if track:
                self._pair_moved(source, target, n > 0)
        self.entries += entries

    def _pair_moved(self, source: int, target: int, grew: bool) -> None:
        a, b = min(source, target), max(source, target)
        ab, ba = self.pairs.get((a, b), 0), self.pairs.get((b, a), 0)
        if ab > 0 and ba > 0:
            self.mutual[(a, b)] = (ab, ba)
        else:
            self.mutual.pop((a, b), None)
        self.moves.append(((a, b), grew))
        if len(self.moves) > MOVES_KEPT:
            drop = len(self.moves) - MOVES_KEPT // 2
            del self.moves[:drop]
            self.moves_base += drop

    def recount_mutual(self) -> None:
        """The mutual pairs worked out from every pair (after applying with
        track=False); rankings start afresh."""
        pairs = self.pairs
        self.mutual = {}
        for (a, b), n in pairs.items():
            if a < b and n > 0:
                back = pairs.get((b, a), 0)
                if back > 0:
                    self.mutual[(a, b)] = (n, back)
        self.moves_base += len(self.moves)
        self.moves = []
        self._ranked.clear()

    @property
    def moves_seen(self) -> int:
        return self.moves_base + len(self.moves)


#: How many moves of pairs a Tally remembers for its cached rankings.
MOVES_KEPT = 256


#: What a tally counts: the whole session, one group's entries (by the group they
#: were logged in; None: logged in none), or one round's (None: between rounds).
Scope = tuple[str, "int | None"]
WHOLE_SESSION: Scope = ("session", None)


def group_scope(group_id: int | None) -> Scope:
    return ("group", group_id)


def round_scope(round_id: int | None) -> Scope:
    return ("round", round_id)


def scopes_of(entry: Interaction) -> tuple[Scope, Scope, Scope]:
    """The scopes an entry counts in."""
    return WHOLE_SESSION, ("group", entry.group_id), ("round", entry.round_id)


def counted_tally(rows: "Iterable[tuple[int | None, int | None, str, int]]", turn_kind: str,
                  undirected: Collection[str]) -> Tally:
    """A Tally from grouped counts (source, target, kind, n): each row counted by the
    live rule (Tally.count), n entries at once; the mutual pairs worked out once at
    the end, not per row."""
    tally = Tally()
    tally.count(rows, turn_kind, undirected, track=False)
    tally.recount_mutual()
    return tally


class TallyBoard:
    """Tallies of the live entries, one per scope asked for, kept incrementally.

    Counts only: no entry is held, so memory does not grow with the log, and a
    scope starts from grouped counts (add_scope, counted by SQL at the board's
    moment), not from reading every entry. The board's moment is the highest id it
    has read (last_id), the undone entries among those (voided) and its place in
    the file's feed of changed entries (feed_seq); after that it moves only with
    what the file says changed: new entries (read) and entries undone or brought
    back (revise), each counted in or out of every scope it belongs to."""

    def __init__(self, turn_kind: str = "speak", undirected: Iterable[str] = ()) -> None:
        self.turn_kind = turn_kind
        #: Kinds that count once for both people (kinds.directed = 0).
        self.undirected = frozenset(undirected)
        #: Moves by one whenever any count changes (what a screen compares to redraw).
        self.version = 0
        self.forget()

    def forget(self) -> None:
        """Start empty again (the reader found the log changed under it in a way
        it cannot follow entry by entry, such as a deleted row)."""
        #: The highest id read from the file: the next read asks for ids above it.
        self.last_id = 0
        #: The undone entries among those up to last_id (they count nowhere).
        self.voided: set[int] = set()
        #: Where the reader is in the file's feed of changed entries (opaque here).
        self.feed_seq: int = 0
        self.scopes: dict[Scope, Tally] = {}
        self.version += 1

    def start(self, last_id: int, voided: Iterable[int], feed_seq: int) -> None:
        """The board's moment, read from the file in one snapshot."""
        self.last_id, self.voided, self.feed_seq = last_id, set(voided), feed_seq
        self.version += 1

    # ------------------------------------------------------------------ applying
    def add_scope(self, scope: Scope,
                  counts: "Iterable[tuple[int | None, int | None, str, int]]") -> Tally:
        """Start counting a scope from the grouped counts of its live entries up to
        last_id (as the board holds them live: read in the same snapshot)."""
        tally = counted_tally(counts, self.turn_kind, self.undirected)
        self.scopes[scope] = tally
        self.version += 1
        return tally

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes

    def read(self, new: Iterable[Interaction]) -> list[Interaction]:
        """Take the entries with ids above last_id, in id order, as read from the
        file (undone ones too: they count nowhere). Returns them."""
        changed = []
        for entry in new:
            self.last_id = max(self.last_id, entry.id)
            if entry.voided_at is None:
                self._count(entry, 1)
            else:
                self.voided.add(entry.id)
            changed.append(entry)
        if changed:
            self.version += 1
        return changed

    def revise(self, now: Iterable[Interaction]) -> list[Interaction]:
        """Take entries changed in place (undone or brought back, by anyone), in
        their state now: each whose live state moved is counted in or out. Ids
        above last_id are skipped (read() takes them with their state). Returns
        the entries whose state moved."""
        changed = []
        for entry in now:
            if entry.id > self.last_id:
                continue
            was_live, live = entry.id not in self.voided, entry.voided_at is None
            if was_live == live:
                continue
            if live:
                self.voided.discard(entry.id)
            else:
                self.voided.add(entry.id)
            self._count(entry, 1 if live else -1)
            changed.append(entry)
        if changed:
            self.version += 1
        return changed

    def _count(self, entry: Interaction, sign: int) -> None:
        row = ((entry.source_id, entry.target_id, entry.kind, sign),)
        for scope in scopes_of(entry):
            tally = self.scopes.get(scope)
            if tally is not None:
                tally.count(row, self.turn_kind, self.undirected)

    # ------------------------------------------------------------------ reading
    def tally(self, scope: Scope) -> Tally:
        """A scope's tally (KeyError until add_scope counted it)."""
        return self.scopes[scope]

    @property
    def total(self) -> Tally:
        return self.scopes[WHOLE_SESSION]


# ---------------------------------------------------------------------- summaries
def gini(values: list[int] | list[float]) -> float:
    """Gini coefficient of non-negative values: 0 = perfectly even, towards 1 = one
    voice only. People who never spoke count (as zeros), which is the point."""
    n = len(values)
    total = sum(values)
    if n < 2 or total <= 0:
        return 0.0
    ranked = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ranked))
    return max(0.0, (2 * weighted) / (n * total) - (n + 1) / n)


def equity_reading(g: float, people: int, spoken: int) -> str:
    """The Gini figure in words a facilitator can act on."""
    if people < 2:
        return "too few people to compare"
    if spoken == 0:
        return "nobody has spoken yet"
    if g < 0.2:
        return "evenly shared"
    if g < 0.35:
        return "fairly even"
    if g < 0.5:
        return "uneven: a few voices lead"
    return "dominated by a few voices"


class ParticipantTally(NamedTuple):
    """One person's figures (a tuple: the tally screen makes one per person shown
    after every keystroke)."""

    participant_id: int
    spoke: int
    addressed: int
    turns: int
    #: The person's counts by kind as the tally holds them (read, never change):
    #: a kind undone back to nothing may be there with 0.
    by_kind: Mapping[str, int]
    share: float  # of all speaking among the people shown, 0..1


class MutualPair(NamedTuple):
    a: int
    b: int
    a_to_b: int
    b_to_a: int


class TallySummary(NamedTuple):
    """What the panels show. A person's row is made when asked for (row(i)): the
    tally screen draws only the cards in view, of two hundred."""

    tally: Tally
    people: list[int]  # participant ids, in the order given
    spoken: list[int]  # what each of them spoke, in that order
    total_spoke: int
    gini: float
    reading: str
    not_spoken: list[int]  # participant ids, in the order given
    mutual: list[MutualPair]
    states: dict[str, int]

    def row(self, index: int) -> ParticipantTally:
        pid, spoke, tally, total = self.people[index], self.spoken[index], self.tally, self.total_spoke
        return ParticipantTally(pid, spoke, tally.addressed.get(pid, 0), tally.turns.get(pid, 0),
                                tally.by_kind.get(pid, _NONE), spoke / total if total else 0.0)

    @property
    def rows(self) -> list[ParticipantTally]:
        return [self.row(i) for i in range(len(self.people))]

    def top(self) -> int | None:
        """The index of the biggest voice (the first of equals), None if nobody is shown."""
        spoken = self.spoken
        return max(range(len(spoken)), key=spoken.__getitem__) if spoken else None


_NONE: Mapping[str, int] = MappingProxyType({})


def summarise(tally: Tally, people: list[int], this_round: Tally | None = None) -> TallySummary:
    """Everything the panels show, for the people shown (present members of the
    observed group, or everyone present). this_round decides who has not spoken yet."""
    spoke_of = tally.spoke.get
    spoken = [spoke_of(p, 0) for p in people]
    total = sum(n for n in spoken if n > 0)
    g = gini(spoken)
    round_tally = this_round if this_round is not None else tally
    round_spoke = round_tally.spoke.get
    not_spoken = [p for p in people if round_spoke(p, 0) <= 0]
    return TallySummary(tally, list(people), spoken, total, g,
                        equity_reading(g, len(people), total), not_spoken,
                        mutual_pairs(tally, set(people)),
                        {k: n for k, n in tally.states.items() if n})


def mutual_pairs(tally: Tally, people: set[int] | None = None, limit: int = 10) -> list[MutualPair]:
    """Pairs who addressed each other both ways, strongest first (directed kinds
    only: an undirected entry is no evidence of reciprocity).

    Costs what changed: the ranking for these people is kept on the tally and
    brought up to date from the pairs that moved since. A pair that grew can only
    climb, so the old top and the pairs that grew hold the new top; only when a
    pair in the top shrank (an undo) is every mutual pair ranked again."""
    key = frozenset(people) if people is not None else None
    seen = tally.moves_seen
    cached = tally._ranked.get(key)
    top: list[MutualPair] | None = None
    if cached is not None and cached[0] >= tally.moves_base:
        stamp, top = cached
        if stamp != seen:
            ranked = {(m.a, m.b) for m in top}
            moved = tally.moves[stamp - tally.moves_base:]
            if any(not grew and pair in ranked for pair, grew in moved):
                top = None  # a ranked pair lost weight: the next one may be anyone
            else:
                candidates = ranked | {pair for pair, _ in moved}
                top = _ranked(tally, candidates, people, limit)
    if top is None:
        top = _ranked(tally, tally.mutual.keys(), people, limit)
    if len(tally._ranked) > 16:
        tally._ranked.clear()
    tally._ranked[key] = (seen, top)
    return list(top)


def _ranked(tally: Tally, pairs: Iterable[tuple[int, int]], people: set[int] | None,
            limit: int) -> list[MutualPair]:
    found = []
    mutual = tally.mutual
    for pair in pairs:
        counts = mutual.get(pair)
        if counts is None:
            continue
        a, b = pair
        if people is None or (a in people and b in people):
            found.append((-min(counts), -(counts[0] + counts[1]), a, b, counts))
    return [MutualPair(a, b, ab, ba)
            for _m, _s, a, b, (ab, ba) in heapq.nsmallest(limit, found)]

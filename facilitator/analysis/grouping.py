"""Suggested groupings: random, mixed by tags, and new ties. Pure functions.

The facilitator asks, looks at the figures, and decides; nothing here writes.
Each method turns into pair weights (how much a pair should not share a group)
and one search places people (kept-together blocks as one unit) into groups of
equal-as-possible sizes within the bounds. See grouping_search.py.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from facilitator.analysis import grouping_search as search
from facilitator.models.records import Participant
from facilitator.models.store import SessionError

METHODS = ("random", "mixed", "new-ties")
#: A keep-apart pair together costs more than any amount of repeated meetings.
APART_PENALTY = 1000.0
#: Swap-search restarts for the fast search (kept small enough for 200 people < 1 s).
DEFAULT_RESTARTS = 60

Pair = tuple[int, int]


def pair(a: int, b: int) -> Pair:
    """A pair of participant ids in a canonical order."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class History:
    """What people already share: groups of earlier rounds, and the interaction log."""

    shared: Mapping[Pair, int] = field(default_factory=dict)  # pair -> groups shared
    interacted: frozenset[Pair] = frozenset()


@dataclass(frozen=True)
class Constraints:
    min_size: int = 2
    max_size: int = 8
    keep_together: tuple[Pair, ...] = ()
    keep_apart: tuple[Pair, ...] = ()


@dataclass(frozen=True)
class Quality:
    """The figures a facilitator compares before applying a proposal."""

    sizes: tuple[int, ...]
    pairs: int                # pairs of people sharing a group in the proposal
    new_pairs: int            # ... who never shared a group nor interacted
    repeat_pairs: int         # ... who shared a group in an earlier round
    interacted_pairs: int     # ... who already interacted
    tag_diversity: dict[str, float]  # 1.0: every group as varied as the room allows
    apart_broken: int = 0     # keep-apart pairs put together (only when unavoidable)
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"sizes": list(self.sizes), "pairs": self.pairs, "new_pairs": self.new_pairs,
                "repeat_pairs": self.repeat_pairs, "interacted_pairs": self.interacted_pairs,
                "tag_diversity": self.tag_diversity, "apart_broken": self.apart_broken,
                "notes": list(self.notes)}


@dataclass(frozen=True)
class Proposal:
    method: str
    seed: int
    groups: tuple[tuple[int, ...], ...]  # participant ids, each group sorted
    quality: Quality


def group_sizes(count: int, size: int, min_size: int, max_size: int) -> list[int]:
    """Sizes as equal as possible, near `size` and within the bounds when the
    number of people allows it (else as near as it gets)."""
    if count <= 0:
        return []
    size = max(1, size)

    def sizes_for(k: int) -> list[int]:
        q, r = divmod(count, k)
        return [q + 1] * r + [q] * (k - r)

    candidates = sorted(range(1, count + 1), key=lambda k: (abs(count / k - size), -k))
    for k in candidates:
        sizes = sizes_for(k)
        if min(sizes) >= min_size and max(sizes) <= max_size:
            return sizes
    return sizes_for(candidates[0])


def _blocks(ids: Sequence[int], together: Iterable[Pair]) -> list[tuple[int, ...]]:
    """People linked by keep-together pairs become one block (union-find)."""
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in together:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    blocks: dict[int, list[int]] = {}
    for i in ids:
        blocks.setdefault(root(i), []).append(i)
    return [tuple(sorted(b)) for b in blocks.values()]


def pair_weights(method: str, people: Sequence[Participant], history: History,
                 by: Sequence[str] = ()) -> dict[Pair, float]:
    """How much each pair should not share a group, for a method (sparse)."""
    weights: dict[Pair, float] = {}
    if method == "new-ties":
        for p, count in history.shared.items():
            weights[p] = weights.get(p, 0.0) + count
        for p in history.interacted:
            weights[p] = weights.get(p, 0.0) + 1.0
    elif method == "mixed":
        for key in by:
            by_value: dict[str, list[int]] = {}
            for person in people:
                value = person.tags.get(key, "")
                if value:
                    by_value.setdefault(value.casefold(), []).append(person.id)
            for same in by_value.values():
                for i, a in enumerate(same):
                    for b in same[i + 1:]:
                        weights[pair(a, b)] = weights.get(pair(a, b), 0.0) + 1.0
    elif method != "random":
        raise SessionError(f"{method!r} is not a way to form groups; use one of {', '.join(METHODS)}.")
    return weights


def form_groups(people: Sequence[Participant], method: str, size: int, *,
                by: Sequence[str] = (), seed: int = 0, history: History | None = None,
                constraints: Constraints | None = None,
                restarts: int = DEFAULT_RESTARTS, reference: bool = False) -> Proposal:
    """Propose groups of present people by a method (random, mixed, new-ties).

    Absent people are left out; keep-together pairs land in one group; keep-apart
    pairs never share one unless the sizes leave no other way (then counted in
    quality.apart_broken). Deterministic for a given seed. With reference=True
    the long simulated annealing is used instead of the fast search (for the bench).
    """
    history = history or History()
    constraints = constraints or Constraints()
    if method == "mixed" and not by:
        raise SessionError("Mixing by tags needs at least one tag, e.g. --by organisation.")
    if constraints.min_size > constraints.max_size:
        raise SessionError(f"The smallest group size ({constraints.min_size}) is larger than"
                           f" the largest ({constraints.max_size}).")
    present = sorted((p for p in people if p.present), key=lambda p: p.id)
    ids = [p.id for p in present]
    id_set = set(ids)
    together = [pair(a, b) for a, b in constraints.keep_together if a in id_set and b in id_set]
    apart = {pair(a, b) for a, b in constraints.keep_apart if a in id_set and b in id_set}
    blocks = _blocks(ids, together)
    block_of = {pid: u for u, block in enumerate(blocks) for pid in block}
    for a, b in apart:
        if block_of[a] == block_of[b]:
            names = {p.id: p.name for p in present}
            raise SessionError(f"{names[a]} and {names[b]} are both kept together and kept apart;"
                               " drop one of the two rules.")
    weights = pair_weights(method, present, history, by)
    for p in apart:
        weights[p] = weights.get(p, 0.0) + APART_PENALTY
    unit_weights: search.UnitWeights = [dict() for _ in blocks]
    for (a, b), w in weights.items():
        if a not in block_of or b not in block_of:
            continue
        u, v = block_of[a], block_of[b]
        if u != v and w:
            unit_weights[u][v] = unit_weights[u].get(v, 0.0) + w
            unit_weights[v][u] = unit_weights[v].get(u, 0.0) + w
    sizes = group_sizes(len(ids), size, constraints.min_size, constraints.max_size)
    unit_sizes = [len(b) for b in blocks]
    low = min([constraints.min_size, *sizes]) if sizes else constraints.min_size
    high = max([constraints.max_size, *sizes]) if sizes else constraints.max_size
    if not ids:
        assign: list[int] = []
    elif reference:
        assign = search.anneal(unit_weights, unit_sizes, sizes, low, high, seed)
    elif method == "random":
        # Random means random: shuffle, then only repair keep-apart pairs.
        rng = random.Random(seed)
        assign = search.greedy([dict() for _ in blocks], unit_sizes, sizes, rng)
        if apart:
            layout = search.Layout(unit_weights, unit_sizes, assign, len(sizes))
            search.descend(layout, rng, low, high)
            assign = layout.assign
    else:
        assign = search.local_search(unit_weights, unit_sizes, sizes, low, high, seed, restarts)
    grouped: list[list[int]] = [[] for _ in sizes]
    for u, g in enumerate(assign):
        grouped[g].extend(blocks[u])
    groups = tuple(sorted((tuple(sorted(g)) for g in grouped if g), key=lambda g: g[0]))
    quality = measure(groups, present, history, by, constraints)
    return Proposal(method, seed, groups, quality)


def _within_pairs(groups: Iterable[Sequence[int]]) -> Iterable[Pair]:
    for group in groups:
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                yield (a, b)


def tag_diversity(groups: Sequence[Sequence[int]], people: Sequence[Participant],
                  keys: Sequence[str]) -> dict[str, float]:
    """Per tag: the mean, over groups, of distinct values in the group divided by
    the most it could hold (its size, or the number of values in the room)."""
    tags = {p.id: p.tags for p in people}
    out: dict[str, float] = {}
    for key in keys:
        room = {tags[i].get(key, "").casefold() for g in groups for i in g if i in tags}
        room.discard("")
        if not room or not groups:
            continue
        scores = []
        for group in groups:
            values = {tags[i].get(key, "").casefold() for i in group if i in tags} - {""}
            scores.append(len(values) / max(1, min(len(group), len(room))))
        out[key] = round(sum(scores) / len(scores), 3)
    return out


def measure(groups: Sequence[Sequence[int]], people: Sequence[Participant],
            history: History | None = None, by: Sequence[str] = (),
            constraints: Constraints | None = None) -> Quality:
    """The figures of a grouping (a proposal, or the groups a round really had)."""
    history = history or History()
    constraints = constraints or Constraints()
    pairs = list(_within_pairs(groups))
    repeat = sum(1 for p in pairs if history.shared.get(p, 0) > 0)
    interacted = sum(1 for p in pairs if p in history.interacted)
    new = sum(1 for p in pairs if history.shared.get(p, 0) == 0 and p not in history.interacted)
    apart = {pair(a, b) for a, b in constraints.keep_apart}
    broken = sum(1 for p in pairs if p in apart)
    keys = list(by) or sorted({k for p in people for k in p.tags})
    sizes = tuple(len(g) for g in groups)
    notes = []
    if sizes and (min(sizes) < constraints.min_size or max(sizes) > constraints.max_size):
        notes.append(f"Some groups fall outside {constraints.min_size} to {constraints.max_size}"
                     f" people: {len(people)} people cannot be split that way.")
    if broken:
        notes.append(f"{broken} keep-apart pair(s) had to share a group.")
    return Quality(sizes, len(pairs), new, repeat, interacted,
                   tag_diversity(groups, people, keys), broken, tuple(notes))

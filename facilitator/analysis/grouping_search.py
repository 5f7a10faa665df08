"""The search behind suggested groupings.

Every method is the same problem: place *units* (one person, or people kept
together) into groups of given sizes so that the sum of pair weights inside the
groups is as small as possible. A weight says how much a pair should NOT share a
group: 1 per earlier shared group (new ties), 1 per shared tag value (mixed),
a large penalty for a keep-apart pair (every method).

The fast search is a greedy construction followed by an iterated local search
over swaps; `anneal` is a long simulated annealing kept as the reference that
the fast search is measured against (bench and tests). Both are deterministic
for a given seed: budgets are counted in moves, never in seconds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

Unit = tuple[int, ...]
#: Sparse symmetric weights between units: WEIGHTS[u][v] for u != v, only non-zero.
UnitWeights = list[dict[int, float]]

EPS = 1e-9


class Layout:
    """Units assigned to groups, with S[u][g] = sum of weights from unit u to the
    units in group g kept up to date, so a swap is judged in O(1)."""

    def __init__(self, weights: UnitWeights, unit_sizes: Sequence[int], assign: list[int],
                 group_count: int):
        self.weights = weights
        self.unit_sizes = unit_sizes
        self.assign = assign
        self.k = group_count
        self.rebuild()

    def rebuild(self) -> None:
        k = self.k
        self.sums = [[0.0] * k for _ in self.assign]
        self.size = [0] * k
        for u, g in enumerate(self.assign):
            self.size[g] += self.unit_sizes[u]
            for v, w in self.weights[u].items():
                self.sums[v][g] += w

    def cost(self) -> float:
        return 0.5 * sum(self.sums[u][g] for u, g in enumerate(self.assign))

    def swap_delta(self, u: int, v: int) -> float:
        gu, gv = self.assign[u], self.assign[v]
        w = self.weights[u].get(v, 0.0)
        su, sv = self.sums[u], self.sums[v]
        return (su[gv] - w) + (sv[gu] - w) - su[gu] - sv[gv]

    def swap(self, u: int, v: int) -> None:
        gu, gv = self.assign[u], self.assign[v]
        for x, w in self.weights[u].items():
            row = self.sums[x]
            row[gu] -= w
            row[gv] += w
        for x, w in self.weights[v].items():
            row = self.sums[x]
            row[gv] -= w
            row[gu] += w
        self.assign[u], self.assign[v] = gv, gu
        du = self.unit_sizes[u] - self.unit_sizes[v]
        self.size[gu] -= du
        self.size[gv] += du

    def swap_keeps_bounds(self, u: int, v: int, low: int, high: int) -> bool:
        du = self.unit_sizes[u] - self.unit_sizes[v]
        if du == 0:
            return True
        gu, gv = self.assign[u], self.assign[v]
        return (low <= self.size[gu] - du <= high) and (low <= self.size[gv] + du <= high)


def greedy(weights: UnitWeights, unit_sizes: Sequence[int], capacities: Sequence[int],
           rng: random.Random) -> list[int]:
    """Place units one by one, biggest and most constrained first, each into the
    group where it adds the least weight (ties: most room left, then chance)."""
    order = list(range(len(unit_sizes)))
    rng.shuffle(order)
    order.sort(key=lambda u: (-unit_sizes[u], -sum(weights[u].values())))
    k = len(capacities)
    room = list(capacities)
    added = [[0.0] * k for _ in unit_sizes]  # weight unit u would add to group g
    assign = [-1] * len(unit_sizes)
    groups = list(range(k))
    for u in order:
        rng.shuffle(groups)
        fitting = [g for g in groups if room[g] >= unit_sizes[u]]
        if fitting:
            g = min(fitting, key=lambda g: (added[u][g], -room[g]))
        else:  # blocks too big for the sizes: overfill the roomiest group
            g = max(groups, key=lambda g: room[g])
        assign[u] = g
        room[g] -= unit_sizes[u]
        for v, w in weights[u].items():
            added[v][g] += w
    return assign


def descend(layout: Layout, rng: random.Random, low: int, high: int) -> None:
    """Swap pairs of units while some swap lowers the cost (first improvement).

    Only a unit with weight inside its own group can gain from a swap, so only
    those are tried as the first of the pair."""
    units = list(range(len(layout.assign)))
    # The inner loop is Layout.swap_delta written out (the same sum in the same
    # order, so the same choices): a method call per pair was most of the time.
    assign, sums, weights = layout.assign, layout.sums, layout.weights
    improved = True
    while improved:
        improved = False
        rng.shuffle(units)
        for u in units:
            gu = assign[u]
            su = sums[u]
            own = su[gu]
            if own <= EPS:
                continue
            wu = weights[u]
            best_v, best_delta = -1, -EPS
            for v in units:
                gv = assign[v]
                if gv == gu:
                    continue
                sv = sums[v]
                w = wu.get(v, 0.0)
                delta = (su[gv] - w) + (sv[gu] - w) - own - sv[gv]
                if delta < best_delta and layout.swap_keeps_bounds(u, v, low, high):
                    best_v, best_delta = v, delta
            if best_v >= 0:
                layout.swap(u, best_v)
                improved = True


def _random_swap(layout: Layout, rng: random.Random, low: int, high: int) -> bool:
    n = len(layout.assign)
    for _ in range(20):
        u, v = rng.randrange(n), rng.randrange(n)
        if layout.assign[u] != layout.assign[v] and layout.swap_keeps_bounds(u, v, low, high):
            layout.swap(u, v)
            return True
    return False


def _conflicted_kick(layout: Layout, rng: random.Random, low: int, high: int) -> None:
    """Move a unit that still has weight in its group to a random other group."""
    n = len(layout.assign)
    hot = [u for u in range(n) if layout.sums[u][layout.assign[u]] > EPS]
    if not hot:
        _random_swap(layout, rng, low, high)
        return
    u = rng.choice(hot)
    others = [v for v in range(n) if layout.assign[v] != layout.assign[u]
              and layout.swap_keeps_bounds(u, v, low, high)]
    if others:
        layout.swap(u, rng.choice(others))


def local_search(weights: UnitWeights, unit_sizes: Sequence[int], capacities: Sequence[int],
                 low: int, high: int, seed: int, restarts: int) -> list[int]:
    """Greedy start, then iterated local search: kick a few conflicted units,
    descend again, keep the result when it is no worse (plateaus are crossed)."""
    rng = random.Random(seed)
    k = len(capacities)
    layout = Layout(weights, unit_sizes, greedy(weights, unit_sizes, capacities, rng), k)
    if k < 2:
        return layout.assign
    descend(layout, rng, low, high)
    best_assign, best_cost = list(layout.assign), layout.cost()
    current_cost = best_cost
    # Each descent scans pairs of units: fewer restarts for big rooms keep 200 people < 1 s.
    restarts = max(10, min(restarts, 4000 // max(1, len(unit_sizes))))
    for step in range(restarts):
        if best_cost <= EPS:
            break
        saved = list(layout.assign)
        for _ in range(1 + step % 3):
            _conflicted_kick(layout, rng, low, high)
        descend(layout, rng, low, high)
        cost = layout.cost()
        if cost <= current_cost + EPS:
            current_cost = cost
            if cost < best_cost - EPS:
                best_assign, best_cost = list(layout.assign), cost
        else:
            layout.assign = saved
            layout.rebuild()
    return best_assign


def anneal(weights: UnitWeights, unit_sizes: Sequence[int], capacities: Sequence[int],
           low: int, high: int, seed: int, moves: int = 200_000,
           start: list[int] | None = None) -> list[int]:
    """The reference: a long simulated annealing over random swaps. Slow, thorough."""
    rng = random.Random(seed)
    k = len(capacities)
    assign = list(start) if start else greedy(weights, unit_sizes, capacities, rng)
    layout = Layout(weights, unit_sizes, assign, k)
    n = len(assign)
    if k < 2 or n < 2:
        return layout.assign
    cost = layout.cost()
    best, best_cost = list(layout.assign), cost
    t_start, t_end = 2.0, 0.02
    for i in range(moves):
        t = t_start * (t_end / t_start) ** (i / moves)
        u, v = rng.randrange(n), rng.randrange(n)
        if layout.assign[u] == layout.assign[v] or not layout.swap_keeps_bounds(u, v, low, high):
            continue
        delta = layout.swap_delta(u, v)
        if delta <= 0 or rng.random() < math.exp(-delta / t):
            layout.swap(u, v)
            cost += delta
            if cost < best_cost - EPS:
                best, best_cost = list(layout.assign), cost
    layout.assign = best
    layout.rebuild()
    descend(layout, rng, low, high)
    return layout.assign

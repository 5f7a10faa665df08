"""Where each person sits in the sociogram: a seeded networkx spring layout, updated
gently as ties appear so the room does not reshuffle.

Positions are in the unit square: x in [0, 1] left to right, y in [0, 1] top to
bottom. Connected people use y in [0, CONNECTED_BAND]; isolates wait in a row along
the bottom (Moreno's sociograms put them apart too), in roster order.

The result depends only on (nodes, ties, stored positions, seed), so two processes
that start from the same file compute the same picture. networkx and numpy are
imported inside the functions: the app does not pay for them at start-up.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence

Position = tuple[float, float]

CONNECTED_BAND = 0.86
ISOLATE_ROW = 1.0
#: A stored person moves at most this far (in unit-square terms) when ties change.
MAX_STEP = 0.06
FULL_ITERATIONS = 120
GENTLE_ITERATIONS = 12


_MASK = (1 << 64) - 1


def _mix(value: int) -> int:
    """splitmix64: spreads an integer over 64 bits, the same in every process
    (Python's own hash of tuples is salted per process for strings, and may change)."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


class NetworkFingerprint:
    """Who is in the network and who has a tie with whom, as a short string that is
    cheap to keep up to date: a sum of one mixed number per person and per tie, so a
    new tie adds one term instead of re-hashing thousands (the live screen redraws
    within a frame). The layout is recomputed only when it changes (not when a tie
    gets heavier)."""

    def __init__(self, node_ids: Iterable[int], pairs: Iterable[tuple[int, int]] = ()):
        nodes = set(node_ids)
        self.nodes = len(nodes)
        self.node_sum = sum(_mix(n) for n in nodes) & _MASK
        self.pairs: set[tuple[int, int]] = set()
        self.pair_sum = 0
        self.add_pairs(pairs)

    def add_pairs(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Count these ties (either order); ones already counted are ignored."""
        for a, b in pairs:
            pair = (min(a, b), max(a, b))
            if pair not in self.pairs:
                self.pairs.add(pair)
                self.pair_sum = (self.pair_sum + _mix((pair[0] << 32) ^ pair[1])) & _MASK

    @property
    def signature(self) -> str:
        return f"{self.nodes}.{len(self.pairs)}.{self.node_sum:016x}{self.pair_sum:016x}"


def layout_signature(node_ids: Iterable[int], pairs: Iterable[tuple[int, int]]) -> str:
    """A short fingerprint of who is in the network and who has a tie with whom."""
    return NetworkFingerprint(node_ids, pairs).signature


def _isolate_row(ids: Sequence[int]) -> dict[int, Position]:
    if not ids:
        return {}
    if len(ids) == 1:
        return {ids[0]: (0.5, ISOLATE_ROW)}
    return {pid: (i / (len(ids) - 1), ISOLATE_ROW) for i, pid in enumerate(ids)}


def _normalise(pos: dict[int, Position]) -> dict[int, Position]:
    """Stretch to fill [0, 1] x [0, CONNECTED_BAND]."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (x1 - x0) or 1.0
    sy = (y1 - y0) or 1.0
    return {pid: ((0.5 if x1 == x0 else (x - x0) / sx),
                  (0.5 * CONNECTED_BAND if y1 == y0 else (y - y0) / sy * CONNECTED_BAND))
            for pid, (x, y) in pos.items()}


def _principal_axis_horizontal(pos: dict[int, Position]) -> dict[int, Position]:
    """Rotate so the layout's long axis runs left-right: terminals are wide, and
    separate clusters then sit side by side. Sign fixed for determinism."""
    if len(pos) < 3:
        return pos
    cx = sum(p[0] for p in pos.values()) / len(pos)
    cy = sum(p[1] for p in pos.values()) / len(pos)
    sxx = sum((p[0] - cx) ** 2 for p in pos.values())
    syy = sum((p[1] - cy) ** 2 for p in pos.values())
    sxy = sum((p[0] - cx) * (p[1] - cy) for p in pos.values())
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    c, s = math.cos(-angle), math.sin(-angle)
    rotated = {pid: ((x - cx) * c - (y - cy) * s, (x - cx) * s + (y - cy) * c)
               for pid, (x, y) in pos.items()}
    # Lowest id on the left, so a mirror image never appears by chance.
    first = min(rotated)
    if rotated[first][0] > 0:
        rotated = {pid: (-x, y) for pid, (x, y) in rotated.items()}
    return rotated


def _graph(connected: Sequence[int], pairs: Iterable[tuple[int, int]]):
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(connected)
    graph.add_edges_from(sorted(pairs))
    return graph


def full_layout(node_ids: Sequence[int], pairs: set[tuple[int, int]],
                seed: int) -> dict[int, Position]:
    """A fresh layout from scratch (first time, or when most people are new)."""
    import networkx as nx

    nodes = sorted(node_ids)
    connected = sorted({u for pair in pairs for u in pair})
    isolates = [pid for pid in nodes if pid not in set(connected)]
    pos: dict[int, Position] = {}
    if connected:
        graph = _graph(connected, pairs)
        raw = nx.spring_layout(graph, seed=seed, iterations=FULL_ITERATIONS)
        pos = _normalise(_principal_axis_horizontal(
            {pid: (float(p[0]), float(p[1])) for pid, p in raw.items()}))
    pos.update(_isolate_row(isolates))
    return _rounded(pos)


def update_layout(node_ids: Sequence[int], pairs: set[tuple[int, int]],
                  stored: dict[int, Position], seed: int) -> dict[int, Position]:
    """The layout after ties changed, starting from the stored positions.

    People already placed move at most MAX_STEP; newcomers start next to the people
    they talk with. With no useful stored layout, a full layout is computed."""
    import networkx as nx

    nodes = sorted(node_ids)
    connected = sorted({u for pair in pairs for u in pair})
    connected_set = set(connected)
    placed = {pid: stored[pid] for pid in connected
              if pid in stored and stored[pid][1] <= CONNECTED_BAND + 1e-9}
    if len(placed) < max(2, len(connected) // 2):
        return full_layout(nodes, pairs, seed)
    isolates = [pid for pid in nodes if pid not in connected_set]
    rng = random.Random(seed)
    adjacency: dict[int, list[int]] = {pid: [] for pid in connected}
    for u, v in sorted(pairs):
        adjacency[u].append(v)
        adjacency[v].append(u)
    start: dict[int, Position] = dict(placed)
    for pid in connected:
        if pid in start:
            continue
        near = [placed[o] for o in adjacency[pid] if o in placed]
        jitter = (rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03))
        if near:
            cx = sum(p[0] for p in near) / len(near)
            cy = sum(p[1] for p in near) / len(near)
            start[pid] = (cx + jitter[0], cy + jitter[1])
        else:
            start[pid] = (rng.uniform(0.1, 0.9), rng.uniform(0.1, CONNECTED_BAND - 0.1))
    graph = _graph(connected, pairs)
    raw = nx.spring_layout(graph, pos={k: list(v) for k, v in start.items()}, seed=seed,
                           iterations=GENTLE_ITERATIONS)
    moved = _fit_to(placed, {pid: (float(p[0]), float(p[1])) for pid, p in raw.items()})
    out: dict[int, Position] = {}
    for pid in connected:
        x, y = moved[pid]
        if pid in placed:
            ox, oy = placed[pid]
            dx, dy = x - ox, y - oy
            length = math.hypot(dx, dy)
            if length > MAX_STEP:
                x, y = ox + dx * MAX_STEP / length, oy + dy * MAX_STEP / length
        out[pid] = (min(1.0, max(0.0, x)), min(CONNECTED_BAND, max(0.0, y)))
    out.update(_isolate_row(isolates))
    return _rounded(out)


def _rounded(pos: dict[int, Position]) -> dict[int, Position]:
    """Rounded as stored, so the process that computed a layout draws exactly what
    the others read back from the file."""
    return {pid: (round(x, 6), round(y, 6)) for pid, (x, y) in sorted(pos.items())}


def _fit_to(reference: dict[int, Position], pos: dict[int, Position]) -> dict[int, Position]:
    """Map pos back into the reference frame with a per-axis scale and shift fitted
    on the people both share (spring_layout rescales its output)."""
    common = sorted(set(reference) & set(pos))

    def axis(i: int) -> tuple[float, float]:
        xs = [pos[p][i] for p in common]
        ys = [reference[p][i] for p in common]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        var = sum((x - mx) ** 2 for x in xs)
        if var < 1e-12:
            return 1.0, my - mx
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var
        if slope <= 0:  # never mirror the room
            slope = (sum((y - my) ** 2 for y in ys) / var) ** 0.5 or 1.0
        return slope, my - slope * mx

    (ax, bx), (ay, by) = axis(0), axis(1)
    return {pid: (ax * x + bx, ay * y + by) for pid, (x, y) in pos.items()}

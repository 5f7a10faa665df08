"""Glue between the network's figures and its picture: who is drawn how, and what a
layout computation needs (pure: the stored layout is read and written by
facilitator.core.layout)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from facilitator.analysis.layout import layout_signature, update_layout
from facilitator.analysis.network import FormalGroup, NetworkData, Ties, group_of
from facilitator.analysis.sociogram import EdgeSpec, NodeSpec

Positions = dict[int, tuple[float, float]]


def short_labels(data: NetworkData) -> dict[int, str]:
    """First names where they are unique, else first name and initial, else full name."""
    first = {p.id: (p.name.split() or [p.code])[0] for p in data.people}
    counts: dict[str, int] = {}
    for name in first.values():
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    out = {}
    for person in data.people:
        label = first[person.id]
        if counts[label.lower()] > 1:
            words = person.name.split()
            label = f"{words[0]} {words[-1][0]}" if len(words) > 1 else person.name
        out[person.id] = label
    return out


def sociogram_specs(data: NetworkData, ties: Ties, groups: tuple[FormalGroup, ...] = (),
                    focus: int | None = None,
                    new_pairs: frozenset[tuple[int, int]] = frozenset(),
                    min_weight: int = 1) -> tuple[list[NodeSpec], list[EdgeSpec]]:
    """Nodes (most connected first, so they get the best label spots) and edges
    (one per tie; mutual when both addressed each other) for the renderer. Ties
    lighter than min_weight are left out of the picture (not of the marks: someone
    with only light ties is still drawn as having ties), except the focused person's."""
    nodes = node_specs(data, ties, groups, focus)
    edges = [edge_spec(ties, u, v, focus, new_pairs) for u, v in sorted(ties.pairs())]
    return nodes, [e for e in edges if shows(e, min_weight, focus)]


def shows(edge: EdgeSpec, min_weight: int, focus: int | None = None) -> bool:
    """Whether a tie is drawn at this threshold (a focused person's ties always are)."""
    return edge.weight >= min_weight or focus in (edge.source, edge.target)


#: More ties than this per person shown (an average of six ties each) and the picture
#: hides one-off ties by default: past that, lines merge into a grey mass.
BUSY_TIES_PER_PERSON = 3


def min_tie_weight(setting: int | None, ties: Ties) -> int:
    """The lightest tie drawn. setting None = automatic: one-off ties are hidden (2)
    when the picture would be busy, else every tie is drawn (1). The findings always
    count every tie."""
    if setting is not None:
        return setting
    return 2 if len(ties.pairs()) > BUSY_TIES_PER_PERSON * max(1, len(ties.node_ids)) else 1


def node_specs(data: NetworkData, ties: Ties, groups: tuple[FormalGroup, ...] = (),
               focus: int | None = None) -> list[NodeSpec]:
    """The people to draw, most connected first (they get the best label spots)."""
    labels = short_labels(data)
    group_index = group_of(groups)
    degree: dict[int, int] = {pid: 0 for pid in ties.node_ids}
    ego: set[int] = set()
    for u, v in ties.pairs():
        degree[u] = degree.get(u, 0) + 1
        degree[v] = degree.get(v, 0) + 1
        if u == focus:
            ego.add(v)
        elif v == focus:
            ego.add(u)

    def emphasis(pid: int) -> str:
        if focus is None:
            return ""
        return "focus" if pid == focus else ("ego" if pid in ego else "dim")

    order = sorted(ties.node_ids, key=lambda pid: (pid != focus, pid not in ego, -degree[pid], pid))
    return [NodeSpec(pid, labels.get(pid, str(pid)), data.person(pid).code,
                     group_index.get(pid), degree[pid] == 0, emphasis(pid)) for pid in order]


def edge_spec(ties: Ties, u: int, v: int, focus: int | None = None,
              new_pairs: frozenset[tuple[int, int]] = frozenset()) -> EdgeSpec:
    """The drawing of the tie between u < v: drawn from whoever addressed the other
    more; mutual when both did; without arrows when only undirected kinds (done
    together) link them. Its weight counts every entry once."""
    forward, back = ties.counts.get((u, v), 0), ties.counts.get((v, u), 0)
    source, target = (u, v) if forward >= back else (v, u)
    if focus is not None:
        mark = "ego" if focus in (u, v) else "dim"
    else:
        mark = "new" if (u, v) in new_pairs else ""
    return EdgeSpec(source, target, ties.weight(u, v), forward > 0 and back > 0, mark,
                    directed=forward + back > 0)


# ---------------------------------------------------------------- the shared layout
@dataclass(frozen=True)
class LayoutJob:
    """What a layout computation needs, read on the UI thread; plain data."""

    node_ids: tuple[int, ...]
    pairs: frozenset[tuple[int, int]]
    stored: Positions
    stored_signature: str | None
    seed: int
    known_signature: str | None = None  # when the caller keeps the fingerprint up to date

    @cached_property
    def signature(self) -> str:
        return self.known_signature or layout_signature(self.node_ids, self.pairs)

    @property
    def up_to_date(self) -> bool:
        return self.stored_signature == self.signature and all(
            pid in self.stored for pid in self.node_ids)

    def run(self) -> Positions:
        """The new positions (slow for big networks: call it in a worker)."""
        return update_layout(self.node_ids, set(self.pairs), self.stored, self.seed)


# ---------------------------------------------------------------- laying out afresh
@dataclass(frozen=True)
class Relayout:
    """Laying the network out afresh: a layout from scratch with the next seed (so
    each try gives another arrangement), and what to put back to undo it."""

    job: LayoutJob
    previous: Positions
    previous_signature: str | None
    previous_seed: int

"""The session's social network: who addressed whom, computed from log records.

Pure functions on records (the store is read by facilitator.core.network), in two
steps so the slow part can run off the UI thread:
- `tie_counts(data, filter)` keeps the entries a filter selects and counts ties;
- `analyse(data, ties)` computes the metrics with networkx (imported lazily: it
  costs 0.4 s, which the app does not pay at start-up).

Definitions, chosen so the figures agree with networkx on the same graph:
a *tie* links two people who interacted at least once, in either direction.
An entry of a directed kind (ask, answer...) counts once, from source to target;
an entry of an undirected kind (kinds.directed = 0: working in pairs) counts once
too, as one undirected interaction for both people, never as two directed ones.
degree = number of distinct people someone has a tie with; strength = the
interactions with people they took part in (the weighted degree); in/out degree
= distinct people who addressed them / whom they addressed (directed kinds);
betweenness is networkx's normalised betweenness on the undirected ties; density
is the share of possible pairs that have a tie; reciprocity is networkx's
reciprocity of the directed kinds only (an undirected kind has no direction to
return, so it would read as 100 %).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta
from statistics import mean, pstdev
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from facilitator.models.aggregates import CountRow

#: Seed for community detection and layout, so every process gets the same answer.
DEFAULT_SEED = 7
#: At most this many names in one list of the report's hubs and brokers.
MAX_LISTED = 5


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    code: str
    present: bool = True
    role: str = ""  # the participant's 'role' tag, e.g. 'facilitator'


@dataclass(frozen=True)
class LogEntry:
    """One live (not voided) pair interaction; target None = addressed to the group."""

    id: int
    at: str
    source_id: int
    target_id: int | None
    kind: str
    group_id: int | None
    round_id: int | None


@dataclass(frozen=True)
class FormalGroup:
    id: int
    name: str
    round_id: int | None
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class NetworkData:
    """A snapshot of everything the network view needs; plain data, thread-safe."""

    people: tuple[Person, ...]
    entries: tuple[LogEntry, ...]  # in time order
    kinds: tuple[tuple[str, str, bool], ...]  # (name, label, directed), pair kinds only
    rounds: tuple[tuple[int, str], ...]  # (id, name) in order
    groups: tuple[FormalGroup, ...]
    current_round_id: int | None = None

    def person(self, person_id: int) -> Person:
        return self._by_id()[person_id]

    def _by_id(self) -> dict[int, Person]:
        cache = self.__dict__.get("_people_by_id")
        if cache is None:
            cache = {p.id: p for p in self.people}
            object.__setattr__(self, "_people_by_id", cache)
        return cache

    def name(self, person_id: int) -> str:
        return self.person(person_id).name

    def undirected_kinds(self) -> frozenset[str]:
        return frozenset(name for name, _label, directed in self.kinds if not directed)


#: NetworkFilter.round_id for the entries typed while no round ran (round_id NULL
#: in the file); no round has this id.
BETWEEN_ROUNDS = 0
BETWEEN_ROUNDS_NAME = "between rounds"


@dataclass(frozen=True)
class NetworkFilter:
    """Which part of the log to look at. None everywhere = the whole session."""

    kinds: frozenset[str] | None = None
    round_id: int | None = None  # BETWEEN_ROUNDS: only entries typed between rounds
    group_id: int | None = None
    window_minutes: int | None = None  # only the last N minutes before `until`
    until: int | None = None  # replay: only the first N selected entries

    def with_(self, **changes: object) -> "NetworkFilter":
        return replace(self, **changes)  # type: ignore[arg-type]


def pair(u: int, v: int) -> tuple[int, int]:
    """An undirected pair as (smaller id, larger id)."""
    return (u, v) if u <= v else (v, u)


@dataclass(frozen=True)
class Ties:
    """Interaction counts between people, for one filter: directed kinds by
    (source, target), undirected kinds by pair (each entry once)."""

    node_ids: tuple[int, ...]
    counts: dict[tuple[int, int], int]  # directed kinds: (source, target) -> interactions
    entries: int  # how many log entries were counted
    to_group: Counter[int] = field(default_factory=Counter)  # spoke to the whole group
    last_at: str | None = None
    #: Undirected kinds: (smaller id, larger id) -> interactions done together.
    together: dict[tuple[int, int], int] = field(default_factory=dict)

    def pairs(self) -> frozenset[tuple[int, int]]:
        """Undirected ties as (smaller id, larger id), whatever the kinds; computed
        once (the counts of a Ties never change after it is made)."""
        cache = self.__dict__.get("_pairs")
        if cache is None:
            cache = frozenset(pair(u, v) for u, v in self.counts) | frozenset(self.together)
            object.__setattr__(self, "_pairs", cache)
        return cache

    def weight(self, u: int, v: int) -> int:
        """All interactions between two people: both directions and together."""
        return (self.counts.get((u, v), 0) + self.counts.get((v, u), 0)
                + self.together.get(pair(u, v), 0))


# ---------------------------------------------------------------- selecting entries
def selected_entries(data: NetworkData, flt: NetworkFilter) -> list[LogEntry]:
    """The entries a filter keeps by kind, round and group (before replay and window)."""
    group = next((g for g in data.groups if g.id == flt.group_id), None)
    members = set(group.member_ids) if group else set()
    out = []
    for entry in data.entries:
        if flt.kinds is not None and entry.kind not in flt.kinds:
            continue
        if flt.round_id is not None and entry.round_id != (
                None if flt.round_id == BETWEEN_ROUNDS else flt.round_id):
            continue
        if group is not None:
            # Logged in the group, or (when the log has no group) between its
            # members during the group's round.
            inside = entry.group_id == group.id or (
                entry.group_id is None and entry.source_id in members
                and (group.round_id is None or entry.round_id == group.round_id)
                and (entry.target_id is None or entry.target_id in members))
            if not inside:
                continue
        out.append(entry)
    return out


def _minus_minutes(at: str, minutes: int) -> str:
    from facilitator.models.rounds import parse_time

    start = parse_time(at) - timedelta(minutes=minutes)
    return start.isoformat(timespec="milliseconds")


def tie_counts(data: NetworkData, flt: NetworkFilter = NetworkFilter()) -> Ties:
    """Count interactions per (source, target) for the entries the filter keeps.

    Nodes are everyone on the roster (or the group's members plus whoever they
    talked with, when filtering by group), so isolates are visible."""
    entries = selected_entries(data, flt)
    if flt.until is not None:
        entries = entries[:max(0, flt.until)]
    last_at = entries[-1].at if entries else None
    if flt.window_minutes and last_at:
        start = _minus_minutes(last_at, flt.window_minutes)
        entries = [e for e in entries if e.at >= start]
    counts: Counter[tuple[int, int]] = Counter()
    to_group: Counter[int] = Counter()
    together: Counter[tuple[int, int]] = Counter()
    count_entries(entries, data.undirected_kinds(), counts, to_group, together)
    return Ties(_node_ids(data, flt, counts, together, to_group), dict(counts), len(entries),
                to_group, last_at, dict(together))


def ties_from_counts(data: NetworkData, rows: "Iterable[CountRow]",
                     flt: NetworkFilter = NetworkFilter(), last_at: str | None = None) -> Ties:
    """The same Ties as tie_counts, from the log counted in SQL (entries grouped by
    source, target and kind, already selected by the filter's kind, round and group;
    rows in EntryCount's order, as EntryCounts or plain tuples):
    what a log too long to hold in memory is analysed from. last_at: the latest
    selected entry's time, when the rows do not carry theirs. Replay and time windows
    need the entries themselves (tie_counts)."""
    if flt.until is not None or flt.window_minutes:
        raise ValueError("replay and time windows are counted from the entries")
    pair_kinds = {name for name, _label, _directed in data.kinds}
    undirected = data.undirected_kinds()
    counts: Counter[tuple[int, int]] = Counter()
    to_group: Counter[int] = Counter()
    together: Counter[tuple[int, int]] = Counter()
    entries = 0
    for source, target, kind, _round, n, at in rows:
        if source is None or kind not in pair_kinds:
            continue  # whole-group states are no tie
        entries += n
        if at is not None and (last_at is None or at > last_at):
            last_at = at
        if target is None:
            to_group[source] += n
        elif kind in undirected:
            together[pair(source, target)] += n
        else:
            counts[(source, target)] += n
    return Ties(_node_ids(data, flt, counts, together, to_group), dict(counts), entries,
                to_group, last_at, dict(together))


def _node_ids(data: NetworkData, flt: NetworkFilter, counts: Counter[tuple[int, int]],
              together: Counter[tuple[int, int]], to_group: Counter[int]) -> tuple[int, ...]:
    """Everyone on the roster, or for a group filter its members and whoever they
    talked with."""
    if flt.group_id is None:
        return tuple(p.id for p in data.people)
    group = next((g for g in data.groups if g.id == flt.group_id), None)
    ids = set(group.member_ids if group else ())
    ids |= {u for key in counts for u in key} | {u for key in together for u in key}
    ids |= set(to_group)
    return tuple(sorted(ids))


def count_entries(entries: list[LogEntry], undirected: frozenset[str],
                  counts: Counter[tuple[int, int]], to_group: Counter[int],
                  together: Counter[tuple[int, int]]) -> set[tuple[int, int]]:
    """Add entries to the tie counts; returns the undirected pairs they touched.

    A directed kind counts once from source to target; an undirected kind (a shared
    act: working in pairs) counts once for the pair, never once each way."""
    touched = set()
    for entry in entries:
        if entry.target_id is None:
            to_group[entry.source_id] += 1
            continue
        if entry.kind in undirected:
            together[pair(entry.source_id, entry.target_id)] += 1
        else:
            counts[(entry.source_id, entry.target_id)] += 1
        touched.add(pair(entry.source_id, entry.target_id))
    return touched


def round_name(data: NetworkData, round_id: int | None) -> str:
    """How a filter's round reads: its name, 'between rounds', or 'all'."""
    if round_id == BETWEEN_ROUNDS:
        return BETWEEN_ROUNDS_NAME
    return next((name for rid, name in data.rounds if rid == round_id), "all")


def round_choices(data: NetworkData) -> list[int | None]:
    """The round filter's choices in order: all, each round, then between rounds
    when some entries were typed while no round ran."""
    choices: list[int | None] = [None] + [rid for rid, _name in data.rounds]
    if any(entry.round_id is None for entry in data.entries):
        choices.append(BETWEEN_ROUNDS)
    return choices


def formal_grouping(data: NetworkData, round_id: int | None = None) -> tuple[FormalGroup, ...]:
    """The groups to compare the network with: those of the given round, else of the
    current round, else of the latest round that had groups."""
    for candidate in (round_id, data.current_round_id):
        if candidate is not None:
            found = tuple(g for g in data.groups if g.round_id == candidate and g.member_ids)
            if found:
                return found
    with_members = [g for g in data.groups if g.member_ids]
    if not with_members:
        return ()
    last_round = with_members[-1].round_id
    return tuple(g for g in with_members if g.round_id == last_round)


def group_of(groups: tuple[FormalGroup, ...]) -> dict[int, int]:
    """participant id -> index of their group in `groups` (for colours)."""
    out: dict[int, int] = {}
    for index, group in enumerate(groups):
        for pid in group.member_ids:
            out.setdefault(pid, index)
    return out


# ---------------------------------------------------------------- metrics
@dataclass(frozen=True)
class PersonFigures:
    id: int
    degree: int
    in_degree: int
    out_degree: int
    betweenness: float
    sent: int  # interactions of directed kinds this person started (to people)
    received: int  # interactions of directed kinds addressed to them
    to_group: int  # times they addressed the whole group
    community: int | None
    together: int = 0  # interactions of undirected kinds they took part in
    strength: int = 0  # sent + received + together: the weighted degree


@dataclass(frozen=True)
class NetworkAnalysis:
    node_ids: tuple[int, ...]
    ties: int  # undirected
    entries: int
    density: float
    reciprocity: float
    centralisation: float
    figures: dict[int, PersonFigures]
    isolates: tuple[int, ...]
    peripheral: tuple[int, ...]
    hubs: tuple[int, ...]
    brokers: tuple[int, ...]
    mutual_pairs: tuple[tuple[int, int], ...]
    communities: tuple[tuple[int, ...], ...]
    #: Directed ties (source addressed target, directed kinds): what reciprocity is of.
    directed_ties: int = 0


def undirected_graph(ties: Ties):  # -> nx.Graph
    """The ties as a networkx Graph (nodes in id order, weight = interactions of
    every kind, each entry once)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(ties.node_ids)
    graph.add_weighted_edges_from((u, v, ties.weight(u, v)) for u, v in sorted(ties.pairs()))
    return graph


def directed_graph(ties: Ties):  # -> nx.DiGraph
    """The directed kinds only, as a networkx DiGraph (weight = interactions)."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(ties.node_ids)
    for (u, v), count in sorted(ties.counts.items()):
        graph.add_edge(u, v, weight=count)
    return graph


def degree_centralisation(degrees: list[int]) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when everyone has as many ties."""
    n = len(degrees)
    if n < 3:
        return 0.0
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def _standouts(values: dict[int, float], minimum: float) -> list[int]:
    """Ids whose value is at least mean + one standard deviation (and > minimum),
    highest first; ties broken by id for determinism."""
    if not values:
        return []
    threshold = max(minimum, mean(values.values()) + pstdev(values.values()))
    chosen = [pid for pid, v in values.items() if v >= threshold and v > minimum]
    return sorted(chosen, key=lambda pid: (-values[pid], pid))[:MAX_LISTED]


#: Up to this many people betweenness is computed with numpy matrices (n x n, a few
#: MB); beyond, networkx's own loop (same figures, far slower, little memory).
MATRIX_BETWEENNESS_MAX = 1000


def betweenness_centrality(graph) -> dict[int, float]:  # type: ignore[no-untyped-def]
    """networkx's normalised betweenness of an undirected, unweighted graph (the same
    figures), by Brandes' algorithm run for every source at once on numpy matrices:
    at 200 people and 15,000 ties 0.1 s instead of networkx's 4 s."""
    nodes = list(graph)
    n = len(nodes)
    if n <= 2:
        return {pid: 0.0 for pid in nodes}
    if n > MATRIX_BETWEENNESS_MAX:
        import networkx as nx

        return nx.betweenness_centrality(graph)
    import numpy as np

    index = {pid: i for i, pid in enumerate(nodes)}
    adjacency = np.zeros((n, n))
    for u, v in graph.edges():
        if u != v:
            adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1.0
    # Breadth first from every source at once: row s is the search from s.
    sigma = np.eye(n)  # shortest paths from s to v
    seen = np.eye(n, dtype=bool)
    levels = [np.eye(n, dtype=bool)]  # levels[d][s, v]: v is d steps from s
    while True:
        reaching = (sigma * levels[-1]) @ adjacency
        new = (reaching > 0) & ~seen
        if not new.any():
            break
        sigma = np.where(new, reaching, sigma)
        seen |= new
        levels.append(new)
    # Dependencies accumulate from the farthest level back towards the source.
    delta = np.zeros((n, n))
    for d in range(len(levels) - 1, 0, -1):
        share = np.where(levels[d], (1.0 + delta) / np.where(levels[d], sigma, 1.0), 0.0)
        delta += np.where(levels[d - 1], sigma * (share @ adjacency), 0.0)
    np.fill_diagonal(delta, 0.0)
    totals = delta.sum(axis=0) / ((n - 1) * (n - 2))
    return {pid: float(totals[i]) for i, pid in enumerate(nodes)}


def analyse(data: NetworkData, ties: Ties, seed: int = DEFAULT_SEED) -> NetworkAnalysis:
    """All the network's figures for one set of ties (slow for big networks: run it
    in a worker thread)."""
    import networkx as nx

    ug = undirected_graph(ties)
    # The directed kinds' figures are counted from the ties (what networkx's DiGraph
    # degrees and reciprocity give, without building one: 0.4 s at 15,000 ties).
    in_degree: Counter[int] = Counter(v for _u, v in ties.counts)
    out_degree: Counter[int] = Counter(u for u, _v in ties.counts)
    directed_ties = len(ties.counts)
    one_way_or_both = len({pair(u, v) for u, v in ties.counts})
    reciprocity = 2 * (directed_ties - one_way_or_both) / directed_ties if directed_ties else 0.0
    n = ug.number_of_nodes()
    betweenness = betweenness_centrality(ug)
    tied = [pid for pid in ug if ug.degree(pid) > 0]
    # When everyone has a tie (a busy session), louvain runs on ug itself: the same
    # nodes and neighbours in the same order as the subgraph view, without the view's
    # filtered lookups (a third of louvain's time at 15,000 ties).
    connected = ug if len(tied) == n else ug.subgraph(tied)
    communities: list[tuple[int, ...]] = []
    if connected.number_of_edges():
        found = nx.community.louvain_communities(connected, weight="weight", seed=seed)
        communities = sorted((tuple(sorted(c)) for c in found), key=lambda c: (-len(c), c))
    community_of = {pid: index for index, c in enumerate(communities) for pid in c}
    sent: Counter[int] = Counter()
    received: Counter[int] = Counter()
    together: Counter[int] = Counter()
    for (u, v), count in ties.counts.items():
        sent[u] += count
        received[v] += count
    for (u, v), count in ties.together.items():
        together[u] += count
        together[v] += count
    figures = {
        pid: PersonFigures(pid, ug.degree(pid), in_degree[pid], out_degree[pid],
                           float(betweenness.get(pid, 0.0)), sent[pid], received[pid],
                           ties.to_group[pid], community_of.get(pid), together[pid],
                           sent[pid] + received[pid] + together[pid])
        for pid in ties.node_ids}
    degrees = {pid: float(f.degree) for pid, f in figures.items()}
    hubs = _standouts(degrees, minimum=1.0) if n > 2 else []
    brokers = _standouts({pid: f.betweenness for pid, f in figures.items()}, minimum=0.0)
    mutual = sorted(
        ((u, v) for (u, v) in ties.counts if u < v and (v, u) in ties.counts),
        key=lambda p: (-(ties.counts[p] + ties.counts[(p[1], p[0])]), p))
    return NetworkAnalysis(
        node_ids=ties.node_ids,
        ties=ug.number_of_edges(),
        entries=ties.entries,
        density=nx.density(ug) if n > 1 else 0.0,
        reciprocity=float(reciprocity),
        centralisation=degree_centralisation([ug.degree(pid) for pid in ug]),
        figures=figures,
        isolates=tuple(pid for pid in ties.node_ids if ug.degree(pid) == 0),
        peripheral=tuple(pid for pid in ties.node_ids if ug.degree(pid) == 1),
        hubs=tuple(hubs),
        brokers=tuple(brokers),
        mutual_pairs=tuple(mutual),
        communities=tuple(communities),
        directed_ties=directed_ties,
    )


def group_match(analysis: NetworkAnalysis, groups: tuple[FormalGroup, ...]) -> float | None:
    """How far clusters follow the formal groups: the share of grouped people whose
    cluster is mostly made of their own group (None when there is nothing to compare)."""
    index = group_of(groups)
    matched = total = 0
    for community in analysis.communities:
        grouped = [index[pid] for pid in community if pid in index]
        if not grouped:
            continue
        top = Counter(grouped).most_common(1)[0][1]
        matched += top
        total += len(grouped)
    return matched / total if total >= 4 else None


def neighbours(ties: Ties, person_id: int) -> list[tuple[int, int, int, int]]:
    """(other, interactions to them, interactions from them, done together) for a
    focused person, busiest first."""
    out: dict[int, list[int]] = {}
    for (u, v), count in ties.counts.items():
        if u == person_id:
            out.setdefault(v, [0, 0, 0])[0] += count
        elif v == person_id:
            out.setdefault(u, [0, 0, 0])[1] += count
    for (u, v), count in ties.together.items():
        if person_id in (u, v):
            out.setdefault(v if u == person_id else u, [0, 0, 0])[2] += count
    return sorted(((o, a, b, c) for o, (a, b, c) in out.items()),
                  key=lambda t: (-(t[1] + t[2] + t[3]), t[0]))

"""The session's social network: who addressed whom, read from the interaction log.

Three steps, so the slow part can run off the UI thread:
- `load_network(store)` reads a plain snapshot of the log (cheap indexed queries);
- `tie_counts(data, filter)` keeps the entries a filter selects and counts ties;
- `analyse(data, ties)` computes the metrics with networkx (imported lazily: it
  costs 0.4 s, which the app does not pay at start-up).

Definitions, chosen so the figures agree with networkx on the same graph:
a *tie* links two people who interacted at least once, in either direction.
degree = number of distinct people someone has a tie with; in/out degree =
distinct people who addressed them / whom they addressed; betweenness is
networkx's normalised betweenness on the undirected ties; density is the share
of possible pairs that have a tie; reciprocity is networkx's (directed) reciprocity.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta
from statistics import mean, pstdev

from facilitator.models.session import session_info
from facilitator.models.store import SessionStore

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


@dataclass(frozen=True)
class NetworkFilter:
    """Which part of the log to look at. None everywhere = the whole session."""

    kinds: frozenset[str] | None = None
    round_id: int | None = None
    group_id: int | None = None
    window_minutes: int | None = None  # only the last N minutes before `until`
    until: int | None = None  # replay: only the first N selected entries

    def with_(self, **changes: object) -> "NetworkFilter":
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Ties:
    """Directed interaction counts between people, for one filter."""

    node_ids: tuple[int, ...]
    counts: dict[tuple[int, int], int]  # (source, target) -> number of interactions
    entries: int  # how many log entries were counted
    to_group: Counter[int] = field(default_factory=Counter)  # spoke to the whole group
    last_at: str | None = None

    def pairs(self) -> frozenset[tuple[int, int]]:
        """Undirected ties as (smaller id, larger id); computed once (the counts of a
        Ties never change after it is made)."""
        cache = self.__dict__.get("_pairs")
        if cache is None:
            cache = frozenset((min(u, v), max(u, v)) for u, v in self.counts)
            object.__setattr__(self, "_pairs", cache)
        return cache


# ---------------------------------------------------------------- reading the log
def load_network(store: SessionStore) -> NetworkData:
    """Read the roster, the live pair interactions, kinds, rounds and groups."""
    entries = tuple(
        LogEntry(r["id"], r["at"], r["source_id"], r["target_id"], r["kind"], r["group_id"],
                 r["round_id"])
        for r in store.rows(
            "SELECT i.id, i.at, i.source_id, i.target_id, i.kind, i.group_id, i.round_id"
            " FROM interactions i JOIN kinds k ON k.name = i.kind"
            " WHERE i.voided_at IS NULL AND i.source_id IS NOT NULL AND k.scope = 'pair'"
            " ORDER BY i.at, i.id"))
    return replace(load_context(store), entries=entries)


def load_context(store: SessionStore) -> NetworkData:
    """Everything but the log (roster, kinds, rounds, groups): a few small tables,
    cheap to re-read whenever the file changes."""
    people = []
    for row in store.rows("SELECT id, name, code, present, tags FROM participants ORDER BY id"):
        try:
            tags = json.loads(row["tags"] or "{}")
        except ValueError:
            tags = {}
        role = str(tags.get("role", "")) if isinstance(tags, dict) else ""
        people.append(Person(row["id"], row["name"], row["code"], bool(row["present"]), role))
    kinds = tuple((r["name"], r["label"], bool(r["directed"])) for r in store.rows(
        "SELECT name, label, directed FROM kinds WHERE scope = 'pair' ORDER BY position"))
    rounds = tuple((r["id"], r["name"]) for r in store.rows(
        "SELECT id, name FROM rounds ORDER BY position"))
    members: dict[int, list[int]] = {}
    for r in store.rows("SELECT group_id, participant_id FROM current_members"
                        " ORDER BY group_id, participant_id"):
        members.setdefault(r[0], []).append(r[1])
    groups = tuple(
        FormalGroup(r["id"], r["name"], r["round_id"], tuple(members.get(r["id"], ())))
        for r in store.rows("SELECT id, name, round_id FROM groups WHERE voided_at IS NULL"
                            " ORDER BY id"))
    current = session_info(store).current_round_id
    return NetworkData(tuple(people), (), kinds, rounds, groups, current)


def selected_entries(data: NetworkData, flt: NetworkFilter) -> list[LogEntry]:
    """The entries a filter keeps by kind, round and group (before replay and window)."""
    group = next((g for g in data.groups if g.id == flt.group_id), None)
    members = set(group.member_ids) if group else set()
    out = []
    for entry in data.entries:
        if flt.kinds is not None and entry.kind not in flt.kinds:
            continue
        if flt.round_id is not None and entry.round_id != flt.round_id:
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
    count_entries(entries, data.undirected_kinds(), counts, to_group)
    if flt.group_id is not None:
        group = next((g for g in data.groups if g.id == flt.group_id), None)
        ids = set(group.member_ids if group else ())
        ids |= {u for pair in counts for u in pair} | set(to_group)
        node_ids = tuple(sorted(ids))
    else:
        node_ids = tuple(p.id for p in data.people)
    return Ties(node_ids, dict(counts), len(entries), to_group, last_at)


def count_entries(entries: list[LogEntry], undirected: frozenset[str],
                  counts: Counter[tuple[int, int]], to_group: Counter[int]) -> set[tuple[int, int]]:
    """Add entries to the tie counts; returns the directed pairs they touched."""
    touched = set()
    for entry in entries:
        if entry.target_id is None:
            to_group[entry.source_id] += 1
            continue
        counts[(entry.source_id, entry.target_id)] += 1
        touched.add((entry.source_id, entry.target_id))
        if entry.kind in undirected:  # a shared act counts for both people
            counts[(entry.target_id, entry.source_id)] += 1
            touched.add((entry.target_id, entry.source_id))
    return touched


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
    sent: int  # interactions this person started (to people)
    received: int
    to_group: int  # times they addressed the whole group
    community: int | None


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


def undirected_graph(ties: Ties):  # -> nx.Graph
    """The ties as a networkx Graph (nodes in id order, weight = interactions)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(ties.node_ids)
    for (u, v), count in sorted(ties.counts.items()):
        if graph.has_edge(u, v):
            graph[u][v]["weight"] += count
        else:
            graph.add_edge(u, v, weight=count)
    return graph


def directed_graph(ties: Ties):  # -> nx.DiGraph
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


def analyse(data: NetworkData, ties: Ties, seed: int = DEFAULT_SEED) -> NetworkAnalysis:
    """All the network's figures for one set of ties (slow for big networks: run it
    in a worker thread)."""
    import networkx as nx

    ug = undirected_graph(ties)
    dg = directed_graph(ties)
    n = ug.number_of_nodes()
    betweenness = nx.betweenness_centrality(ug) if n > 2 else {pid: 0.0 for pid in ug}
    connected = ug.subgraph([pid for pid in ug if ug.degree(pid) > 0])
    communities: list[tuple[int, ...]] = []
    if connected.number_of_edges():
        found = nx.community.louvain_communities(connected, weight="weight", seed=seed)
        communities = sorted((tuple(sorted(c)) for c in found), key=lambda c: (-len(c), c))
    community_of = {pid: index for index, c in enumerate(communities) for pid in c}
    sent: Counter[int] = Counter()
    received: Counter[int] = Counter()
    for (u, v), count in ties.counts.items():
        sent[u] += count
        received[v] += count
    figures = {
        pid: PersonFigures(pid, ug.degree(pid), dg.in_degree(pid), dg.out_degree(pid),
                           float(betweenness.get(pid, 0.0)), sent[pid], received[pid],
                           ties.to_group[pid], community_of.get(pid))
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
        reciprocity=float(nx.reciprocity(dg)) if dg.number_of_edges() else 0.0,
        centralisation=degree_centralisation([ug.degree(pid) for pid in ug]),
        figures=figures,
        isolates=tuple(pid for pid in ties.node_ids if ug.degree(pid) == 0),
        peripheral=tuple(pid for pid in ties.node_ids if ug.degree(pid) == 1),
        hubs=tuple(hubs),
        brokers=tuple(brokers),
        mutual_pairs=tuple(mutual),
        communities=tuple(communities),
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


def neighbours(ties: Ties, person_id: int) -> list[tuple[int, int, int]]:
    """(other, interactions to them, interactions from them) for a focused person,
    busiest first."""
    out: dict[int, list[int]] = {}
    for (u, v), count in ties.counts.items():
        if u == person_id:
            out.setdefault(v, [0, 0])[0] += count
        elif v == person_id:
            out.setdefault(u, [0, 0])[1] += count
    return sorted(((o, a, b) for o, (a, b) in out.items()), key=lambda t: (-(t[1] + t[2]), t[0]))

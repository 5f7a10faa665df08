"""The network's figures agree with networkx on real social networks loaded through
`facilitator import`, and the filters keep what a facilitator asks for."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from facilitator.analysis.network import NetworkFilter, analyse, tie_counts
from facilitator.core.network import load_network
from facilitator.analysis.network_findings import findings, suggest_introductions
from facilitator.models.groups import create_group
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import find_participant
from facilitator.models.rounds import add_round
from facilitator.models.store import SessionStore
from tests.network_helpers import load_graph_session

GRAPHS = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "davis": nx.davis_southern_women_graph,
}


@pytest.fixture(params=sorted(GRAPHS))
def real_network(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    graph = nx.Graph(GRAPHS[request.param]())
    path, names = load_graph_session(tmp_path, request.param, graph)
    with SessionStore.open(path) as store:
        data = load_network(store)
    by_name = {p.name: p.id for p in data.people}
    ids = {node: by_name[names[node]] for node in graph}
    yield graph, data, ids


def test_figures_agree_with_networkx(real_network) -> None:  # type: ignore[no-untyped-def]
    graph, data, ids = real_network
    ties = tie_counts(data)
    analysis = analyse(data, ties)
    assert analysis.ties == graph.number_of_edges()
    assert analysis.density == pytest.approx(nx.density(graph))
    expected_betweenness = nx.betweenness_centrality(graph)
    for node, pid in ids.items():
        figures = analysis.figures[pid]
        assert figures.degree == graph.degree(node), node
        assert figures.in_degree + figures.out_degree == graph.degree(node), node
        assert figures.betweenness == pytest.approx(expected_betweenness[node], abs=1e-9), node
    assert sorted(analysis.isolates) == sorted(ids[n] for n in nx.isolates(graph))
    # Each tie was logged one way only, so nothing is reciprocated.
    assert analysis.reciprocity == 0.0


def test_brokers_are_the_highest_betweenness_first(real_network) -> None:  # type: ignore[no-untyped-def]
    graph, data, ids = real_network
    analysis = analyse(data, tie_counts(data))
    ranked = sorted(nx.betweenness_centrality(graph).items(), key=lambda kv: -kv[1])
    assert analysis.brokers[0] == ids[ranked[0][0]]
    values = [analysis.figures[pid].betweenness for pid in analysis.brokers]
    assert values == sorted(values, reverse=True)
    top_degree = max(d for _n, d in graph.degree())
    assert analysis.figures[analysis.hubs[0]].degree == top_degree


def test_communities_partition_the_network_as_well_as_networkx(real_network) -> None:  # type: ignore[no-untyped-def]
    graph, data, ids = real_network
    analysis = analyse(data, tie_counts(data))
    node_of = {pid: node for node, pid in ids.items()}
    ours = [{node_of[pid] for pid in community} for community in analysis.communities]
    connected = {n for n in graph if graph.degree(n)}
    assert set().union(*ours) == connected
    assert sum(len(c) for c in ours) == len(connected)  # a partition: no one twice
    theirs = nx.community.louvain_communities(graph.subgraph(connected), seed=7)
    ours_q = nx.community.modularity(graph.subgraph(connected), ours)
    theirs_q = nx.community.modularity(graph.subgraph(connected), theirs)
    assert ours_q == pytest.approx(theirs_q, abs=0.05)
    assert ours_q > 0.2


def test_reciprocity_matches_networkx_on_a_directed_log(tmp_path: Path) -> None:
    digraph = nx.gnp_random_graph(15, 0.25, seed=3, directed=True)
    path, names = load_graph_session(tmp_path, "directed", digraph)
    with SessionStore.open(path) as store:
        data = load_network(store)
    analysis = analyse(data, tie_counts(data))
    assert analysis.reciprocity == pytest.approx(nx.reciprocity(digraph))
    by_name = {p.name: p.id for p in data.people}
    for node in digraph:
        figures = analysis.figures[by_name[names[node]]]
        assert figures.in_degree == digraph.in_degree(node)
        assert figures.out_degree == digraph.out_degree(node)
    mutual = {(min(u, v), max(u, v)) for u, v in digraph.edges() if digraph.has_edge(v, u)}
    assert len(analysis.mutual_pairs) == len(mutual)


def test_findings_name_isolates_hubs_and_brokers(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        ana, bob, cleo = (find_participant(store, n) for n in ("al", "bs", "cd"))
        for target in (bob, cleo):
            log_interaction(store, "speak", ana, target)
        log_interaction(store, "answer", bob, ana)
        data = load_network(store)
    ties = tie_counts(data)
    analysis = analyse(data, ties)
    text = " ".join(findings(data, analysis, ties))
    assert "Isolated: Dev Patel has no tie" in text
    assert "Brokers: Ana Lopez" in text
    assert "Mutual pairs: Ana Lopez and Bob Smith" in text
    assert "Hubs: Ana Lopez" in text
    assert "On the edge: Bob Smith and Cleo Diaz" in text
    assert "Reciprocity 67%" in text  # 2 of the 3 directed ties are answered
    assert analysis.reciprocity == pytest.approx(nx.reciprocity(nx.DiGraph(
        [(1, 2), (1, 3), (2, 1)])))


def test_suggested_introductions_cross_clusters_without_a_tie(real_network) -> None:  # type: ignore[no-untyped-def]
    _graph, data, _ids = real_network
    ties = tie_counts(data)
    analysis = analyse(data, ties)
    pairs = suggest_introductions(analysis, ties)
    assert pairs
    tied = ties.pairs()
    for u, v in pairs:
        assert (min(u, v), max(u, v)) not in tied
        cu, cv = analysis.figures[u].community, analysis.figures[v].community
        assert cu is None or cv is None or cu != cv
    people = [pid for pair in pairs for pid in pair]
    assert len(people) == len(set(people))  # nobody is introduced twice at once


def test_filters_by_kind_round_group_window_and_replay(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        ana, bob, cleo, dev = (find_participant(store, n) for n in ("al", "bs", "cd", "dp"))
        first = add_round(store, "First")
        second = add_round(store, "Second")
        group = create_group(store, "Soil", second.id, [ana.id, bob.id])
        log_interaction(store, "speak", ana, bob, round_id=first.id, at="2025-05-01T09:00:00.000+00:00")
        log_interaction(store, "ask", cleo, dev, round_id=first.id, at="2025-05-01T09:10:00.000+00:00")
        log_interaction(store, "ask", bob, ana, round_id=second.id, group_id=group.id,
                        at="2025-05-01T09:40:00.000+00:00")
        log_interaction(store, "speak", ana, None, round_id=second.id,
                        at="2025-05-01T09:41:00.000+00:00")
        data = load_network(store)
    whole = tie_counts(data)
    assert whole.counts == {(ana.id, bob.id): 1, (cleo.id, dev.id): 1, (bob.id, ana.id): 1}
    assert whole.to_group[ana.id] == 1
    assert tie_counts(data, NetworkFilter(kinds=frozenset({"ask"}))).pairs() == {
        (ana.id, bob.id), (cleo.id, dev.id)}
    assert tie_counts(data, NetworkFilter(round_id=first.id)).pairs() == {
        (ana.id, bob.id), (cleo.id, dev.id)}
    in_group = tie_counts(data, NetworkFilter(group_id=group.id))
    assert in_group.counts == {(bob.id, ana.id): 1}
    assert set(in_group.node_ids) == {ana.id, bob.id}
    recent = tie_counts(data, NetworkFilter(window_minutes=15))
    assert recent.counts == {(bob.id, ana.id): 1}
    replay = tie_counts(data, NetworkFilter(until=1))
    assert replay.counts == {(ana.id, bob.id): 1} and replay.entries == 1
    assert tie_counts(data, NetworkFilter(until=0)).counts == {}


def test_voided_interactions_do_not_count(small_session: Path) -> None:
    from facilitator.models.interactions import void_interaction

    with SessionStore.open(small_session) as store:
        ana, bob = find_participant(store, "al"), find_participant(store, "bs")
        entry = log_interaction(store, "speak", ana, bob)
        void_interaction(store, entry.id)
        data = load_network(store)
    assert tie_counts(data).counts == {}

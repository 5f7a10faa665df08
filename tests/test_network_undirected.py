"""Undirected kinds (kinds.directed = 0: 'worked in a pair with') count once per
entry, for both people, in the network, the picture and the report; reciprocity
is computed over the directed kinds only. Checked against networkx on a real
network (Zachary's karate club) logged with a mix of kinds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from facilitator.analysis.network import NetworkFilter, analyse, tie_counts
from facilitator.analysis.network_findings import findings
from facilitator.analysis.network_view import edge_spec
from facilitator.analysis.sociogram import ARROWS
from facilitator.core.layout import render_network
from facilitator.core.network import load_network
from facilitator.models.store import SessionStore
from tests.network_helpers import run

TEMPLATE = """\
title: Pairs and talk
codebook:
  - {name: speak, key: s, label: spoke to, turn: true}
  - {name: ask, key: a, label: asked}
  - {name: pair-work, key: p, label: worked in a pair with, directed: false}
"""


def mixed_session(tmp_path: Path, log: list[tuple[str, str, str]], people: list[str]) -> Path:
    """A session with one undirected kind, its roster and log loaded by the CLI."""
    template = tmp_path / "pairs.yaml"
    template.write_text(TEMPLATE, encoding="utf-8")
    roster = tmp_path / "people.csv"
    with open(roster, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name"])
        writer.writerows([name] for name in people)
    entries = tmp_path / "log.csv"
    with open(entries, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "kind", "timestamp", "note"])
        for minute, (source, target, kind) in enumerate(log):
            writer.writerow([source, target, kind,
                             f"2025-05-01T09:{minute // 60:02d}:{minute % 60:02d}+00:00", ""])
    path = tmp_path / "pairs.db"
    run("new", str(path), "--template", str(template))
    run("roster", str(path), "--import", str(roster))
    if log:
        run("import", str(path), str(entries))
    return path


@pytest.fixture
def karate(tmp_path: Path) -> tuple[Path, dict[str, int], nx.Graph, nx.DiGraph]:
    """The karate club, each edge logged as pair work (every third), else as a
    speaking turn, some answered with a question back, some pairs both."""
    graph = nx.karate_club_graph()
    name = {node: f"K{node:02d}" for node in graph}
    log: list[tuple[str, str, str]] = []
    expected_ug, expected_dg = nx.Graph(), nx.DiGraph()
    expected_ug.add_nodes_from(name.values())
    expected_dg.add_nodes_from(name.values())

    def add(u: str, v: str, kind: str) -> None:
        log.append((u, v, kind))
        weight = expected_ug.get_edge_data(u, v, {"weight": 0})["weight"]
        expected_ug.add_edge(u, v, weight=weight + 1)
        if kind != "pair-work":
            expected_dg.add_edge(u, v)

    for index, (a, b) in enumerate(graph.edges()):
        u, v = name[a], name[b]
        if index % 3 == 0:
            add(u, v, "pair-work")
            if index % 2 == 0:
                add(v, u, "pair-work")  # they paired twice: weight 2, still no direction
        else:
            add(u, v, "speak")
            if index % 4 == 1:
                add(v, u, "ask")  # answered: a mutual directed tie
            if index % 5 == 2:
                add(u, v, "pair-work")  # and they also worked together
    path = mixed_session(tmp_path, log, list(name.values()))
    return path, {n: i for i, n in enumerate(name.values())}, expected_ug, expected_dg


def test_mixed_kinds_agree_with_networkx(karate) -> None:  # type: ignore[no-untyped-def]
    path, _index, ug, dg = karate
    with SessionStore.open(path, read_only=True) as store:
        data = load_network(store)
    ties = tie_counts(data)
    analysis = analyse(data, ties)
    by_name = {data.name(pid): figures for pid, figures in analysis.figures.items()}
    assert analysis.ties == ug.number_of_edges()
    assert analysis.density == pytest.approx(nx.density(ug))
    assert analysis.directed_ties == dg.number_of_edges()
    assert analysis.reciprocity == pytest.approx(nx.reciprocity(dg))
    assert analysis.reciprocity < 1.0
    betweenness = nx.betweenness_centrality(ug)
    for person in ug:
        figures = by_name[person]
        assert figures.degree == ug.degree(person), person
        assert figures.strength == ug.degree(person, weight="weight"), person
        assert figures.in_degree == dg.in_degree(person), person
        assert figures.out_degree == dg.out_degree(person), person
        assert figures.betweenness == pytest.approx(betweenness[person]), person
    # Every entry counted exactly once, whatever its kind.
    assert ties.entries == sum(w for _u, _v, w in ug.edges(data="weight"))
    assert sum(f.strength for f in analysis.figures.values()) == 2 * ties.entries


def test_the_report_counts_each_undirected_entry_once(karate) -> None:  # type: ignore[no-untyped-def]
    path, _index, ug, dg = karate
    report = json.loads(run("report", str(path), "--json"))
    network = report["network"]
    assert network["ties"] == ug.number_of_edges()
    assert network["reciprocity"] == pytest.approx(nx.reciprocity(dg), abs=1e-6)
    people = {p["name"]: p for p in report["participants"]}
    for person in ug:
        assert people[person]["degree"] == ug.degree(person)
        assert people[person]["strength"] == ug.degree(person, weight="weight")


def test_pair_work_alone_is_no_reciprocity_and_draws_no_arrow(tmp_path: Path) -> None:
    path = mixed_session(tmp_path, [("Ana", "Bo", "pair-work"), ("Bo", "Cy", "pair-work")],
                         ["Ana", "Bo", "Cy", "Di"])
    with SessionStore.open(path) as store:
        data = load_network(store)
        ties = tie_counts(data)
        analysis = analyse(data, ties)
        picture = render_network(store, data, NetworkFilter(), 60, 12)
    ana, bo = (next(p.id for p in data.people if p.name == n) for n in ("Ana", "Bo"))
    # One entry, one undirected tie of weight 1 (it used to count one each way).
    assert ties.counts == {} and ties.weight(ana, bo) == 1
    spec = edge_spec(ties, min(ana, bo), max(ana, bo))
    assert (spec.weight, spec.mutual, spec.directed) == (1, False, False)
    assert analysis.reciprocity == 0.0 and analysis.mutual_pairs == ()
    assert analysis.figures[bo].strength == 2 and analysis.figures[bo].degree == 2
    text = "\n".join(findings(data, analysis, ties))
    assert "Reciprocity" not in text  # no directed tie: nothing to go back
    assert "2 interactions made 2 ties" in text
    assert not any(arrow in picture.text() for arrow in ARROWS)


def test_a_spoken_tie_still_has_its_arrow(tmp_path: Path) -> None:
    path = mixed_session(tmp_path, [("Ana", "Bo", "speak"), ("Ana", "Bo", "pair-work")],
                         ["Ana", "Bo"])
    with SessionStore.open(path) as store:
        data = load_network(store)
        picture = render_network(store, data, NetworkFilter(), 40, 8)
    ties = tie_counts(data)
    ana, bo = sorted(p.id for p in data.people)
    spec = edge_spec(ties, ana, bo)
    assert (spec.weight, spec.directed) == (2, True)
    assert any(arrow in picture.text() for arrow in ARROWS)


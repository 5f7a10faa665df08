"""The report's `network` section: the network's figures and findings, and each
participant's degree, betweenness and strength."""

from __future__ import annotations

from typing import Any

from facilitator.analysis.network import analyse, formal_grouping, group_match, tie_counts
from facilitator.analysis.network_findings import findings, suggest_introductions
from facilitator.core.network import load_network
from facilitator.models.store import SessionStore


def network_section(store: SessionStore, report: dict[str, Any]) -> None:
    """The report's `network` section, and each participant's figures. Each entry
    counts once (an undirected kind once for both people); reciprocity is over
    directed kinds only."""
    data = load_network(store)
    ties = tie_counts(data)
    analysis = analyse(data, ties)
    groups = formal_grouping(data)
    name = data.name

    def names(ids: tuple[int, ...]) -> list[str]:
        return [name(pid) for pid in ids]

    match = group_match(analysis, groups)
    report["network"] = {
        "people": len(analysis.node_ids),
        "ties": analysis.ties,
        "density": round(analysis.density, 6),
        "reciprocity": round(analysis.reciprocity, 6),
        "directed_ties": analysis.directed_ties,
        "centralisation": round(analysis.centralisation, 6),
        "isolates": names(analysis.isolates),
        "peripheral": names(analysis.peripheral),
        "hubs": names(analysis.hubs),
        "brokers": names(analysis.brokers),
        "mutual_pairs": [[name(u), name(v)] for u, v in analysis.mutual_pairs],
        "communities": [names(c) for c in analysis.communities],
        "communities_match_groups": None if match is None else round(match, 4),
        "suggested_introductions": [[name(u), name(v)]
                                    for u, v in suggest_introductions(analysis, ties)],
        "findings": findings(data, analysis, ties, groups),
    }
    by_name = {name(pid): f for pid, f in analysis.figures.items()}
    for entry in report.get("participants", []):
        figures = by_name.get(entry.get("name"))
        if figures is None:
            continue
        entry["degree"] = figures.degree
        entry["in_degree"] = figures.in_degree
        entry["out_degree"] = figures.out_degree
        entry["betweenness"] = round(figures.betweenness, 6)
        entry["strength"] = figures.strength
        entry["together"] = figures.together

"""The report's `network` section, and the network `facilitator network` draws, both
from the log counted in SQL (facilitator.models.aggregates): a session of a million
entries is analysed from its tie counts, never from its entries held in memory.

`counted_network(store, flt)` is that read: the roster, kinds, rounds and groups, and
the Ties of a filter (kind, round, group; not replay or time windows, which need the
entries and are the live screen's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from facilitator.analysis.network import (
    BETWEEN_ROUNDS, NetworkData, NetworkFilter, Ties, analyse, formal_grouping, group_match,
    ties_from_counts)
from facilitator.analysis.network_findings import findings, suggest_introductions
from facilitator.analysis.sociogram import Sociogram
from facilitator.core.network import load_context, resolve_filter
from facilitator.core.report_counts import session_counts
from facilitator.models.aggregates import GroupScope, entry_counts, latest_pair_entry
from facilitator.models.store import SessionStore


def counted_network(store: SessionStore, flt: NetworkFilter = NetworkFilter(),
                    data: NetworkData | None = None) -> tuple[NetworkData, Ties]:
    """The network's context (no entries) and the Ties a filter selects, counted in SQL."""
    data = data if data is not None else load_context(store)
    if flt == NetworkFilter():
        # The whole session's counts carry no times (MAX(at) would cost them a third
        # more); its latest entry is read on its own, in the same snapshot.
        with store.reading():
            rows = session_counts(store)
            last_at = latest_pair_entry(store, [name for name, _label, _directed in data.kinds])
        return data, ties_from_counts(data, rows.rows(), last_at=last_at)
    group = next((g for g in data.groups if g.id == flt.group_id), None)
    rows = entry_counts(
        store,
        round_id=None if flt.round_id == BETWEEN_ROUNDS else flt.round_id,
        between_rounds=flt.round_id == BETWEEN_ROUNDS,
        kinds=flt.kinds,
        group=None if group is None else GroupScope(group.id, group.member_ids, group.round_id),
        latest=True)
    return data, ties_from_counts(data, rows, flt)


def network_section(store: SessionStore, report: dict[str, Any]) -> None:
    """The report's `network` section, and each participant's figures. Each entry
    counts once (an undirected kind once for both people); reciprocity is over
    directed kinds only."""
    data, ties = counted_network(store)
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


@dataclass(frozen=True)
class CountedPicture:
    """What `facilitator network` prints: the drawing, the groups' marks, findings."""

    picture: Sociogram
    groups: tuple[Any, ...]
    findings: list[str]


def counted_picture(store: SessionStore, width: int, height: int, *,
                    round_text: str | None = None, kind_text: str | None = None,
                    group_text: str | None = None, focus_text: str | None = None,
                    group_marks: bool = False,
                    writer: "Callable[[], SessionStore] | None" = None) -> CountedPicture:
    """`facilitator network`: the picture for the filters a user typed, drawn with the
    shared layout (brought up to date and stored if it had to be), and what it means;
    all from the log counted in SQL. writer: opens the store a new layout is stored
    through (only when one must be), when `store` is read-only."""
    from facilitator.analysis.network_view import LayoutJob, sociogram_specs
    from facilitator.analysis.sociogram import render_sociogram
    from facilitator.analysis.network import DEFAULT_SEED
    from facilitator.core.layout import save_job
    from facilitator.models.layout import layout_seed, stored_layout
    from facilitator.models.roster import find_participant

    data = load_context(store)
    flt = resolve_filter(data, round_text, kind_text, group_text)
    focus = find_participant(store, focus_text).id if focus_text else None
    # The layout follows the whole session's ties, whatever the filter.
    _data, whole = counted_network(store, NetworkFilter(), data)
    stored, signature = stored_layout(store)
    job = LayoutJob(whole.node_ids, frozenset(whole.pairs()), stored, signature,
                    layout_seed(store, DEFAULT_SEED))
    if job.up_to_date:
        positions = job.stored
    elif writer is None:
        positions = save_job(store, job, job.run())
    else:
        laid_out = job.run()
        with writer() as writing:
            positions = save_job(writing, job, laid_out)
    ties = whole if flt == NetworkFilter() else counted_network(store, flt, data)[1]
    groups = formal_grouping(data, flt.round_id)
    nodes, edges = sociogram_specs(data, ties, groups, focus)
    picture = render_sociogram(nodes, edges, positions, width, height, group_marks=group_marks)
    return CountedPicture(picture, groups, findings(data, analyse(data, ties), ties, groups))

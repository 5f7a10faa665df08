"""What the network means, said plainly and naming people (for the facilitator as
analyst), and who to introduce to whom next (for the facilitator as catalyst)."""

from __future__ import annotations

from facilitator.analysis.network import (
    FormalGroup, NetworkAnalysis, NetworkData, Ties, group_match)

MAX_NAMES = 4
MAX_INTRODUCTIONS = 5


def name_list(names: list[str], limit: int = MAX_NAMES) -> str:
    """'Ana', 'Ana and Bo', 'Ana, Bo and Cy', 'Ana, Bo, Cy, Di and 3 others'."""
    if not names:
        return ""
    if len(names) > limit:
        rest = len(names) - limit
        return ", ".join(names[:limit]) + f" and {rest} other{'s' if rest > 1 else ''}"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def suggest_introductions(analysis: NetworkAnalysis, ties: Ties,
                          limit: int = MAX_INTRODUCTIONS) -> list[tuple[int, int]]:
    """Pairs in different clusters (isolates count as a cluster of their own) with no
    tie yet. The least connected people go first, each paired with the best-connected
    free person of another cluster, so the introduction pulls them into the network."""
    figures = analysis.figures
    if len(figures) < 2:
        return []
    tied = ties.pairs()
    community = {pid: f.community if f.community is not None else -1 - pid
                 for pid, f in figures.items()}
    by_need = sorted(figures, key=lambda pid: (figures[pid].degree, pid))
    by_reach = sorted(figures, key=lambda pid: (-figures[pid].degree, -figures[pid].betweenness, pid))
    used: set[int] = set()
    out: list[tuple[int, int]] = []
    for person in by_need:
        if len(out) >= limit:
            break
        if person in used:
            continue
        for other in by_reach:
            if other == person or other in used or community[other] == community[person]:
                continue
            if (min(person, other), max(person, other)) in tied:
                continue
            out.append((person, other))
            used.update((person, other))
            break
    return out


def findings(data: NetworkData, analysis: NetworkAnalysis, ties: Ties,
             groups: tuple[FormalGroup, ...] = ()) -> list[str]:
    """The network's findings as sentences, most actionable first."""
    name = data.name
    figures = analysis.figures
    out: list[str] = []
    n = len(analysis.node_ids)
    if analysis.entries == 0:
        return [f"No interactions between people are logged yet for these {n} people."]
    out.append(f"{_count(analysis.entries, 'interaction')} made "
               f"{_count(analysis.ties, 'tie')} among {n} people.")
    if analysis.isolates:
        names = [name(pid) for pid in analysis.isolates]
        verb = "has" if len(names) == 1 else "have"
        spoke = [name(pid) for pid in analysis.isolates if ties.to_group[pid]]
        extra = f" ({name_list(spoke)} spoke only to the whole group)" if spoke else ""
        out.append(f"Isolated: {name_list(names, 8)} {verb} no tie with anyone yet{extra}.")
    else:
        out.append("No one is isolated: everyone has at least one tie.")
    if analysis.peripheral:
        names = [name(pid) for pid in analysis.peripheral]
        out.append(f"On the edge: {name_list(names, 6)} "
                   f"{'has' if len(names) == 1 else 'have'} a single tie.")
    if analysis.hubs:
        parts = [f"{name(pid)} ({figures[pid].degree} people)" for pid in analysis.hubs[:MAX_NAMES]]
        out.append(f"Hubs: {name_list(parts)} {'has' if len(parts) == 1 else 'have'} the most ties.")
    if analysis.brokers:
        parts = [name(pid) for pid in analysis.brokers[:3]]
        out.append(f"Brokers: {name_list(parts)} {'links' if len(parts) == 1 else 'link'} "
                   "people who would otherwise be far apart (highest betweenness).")
    out.append(_centralisation_sentence(data, analysis))
    out.append(f"Density {_percent(analysis.density)}: that share of all possible pairs "
               "has talked.")
    if analysis.directed_ties:
        # Over directed kinds only: a tie of an undirected kind has no way back.
        out.append(f"Reciprocity {_percent(analysis.reciprocity)}: that share of ties "
                   "goes both ways.")
    if analysis.mutual_pairs:
        pairs = [f"{name(u)} and {name(v)}" for u, v in analysis.mutual_pairs[:3]]
        more = len(analysis.mutual_pairs) - len(pairs)
        tail = f" (and {more} more pair{'s' if more > 1 else ''})" if more > 0 else ""
        out.append("Mutual pairs: " + "; ".join(pairs) + tail + ".")
    out.extend(_cluster_sentences(data, analysis, groups))
    intros = suggest_introductions(analysis, ties)
    if intros:
        pairs = [f"{name(u)} to {name(v)}" for u, v in intros]
        out.append("To introduce next: " + "; ".join(pairs) + ".")
    return out


def _centralisation_sentence(data: NetworkData, analysis: NetworkAnalysis) -> str:
    value = analysis.centralisation
    if not analysis.figures:
        return "No one is central yet."
    top = max(analysis.figures.values(), key=lambda f: (f.degree, -f.id))
    who = data.person(top.id)
    role = " (the facilitator)" if "facilitat" in who.role.lower() else ""
    if value >= 0.5:
        return (f"Centralised ({value:.2f}): much of the talk runs through {who.name}{role}, "
                f"who has ties with {top.degree} people.")
    if value >= 0.25:
        return (f"Somewhat centralised ({value:.2f}): {who.name}{role} is the most "
                f"connected, with {top.degree} ties.")
    return f"Spread out ({value:.2f}): no single person carries the conversation."


def _cluster_sentences(data: NetworkData, analysis: NetworkAnalysis,
                       groups: tuple[FormalGroup, ...]) -> list[str]:
    clusters = [c for c in analysis.communities if len(c) > 1]
    if not clusters:
        return []
    out = []
    shown = [name_list([data.name(pid) for pid in c], 3) for c in clusters[:3]]
    more = f" (and {len(clusters) - 3} more)" if len(clusters) > 3 else ""
    out.append(f"{len(clusters)} cluster{'s' if len(clusters) > 1 else ''}: "
               + "; ".join(shown) + more + ".")
    match = group_match(analysis, groups)
    if match is not None:
        if match >= 0.75:
            out.append(f"The clusters follow the formal groups ({_percent(match)} of grouped "
                       "people sit in a cluster made mostly of their own group).")
        elif match >= 0.5:
            out.append(f"The clusters partly follow the formal groups ({_percent(match)}).")
        else:
            out.append(f"The clusters cut across the formal groups (only {_percent(match)} "
                       "match): people talk beyond their group.")
    return out


def focus_lines(data: NetworkData, analysis: NetworkAnalysis, ties: Ties, person_id: int,
                groups: tuple[FormalGroup, ...] = ()) -> list[str]:
    """One person's figures and ego network, as short lines for a side panel."""
    from facilitator.analysis.network import neighbours

    person = data.person(person_id)
    figures = analysis.figures.get(person_id)
    group = next((g.name for g in groups if person_id in g.member_ids), None)
    out = [f"{person.name} ({person.code})" + (f", group {group}" if group else "")]
    if figures is None:
        return out + ["Not in this view."]
    ranked = sorted(analysis.figures.values(), key=lambda f: (-f.betweenness, f.id))
    rank = next(i for i, f in enumerate(ranked, 1) if f.id == person_id)
    out += [
        f"Ties with {figures.degree} of {len(analysis.node_ids) - 1} people.",
        f"Addressed {figures.out_degree} people ({figures.sent} times); "
        f"addressed by {figures.in_degree} ({figures.received} times).",
        f"Spoke to the whole group {figures.to_group} times.",
        f"Betweenness {figures.betweenness:.3f} (#{rank} of {len(ranked)}).",
    ]
    if person_id in analysis.isolates:
        out.append("No tie with anyone yet.")
    if person_id in analysis.hubs:
        out.append("A hub: among the most connected.")
    if person_id in analysis.brokers:
        out.append("A broker: links otherwise separate people.")
    near = neighbours(ties, person_id)
    if near:
        out.append("Ties (to / from" + (" / together):" if ties.together else "):"))
        out += [f"  {data.name(o)}  {a} / {b}" + (f" / {c}" if ties.together else "")
                for o, a, b, c in near]
    if figures.together:
        out.insert(3, f"Did {figures.together} things together with others (undirected kinds).")
    tied = {o for o, _a, _b, _c in near}
    strangers = [data.name(pid) for pid in analysis.node_ids if pid != person_id and pid not in tied]
    if strangers:
        out.append(f"No tie yet with {name_list(strangers, 6)}.")
    return out

"""The report's tally figures, counted in SQL: per participant `by_kind` and `turns`;
top-level `equity` (Gini over present participants, whole session) and `not_spoken`
(present participants who have not spoken in the current round).

The same rules as the live tally board (facilitator.analysis.tallies): an entry of an
undirected kind counts for both people; whole-group states are nobody's. Only the
grouped counts are read, so a log of a million entries costs what its distinct
(source, target, kind) triples cost."""

from __future__ import annotations

from typing import Any

from facilitator.analysis.tallies import counted_tally, summarise
from facilitator.core.report_counts import session_counts
from facilitator.core.tally import session_turn_kind
from facilitator.models.codebook import codebook
from facilitator.models.roster import participants
from facilitator.models.session import session_info
from facilitator.models.store import SessionStore

def tally_section(store: SessionStore, report: dict[str, Any]) -> None:
    """Add by_kind and turns to each participant, and equity and not_spoken."""
    turn = session_turn_kind(store)
    turn_name = turn.name if turn else ""
    undirected = frozenset(k.name for k in codebook(store) if not k.directed)
    counts = session_counts(store)
    total = counted_tally(counts.counted(), turn_name, undirected)
    people = participants(store)
    by_name = {p.name: p.id for p in people}
    for entry in report.get("participants", []):
        pid = by_name.get(entry.get("name"))
        kinds = total.by_kind.get(pid) if pid is not None else None
        entry["by_kind"] = {k: n for k, n in sorted((kinds or {}).items()) if n > 0}
        entry["turns"] = total.turns[pid] if pid is not None else 0
    present = [p.id for p in sorted(people, key=lambda p: p.name.lower()) if p.present]
    round_id = session_info(store).current_round_id
    this_round = counted_tally(counts.in_round(round_id).counted(), turn_name, undirected)
    summary = summarise(total, present, this_round)
    report["equity"] = {"gini": round(summary.gini, 3), "reading": summary.reading}
    names = {p.id: p.name for p in people}
    report["not_spoken"] = [names[p] for p in summary.not_spoken]

"""`facilitator report`: what the session holds so far, as one dict (read from the
file, computed by facilitator.analysis).

Each feature adds a section: a function (store, report) that adds its keys to
the report (and may add fields to earlier sections' entries, e.g. to each
participant), listed in SECTIONS. Keys, once published, stay stable."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from facilitator.core.report_goals import goals_section
from facilitator.core.report_groups import groups_section
from facilitator.core.report_counts import session_counts
from facilitator.core.report_network import network_section
from facilitator.core.report_tally import tally_section
from facilitator.models.aggregates import voided_entries
from facilitator.models.names import sort_key
from facilitator.models.rounds import current_round
from facilitator.models.schema import SCHEMA_VERSION
from facilitator.models.session import session_info
from facilitator.models.store import SessionStore


Report = dict[str, Any]

#: How the report names entries typed while no round ran (round_id NULL).
BETWEEN_ROUNDS = "between rounds"


def session_section(store: SessionStore, report: Report) -> None:
    info = session_info(store)
    current = current_round(store)
    report["session"] = {
        "title": info.title,
        "path": str(store.path),
        "schema_version": SCHEMA_VERSION,
        "created_at": info.created_at,
        "template": info.template,
        "current_round": current.name if current else None,
        # The current round has ended: entries typed now are between rounds.
        "between_rounds": current is not None and not current.running,
    }


def participants_section(store: SessionStore, report: Report) -> None:
    """Everyone on the roster by name, with how often they spoke / did something
    (as_source) and were addressed (as_target): the `tallies` view's figures, from
    the log counted in SQL."""
    counts = session_counts(store)
    as_source, as_target = counts.totals(counts.source_ids), counts.totals(counts.target_ids)
    rows = store.rows("SELECT id, name, code, tags, present FROM participants")
    # By the transliterated name, the same on every machine: Åsa with the A's.
    rows = sorted(rows, key=lambda r: sort_key(r["name"]))
    report["participants"] = [
        {"name": r["name"], "code": r["code"], "tags": json.loads(r["tags"]),
         "present": bool(r["present"]), "as_source": as_source.get(r["id"], 0),
         "as_target": as_target.get(r["id"], 0)}
        for r in rows]


def interactions_section(store: SessionStore, report: Report) -> None:
    counts = session_counts(store)
    by_kind = counts.totals(counts.kinds)
    per_round = counts.totals(counts.round_ids)
    # Entries typed while no round ran (round_id NULL) are their own line, never
    # counted in the round that had ended before them.
    by_round = [{"round": r["name"], "entries": per_round.get(r["id"], 0)}
                for r in store.rows("SELECT id, name FROM rounds ORDER BY position")]
    between = per_round.get(None, 0)
    if between:
        by_round.append({"round": BETWEEN_ROUNDS, "entries": between})
    report["interactions"] = {"total": sum(counts.counts),
                              "voided": voided_entries(store),
                              "by_kind": dict(sorted(by_kind.items())), "by_round": by_round}


#: Sections in the order they appear. Features append theirs here.
SECTIONS: list[Callable[[SessionStore, Report], None]] = [
    session_section,
    participants_section,
    interactions_section,
    goals_section,
    groups_section,
    network_section,
    tally_section,
]


def build_report(store: SessionStore) -> Report:
    """The whole report, section by section (later sections may extend earlier ones)."""
    report: Report = {}
    for section in SECTIONS:
        section(store, report)
    return report


def render_text(report: Report) -> str:
    """The report for people: the session, the roster's counts, then each further
    section as indented key: value lines."""
    session = report.get("session", {})
    lines = [f"{session.get('title', '')}  ({session.get('path', '')})"]
    if session.get("current_round"):
        ended = " (ended: entries now are between rounds)" if session.get("between_rounds") else ""
        lines.append(f"Current round: {session['current_round']}{ended}")
    interactions = report.get("interactions", {})
    lines.append(f"Interactions: {interactions.get('total', 0)} "
                 f"(+{interactions.get('voided', 0)} undone)")
    for kind, count in interactions.get("by_kind", {}).items():
        lines.append(f"  {kind}: {count}")
    if interactions.get("by_round"):
        lines.append("By round:")
        lines.extend(f"  {item['round']}: {item['entries']}" for item in interactions["by_round"])
    people = report.get("participants", [])
    lines.append(f"Participants: {len(people)}")
    for person in people:
        absent = "" if person.get("present", True) else "  (absent)"
        lines.append(f"  {person['code']:4} {person['name']:<24} spoke {person['as_source']:>4}"
                     f"  addressed {person['as_target']:>4}{absent}")
    for key, value in report.items():
        if key in ("session", "interactions", "participants"):
            continue
        lines.append(f"{key.replace('_', ' ').capitalize()}:")
        lines.extend(_render_value(value, "  "))
    return "\n".join(lines)


def _render_value(value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{indent}{key}:")
                out.extend(_render_value(item, indent + "  "))
            else:
                out.append(f"{indent}{key}: {item}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, (dict, list)):
                out.extend(_render_value(item, indent))
                out.append("")
            else:
                out.append(f"{indent}- {item}")
        return out or [f"{indent}(none)"]
    return [f"{indent}{value}"]

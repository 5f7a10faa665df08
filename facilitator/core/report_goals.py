"""The report's goals section: goals per group, coverage of essential topics,
neglected topics, challenges with the groups' answers, progress per round.

Keys published here (stable): goals, coverage, neglected, challenges, goal_progress."""

from __future__ import annotations

from typing import Any

from facilitator.analysis.coverage import coverage_matrix, progress_by_round
from facilitator.models.challenges import challenges
from facilitator.models.goals import essential_topics, goal_history, goals
from facilitator.models.groups import all_groups
from facilitator.models.rounds import rounds
from facilitator.models.store import SessionStore


def goals_section(store: SessionStore, report: dict[str, Any]) -> None:
    """Add goals, coverage, neglected, challenges and goal_progress to the report.

    Coverage spans the whole session (every group of every round)."""
    groups = all_groups(store)
    round_names = {r.id: r.name for r in rounds(store)}
    topics = essential_topics(store)
    topic_names = {e.id: e.name for e in topics}
    group_by_id = {g.id: g for g in groups}
    all_goals = goals(store)
    history = goal_history(store)
    edits: dict[int, list[dict[str, Any]]] = {}
    for edit in history:
        edits.setdefault(edit.goal_id, []).append(
            {"at": edit.at, "by": edit.by, "round": round_names.get(edit.round_id),
             "field": edit.field, "old": edit.old_value, "new": edit.new_value})
    all_challenges = challenges(store)

    report["goals"] = [
        {"group": g.name, "group_id": g.id, "round": round_names.get(g.round_id),
         "goals": [
             {"id": goal.id, "text": goal.text, "status": goal.status,
              "progress": goal.progress, "set_by": goal.set_by,
              "round": round_names.get(goal.round_id), "created_at": goal.created_at,
              "logged_by": goal.logged_by,
              "covers": [topic_names[e] for e in goal.essential_ids if e in topic_names],
              "history": edits.get(goal.id, [])}
             for goal in all_goals if goal.group_id == g.id]}
        for g in groups]

    matrix = coverage_matrix(groups, topics, all_goals, all_challenges)

    def label(group_id: int) -> dict[str, Any]:
        group = group_by_id[group_id]
        return {"group": group.name, "group_id": group.id,
                "round": round_names.get(group.round_id)}

    report["coverage"] = {e.name: [label(g) for g in matrix.covering(e.id)] for e in topics}
    report["neglected"] = [e.name for e in matrix.neglected]
    report["challenges"] = [
        {"id": c.id, **label(c.group_id), "topic": topic_names.get(c.essential_id or -1),
         "text": c.text, "raised_at": c.raised_at, "raised_by": c.raised_by,
         "status": c.status, "answer": c.response, "answered_at": c.answered_at,
         "noted_by": c.noted_by}
        for c in all_challenges if c.group_id in group_by_id]
    started = [r for r in rounds(store) if r.started_at]
    report["goal_progress"] = [
        {"round": p.name, **p.counts, "changes": p.changes, "new_goals": p.new_goals}
        for p in progress_by_round(started, all_goals, history)]

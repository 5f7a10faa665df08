"""The report's `groups` section: per round, each group's name, members and how
it was formed, plus everyone who passed through it (the law of two feet)."""

from __future__ import annotations

from typing import Any

from facilitator.models.groups import members_ever
from facilitator.models.store import SessionStore


def groups_section(store: SessionStore, report: dict[str, Any]) -> None:
    """report["groups"]: a list of rounds (groups outside any round come last),
    each {"round", "position", "groups": [{"name", "members", "formed_by",
    "convener", "closed", "was_in"}]}. Members are who is in the group now (for a
    closed group: everyone who was in it); was_in also has those who moved on."""
    names = {r[0]: r[1] for r in store.rows("SELECT id, name FROM participants")}
    current: dict[int, list[int]] = {}
    for row in store.rows("SELECT group_id, participant_id FROM current_members"):
        current.setdefault(row[0], []).append(row[1])
    ever = members_ever(store)

    def people(ids: object) -> list[str]:
        return sorted((names[i] for i in ids if i in names), key=str.casefold)  # type: ignore[union-attr]

    rounds: list[dict[str, Any]] = []
    by_round: dict[int | None, dict[str, Any]] = {}
    for row in store.rows("SELECT id, name, position FROM rounds ORDER BY position"):
        entry = {"round": row["name"], "position": row["position"], "groups": []}
        rounds.append(entry)
        by_round[row["id"]] = entry
    for row in store.rows("SELECT * FROM groups WHERE voided_at IS NULL ORDER BY id"):
        entry = by_round.get(row["round_id"])
        if entry is None:
            entry = {"round": None, "position": None, "groups": []}
            by_round[row["round_id"]] = entry
            rounds.append(entry)
        closed = row["closed_at"] is not None
        members = ever.get(row["id"], set()) if closed else current.get(row["id"], [])
        entry["groups"].append({
            "name": row["name"],
            "members": people(members),
            "formed_by": row["formed_by"],
            "convener": names.get(row["convener_id"]),
            "closed": closed,
            "was_in": people(ever.get(row["id"], set())),
        })
    report["groups"] = rounds

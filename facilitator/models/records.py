"""Frozen records read from the session file."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Participant:
    id: int
    name: str
    code: str
    tags: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    present: bool = True

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Participant":
        return cls(row["id"], row["name"], row["code"], json.loads(row["tags"] or "{}"),
                   bool(row["present"]))


class Kind(NamedTuple):
    """One entry of the codebook."""

    name: str
    key: str
    label: str
    directed: bool = True
    scope: str = "pair"  # 'pair' or 'group' (a whole-group state)
    is_turn: bool = False

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Kind":
        return cls(row["name"], row["key"], row["label"], bool(row["directed"]),
                   row["scope"], bool(row["is_turn"]))


class Round(NamedTuple):
    id: int
    position: int
    name: str
    planned_minutes: float | None
    started_at: str | None
    ended_at: str | None
    started_by: str | None = None
    ended_by: str | None = None
    #: What it started with: "kept" groups, "open space", "suggested" groups, or None.
    opened_with: str | None = None

    @property
    def running(self) -> bool:
        """Started and not ended: entries typed now belong to it."""
        return bool(self.started_at) and not self.ended_at

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Round":
        return cls(row["id"], row["position"], row["name"], row["planned_minutes"],
                   row["started_at"], row["ended_at"], row["started_by"], row["ended_by"],
                   row["opened_with"] if "opened_with" in row.keys() else None)


class Interaction(NamedTuple):
    id: int
    at: str
    source_id: int | None
    target_id: int | None
    kind: str
    group_id: int | None
    round_id: int | None
    logged_by: str | None
    note: str | None
    voided_at: str | None = None
    voided_by: str | None = None
    #: The latest time an undone entry was brought back (redo), and by whom.
    restored_at: str | None = None
    restored_by: str | None = None
    #: A correction: the entry this one was logged in place of.
    replaces_id: int | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Interaction":
        keys = row.keys()
        restored = ((row["restored_at"], row["restored_by"]) if "restored_at" in keys
                    else (None, None))
        return cls(row["id"], row["at"], row["source_id"], row["target_id"], row["kind"],
                   row["group_id"], row["round_id"], row["logged_by"], row["note"],
                   row["voided_at"], row["voided_by"], *restored,
                   row["replaces_id"] if "replaces_id" in keys else None)

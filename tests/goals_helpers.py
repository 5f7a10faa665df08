"""Small real sessions for the goals tests: three essential topics, two rounds,
groups in each round (the facilitator's own fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from facilitator.models.groups import create_group
from facilitator.models.rounds import start_round
from facilitator.models.session import create_session
from facilitator.models.store import SessionStore
from facilitator.models.templates import PlannedRound, Template

TOPICS = (("Safety", "Nobody gets hurt"), ("Consent", "Ask first"), ("Curriculum", "Module 3"))


def make_goals_session(path: Path, identity: str = "ana") -> SessionStore:
    """Round 1 started with groups Tide pools, Dunes, Forest; Round 2 planned."""
    template = Template(name="t", title="Goals test", essentials=TOPICS,
                        rounds=(PlannedRound("Round 1", 30), PlannedRound("Round 2", 30)),
                        roster=(("Ana", {}), ("Ben", {}), ("Cleo", {}), ("Dev", {})))
    store = create_session(path, template=template, identity=identity)
    first = start_round(store)
    for name in ("Tide pools", "Dunes", "Forest"):
        create_group(store, name, first.id)
    return store


def group_id(store: SessionStore, name: str) -> int:
    return int(store.scalar("SELECT id FROM groups WHERE name = ? ORDER BY id DESC", (name,)))


def topic_id(store: SessionStore, name: str) -> int:
    return int(store.scalar("SELECT id FROM essentials WHERE name = ?", (name,)))

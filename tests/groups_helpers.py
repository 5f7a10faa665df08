"""Shared builders for the groups tests: people with tags and histories of rounds."""

from __future__ import annotations

import random

from facilitator.analysis.grouping import History, form_groups, pair
from facilitator.models.records import Participant


def people(count: int, seed: int = 0, absent: int = 0) -> list[Participant]:
    rng = random.Random(seed)
    return [Participant(i + 1, f"Person {i + 1}", f"p{i + 1}",
                        {"organisation": rng.choice("ABCDE"), "role": rng.choice("xyz")},
                        present=i >= absent)
            for i in range(count)]


def add_round(shared: dict, groups) -> None:
    for group in groups:
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                shared[pair(a, b)] = shared.get(pair(a, b), 0) + 1


def random_history(crowd: list[Participant], rounds: int, size: int, seed: int) -> History:
    rng = random.Random(seed)
    shared: dict = {}
    for _ in range(rounds):
        ids = [p.id for p in crowd]
        rng.shuffle(ids)
        add_round(shared, [ids[i:i + size] for i in range(0, len(ids), size)])
    return History(shared=shared)


def spread_history(crowd: list[Participant], rounds: int, size: int, seed: int) -> History:
    """Earlier rounds that were themselves spread out (harder to avoid repeats)."""
    shared: dict = {}
    for r in range(rounds):
        proposal = form_groups(crowd, "new-ties", size, seed=seed + r, history=History(dict(shared)))
        add_round(shared, proposal.groups)
    return History(shared=shared)

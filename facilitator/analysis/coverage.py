"""Which group addresses which essential topic, which topics nobody addresses,
which challenges are open, and how goals' statuses moved round by round.

Pure functions on records (no store, no UI), so the screen, the CLI and the report
all see the same answer. A goal covers a topic when it is linked to it and is not
dropped: a group that dropped its only safety goal no longer addresses safety."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from facilitator.models.challenges import Challenge
from facilitator.models.goals import GOAL_STATUSES, Essential, Goal, GoalEdit

#: One character per status, readable without colour.
STATUS_MARKS = {"open": "○", "in progress": "◐", "done": "●", "dropped": "✗"}
#: Marks in the matrix: covered / not covered, open / answered challenge, neglect.
COVERED, UNCOVERED, OPEN_CHALLENGE, ANSWERED_CHALLENGE, NEGLECT = "●", "·", "?", "✓", "!"


class GroupLike(Protocol):
    id: int
    name: str


class RoundLike(Protocol):
    id: int
    position: int
    name: str


@dataclass(frozen=True)
class Cell:
    """One group and one topic: the goals that address it and the challenges about it."""

    group_id: int
    essential_id: int
    goal_ids: tuple[int, ...] = ()
    open_challenges: tuple[int, ...] = ()
    answered_challenges: tuple[int, ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.goal_ids)

    @property
    def mark(self) -> str:
        """A short text for the matrix, e.g. '●2?' (two goals, an open challenge)."""
        text = COVERED if self.covered else UNCOVERED
        if len(self.goal_ids) > 1:
            text += str(len(self.goal_ids))
        if self.open_challenges:
            text += OPEN_CHALLENGE
        elif self.answered_challenges:
            text += ANSWERED_CHALLENGE
        return text


@dataclass(frozen=True)
class Coverage:
    """The coverage matrix: groups (rows) x essential topics (columns)."""

    group_ids: tuple[int, ...]
    essentials: tuple[Essential, ...]
    cells: dict[tuple[int, int], Cell] = field(hash=False)
    #: Topics no group of the matrix addresses.
    neglected: tuple[Essential, ...] = ()
    #: Groups none of whose goals addresses any topic.
    groups_covering_none: tuple[int, ...] = ()
    #: Challenges about no particular topic, per group: (open, answered) ids.
    untopical: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = field(
        default_factory=dict, hash=False)

    def cell(self, group_id: int, essential_id: int) -> Cell:
        return self.cells[(group_id, essential_id)]

    def covering(self, essential_id: int) -> list[int]:
        """The groups (ids, in matrix order) that address a topic."""
        return [g for g in self.group_ids if self.cells[(g, essential_id)].covered]

    def is_neglected(self, essential_id: int) -> bool:
        return any(e.id == essential_id for e in self.neglected)


def coverage_matrix(groups: Sequence[GroupLike], essentials: Sequence[Essential],
                    goals: Iterable[Goal], challenges: Iterable[Challenge]) -> Coverage:
    """Build the matrix for these groups; goals and challenges of other groups are ignored."""
    group_ids = tuple(g.id for g in groups)
    shown = set(group_ids)
    topic_ids = {e.id for e in essentials}
    covering: dict[tuple[int, int], list[int]] = {}
    for goal in goals:
        if goal.group_id not in shown or goal.status == "dropped":
            continue
        for essential_id in goal.essential_ids:
            if essential_id in topic_ids:
                covering.setdefault((goal.group_id, essential_id), []).append(goal.id)
    open_: dict[tuple[int, int | None], list[int]] = {}
    answered: dict[tuple[int, int | None], list[int]] = {}
    for challenge in challenges:
        if challenge.group_id not in shown:
            continue
        key = (challenge.group_id, challenge.essential_id if challenge.essential_id in topic_ids
               else None)
        (answered if challenge.answered_at else open_).setdefault(key, []).append(challenge.id)
    cells = {
        (g, e.id): Cell(g, e.id, tuple(covering.get((g, e.id), ())),
                        tuple(open_.get((g, e.id), ())), tuple(answered.get((g, e.id), ())))
        for g in group_ids for e in essentials}
    neglected = tuple(e for e in essentials if not any(cells[(g, e.id)].covered for g in group_ids))
    none = tuple(g for g in group_ids if not any(cells[(g, e.id)].covered for e in essentials))
    untopical = {g: (tuple(open_.get((g, None), ())), tuple(answered.get((g, None), ())))
                 for g in group_ids}
    return Coverage(group_ids, tuple(essentials), cells, neglected, none, untopical)


@dataclass(frozen=True)
class RoundProgress:
    """Goals' statuses at the end of a round (or now, for the current round)."""

    round_id: int | None
    name: str
    counts: dict[str, int] = field(hash=False)
    #: Status changes made during this round.
    changes: int = 0
    #: Goals set during this round.
    new_goals: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def marks(self) -> str:
        """The statuses as marks, e.g. '●●◐○○' (done first), readable without colour."""
        order = ("done", "in progress", "open", "dropped")
        return "".join(STATUS_MARKS[s] * self.counts.get(s, 0) for s in order)


def progress_by_round(rounds: Sequence[RoundLike], goals: Iterable[Goal],
                      history: Iterable[GoalEdit]) -> list[RoundProgress]:
    """For each round, in order: how many goals were open, in progress, done or dropped
    at its end, replayed from goal_history (so later edits do not rewrite the past).

    Goals set outside any round count from the first round on."""
    position = {r.id: r.position for r in rounds}

    def pos(round_id: int | None) -> int:
        return position.get(round_id, 0) if round_id is not None else 0

    goal_list = list(goals)
    status_edits: dict[int, list[GoalEdit]] = {}
    for edit in sorted(history, key=lambda e: e.id):
        if edit.field == "status":
            status_edits.setdefault(edit.goal_id, []).append(edit)
    result = []
    for round_ in sorted(rounds, key=lambda r: r.position):
        counts = {s: 0 for s in GOAL_STATUSES}
        changes = new = 0
        for goal in goal_list:
            if pos(goal.round_id) > round_.position:
                continue
            new += goal.round_id == round_.id
            edits = status_edits.get(goal.id, [])
            status = edits[0].old_value if edits else goal.status
            for edit in edits:
                if pos(edit.round_id) <= round_.position:
                    status = edit.new_value
                changes += edit.round_id == round_.id
            if status in counts:
                counts[status] += 1
        result.append(RoundProgress(round_.id, round_.name, counts, changes, new))
    return result

"""Live tallies of the interaction log: who spoke, who was addressed, by kind, talk
share, an equity figure (Gini) with a plain reading, who has not spoken this round,
and mutual pairs.

TallyBoard reads the log once, then applies only what changed (new ids, and entries
voided or restored since), so a keystroke never reloads the whole log.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from facilitator.models.codebook import turn_kind
from facilitator.models.records import Interaction
from facilitator.models.session import session_info
from facilitator.models.store import SessionStore

COLUMNS = ("id, at, source_id, target_id, kind, group_id, round_id, logged_by, note,"
           " voided_at, voided_by")


@dataclass
class Tally:
    """Counts over a set of live entries (a group, a round, or the whole session)."""

    spoke: Counter[int] = field(default_factory=Counter)
    addressed: Counter[int] = field(default_factory=Counter)
    turns: Counter[int] = field(default_factory=Counter)
    by_kind: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    pairs: Counter[tuple[int, int]] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    entries: int = 0

    def apply(self, entry: Interaction, sign: int, turn_kind: str) -> None:
        """Count an entry in (sign=1) or out again (sign=-1, when it is voided)."""
        self.entries += sign
        source, target = entry.source_id, entry.target_id
        if source is None:
            self.states[entry.kind] += sign
            return
        self.spoke[source] += sign
        self.by_kind[source][entry.kind] += sign
        if entry.kind == turn_kind:
            self.turns[source] += sign
        if target is not None:
            self.addressed[target] += sign
            self.pairs[(source, target)] += sign


class TallyBoard:
    """Tallies for the whole session, per group and per round, kept incrementally."""

    def __init__(self, turn_kind: str = "speak") -> None:
        self.turn_kind = turn_kind
        self.entries: dict[int, Interaction] = {}
        self.order: list[int] = []
        self.last_id = 0
        self.voided: set[int] = set()
        self.total = Tally()
        self.groups: dict[int | None, Tally] = defaultdict(Tally)
        self.rounds: dict[int | None, Tally] = defaultdict(Tally)

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_store(cls, store: SessionStore) -> "TallyBoard":
        """Read the whole log once (at start-up or when a screen first opens)."""
        board = cls(turn_kind(store).name)
        board.sync(store, check_voids=False)
        return board

    def sync(self, store: SessionStore, *, check_voids: bool = True) -> list[Interaction]:
        """Bring the board up to date with the file; returns the entries that changed.

        New entries come by id (the primary key: cheap whatever the log's size). Void
        states can change on old entries, in any process; check_voids compares the
        set of voided ids (one narrow scan) and is skipped when only we wrote."""
        changed = [Interaction.from_row(r) for r in store.rows(
            f"SELECT {COLUMNS} FROM interactions WHERE id > ? ORDER BY id", (self.last_id,))]
        for entry in changed:
            self.apply(entry)
        if check_voids:
            changed += self._sync_voids(store)
        return changed

    def _sync_voids(self, store: SessionStore) -> list[Interaction]:
        voided_now = {r[0]: (r[1], r[2]) for r in store.rows(
            "SELECT id, voided_at, voided_by FROM interactions"
            " WHERE voided_at IS NOT NULL AND id <= ?", (self.last_id,))}
        changed = []
        for entry_id, (at, by) in voided_now.items():
            entry = self.entries.get(entry_id)
            if entry is not None and entry.voided_at is None:
                changed.append(dataclasses.replace(entry, voided_at=at, voided_by=by))
        for entry_id in self.voided - voided_now.keys():
            changed.append(dataclasses.replace(self.entries[entry_id], voided_at=None,
                                               voided_by=None))
        for entry in changed:
            self.apply(entry)
        return changed

    # ------------------------------------------------------------------ applying
    def apply(self, entry: Interaction) -> None:
        """Apply a new entry, or a new state (voided or restored) of a known one."""
        old = self.entries.get(entry.id)
        if old is None:
            self.order.append(entry.id)
            self.last_id = max(self.last_id, entry.id)
        elif (old.voided_at is None) == (entry.voided_at is None):
            self.entries[entry.id] = entry
            return
        elif old.voided_at is None:
            self._count(old, -1)  # live -> voided: count it out
        self.entries[entry.id] = entry
        if entry.voided_at is None:
            self.voided.discard(entry.id)
            self._count(entry, 1)
        else:
            self.voided.add(entry.id)

    def _count(self, entry: Interaction, sign: int) -> None:
        for tally in (self.total, self.groups[entry.group_id], self.rounds[entry.round_id]):
            tally.apply(entry, sign, self.turn_kind)

    def recent(self, limit: int = 20) -> list[Interaction]:
        """The newest entries, newest first, voided ones included (struck through)."""
        return [self.entries[i] for i in reversed(self.order[-limit:])]

    def tally(self, group_id: int | None = None, *, whole_session: bool = False) -> Tally:
        """The tally of one group, or of everything with whole_session=True."""
        return self.total if whole_session else self.groups[group_id]


# ---------------------------------------------------------------------- summaries
def gini(values: list[int] | list[float]) -> float:
    """Gini coefficient of non-negative values: 0 = perfectly even, towards 1 = one
    voice only. People who never spoke count (as zeros), which is the point."""
    n = len(values)
    total = sum(values)
    if n < 2 or total <= 0:
        return 0.0
    ranked = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ranked))
    return max(0.0, (2 * weighted) / (n * total) - (n + 1) / n)


def equity_reading(g: float, people: int, spoken: int) -> str:
    """The Gini figure in words a facilitator can act on."""
    if people < 2:
        return "too few people to compare"
    if spoken == 0:
        return "nobody has spoken yet"
    if g < 0.2:
        return "evenly shared"
    if g < 0.35:
        return "fairly even"
    if g < 0.5:
        return "uneven: a few voices lead"
    return "dominated by a few voices"


@dataclass(frozen=True)
class ParticipantTally:
    participant_id: int
    spoke: int
    addressed: int
    turns: int
    by_kind: dict[str, int]
    share: float  # of all speaking among the people shown, 0..1


@dataclass(frozen=True)
class MutualPair:
    a: int
    b: int
    a_to_b: int
    b_to_a: int


@dataclass(frozen=True)
class TallySummary:
    rows: list[ParticipantTally]
    total_spoke: int
    gini: float
    reading: str
    not_spoken: list[int]  # participant ids, in the order given
    mutual: list[MutualPair]
    states: dict[str, int]


def summarise(tally: Tally, people: list[int], this_round: Tally | None = None) -> TallySummary:
    """Everything the panels show, for the people shown (present members of the
    observed group, or everyone present). this_round decides who has not spoken yet."""
    rows = []
    total = sum(max(tally.spoke[p], 0) for p in people)
    for pid in people:
        spoke = tally.spoke[pid]
        rows.append(ParticipantTally(
            pid, spoke, tally.addressed[pid], tally.turns[pid],
            {k: n for k, n in tally.by_kind[pid].items() if n} if pid in tally.by_kind else {},
            spoke / total if total else 0.0))
    g = gini([r.spoke for r in rows])
    round_tally = this_round if this_round is not None else tally
    not_spoken = [p for p in people if round_tally.spoke[p] <= 0]
    return TallySummary(rows, total, g, equity_reading(g, len(people), total), not_spoken,
                        mutual_pairs(tally, set(people)),
                        {k: n for k, n in tally.states.items() if n})


def mutual_pairs(tally: Tally, people: set[int] | None = None, limit: int = 10) -> list[MutualPair]:
    """Pairs who addressed each other both ways, strongest first."""
    found = []
    for (a, b), n in tally.pairs.items():
        if a < b and n > 0 and (people is None or (a in people and b in people)):
            back = tally.pairs.get((b, a), 0)
            if back > 0:
                found.append(MutualPair(a, b, n, back))
    found.sort(key=lambda m: (-min(m.a_to_b, m.b_to_a), -(m.a_to_b + m.b_to_a), m.a, m.b))
    return found[:limit]


# ---------------------------------------------------------------------- report
def tally_section(store: SessionStore, report: dict[str, Any]) -> None:
    """`facilitator report`: per participant `by_kind` and `turns`; top-level `equity`
    (Gini over present participants, whole session) and `not_spoken` (present
    participants who have not spoken in the current round)."""
    board = TallyBoard.from_store(store)
    people = store.rows("SELECT id, name, present FROM participants ORDER BY name COLLATE NOCASE")
    by_name = {r["name"]: r["id"] for r in people}
    for entry in report.get("participants", []):
        pid = by_name.get(entry.get("name"))
        kinds = board.total.by_kind.get(pid, Counter()) if pid is not None else Counter()
        entry["by_kind"] = {k: n for k, n in sorted(kinds.items()) if n > 0}
        entry["turns"] = board.total.turns[pid] if pid is not None else 0
    present = [r["id"] for r in people if r["present"]]
    round_id = session_info(store).current_round_id
    summary = summarise(board.total, present, board.rounds[round_id])
    report["equity"] = {"gini": round(summary.gini, 3), "reading": summary.reading}
    names = {r["id"]: r["name"] for r in people}
    report["not_spoken"] = [names[p] for p in summary.not_spoken]

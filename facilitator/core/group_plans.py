"""Suggested groupings against the session file: what history they use, the
keep-together / keep-apart rules (kept in `settings`), and applying a proposal
as the next round's groups in one undoable batch."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitator.models.groups import insert_group, join_group, mark_closed, new_batch, undo_batch
from facilitator.models.groups import interacted_pairs, shared_group_pairs
from facilitator.models.records import Participant
from facilitator.models.roster import participants
from facilitator.models.rounds import next_or_new_round, next_round_id
from facilitator.models.session import session_info
from facilitator.models.settings import get_setting, read_setting, write_setting
from facilitator.models.store import SessionError, SessionStore, now

if TYPE_CHECKING:  # grouping is imported when first used, not at start-up
    from facilitator.analysis.grouping import Constraints, History, Proposal

KEEP_TOGETHER = "grouping.keep_together"
KEEP_APART = "grouping.keep_apart"
NOBODY_PRESENT = "Nobody is present, so there is no one to group."


def _parse_pairs(key: str, raw: str | None) -> list[tuple[int, int]]:
    try:
        pairs = json.loads(raw) if raw else []
        return [(int(a), int(b)) for a, b in pairs]
    except (ValueError, TypeError):
        raise SessionError(f"The setting {key} is not a list of pairs; fix or delete it.") from None


def pair_rules(store: SessionStore, key: str) -> list[tuple[int, int]]:
    """Stored keep-together or keep-apart pairs (participant ids)."""
    return _parse_pairs(key, get_setting(store, key))


def set_pair_rule(store: SessionStore, key: str, a: int, b: int, keep: bool = True,
                  expect: bool | None = None) -> None:
    """Add (or with keep=False remove) one pair rule, stored as JSON in settings.
    With `expect` (an undo), only while the rule is still on (True) or off
    (False) as expected: else SessionError, nothing written."""
    if key not in (KEEP_TOGETHER, KEEP_APART):
        raise SessionError(f"{key} is not a grouping rule.")
    if a == b:
        raise SessionError("A rule needs two different people.")
    wanted = (min(a, b), max(a, b))

    def stored(conn: sqlite3.Connection, which: str) -> set[tuple[int, int]]:
        return {(min(x, y), max(x, y)) for x, y in _parse_pairs(which, read_setting(conn, which))}

    def body(conn: sqlite3.Connection) -> None:
        pairs = stored(conn, key)
        if expect is not None and (wanted in pairs) != expect:
            way = "together" if key == KEEP_TOGETHER else "apart"
            raise SessionError(f"Someone {'released' if expect else 'set'} that keep-{way}"
                               " rule since; nothing was undone.")
        other = KEEP_APART if key == KEEP_TOGETHER else KEEP_TOGETHER
        if keep and wanted in stored(conn, other):
            # A pair cannot be kept together and apart at once, whoever asks.
            names = dict(conn.execute("SELECT id, name FROM participants WHERE id IN (?, ?)",
                                      wanted).fetchall())
            way = "apart" if other == KEEP_APART else "together"
            raise SessionError(f"{names.get(a, a)} and {names.get(b, b)} are kept {way};"
                               " remove that rule first.")
        if keep:
            pairs.add(wanted)
        else:
            pairs.discard(wanted)
        write_setting(conn, key, json.dumps(sorted([list(p) for p in pairs])))

    store.transact(body)


def toggle_pair_rule(store: SessionStore, key: str, a: int, b: int) -> bool:
    """Add the rule for this pair, or remove it when it is already there (the
    screen's key does both). Returns True when added. A pair cannot be kept
    together and apart at once: that is refused, nothing written."""
    wanted = (min(a, b), max(a, b))
    if wanted in {(min(x, y), max(x, y)) for x, y in pair_rules(store, key)}:
        set_pair_rule(store, key, a, b, keep=False)
        return False
    set_pair_rule(store, key, a, b)
    return True


def grouping_history(store: SessionStore, for_round: int | None = None):  # -> History
    """Who already met: groups of every round but the one being planned, and the
    interaction log. A group bigger than twice the session's largest group size
    (an opening circle of the whole room) does not count as having met."""
    from facilitator.analysis.grouping import History

    largest = 2 * (session_info(store).group_max or 6)
    return History(shared=shared_group_pairs(store, exclude_round=for_round, largest=largest),
                   interacted=interacted_pairs(store))


@dataclass(frozen=True)
class ProposalInputs:
    """Everything a proposal needs from the file, read in one go, so the search
    itself can run in a worker thread without touching the store. Two equal
    inputs give equal proposals for the same method, size, tags and seed."""

    people: tuple[Participant, ...]
    history: History
    constraints: Constraints

    def form(self, method: str, size: int, *, by: Sequence[str] = (), seed: int = 0) -> Proposal:
        """The proposal for one method (pure: no store, safe off the UI thread)."""
        from facilitator.analysis.grouping import form_groups

        if not any(p.present for p in self.people):
            raise SessionError(NOBODY_PRESENT)
        return form_groups(self.people, method, size, by=by, seed=seed, history=self.history,
                           constraints=self.constraints)


def proposal_inputs(store: SessionStore, size: int, *, together: Sequence[tuple[int, int]] = (),
                    apart: Sequence[tuple[int, int]] = (), min_size: int | None = None,
                    max_size: int | None = None) -> ProposalInputs:
    """The present people, their history, the session's size bounds (widened to
    include `size`) and its stored rules plus these extra pairs."""
    from facilitator.analysis.grouping import Constraints

    info = session_info(store)
    low = min_size if min_size is not None else min(info.group_min, size)
    high = max_size if max_size is not None else max(info.group_max, size)
    if size < 1:
        raise SessionError("The group size must be at least 1.")
    constraints = Constraints(
        low, high,
        tuple(pair_rules(store, KEEP_TOGETHER)) + tuple(together),
        tuple(pair_rules(store, KEEP_APART)) + tuple(apart))
    return ProposalInputs(tuple(participants(store)),
                          grouping_history(store, next_round_id(store)), constraints)


def propose(store: SessionStore, method: str, size: int, *, by: Sequence[str] = (),
            seed: int = 0, together: Sequence[tuple[int, int]] = (),
            apart: Sequence[tuple[int, int]] = (), min_size: int | None = None,
            max_size: int | None = None) -> Proposal:
    """A proposal for the next round, from the session's present people, its
    history, its size bounds (widened to include `size`) and its stored rules."""
    inputs = proposal_inputs(store, size, together=together, apart=apart,
                             min_size=min_size, max_size=max_size)
    return inputs.form(method, size, by=by, seed=seed)


@dataclass(frozen=True)
class Applied:
    """What applying a proposal wrote, so it can be undone as one step."""

    batch: str
    round_id: int
    closed: tuple[int, ...]  # groups of that round left empty, hence closed
    created_round: bool = False  # the round was made for these groups
    closed_at: str = ""  # when it closed them (their undo expects to find it)

    def undo(self, store: SessionStore) -> bool:
        """Void the applied groups and reopen the ones it closed. A round that the
        apply created goes too, unless something came to use it meanwhile.
        Returns True when that round was removed."""
        undo_batch(store, self.batch, reopen=tuple((g, self.closed_at) for g in self.closed))
        return self.created_round and remove_unused_round(store, self.round_id, self.batch)


#: Tables whose rows say a round was used (besides groups, checked apart).
ROUND_USERS = ("interactions", "goals", "goal_history")


def remove_unused_round(store: SessionStore, round_id: int, batch: str) -> bool:
    """Delete a round nobody used: not started, not current, no interactions,
    goals or groups other than the voided ones of `batch`. Those voided groups
    stay in the file for the record, detached from the round that is gone.
    Returns False (and keeps the round) when anything uses it."""
    def body(conn: sqlite3.Connection) -> bool:
        row = conn.execute("SELECT started_at FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if row is None or row[0] is not None:
            return False
        if conn.execute("SELECT 1 FROM session WHERE current_round_id = ?", (round_id,)).fetchone():
            return False
        if conn.execute("SELECT 1 FROM groups WHERE round_id = ? AND (batch IS NOT ?"
                        " OR voided_at IS NULL) LIMIT 1", (round_id, batch)).fetchone():
            return False
        for table in ROUND_USERS:
            if conn.execute(f"SELECT 1 FROM {table} WHERE round_id = ? LIMIT 1",
                            (round_id,)).fetchone():
                return False
        conn.execute("UPDATE groups SET round_id = NULL WHERE round_id = ?", (round_id,))
        conn.execute("DELETE FROM rounds WHERE id = ?", (round_id,))
        return True

    return store.transact(body)


def apply_groups(store: SessionStore, groups: Sequence[Sequence[int]], formed_by: str,
                 names: Sequence[str] | None = None) -> Applied:
    """Make these the next round's groups, all in one batch (one undo step).

    They go to the round that starts next (next_round_id), else to a new round.
    Groups that round already had and that end up empty are closed."""
    if not any(groups):
        # Else an empty proposal would make a new, empty round.
        raise SessionError(NOBODY_PRESENT)
    batch = new_batch()

    def body(conn: sqlite3.Connection) -> Applied:
        round_id, created = next_or_new_round(conn)
        for index, members in enumerate(groups):
            name = names[index] if names else f"Group {index + 1}"
            group_id = insert_group(conn, name, round_id, formed_by, store.identity, batch)
            for pid in members:
                join_group(conn, pid, group_id, store.identity, batch)
        emptied = tuple(r[0] for r in conn.execute(
            "SELECT g.id FROM groups g WHERE g.round_id = ? AND g.closed_at IS NULL"
            " AND g.voided_at IS NULL AND g.batch IS NOT ? AND NOT EXISTS"
            " (SELECT 1 FROM current_members cm WHERE cm.group_id = g.id)", (round_id, batch)))
        at = now()
        for group_id in emptied:
            mark_closed(conn, group_id, at, store.identity)
        return Applied(batch, round_id, emptied, created, at)

    return store.transact(body)

"""Starting and ending rounds, as both screens and the CLI ask for them: the
question to confirm (a round changes for everyone in the room), the change, and
its undo."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.core.changes import Change
from facilitator.models.groups import groups_of_round
from facilitator.models.rounds import (
    current_round, end_round_change, get_round, next_round_id, rounds, start_round_change,
    undo_round_change)
from facilitator.models.store import SessionStore


@dataclass(frozen=True)
class RoundStep:
    """What ctrl+r (tally) or o (groups) would do now, asked before it is done."""

    ends: bool        # True: end the running round; False: start the next one
    question: str     # "Start Round 2 with its 4 groups now? Round 1 ends."


def next_round_name(store: SessionStore) -> str:
    """The name the next start gives: the next planned round, else 'Round N'
    (the same rule models.rounds.next_or_new_round writes)."""
    target = next_round_id(store)
    return get_round(store, target).name if target is not None else f"Round {len(rounds(store)) + 1}"


def start_question(store: SessionStore) -> str:
    target = next_round_id(store)
    ready = len(groups_of_round(store, target)) if target is not None else 0
    current = current_round(store)
    ends = f" {current.name} ends." if current is not None and current.running else ""
    groups = f" with its {ready} group{'s' if ready != 1 else ''}" if ready else " (no groups yet)"
    return f"Start {next_round_name(store)}{groups} now, for everyone?{ends}"


def round_step(store: SessionStore) -> RoundStep:
    """End the running round, or else start the next: what the round key offers."""
    current = current_round(store)
    if current is not None and current.running:
        return RoundStep(True, f"End {current.name} now, for everyone? Entries typed after"
                               " it ends are kept as 'between rounds'.")
    return RoundStep(False, start_question(store))


def start_next_round(store: SessionStore) -> tuple[str, Change]:
    """Start the next round (ending the running one): a sentence and its undo."""
    change = start_round_change(store)
    started = get_round(store, change.round_id)

    def undo() -> str:
        back = undo_round_change(store, change)
        return f"{back.name} is planned again."

    return f"{started.name} started.", Change(f"starting {started.name}", undo)


def end_running_round(store: SessionStore) -> tuple[str, Change | None]:
    """End the running round: a sentence and its undo (None: nothing was running)."""
    change = end_round_change(store)
    if change is None:
        return "No round is running.", None
    ended = get_round(store, change.round_id)

    def undo() -> str:
        back = undo_round_change(store, change)
        return f"{back.name} runs again."

    return (f"{ended.name} ended; entries from now on are 'between rounds'.",
            Change(f"ending {ended.name}", undo))


def take_round_step(store: SessionStore, step: RoundStep) -> tuple[str, Change | None]:
    """Do what round_step offered (after the facilitator confirmed it)."""
    return end_running_round(store) if step.ends else start_next_round(store)

"""Edits of the groups as the groups screen and the CLI ask for them: each one
writes in one transaction and returns a sentence and a Change whose undo checks,
inside its own write transaction, that nobody has changed the same people or
groups since (else it says who did, and writes nothing).

What was typed is read here too (models.group_input), so both front ends read
"al bs 2" and "Climate data @al" the same way."""

from __future__ import annotations

from collections.abc import Sequence

from facilitator.core.changes import Change
from facilitator.core import group_plans as plans
from facilitator.models.group_input import read_mentions, read_moves, read_pair, read_people
from facilitator.models.groups import (
    Group, close_group, get_group, merge_groups, move_people, new_batch, propose_topic,
    rename_group, split_group, undo_batch, ungroup)
from facilitator.models.rounds import get_round
from facilitator.models.store import SessionError, SessionStore


def _batch_change(store: SessionStore, what: str, batch: str,
                  reopen: tuple[tuple[int, str], ...] = ()) -> Change:
    return Change(what, lambda: undo_batch(store, batch, reopen=reopen))


def group_by_number(groups: Sequence[Group], number: int | None) -> Group:
    """The group a facilitator means by its number on screen (1 = the first)."""
    if number is None or not 1 <= number <= len(groups):
        raise SessionError(f"There is no group {number}; the groups are numbered 1 to"
                           f" {len(groups)}.")
    return groups[number - 1]


def new_topic(store: SessionStore, typed: str, round_id: int | None) -> tuple[str, Change]:
    """'Climate data @al': a topic proposed by its convener, who is in it."""
    said = read_mentions(store, typed)
    if len(said.people) > 1:
        raise SessionError("A topic has one convener: @code once.")
    batch = new_batch()
    group = propose_topic(store, said.text, round_id, said.people[0] if said.people else None,
                          batch)
    return f"Topic {group.name} is open.", _batch_change(store, f"topic {group.name}", batch)


def move(store: SessionStore, typed: str, groups: Sequence[Group]) -> tuple[str, Change]:
    """'al bs 2': people walk to group 2 (of the groups as numbered on screen)."""
    said = read_moves(store, typed)
    group = group_by_number(groups, said.number)
    batch = new_batch()
    move_people(store, list(said.people), group.id, batch)
    count = len(said.people)
    who = "1 person" if count == 1 else f"{count} people"
    return (f"Moved {who} to {group.name}.",
            _batch_change(store, f"the move to {group.name}", batch))


def leave(store: SessionStore, typed: str, round_id: int | None) -> tuple[str, Change]:
    """'al bs': they leave their group of the round and join none."""
    people = read_people(store, typed)
    batch = new_batch()
    left = [ungroup(store, pid, round_id, batch) for pid in people]
    if not any(g is not None for g in left):
        raise SessionError("None of them is in a group of this round.")
    return "Ungrouped.", _batch_change(store, "the ungrouping", batch)


def rename(store: SessionStore, group: Group, typed: str) -> tuple[str, Change]:
    """A group's topic, renamed; undone only while nobody renamed it again."""
    old = rename_group(store, group.id, typed)
    new = get_group(store, group.id).name
    return (f"Renamed {old} to {new}.",
            Change(f"renaming {old}", lambda: undo_batch(store, "", rename=((group.id, old, new),))))


def split(store: SessionStore, group: Group, typed: str) -> tuple[str, Change]:
    """'Data ethics @al @bs': they leave the group for a new one of the same round."""
    said = read_mentions(store, typed)
    batch = new_batch()
    made = split_group(store, group.id, said.text, list(said.people), batch)
    return f"{made.name} split from {group.name}.", _batch_change(store, f"the split into {made.name}", batch)


def merge(store: SessionStore, keep: Group, typed: str,
          groups: Sequence[Group]) -> tuple[str, Change]:
    """'3': group 3 joins `keep` and closes."""
    if not typed.strip().isdigit():
        raise SessionError("Type the number of the group to merge in, e.g. 3.")
    other = group_by_number(groups, int(typed))
    batch = new_batch()
    closed_at = merge_groups(store, keep.id, other.id, batch)
    return (f"{other.name} merged into {keep.name}.",
            _batch_change(store, f"merging {other.name}", batch, reopen=((other.id, closed_at),)))


def close(store: SessionStore, group: Group) -> tuple[str, Change]:
    """The group closes; its people are ungrouped."""
    batch = new_batch()
    closed_at = close_group(store, group.id, batch)
    return (f"Closed {group.name}; its people are ungrouped. ctrl+z undoes.",
            _batch_change(store, f"closing {group.name}", batch, reopen=((group.id, closed_at),)))


def apply_suggested(store: SessionStore, groups: Sequence[Sequence[int]],
                    method: str) -> tuple[str, Change, int]:
    """A suggested grouping becomes the next round's groups: a sentence, the undo
    (which also removes the round it made, if nothing used it) and that round."""
    applied = plans.apply_groups(store, groups, method)
    name = get_round(store, applied.round_id).name

    def undo() -> str:
        if not applied.undo(store):
            return f"{name} stays: it has started or holds entries." if applied.created_round else ""
        return f"{name}, made for these groups, is removed."

    return (f"Applied as the groups of {name}; move people with j, ctrl+z undoes.",
            Change(f"applying the {method} groups", undo), applied.round_id)


def suggestion_inputs(store: SessionStore, size: int) -> tuple[object, object, object]:
    """What the suggestions panel shows and forms its proposals from: the
    keep-together pairs, the keep-apart pairs and the ProposalInputs, each
    replaced by the sentence saying why it cannot be read."""
    found: list[object] = []
    for read in (lambda: plans.pair_rules(store, plans.KEEP_TOGETHER),
                 lambda: plans.pair_rules(store, plans.KEEP_APART),
                 lambda: plans.proposal_inputs(store, size)):
        try:
            found.append(read())
        except SessionError as error:
            found.append(str(error))
    return found[0], found[1], found[2]


def toggle_rule(store: SessionStore, way: str, typed: str) -> tuple[tuple[int, int], bool, Change]:
    """'al bs': keep two people together (or apart), or release them if they
    already are. Returns the pair, whether the rule is now on, and its undo."""
    key = plans.KEEP_TOGETHER if way == "together" else plans.KEEP_APART
    a, b = read_pair(store, typed)
    added = plans.toggle_pair_rule(store, key, a, b)

    def undo() -> None:
        plans.set_pair_rule(store, key, a, b, keep=not added, expect=added)

    return (a, b), added, Change(f"{'adding' if added else 'removing'} a keep-{way} rule", undo)

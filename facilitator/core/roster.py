"""Roster changes as the roster screen asks for them, each with a Change whose
undo refuses (naming what changed, writing nothing) once someone else has
changed the same participant since."""

from __future__ import annotations

from facilitator.core.changes import Change
from facilitator.models.records import Participant
from facilitator.models.roster import (
    add_participant, edit_participant, find_participant, get_participant, parse_tags,
    participants, pick_person, remove_fresh_participant, set_present)
from facilitator.models.roster_merge import (
    Removal, merge_participants, remove_participant, removal_of, undo_removal)
from facilitator.models.store import SessionError, SessionStore


def add(store: SessionStore, name: str, code: str, tags: str) -> tuple[str, Change]:
    """Someone joins the roster (a code is made for them if none is given)."""
    person = add_participant(store, name, parse_tags(tags), code or None)
    return (f"Added {person.name} with code {person.code}.",
            Change(f"adding {person.name}", lambda: remove_fresh_participant(store, person)))


def edit(store: SessionStore, person: Participant, name: str, code: str,
         tags: str) -> tuple[str, Change]:
    """A participant's name, code or tags, as typed in the form."""
    after = edit_participant(store, person.id, name=name, code=code or person.code,
                             tags=parse_tags(tags))

    def undo() -> None:
        edit_participant(store, person.id, name=person.name, code=person.code,
                         tags=dict(person.tags), expect=after)

    return f"Saved {after.name}.", Change(f"the edit of {person.name}", undo)


def toggle_presence(store: SessionStore, person: Participant) -> tuple[str, Change]:
    """Present becomes absent and back (from what the file says now)."""
    person = get_participant(store, person.id)
    after = set_present(store, person.id, not person.present)
    state = "present" if after.present else "absent"
    return (f"{after.name} is {state}.",
            Change(f"marking {person.name} {state}",
                   lambda: set_present(store, person.id, person.present, expect=after)))


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def remove(store: SessionStore, person: Participant | str) -> tuple[str, Change]:
    """Take a mistyped participant off the roster (only someone with nothing logged);
    by the record, or by name or code as typed."""
    if isinstance(person, str):
        person = find_participant(store, person)
    removal = remove_participant(store, person)
    return (f"Removed {person.name} ({person.code}) from the roster.",
            Change(f"removing {person.name}", lambda: _put_back(store, removal)))


def merge(store: SessionStore, source: Participant | str,
          into: Participant | str) -> tuple[str, Change]:
    """Two entries for one person: everything of the first becomes the second's
    (each by the record, or by name or code as typed)."""
    if isinstance(source, str):
        source = find_participant(store, source)
    if isinstance(into, str):
        # Someone else first: with the typo "Zoe Muler" merged away, "zoe" means Zoë
        # Müller; only if no one else fits, everyone (so "into themselves" is said).
        try:
            into = pick_person([p for p in participants(store) if p.id != source.id], into)
        except SessionError:
            into = find_participant(store, into)
    done = merge_participants(store, source, into)
    parts = [_counted(done.moved_entries, "entry", "entries"),
             _counted(done.moved_memberships, "membership", "memberships")]
    if done.moved_conveners:
        parts.append(_counted(done.moved_conveners, "convened topic", "convened topics"))
    if done.moved_goals:
        parts.append(_counted(done.moved_goals, "goal set", "goals set"))
    undone = (f" {_counted(done.voided_entries, 'entry', 'entries')} between the two"
              " (one addressing the other) undone." if done.voided_entries else "")
    return (f"Merged {source.name} ({source.code}) into {into.name} ({into.code}):"
            f" moved {', '.join(parts)}.{undone}",
            Change(f"merging {source.name} into {into.name}", lambda: _put_back(store, done)))


def _put_back(store: SessionStore, removal: Removal) -> str:
    back = undo_removal(store, removal)
    return f"{back.name} ({back.code}) is back on the roster."


def put_back(store: SessionStore, typed: str) -> str:
    """Undo the latest removal or merge of someone, by name or code (the CLI's
    `roster --restore`; the screens undo with ctrl+z)."""
    return _put_back(store, removal_of(store, typed))

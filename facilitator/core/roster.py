"""Roster changes as the roster screen asks for them, each with a Change whose
undo refuses (naming what changed, writing nothing) once someone else has
changed the same participant since."""

from __future__ import annotations

from facilitator.core.changes import Change
from facilitator.models.records import Participant
from facilitator.models.roster import (
    add_participant, edit_participant, get_participant, parse_tags, remove_fresh_participant, set_present)
from facilitator.models.store import SessionStore


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

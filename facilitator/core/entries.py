"""Correcting any entry, not only the last: void, restore, correct.

What the tally screen's list of recent entries and `facilitator void` / `restore`
call. Each returns the sentence to say and the Change that takes it back (undo and
redo through the screens' Change stacks). A correction is a void plus a new entry in
its place (models.interactions.correct_interaction); its undo brings the old entry
back and voids the new one, both or neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from facilitator.core.changes import Change
from facilitator.core.tally import entry_change
from facilitator.models.codebook import codebook
from facilitator.models.interactions import (
    correct_interaction, get_interaction, recent_interactions, restore_interaction,
    swap_interactions, void_interaction)
from facilitator.models.records import Interaction, Kind, Participant
from facilitator.models.roster import participants, pick_person
from facilitator.models.store import SessionError, SessionStore

#: How much of a note a sentence quotes ("Undid #4 (Ana → Bob, asked: about fun…)").
NOTE_IN_SENTENCE = 24
#: What a facilitator types for "addressed to the whole group" as the target.
WHOLE_GROUP_WORDS = frozenset({"", "group", "the group", "all", "everyone", "-"})


@dataclass(frozen=True)
class EntryLine:
    """One entry as the list of recent entries and the CLI show it."""

    entry: Interaction
    #: "Ana Lima → Bob Stone, asked", "silence (whole group)".
    what: str
    #: "10:32:05"
    time: str
    #: "logged by Ana", "undone by Bo", "corrects #12".
    state: str

    @property
    def voided(self) -> bool:
        return self.entry.voided_at is not None


class EntryNames:
    """The roster and codebook as they are now, to name entries with."""

    def __init__(self, store: SessionStore) -> None:
        self.people: dict[int, Participant] = {p.id: p for p in participants(store)}
        self.kinds: dict[str, Kind] = {k.name: k for k in codebook(store)}

    def person(self, person_id: int | None) -> str:
        if person_id is None:
            return "the group"
        found = self.people.get(person_id)
        return found.name if found else f"participant #{person_id}"

    def what(self, entry: Interaction, note_shown: int | None = None) -> str:
        """'Ana Lima → Bob Stone, asked', with the note after a colon (its first
        `note_shown` characters in a sentence, the whole of it in the list)."""
        kind = self.kinds.get(entry.kind)
        label = kind.label if kind else entry.kind
        if entry.source_id is None:
            text = f"{label} (whole group)"
        else:
            text = f"{self.person(entry.source_id)} → {self.person(entry.target_id)}, {label}"
        note = entry.note or ""
        if note_shown is not None and len(note) > note_shown:
            note = note[:note_shown].rstrip() + "…"
        return text + (f": {note}" if note else "")

    def line(self, entry: Interaction) -> EntryLine:
        if entry.voided_at is not None:
            state = f"undone by {entry.voided_by or 'someone'}"
        elif entry.replaces_id is not None:
            state = f"corrects #{entry.replaces_id}, by {entry.logged_by or 'someone'}"
        else:
            state = f"by {entry.logged_by or 'someone'}"
        return EntryLine(entry, self.what(entry), _clock(entry.at), state)


def _clock(at: str) -> str:
    """The local time of day of a stored timestamp (stored in UTC), as HH:MM:SS."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return at[:8]


def recent_lines(store: SessionStore, limit: int = 50) -> list[EntryLine]:
    """The newest entries, newest first, undone ones included (struck through)."""
    names = EntryNames(store)
    return [names.line(e) for e in recent_interactions(store, limit)]


# ---------------------------------------------------------------------- changes
def void_entry(store: SessionStore, entry_id: int) -> tuple[str, Change]:
    """Undo any entry (it stays in the log, marked void with who and when)."""
    names = EntryNames(store)
    entry = get_interaction(store, entry_id)
    what = f"#{entry_id} ({names.what(entry, NOTE_IN_SENTENCE)})"
    if entry.voided_at is not None:
        raise SessionError(f"{entry.voided_by or 'Someone'} already undid {what};"
                           " nothing was changed.")
    voided = void_interaction(store, entry_id, what, expect=entry.restored_at)
    return f"Undid {what}.", _voided_change(store, entry_id, what, voided.voided_at)


def restore_entry(store: SessionStore, entry_id: int) -> tuple[str, Change]:
    """Bring an undone entry back (it counts again; restored_at says who and when)."""
    names = EntryNames(store)
    entry = get_interaction(store, entry_id)
    what = f"#{entry_id} ({names.what(entry, NOTE_IN_SENTENCE)})"
    if entry.voided_at is None:
        raise SessionError(f"{what} counts already; nothing was changed.")
    back = restore_interaction(store, entry_id, what, expect=entry.voided_at)
    return f"Brought back {what}.", _restored_change(store, entry_id, what, back.restored_at)


def _voided_change(store: SessionStore, entry_id: int, what: str,
                   voided_at: str | None) -> Change:
    mine: dict[str, str | None] = {}  # the restored_at our undo wrote

    def undo() -> None:
        mine["at"] = restore_interaction(store, entry_id, what, expect=voided_at).restored_at

    def redo() -> Change:
        again = void_interaction(store, entry_id, what, expect=mine.get("at"))
        return _voided_change(store, entry_id, what, again.voided_at)

    return Change(f"undoing {what}", undo, redo)


def _restored_change(store: SessionStore, entry_id: int, what: str,
                     restored_at: str | None) -> Change:
    """Bringing an entry back is, for undo and redo, what logging it was: the
    entry's own Change (core.tally.entry_change), named for what was done."""
    return entry_change(store, entry_id, what, restored_at, doing=f"bringing back {what}")


def find_kind_typed(kinds: list[Kind], typed: str) -> Kind:
    """A kind by its name, label or key as typed (case-insensitive)."""
    text = " ".join(typed.split()).casefold()
    for kind in kinds:
        if text in (kind.name.casefold(), kind.label.casefold(), kind.key.casefold()):
            return kind
    choices = ", ".join(k.name for k in kinds)
    raise SessionError(f"{typed.strip()!r} is not a kind in this session's codebook ({choices}).")


def correct_entry(store: SessionStore, entry_id: int, kind_text: str, source_text: str,
                  target_text: str, note: str) -> tuple[str, Change]:
    """Correct an entry's kind, who, to whom or note, as typed (names as people type
    them, codes too; an empty target or "group" is the whole group)."""
    names = EntryNames(store)
    entry = get_interaction(store, entry_id)
    kinds = list(names.kinds.values())
    kind = find_kind_typed(kinds, kind_text) if kind_text.strip() else names.kinds.get(entry.kind)
    if kind is None:
        raise SessionError("Give the kind of the entry.")
    people = list(names.people.values())
    source = target = None
    if kind.scope == "pair":
        if not source_text.strip():
            raise SessionError(f"An entry of kind {kind.name!r} needs someone who did it.")
        source = pick_person(people, source_text)
        if " ".join(target_text.split()).casefold() not in WHOLE_GROUP_WORDS:
            target = pick_person(people, target_text)
    before = f"#{entry_id} ({names.what(entry, NOTE_IN_SENTENCE)})"
    old, new = correct_interaction(store, entry_id, kind=kind, source=source, target=target,
                                   note=note, what=before)
    after = f"#{new.id} ({names.what(new, NOTE_IN_SENTENCE)})"
    return (f"Corrected {before}: now {after}.",
            _corrected_change(store, old, new, before, after))


def _corrected_change(store: SessionStore, old: Interaction, new: Interaction,
                      before: str, after: str) -> Change:
    what = f"the correction of {before}"
    mine: dict[str, Interaction] = {}  # the two entries as our undo left them

    def undo() -> None:
        mine["new"], mine["old"] = swap_interactions(
            store, new.id, old.id, what=what, void_expect=new.restored_at,
            restore_expect=old.voided_at, doing="undone")

    def redo() -> Change:
        voided_old, restored_new = swap_interactions(
            store, old.id, new.id, what=what, void_expect=mine["old"].restored_at,
            restore_expect=mine["new"].voided_at, doing="redone")
        return _corrected_change(store, voided_old, restored_new, before, after)

    return Change(what, undo, redo)

"""Typing on the tally screen: participant codes (turn mode) and explicit entries
(who, kind, to whom, optional note). Kept apart from the drawing in tally.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.events import Key
from textual.widgets import Input

from facilitator.models.records import Kind, Participant
from facilitator.models.turns import resolve_code, rest_of_code

if TYPE_CHECKING:
    from facilitator.models.groups import Group
    from facilitator.models.store import SessionStore


@dataclass
class Draft:
    """An explicit entry being typed: who, kind, to whom, then an optional note."""

    step: str = "source"  # source -> kind -> target -> note
    source: Participant | None = None
    kind: Kind | None = None
    target: Participant | None = None


class NoteInput(Input):
    """The note of an explicit entry. When the target was picked by the first letters
    of their code and the rest of the code is typed anyway, those letters are
    swallowed here instead of starting the note."""

    swallow = ""

    async def _on_key(self, event: Key) -> None:
        if self.swallow and not self.value and event.character == self.swallow[0]:
            self.swallow = self.swallow[1:]
            event.stop()
            event.prevent_default()
            return
        self.swallow = ""
        await super()._on_key(event)


READ_ONLY = "Read-only session: nothing is logged (open it without --read-only)."


class TallyEntryMixin:
    """Key handling of TallyScreen: turns one code at a time, explicit entries."""

    if TYPE_CHECKING:  # provided by TallyScreen
        typed: str
        swallow: str
        draft: "Draft | None"
        kinds: list[Kind]
        turn: Kind | None
        people: dict[int, Participant]
        by_code: dict[str, Participant]

        def query_one(self, selector: object, expect_type: object = None) -> Input: ...
        def hint(self, message: str, *, error: bool = False) -> None: ...
        def observed_group(self) -> Group | None: ...
        def shown_people(self) -> list[Participant]: ...
        @property
        def store(self) -> SessionStore: ...
        def previous_speaker(self) -> int | None: ...
        def commit(self, kind: Kind, source: Participant | None, target: Participant | None,
                   note: str | None = None) -> None: ...
        def action_pause(self) -> None: ...

    # ---------------------------------------------------------------- typing
    def on_key(self, event: Key) -> None:
        """Lower-case letters are participant codes (and kind keys in explicit mode)."""
        if self.query_one("#tally-note", Input).has_focus:
            return
        char = event.character
        if char and len(char) == 1 and "a" <= char <= "z":
            event.stop()
            event.prevent_default()
            self.type_letter(char)

    def type_letter(self, char: str) -> None:
        if self.store.read_only:
            # Say it at the first letter, not after a whole code or entry was typed.
            self.typed, self.draft = "", None
            self.hint(READ_ONLY, error=True)
            return
        if self.swallow:
            # A code picked by its first letters, typed on in full: skip its letters.
            expected, self.swallow = self.swallow[0], self.swallow[1:]
            if char == expected:
                self.hint("")
                return
            self.swallow = ""
        if self.draft is not None and self.draft.step == "kind":
            kind = next((k for k in self.kinds if k.key == char and k.scope == "pair"), None)
            if kind is None:
                self.hint(f"{char!r} is not a kind key; see the keys below.", error=True)
                return
            self.draft.kind, self.draft.step = kind, "target"
            self.hint("")
            return
        self.typed += char
        state, code = self.resolve(self.typed)
        if state == "done" and code:
            self.swallow = rest_of_code(self.typed, code)
            self.take(self.by_code[code])
        elif state == "unknown":
            typed, self.typed = self.typed, ""
            self.hint(f"No one has the code {typed!r}; nothing logged.", error=True)
        elif state == "wait":
            self.hint(f"Enter takes {code!r}, or go on typing.")
        else:
            self.hint(self.candidates(self.typed))

    def resolve(self, typed: str) -> tuple[str, str | None]:
        """Turn mode: exact codes only (a fast typist's full code must never log two
        people). Explicit mode: the first letters of a code pick that person as soon as
        no one else shown (present, in the observed group) has a code starting so;
        other codes (absent people, other groups) still resolve when typed in full, so
        the hint can say why they cannot be logged."""
        if self.draft is not None:
            shown = {p.code for p in self.shown_people()}
            state, code = resolve_code(typed, shown, unique_prefix=True)
            if state != "unknown":
                return state, code
        return resolve_code(typed, set(self.by_code))

    def candidates(self, typed: str) -> str:
        """Explicit mode: whom the letters typed so far could still be."""
        if self.draft is None:
            return ""
        names = [p.name for p in self.shown_people() if p.code.startswith(typed)]
        more = f" +{len(names) - 3}" if len(names) > 3 else ""
        if not names:
            # Someone absent or in another group: say so, not a silent prompt.
            return f"{typed}…: no one shown here; type the whole code to see why."
        return f"{typed}…: {', '.join(names[:3])}{more}"

    def action_enter(self) -> None:
        self.swallow = ""
        if self.typed:
            state, code = self.resolve(self.typed)
            if code:
                self.take(self.by_code[code])
            else:
                typed, self.typed = self.typed, ""
                self.hint(f"No one has the code {typed!r}; nothing logged.", error=True)
        elif self.draft is not None and self.draft.step == "kind":
            self.draft.kind, self.draft.step = self.turn, "target"
            self.hint("")
        elif self.draft is not None and self.draft.step == "target":
            self.open_note()
        elif self.draft is None:
            self.action_pause()

    def action_backspace(self) -> None:
        self.swallow = ""
        self.typed = self.typed[:-1]
        self.hint("")

    def action_cancel(self) -> None:
        self.typed, self.draft, self.swallow = "", None, ""
        self.close_note()
        self.hint("")

    def take(self, person: Participant) -> None:
        """A complete code: a turn, or the next field of an explicit entry."""
        self.typed = ""
        problem = self.problem_with(person)
        if problem:
            self.hint(problem, error=True)
            return
        if self.draft is None:
            self.log_turn(person)
        elif self.draft.step == "source":
            self.draft.source, self.draft.step = person, "kind"
            self.hint("")
        elif self.draft.step == "target":
            if self.draft.source and person.id == self.draft.source.id:
                self.hint(f"{person.name} cannot address themselves; nothing logged.", error=True)
                return
            self.draft.target = person
            self.open_note()

    def problem_with(self, person: Participant) -> str:
        # "Nothing logged" first: at 80 columns the end of the line is cut off.
        if not person.present:
            return f"Nothing logged: {person.name} is marked absent (roster screen, 1)."
        group = self.observed_group()
        if group is not None and person.id not in group.member_ids:
            return f"Nothing logged: {person.name} is not in {group.name} (groups screen, 2)."
        return ""

    def log_turn(self, person: Participant) -> None:
        previous = self.previous_speaker()
        if previous == person.id:
            self.hint(f"{person.name} is already speaking; a turn goes to someone else.",
                      error=True)
            return
        target = self.people.get(previous) if previous is not None else None
        if target is not None and not target.present:
            target = None  # they left the room: the turn goes to the group
        if self.turn is not None:
            self.commit(self.turn, person, target)

    # ---------------------------------------------------------------- explicit entries
    def action_explicit(self) -> None:
        if self.store.read_only:
            self.hint(READ_ONLY, error=True)
            return
        self.typed, self.draft, self.swallow = "", Draft(), ""
        self.hint("")

    def open_note(self) -> None:
        assert self.draft is not None
        self.draft.step = "note"
        note = self.query_one("#tally-note", NoteInput)
        note.value = ""
        note.swallow, self.swallow = self.swallow, ""
        # Say so: a note starting with that letter would otherwise lose it unseen.
        note.placeholder = (f"note (optional): a first {note.swallow!r} is taken as the rest"
                            " of the code · Enter logs" if note.swallow
                            else "note (optional): Enter logs, Escape cancels")
        note.display = True
        note.focus()
        self.hint("")

    def close_note(self) -> None:
        note = self.query_one("#tally-note", Input)
        note.display = False
        self.query_one("#tally-left").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        draft = self.draft
        self.draft = None
        self.close_note()
        if draft is None or draft.source is None or draft.kind is None:
            self.hint("")
            return
        self.commit(draft.kind, draft.source, draft.target, note=event.value.strip() or None)

"""Keys to entries on the tally screen, as a pure state machine.

TallyKeys takes one key at a time (a single printable character, or a key name:
"enter", "backspace", "escape", "ctrl+z", "ctrl+y") and says what it means: log
this entry, pause the turn chain, observe another group, undo, redo. What is being
typed (the code so far, the explicit entry, its note) and what the prompt shows
are its state, so keys that arrive in one burst (a paste of keystrokes over SSH)
mean exactly what they mean one by one: there is no field that opens "later".

Turn mode (the default): a participant's full code is a turn. Codes are exact
here: consecutive letters are consecutive speakers. Where one code starts another
(an / ann), Enter takes the shorter one; so does any key that cannot continue it.

Explicit mode: `/ who kind whom [note] Enter`. Among the people shown (present,
in the observed group), the first letters of a code pick that person as soon as
no one else's code starts with them; the rest of the code, typed anyway, is
swallowed (also where such a letter is a kind key, or would start the note: the
prompt says which reading it took, before anything is written).

The person the entry names, the kind and the note are exactly what view() showed
when Enter was pressed: the Explicit outcome carries them.

Nothing here imports textual: a test drives it in microseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from facilitator.models.groups import Group
from facilitator.models.interactions import MAX_NOTE_LENGTH
from facilitator.models.names import search_key
from facilitator.models.records import Kind, Participant
from facilitator.models.store import READ_ONLY
from facilitator.models.text import visible

#: Keys the screen or the app use: a codebook key among them is not a state key.
RESERVED_KEYS = frozenset("/[]<> ?12345")
NOTE_SHOWN = 36  # the end of a long note is what the prompt shows


# ---------------------------------------------------------------------- outcomes
class Turn(NamedTuple):
    """A speaking turn by person, observed in group_id (None: the whole session).
    Whom it addresses is the turn chain's business (facilitator.core.tally)."""

    person: Participant
    group_id: int | None


class Explicit(NamedTuple):
    """An explicit entry, exactly as the prompt showed it (target None: the group)."""

    source: Participant
    kind: Kind
    target: Participant | None
    note: str | None
    group_id: int | None


class GroupState(NamedTuple):
    """A whole-group state (silence, cross-talk...): it takes no people."""

    kind: Kind
    group_id: int | None


class Pause(NamedTuple):
    """The next turn in this group addresses the whole group."""

    group_id: int | None


class Observe(NamedTuple):
    """The facilitator now observes this group (None: the whole session)."""

    group_id: int | None


class Command(NamedTuple):
    """A key for the screen: "undo" or "redo"."""

    name: str


Entry = Turn | Explicit | GroupState
Outcome = Turn | Explicit | GroupState | Pause | Observe | Command


class PromptView(NamedTuple):
    """What the prompt line shows: the mode, what is typed, the keys, a message."""

    mode: str          # "turn" or "explicit"
    typed: str         # the code so far, or the entry so far (names as they resolve)
    keys: str          # which keys do what now
    message: str = ""
    error: bool = False


# ---------------------------------------------------------------------- codes
def resolve_code(typed: str, codes: Iterable[str], *,
                 unique_prefix: bool = False) -> tuple[str, str | None]:
    """What a half-typed participant code means so far.

    Returns ("done", code) when typed is a code and no longer code starts with it,
    ("wait", code) when it is a code but also the start of a longer one (Enter
    takes it), ("more", None) when it is only the start of codes, and ("unknown",
    None) when no code starts with it. With unique_prefix, the start of exactly one
    code already picks it ("done")."""
    codes = set(codes)
    matches = [code for code in codes if code.startswith(typed)]
    longer = any(code != typed for code in matches)
    if typed in codes:
        return ("wait", typed) if longer else ("done", typed)
    if unique_prefix and len(matches) == 1:
        return ("done", matches[0])
    return ("more", None) if matches else ("unknown", None)


def rest_of_code(typed: str, code: str) -> str:
    """The letters of code still to come after typed: swallowed if typed next."""
    return code[len(typed):] if code.startswith(typed) else ""


def code_letter_of(key: str) -> str:
    """A letter typed with its accent (é, ø, ł) is the code letter it stands for;
    any other key, ASCII capitals included (R is the screen's), is itself."""
    if len(key) != 1 or key.isascii() or not key.isalpha():
        return key
    folded = search_key(key)
    return folded if len(folded) == 1 and is_code_letter(folded) else key


def is_code_letter(key: str) -> bool:
    return len(key) == 1 and "a" <= key <= "z"


# ---------------------------------------------------------------------- machine
@dataclass
class Draft:
    """An explicit entry being typed: who, kind, to whom, then an optional note."""

    step: str = "source"  # source -> kind -> target -> note
    source: Participant | None = None
    kind: Kind | None = None
    target: Participant | None = None
    note: str = ""
    #: The rest of a code picked by its first letters: skipped if typed next.
    swallow: str = ""
    #: Whose code `swallow` belongs to, for the prompt's explanation.
    swallow_code: str = ""


@dataclass
class TallyKeys:
    """The tally prompt's keys to outcomes. Attributes down (configure), outcomes
    out of press(); view() is what the prompt shows."""

    people: dict[str, Participant] = field(default_factory=dict)   # by code
    kinds: list[Kind] = field(default_factory=list)
    turn: Kind | None = None
    groups: list[Group] = field(default_factory=list)
    read_only: bool = False
    #: The observed group's id; None: the whole session.
    observed: int | None = None
    typed: str = ""
    draft: Draft | None = None
    message: str = ""
    error: bool = False

    # ------------------------------------------------------------ attributes down
    def configure(self, people: Iterable[Participant], kinds: list[Kind], turn: Kind | None,
                  groups: list[Group], read_only: bool) -> None:
        """What the file holds now: roster, codebook, the round's groups."""
        self.people = {p.code: p for p in people}
        self.kinds, self.turn, self.groups, self.read_only = kinds, turn, groups, read_only
        if self.observed is not None and self.observed not in {g.id for g in groups}:
            self.observed = None

    def say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    # ------------------------------------------------------------ lookups
    @property
    def observed_group(self) -> Group | None:
        return next((g for g in self.groups if g.id == self.observed), None)

    def shown_codes(self) -> set[str]:
        group = self.observed_group
        return {p.code for p in self.people.values()
                if p.present and (group is None or p.id in group.member_ids)}

    def state_keys(self) -> dict[str, Kind]:
        """Whole-group states, one punctuation key each."""
        return {k.key: k for k in self.kinds if k.scope == "group" and len(k.key) == 1
                and not k.key.isalnum() and k.key not in RESERVED_KEYS}

    def pair_kind(self, key: str) -> Kind | None:
        return next((k for k in self.kinds if k.key == key and k.scope == "pair"), None)

    # ------------------------------------------------------------ the one entry point
    def press(self, key: str) -> list[Outcome] | None:
        """Handle one key; returns its outcomes, or None when the key is not the
        prompt's (the screen or the app may use it: digits, ?, R, ctrl+r...)."""
        self.message, self.error = "", False
        if key in ("ctrl+z", "ctrl+y"):
            return [Command("undo" if key == "ctrl+z" else "redo")]
        draft = self.draft
        if draft is not None and draft.step == "note":
            return self._note_key(draft, key)
        if draft is not None and len(key) == 1 and "A" <= key <= "Z":
            key = key.lower()  # caps lock in an explicit entry: codes and kinds are lower case
        key = code_letter_of(key)  # é, ø, ł typed on a keyboard that has them
        if key in ("[", "]"):
            return self._observe(-1 if key == "[" else 1)
        if key == "escape":
            if not self.typed and draft is None:
                return None
            self.typed, self.draft = "", None
            self.say("Cancelled; nothing logged.")
            return []
        if key == "backspace":
            self._backspace()
            return []
        entry_key = (is_code_letter(key) or key in ("/", " ", "enter")
                     or key in self.state_keys())
        if not entry_key:
            return None
        if self.read_only:
            # At the first key, not after a whole code or entry was typed.
            self.typed, self.draft = "", None
            self.say(READ_ONLY, error=True)
            return []
        if draft is None:
            return self._turn_key(key)
        return self._explicit_key(draft, key)

    # ------------------------------------------------------------ turn mode
    def _turn_key(self, key: str) -> list[Outcome]:
        out: list[Outcome] = []
        if is_code_letter(key):
            return self._turn_letter(key)
        if key == "/":
            out += self._finish_typed()
            self.draft = Draft()
            return out
        if key in (" ", "enter"):
            if self.typed:  # Enter takes a code that starts another (an / ann)
                return self._finish_typed()
            self.say("Pause: the next turn addresses the whole group.")
            return [Pause(self.observed)]
        kind = self.state_keys().get(key)
        if kind is not None:
            out += self._finish_typed()
            out.append(GroupState(kind, self.observed))
        return out

    def _turn_letter(self, char: str) -> list[Outcome]:
        typed = self.typed + char
        state, code = resolve_code(typed, self.people)
        if state == "unknown" and self.typed and self.typed in self.people:
            # "an" waited for Enter (ann exists); a letter that continues no code ends it.
            out = self._take_turn(self.people[self.typed])
            return out + self._turn_letter(char)
        self.typed = typed
        if state == "done" and code:
            return self._take_turn(self.people[code])
        if state == "unknown":
            self.typed = ""
            self.say(f"No one has the code {typed!r}; nothing logged.", error=True)
        elif state == "wait":
            self.say(f"Enter takes {code!r}, or go on typing.")
        return []

    def _finish_typed(self) -> list[Outcome]:
        """A key that ends the code typed so far: take it if it is a code."""
        typed, self.typed = self.typed, ""
        if not typed:
            return []
        if typed in self.people:
            return self._take_turn(self.people[typed])
        self.say(f"No one has the code {typed!r}; nothing logged.", error=True)
        return []

    def _take_turn(self, person: Participant) -> list[Outcome]:
        self.typed = ""
        problem = self.problem_with(person)
        if problem:
            self.say(problem, error=True)
            return []
        return [Turn(person, self.observed)]

    def problem_with(self, person: Participant) -> str:
        # "Nothing logged" first: at 80 columns the end of the line is cut off.
        if not person.present:
            return f"Nothing logged: {person.name} is marked absent (roster screen, 1)."
        group = self.observed_group
        if group is not None and person.id not in group.member_ids:
            return f"Nothing logged: {person.name} is not in {group.name} (groups screen, 2)."
        return ""

    # ------------------------------------------------------------ explicit mode
    def _explicit_key(self, draft: Draft, key: str) -> list[Outcome]:
        if key == "/":
            self.typed, self.draft = "", Draft()
            self.say("Explicit entry started again.")
            return []
        if key in self.state_keys():
            self.say("Finish this entry with Enter, or Escape it, before a whole-group state.",
                     error=True)
            return []
        if is_code_letter(key) and draft.swallow:
            expected, draft.swallow = draft.swallow[0], draft.swallow[1:]
            if key == expected:
                self._explain_swallow(draft, key)
                return []
            draft.swallow = ""
        if draft.step == "kind":
            return self._kind_key(draft, key)
        if is_code_letter(key):
            return self._explicit_letter(draft, key)
        # Enter or space, at "who" or "to whom".
        if self.typed:
            code = self.typed if self.typed in self.people else None
            return self._take_code(draft, code, self.typed)
        if draft.step == "target":
            draft.step = "note"  # space or Enter: the whole group
            return []
        self.say("Who first: the first letters of their code.", error=True)
        return []

    def _explain_swallow(self, draft: Draft, key: str) -> None:
        reading = ""
        if draft.step == "kind" and self.pair_kind(key):
            reading = f" (not {self.pair_kind(key).name})"  # type: ignore[union-attr]
        elif draft.step == "note":
            reading = " (not the note)"
        self.say(f"{key!r} taken as the rest of {draft.swallow_code}{reading}.")

    def _kind_key(self, draft: Draft, key: str) -> list[Outcome]:
        if key == "enter":
            if self.turn is None:
                self.say("The codebook has no kind between people.", error=True)
                return []
            draft.kind, draft.step, draft.swallow = self.turn, "target", ""
            return []
        kind = self.pair_kind(key) if is_code_letter(key) else None
        if kind is None:
            self.say(f"{key!r} is not a kind key; see the keys below.", error=True)
            return []
        draft.kind, draft.step, draft.swallow = kind, "target", ""
        return []

    def _explicit_letter(self, draft: Draft, char: str) -> list[Outcome]:
        typed = self.typed + char
        state, code = self.resolve(typed)
        if state == "unknown" and self.typed and self.typed in self.people:
            # A code that waited for Enter, ended by a letter that continues none.
            out = self._take_code(draft, self.typed, self.typed)
            return out + self._explicit_key(draft, char)
        self.typed = typed
        if state == "done" and code:
            return self._take_code(draft, code, typed)
        if state == "unknown":
            self.typed = ""
            self.say(f"No one has the code {typed!r}; nothing logged.", error=True)
        elif state == "wait":
            self.say(f"Enter takes {code!r}, or go on typing.")
        else:
            self.say(self.candidates(typed))
        return []

    def resolve(self, typed: str) -> tuple[str, str | None]:
        """Explicit mode: unique prefixes among the people shown; other codes (absent
        people, other groups) still resolve typed in full, so the hint can say why
        they cannot be logged."""
        state, code = resolve_code(typed, self.shown_codes(), unique_prefix=True)
        if state != "unknown":
            return state, code
        return resolve_code(typed, self.people)

    def candidates(self, typed: str) -> str:
        shown = self.shown_codes()
        names = sorted(p.name for p in self.people.values()
                       if p.code in shown and p.code.startswith(typed))
        if not names:
            return f"{typed}…: no one shown here; type the whole code to see why."
        more = f" +{len(names) - 3}" if len(names) > 3 else ""
        return f"{typed}…: {', '.join(names[:3])}{more}"

    def _take_code(self, draft: Draft, code: str | None, typed: str) -> list[Outcome]:
        self.typed = ""
        if code is None:
            self.say(f"No one has the code {typed!r}; nothing logged.", error=True)
            return []
        person = self.people[code]
        problem = self.problem_with(person)
        if problem:
            self.say(problem, error=True)
            return []
        rest = rest_of_code(typed, code)
        if draft.step == "source":
            draft.source, draft.step = person, "kind"
        else:
            if draft.source is not None and person.id == draft.source.id:
                self.say(f"{person.name} cannot address themselves; nothing logged.", error=True)
                return []
            draft.target, draft.step = person, "note"
        draft.swallow, draft.swallow_code = rest, code
        return []

    # ------------------------------------------------------------ the note
    def _note_key(self, draft: Draft, key: str) -> list[Outcome] | None:
        if key == "enter":
            self.draft = None
            assert draft.source is not None and draft.kind is not None
            note = " ".join(draft.note.split()) or None
            return [Explicit(draft.source, draft.kind, draft.target, note, self.observed)]
        if key == "escape":
            self.draft = None
            self.say("Cancelled; nothing logged.")
            return []
        if key == "backspace":
            if draft.note:
                draft.note = draft.note[:-1]
            else:
                draft.step, draft.target, draft.swallow = "target", None, ""
            return []
        if len(key) != 1 or not key.isprintable():
            return [] if key in ("tab",) else None
        if draft.swallow and not draft.note and code_letter_of(key.lower()) == draft.swallow[0]:
            draft.swallow = draft.swallow[1:]
            self._explain_swallow(draft, key)
            return []
        draft.swallow = ""
        self._add_to_note(draft, key)
        return []

    def paste(self, text: str) -> None:
        """A paste goes into an open note; anywhere else it is never a run of codes
        (logging from the clipboard could put anything in the log)."""
        self.message, self.error = "", False
        draft = self.draft
        if draft is None or draft.step != "note":
            self.say("Pasted text is ignored here; type the codes.", error=True)
            return
        draft.swallow = ""
        self._add_to_note(draft, visible(" ".join(text.split())))

    def _add_to_note(self, draft: Draft, text: str) -> None:
        room = MAX_NOTE_LENGTH - len(draft.note)
        if len(text) > room:
            self.say(f"A note holds at most {MAX_NOTE_LENGTH} characters.", error=True)
        draft.note += text[:max(room, 0)]

    # ------------------------------------------------------------ moving about
    def _backspace(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]
            return
        draft = self.draft
        if draft is None:
            return
        draft.swallow = ""
        if draft.step == "target":
            draft.step, draft.kind = "kind", None
        elif draft.step == "kind":
            draft.step, draft.source = "source", None

    def _observe(self, step: int) -> list[Outcome]:
        choices: list[int | None] = [None] + [g.id for g in self.groups]
        index = choices.index(self.observed) if self.observed in choices else 0
        self.observed = choices[(index + step) % len(choices)]
        dropped = bool(self.typed or self.draft)
        self.typed, self.draft = "", None
        group = self.observed_group
        self.say(f"Observing {group.name if group else 'the whole session'}."
                 + (" The entry being typed was dropped." if dropped else ""))
        return [Observe(self.observed)]

    # ------------------------------------------------------------ what the prompt shows
    def view(self) -> PromptView:
        draft = self.draft
        if draft is None:
            states = "  ".join(f"{k} {kind.label}" for k, kind in self.state_keys().items())
            keys = f"full code = turn · space pause · / explicit · {states}".rstrip(" ·")
            if self.read_only:
                keys = "read-only: nothing can be logged · [ ] switch group · R counts"
            return PromptView("turn", self.typed, keys, self.message, self.error)
        parts = [f"{draft.source.code} {draft.source.name}" if draft.source else "",
                 draft.kind.name if draft.kind else "",
                 f"{draft.target.code} {draft.target.name}" if draft.target
                 else "the group" if draft.step == "note" else ""]
        typed = " · ".join(x for x in parts if x)
        if self.typed:
            typed = f"{typed} · {self.typed}" if typed else self.typed
        pending = (f" · a first {draft.swallow[0]!r} is the rest of {draft.swallow_code}"
                   if draft.swallow else "")
        if draft.step == "source":
            keys = "who: first letters of a code are enough · Escape cancels"
        elif draft.step == "kind":
            # Single spaces and no label: at 80 columns the whole default codebook
            # fits, to "x cut-off" (the step is plain from the prompt: who, then kind).
            keys = " ".join(f"{k.key} {k.name}" for k in self.kinds
                            if k.scope == "pair") + " · Enter = turn" + pending
        elif draft.step == "target":
            keys = "to whom: first letters, or space for the whole group · Escape cancels"
        else:
            note = draft.note if len(draft.note) <= NOTE_SHOWN else "…" + draft.note[-NOTE_SHOWN:]
            typed = f"{typed} · note: {note}"
            keys = "note (optional) · Enter logs · Escape cancels" + pending
        return PromptView("explicit", typed, keys, self.message, self.error)


def keys_of(text: str) -> list[str]:
    """Keys as one string, for tests and scripts: \\r or \\n is Enter, \\b is
    Backspace, \\x1b is Escape, anything else the character itself."""
    names = {"\r": "enter", "\n": "enter", "\b": "backspace", "\x1b": "escape"}
    return [names.get(ch, ch) for ch in text]

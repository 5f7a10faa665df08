"""The tally prompt: owns the keys-to-entries state machine (core.tally_keys) and
shows it; posts what the keys mean to the screen as messages, in the order typed.

It keeps the focus on the tally screen and handles every key that can make or
shape an entry itself, the note included (there is no separate field that opens
and closes), so keys that arrive in one burst are each handled in order by this
one receiver. Keys it does not take (digits, ?, R, ctrl+r...) bubble on to the
screen's and the app's bindings."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message

from facilitator.core.tally_keys import (
    Command, Entry, Explicit, GroupState, Observe, Outcome, Pause, PromptView, TallyKeys, Turn)
from facilitator.models.groups import Group
from facilitator.models.records import Kind, Participant
from facilitator.widgets.tally_panels import Panel


class TallyPrompt(Panel):
    """What is being typed, and which keys do what in the current mode."""

    can_focus = True

    class LogEntry(Message):
        """Log this entry, exactly as the prompt showed it. The prompt is not redrawn
        for the key that made it: whoever logs it calls `draw()` after the write, so
        the prompt and the counts that moved reach the terminal in the same frame
        (drawn first, the prompt would go out a frame ahead of them)."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class Paused(Message):
        """The next turn in this group addresses the whole group."""

        def __init__(self, group_id: int | None) -> None:
            super().__init__()
            self.group_id = group_id

    class Observed(Message):
        """The facilitator switched the observed group."""

        def __init__(self, group_id: int | None) -> None:
            super().__init__()
            self.group_id = group_id

    class Commanded(Message):
        """ctrl+z / ctrl+y, in the order typed: "undo" or "redo"."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = TallyKeys()
        """The state machine: what is typed, the observed group, the message."""

    @property
    def observed(self) -> int | None:
        """The observed group's id (None: the whole session)."""
        return self.keys.observed

    # ------------------------------------------------------------ attributes down
    def configure(self, people: list[Participant], kinds: list[Kind], turn: Kind | None,
                  groups: list[Group], read_only: bool) -> None:
        self.keys.configure(people, kinds, turn, groups, read_only)
        self.draw()

    def say(self, message: str, error: bool = False) -> None:
        """A short message in the prompt line (no toast piling up while typing)."""
        self.keys.say(message, error)
        self.draw()

    # ------------------------------------------------------------ keys in
    async def _on_key(self, event: events.Key) -> None:
        if self.press_key(key_token(event)):
            event.stop()
            event.prevent_default()

    def press_key(self, key: str) -> bool:
        """One key through the state machine; True when it was the prompt's."""
        outcomes = self.keys.press(key)
        if outcomes is None:
            return False
        messages = [_message(outcome) for outcome in outcomes]
        for message in messages:
            self.post_message(message)
        if not any(isinstance(m, TallyPrompt.LogEntry) for m in messages):
            self.draw()
        return True

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.keys.paste(event.text)
        self.draw()

    # ------------------------------------------------------------ drawing
    def draw(self) -> None:
        if self.is_mounted:
            self.show_view(self.keys.view())

    def show_view(self, view: PromptView) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {view.mode} ", style="reverse")
        text.append(" ")
        text.append(view.typed, style="bold")
        text.append("▏")
        if view.message:
            text.append("  ")
            text.append(view.message)
        text.append("\n")
        text.append(view.keys, style="dim")
        self.set_class(view.error, "-error")
        self.show_text(text)

    def on_mount(self) -> None:
        self.draw()


def key_token(event: events.Key) -> str:
    """What the state machine reads: the character typed, or the key's name."""
    character = event.character
    if character and len(character) == 1 and character.isprintable():
        return character
    return event.key


def _message(outcome: Outcome) -> Message:
    if isinstance(outcome, (Turn, Explicit, GroupState)):
        return TallyPrompt.LogEntry(outcome)
    if isinstance(outcome, Pause):
        return TallyPrompt.Paused(outcome.group_id)
    if isinstance(outcome, Observe):
        return TallyPrompt.Observed(outcome.group_id)
    assert isinstance(outcome, Command)
    return TallyPrompt.Commanded(outcome.name)

"""The goals screen's entry line: a prompt and one EntryLine, owning which entry
(core.goals.Entry) it collects. It posts GoalsEntry.Entered with the entry and
the text as typed; the screen writes it through the core."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Label

from facilitator.core.goals import Entry
from facilitator.widgets.entry_line import EntryLine


class GoalsEntry(Horizontal):
    """Above the card, where notifications never cover it."""

    @dataclass
    class Entered(Message):
        entry: Entry
        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The entry the keys typed now go to (as the app routes them), if open.
        self.routed: Entry | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="goals-entry-prompt")
        yield EntryLine(id="goals-entry-input")

    @property
    def line(self) -> EntryLine:
        return self.query_one(EntryLine)

    @property
    def accepting(self) -> bool:
        return self.is_mounted and self.line.accepting

    def show_prompt(self, prompt: str) -> None:
        self.query_one("#goals-entry-prompt", Label).update(Content(prompt))

    def open(self, entry: Entry, value: str = "", *, select: bool = True) -> None:
        """Collect `entry`; keys from now on go into the line."""
        self.routed = entry
        self.show_prompt(entry.prompt)
        self.add_class("open")
        self.line.open(entry, value, select=select)

    def seal(self, then: Entry | None = None) -> None:
        """Enter: what was typed is entered; with `then` the line stays open for it."""
        self.line.seal(then)
        self.routed = then
        if then is None:
            self.remove_class("open")
        else:
            self.show_prompt(then.prompt)

    def cancel(self) -> None:
        self.line.cancel()
        self.routed = None
        self.remove_class("open")

    def on_entry_line_entered(self, event: EntryLine.Entered) -> None:
        event.stop()
        if isinstance(event.purpose, Entry):
            self.post_message(self.Entered(event.purpose, event.text))

    def on_entry_line_cancelled(self, event: EntryLine.Cancelled) -> None:
        event.stop()

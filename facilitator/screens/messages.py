"""The log of messages: every hint the app showed this session, newest first,
since only one is on screen at a time (a newer one replaces the older)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class Said(NamedTuple):
    """One message as it was shown: when (local HH:MM:SS), how serious, what."""

    at: str
    severity: str
    text: str


class MessagesScreen(ModalScreen[None]):
    """Escape, q or ctrl+l closes it."""

    BINDINGS = [Binding("escape,q,ctrl+l", "close", "Close messages", id="messages.close")]
    DEFAULT_CSS = """
    MessagesScreen { align: center middle; }
    MessagesScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, said: Sequence[Said]) -> None:
        super().__init__()
        self.said = list(said)

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Messages, newest first (Escape closes)\n", style="bold underline")
        if not self.said:
            text.append("No messages yet.")
        for item in reversed(self.said):
            text.append(f"{item.at} ", style="bold")
            marks = {"error": "! ", "warning": "* "}
            text.append(marks.get(item.severity, "  "), style="bold")
            text.append(f"{item.text}\n")  # user text inside is never markup: Text.append
        with VerticalScroll():
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)

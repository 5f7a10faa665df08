"""The header on every screen: session title, current round with its remaining
time, and who else is connected."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class SessionHeader(Static):
    """One line; every part of it comes from the file, so co-facilitators agree."""

    DEFAULT_CSS = """
    SessionHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    _shown = ""

    def show(self, title: str, screen: str, round_text: str, others: list[str], me: str,
             read_only: bool, overtime: bool) -> None:
        """Redraw from plain values; user text is never markup."""
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(title, style="bold")
        line.append(f"  [{screen}]")
        if round_text:
            line.append("  ")
            line.append(round_text, style="reverse" if overtime else "")
        line.append("  you: ")
        line.append(me)
        if read_only:
            line.append(" (read-only)")
        if others:
            line.append("  with: ")
            line.append(", ".join(others))
        # Called on every write and every second: repaint only when the text
        # changed, and never re-layout the screen for a one-line header.
        if line.plain != self._shown:
            self._shown = line.plain
            self.update(line, layout=False)

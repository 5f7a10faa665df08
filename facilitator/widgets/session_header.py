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
    _last: tuple[str, str, str, list[str], str, bool, bool, bool] | None = None

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last[:7], shared_identity=self._last[7])

    def show(self, title: str, screen: str, round_text: str, others: list[str], me: str,
             read_only: bool, overtime: bool, *, shared_identity: bool = False) -> None:
        """Redraw from plain values; user text is never markup. shared_identity: another
        process works under the same name, so their entries and ours look alike."""
        self._last = (title, screen, round_text, others, me, read_only, overtime, shared_identity)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"  [{screen}]")
        if round_text:
            line.append("  ")
            line.append(round_text, style="reverse" if overtime else "")
        line.append("  you: ")
        line.append(me)
        if read_only:
            line.append(" (read-only)")
        if shared_identity:
            line.append(" (name open twice: use --as)", style="reverse")
        if others:
            line.append("  with: ")
            line.append(", ".join(others))
        # The title gives way first: at 80 columns a long title used to push
        # "with: <co-facilitator>" off the line, hiding who else is logging.
        title_text = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
        width = self.content_size.width
        if width:
            title_text.truncate(max(12, width - line.cell_len), overflow="ellipsis")
        line = title_text + line
        # Called on every write and every second: repaint only when the text
        # changed, and never re-layout the screen for a one-line header.
        if line.plain != self._shown:
            self._shown = line.plain
            self.update(line, layout=False)

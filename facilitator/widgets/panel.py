"""A Static that costs what changed: the side panels of the tally and network
screens are Panels."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class Panel(Static):
    """A Static that redraws only when its text changed, and asks for a new layout
    only when its number of lines changed: a keystroke repaints, not reflows."""

    _shown: Text | None = None

    _lines = 0

    def show_text(self, text: Text) -> None:
        if self._shown is not None and text == self._shown:
            return
        # Lines as drawn, wrapping included: a name list that wraps onto one more
        # line needs a taller panel even when it has no more newlines.
        width = self.content_region.width
        if text.no_wrap:  # one line per newline, cut at the edge: no need to wrap
            lines = text.plain.count("\n") + 1
        else:
            lines = len(text.wrap(self.app.console, width)) if width > 0 else -1
        layout = self._shown is None or lines != self._lines or lines < 0
        self._shown, self._lines = text, lines
        self.update(text, layout=layout)

    def wait(self) -> None:
        """While the session's log is still being read: say so, show no figure."""
        self.show_text(Text("…", style="dim"))

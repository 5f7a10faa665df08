"""The reference every screen's keystroke is measured against: a bare Textual app
in which any key changes one line of text."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """A key press changes one line of text; nothing else happens."""

    count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def on_key(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))

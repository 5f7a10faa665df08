"""The reference apps of the screen figures, run in tmux like facilitator:

    python bench/bare_app.py keys          a key press changes one line of text
    python bench/bare_app.py poll FILE     shows how many rows FILE's interactions
                                           table has, re-read when PRAGMA data_version
                                           changes, polled four times a second

Both show "bare ready" once painted: what a bare Textual app costs to start, to
handle a key and to follow a file, with nothing of facilitator in it."""

from __future__ import annotations

import sqlite3
import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Bare(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.count = 0
        self.version = -1

    def compose(self) -> ComposeResult:
        yield Static("bare ready", id="title")
        yield Static("0", id="count")
        yield Footer()

    def on_mount(self) -> None:
        if self.path:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            self.set_interval(0.25, self.poll)
            self.poll()

    def poll(self) -> None:
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            self.version = version
            rows = self.conn.execute("SELECT MAX(id) FROM interactions").fetchone()[0]
            self.query_one("#count", Static).update(f"{rows} entries")

    def on_key(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(f"{self.count} keys")


if __name__ == "__main__":
    Bare(sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "poll" else None).run()

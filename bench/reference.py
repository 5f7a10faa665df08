"""The references figures are measured against: a bare Textual app in which any key
changes one line of text (for keystrokes), and a plain sqlite3 insert committed as
durably as ours (for writes)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

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


def committed_insert_seconds(path: Path, n: int) -> float:
    """Seconds per plain sqlite3 insert of one small row, each in its own BEGIN
    IMMEDIATE ... COMMIT, WAL and synchronous=FULL like a session file."""
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (at TEXT, a INTEGER, b INTEGER, kind TEXT)")
        t0 = time.perf_counter()
        for i in range(n):
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO t VALUES (?, ?, ?, ?)", ("x", i, i + 1, "speak"))
            raw.execute("COMMIT")
        return (time.perf_counter() - t0) / n
    finally:
        raw.close()

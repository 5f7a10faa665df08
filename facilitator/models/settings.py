"""The `settings` key-value table: session state that has no column of its own
(the grouping rules, the network layout's fingerprint and seed). Keys are
namespaced by feature, e.g. `grouping.keep_apart`, `network.layout_seed`."""

from __future__ import annotations

import sqlite3

from facilitator.models.store import SessionStore


def get_setting(store: SessionStore, key: str) -> str | None:
    """A setting's value, or None when it is not set."""
    value = store.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    return None if value is None else str(value)


def read_setting(conn: sqlite3.Connection, key: str) -> str | None:
    """A setting's value inside the caller's transaction (to change it by it)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def write_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Set a value inside the caller's transaction; None removes the key."""
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

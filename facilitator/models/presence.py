"""Who else is working on the session: each process refreshes a presence row every
few seconds; rows older than PRESENCE_TIMEOUT count as gone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from facilitator.models.store import SessionStore, now

PRESENCE_TIMEOUT = timedelta(seconds=15)


def touch_presence(store: SessionStore, screen: str) -> None:
    """Say that this process is here, on this screen."""
    if store.read_only:
        return
    at = now()
    store.transact(lambda c: c.execute(
        "INSERT INTO presence (host, pid, who, screen, started_at, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (host, pid) DO UPDATE"
        " SET who = excluded.who, screen = excluded.screen, last_seen = excluded.last_seen",
        (store.host, store.pid, store.identity, screen, at, at)))


def leave_presence(store: SessionStore) -> None:
    if store.read_only:
        return
    store.transact(lambda c: c.execute(
        "DELETE FROM presence WHERE host = ? AND pid = ?", (store.host, store.pid)))


def others_present(store: SessionStore) -> list[tuple[str, str]]:
    """(who, screen) of the other processes seen recently, by name."""
    since = (datetime.now(timezone.utc) - PRESENCE_TIMEOUT).isoformat(timespec="milliseconds")
    rows = store.rows(
        "SELECT who, screen FROM presence WHERE last_seen >= ? AND NOT (host = ? AND pid = ?)"
        " ORDER BY who", (since, store.host, store.pid))
    return [(r["who"], r["screen"] or "") for r in rows]

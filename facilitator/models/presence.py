"""Who is working on the session right now.

Each process keeps one row in the presence table: written when it opens, refreshed by
a heartbeat every PRESENCE_HEARTBEAT seconds, deleted the moment it exits (cleanly or
on SIGHUP/SIGTERM). A process that cannot say goodbye (SIGKILL, a frozen or stopped
process, a lost machine) stops refreshing its row; a row older than PRESENCE_STALE is
not shown, and whoever sees it deletes it, so the table holds only who is here now.
Who worked on the session over time is in `logged_by`, not here.

Read-only processes are present too: an observer who opened the session with
--read-only writes its presence row through a connection of its own (the session's
data stays untouched). Only a process that cannot write the file at all (the file
system says no) has no row.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from facilitator.models.store import SessionError, SessionStore, now

#: How often a process refreshes its row.
PRESENCE_HEARTBEAT = 2.5
#: A row not refreshed for this long is gone: three missed heartbeats, so a busy
#: machine does not drop someone who is there, and a killed process disappears
#: from everyone's header within 10 s (7.5 s + the header's 1 s refresh).
PRESENCE_STALE = timedelta(seconds=7.5)
#: Shown after the screen for a read-only process, e.g. "obs (tally, read-only)".
READ_ONLY_MARK = ", read-only"
#: How long a presence write waits for another process's lock before it is skipped.
COURTESY_WAIT_MS = 100


def _since() -> str:
    return (datetime.now(timezone.utc) - PRESENCE_STALE).isoformat(timespec="milliseconds")


def touch_presence(store: SessionStore, screen: str) -> None:
    """Say that this process is here, on this screen (a writable store)."""
    at = now()
    store.transact(lambda c: c.execute(
        "INSERT INTO presence (host, pid, who, screen, started_at, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (host, pid) DO UPDATE"
        " SET who = excluded.who, screen = excluded.screen, last_seen = excluded.last_seen",
        (store.host, store.pid, store.identity, screen, at, at)))


def leave_presence(store: SessionStore) -> None:
    """Take this process's row away (a writable store)."""
    store.transact(lambda c: c.execute(
        "DELETE FROM presence WHERE host = ? AND pid = ?", (store.host, store.pid)))


def drop_stale_presence(store: SessionStore) -> int:
    """Delete the rows of processes that stopped refreshing them; how many went."""
    since = _since()
    return store.transact(lambda c: c.execute(
        "DELETE FROM presence WHERE last_seen < ?", (since,)).rowcount)


def others_present(store: SessionStore) -> list[tuple[str, str]]:
    """(who, screen) of the other processes that are here now, by name."""
    rows = store.rows(
        "SELECT who, screen FROM presence WHERE last_seen >= ? AND NOT (host = ? AND pid = ?)"
        " ORDER BY who", (_since(), store.host, store.pid))
    return [(r["who"], r["screen"] or "") for r in rows]


def stale_rows(store: SessionStore) -> int:
    return int(store.scalar("SELECT COUNT(*) FROM presence WHERE last_seen < ?", (_since(),)))


class Presence:
    """This process's presence row, for a store that may be open read-only.

    The app holds one: heartbeat() on a timer, others() for the header, leave() on
    the way out (safe to call twice, and from a signal handler)."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self._writer: SessionStore | None = None if store.read_only else store
        self._own_writer = False
        self._tried = not store.read_only
        self._here = False

    def _get_writer(self) -> SessionStore | None:
        if not self._tried:
            self._tried = True
            try:
                writer = SessionStore.open(self.store.path, identity=self.store.identity)
            except SessionError:
                writer = None
            if writer is not None and writer.read_only:  # the file system said no
                writer.close()
                writer = None
            if writer is not None:
                writer.pid, writer.host = self.store.pid, self.store.host
                self._own_writer = True
            self._writer = writer
        return self._writer

    def heartbeat(self, screen: str) -> None:
        """Write or refresh the row; never raises for a file problem (a courtesy)."""
        writer = self._get_writer()
        if writer is None:
            return
        if self.store.read_only:
            screen += READ_ONLY_MARK
        try:
            # A courtesy never waits for another process's lock (it would freeze the
            # screen): the next heartbeat tries again.
            with writer.waiting_at_most(COURTESY_WAIT_MS):
                touch_presence(writer, screen)
            self._here = True
        except (SessionError, sqlite3.Error):
            pass

    def others(self) -> list[tuple[str, str]]:
        """Who else is here; stale rows seen on the way are deleted."""
        writer = self._get_writer()
        if writer is not None:
            try:
                if stale_rows(self.store):
                    with writer.waiting_at_most(COURTESY_WAIT_MS):
                        drop_stale_presence(writer)
            except (SessionError, sqlite3.Error):
                pass
        return others_present(self.store)

    def leave(self) -> None:
        """Delete the row at once; safe to call more than once."""
        writer = self._writer
        if writer is None or not self._here:
            return
        self._here = False
        try:
            leave_presence(writer)
        except (SessionError, sqlite3.Error):
            pass

    def close(self) -> None:
        self.leave()
        if self._own_writer and self._writer is not None:
            self._writer.close()
            self._writer = None

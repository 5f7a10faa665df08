"""Rounds and the shared timer: they live in the file, so every co-facilitator
sees the same current round and the same countdown."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import NamedTuple

from facilitator.models.records import Round
from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now


def insert_round(conn: sqlite3.Connection, name: str, planned_minutes: float | None) -> int:
    position = conn.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM rounds").fetchone()[0]
    cursor = conn.execute(
        "INSERT INTO rounds (position, name, planned_minutes) VALUES (?, ?, ?)",
        (position, name, planned_minutes))
    return int(cursor.lastrowid or 0)


#: The round that starts next (and that suggested groups go to): the first not yet started.
NEXT_PLANNED_SQL = "SELECT id FROM rounds WHERE started_at IS NULL ORDER BY position LIMIT 1"


def current_round_id(conn: sqlite3.Connection) -> int | None:
    """The session's current round (running or ended, until the next one starts),
    read inside the caller's transaction."""
    row = conn.execute("SELECT current_round_id FROM session").fetchone()
    return row[0] if row else None


def running_round_id(conn: sqlite3.Connection) -> int | None:
    """The round entries typed now belong to: the current round while it runs, else
    None ("between rounds"), read inside the caller's transaction."""
    row = conn.execute(
        "SELECT r.id FROM rounds r JOIN session s ON s.current_round_id = r.id"
        " WHERE r.started_at IS NOT NULL AND r.ended_at IS NULL").fetchone()
    return row[0] if row else None


def next_round_id(store: SessionStore) -> int | None:
    """The first planned round not yet started, if any."""
    return store.scalar(NEXT_PLANNED_SQL)


def next_or_new_round(conn: sqlite3.Connection) -> tuple[int, bool]:
    """Inside the caller's transaction: the first planned round not yet started,
    else a new round 'Round N' at the end. Returns (round id, whether it is new)."""
    row = conn.execute(NEXT_PLANNED_SQL).fetchone()
    if row is not None:
        return row[0], False
    count = conn.execute("SELECT COUNT(*) FROM rounds").fetchone()[0]
    return insert_round(conn, f"Round {count + 1}", None), True


def add_round(store: SessionStore, name: str, planned_minutes: float | None = None) -> Round:
    """Plan a new round at the end of the session."""
    name = clean_text(name, "a round's name", max_length=120, empty="A round needs a name.")
    new_id = store.transact(lambda c: insert_round(c, name, planned_minutes))
    return get_round(store, new_id)


def get_round(store: SessionStore, round_id: int) -> Round:
    row = store.one("SELECT * FROM rounds WHERE id = ?", (round_id,))
    if row is None:
        raise SessionError(f"No round has id {round_id}.")
    return Round.from_row(row)


def rounds(store: SessionStore) -> list[Round]:
    return [Round.from_row(r) for r in store.rows("SELECT * FROM rounds ORDER BY position")]


def current_round(store: SessionStore) -> Round | None:
    """The round the session is in (the last one started), if any."""
    row = store.one("SELECT r.* FROM rounds r JOIN session s ON s.current_round_id = r.id")
    return Round.from_row(row) if row else None


class RoundChange(NamedTuple):
    """What starting or ending a round changed, so that it can be undone exactly."""

    round_id: int
    started: bool            # True: a start; False: an end
    at: str                  # the moment written (started_at or ended_at)
    previous_current: int | None
    ended_by_start: int | None = None       # the round that was running, ended by the start
    was_new: bool = False                   # the start made a new round 'Round N'
    before: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)
    opened_before: str | None = None        # what the round said it opened with, before


def start_round(store: SessionStore, round_id: int | None = None) -> Round:
    """Start a round (the next planned one by default) and make it current.

    The round that was running, if any, ends at the same moment."""
    return get_round(store, start_round_change(store, round_id).round_id)


def start_round_change(store: SessionStore, round_id: int | None = None) -> RoundChange:
    """start_round, returning what it changed (for undo_round_change)."""
    return store.transact(lambda conn: start_round_in(conn, store.identity, round_id))


def start_round_in(conn: sqlite3.Connection, identity: str | None, round_id: int | None = None,
                   opened_with: str | None = None, at: str | None = None) -> RoundChange:
    """Inside the caller's transaction: start a round (the next planned one by
    default), ending the one running, and say what it opened with (kept groups,
    open space, a suggestion: shown on the groups screen)."""
    at = at or now()
    if round_id is not None:
        target, new = round_id, False
    else:
        target, new = next_or_new_round(conn)
    row = conn.execute("SELECT started_at, ended_at, started_by, ended_by, opened_with"
                       " FROM rounds WHERE id = ?", (target,)).fetchone()
    if row is None:
        raise SessionError(f"No round has id {target}.")
    running = conn.execute("SELECT id FROM rounds WHERE started_at IS NOT NULL AND"
                           " ended_at IS NULL AND id != ?", (target,)).fetchone()
    previous = current_round_id(conn)
    conn.execute("UPDATE rounds SET ended_at = ?, ended_by = ? WHERE started_at IS NOT NULL"
                 " AND ended_at IS NULL AND id != ?", (at, identity, target))
    conn.execute("UPDATE rounds SET started_at = ?, started_by = ?, ended_at = NULL,"
                 " ended_by = NULL, opened_with = ? WHERE id = ?",
                 (at, identity, opened_with, target))
    conn.execute("UPDATE session SET current_round_id = ?", (target,))
    return RoundChange(target, True, at, previous, running[0] if running else None, new,
                       tuple(row[:4]), row[4])


def end_round(store: SessionStore) -> Round | None:
    """End the current round (it stays current until another starts)."""
    change = end_round_change(store)
    return get_round(store, change.round_id) if change else current_round(store)


def end_round_change(store: SessionStore) -> RoundChange | None:
    """end_round, returning what it changed (None when no round was running)."""
    def body(conn: sqlite3.Connection) -> RoundChange | None:
        target = running_round_id(conn)
        if target is None:
            return None
        at = now()
        conn.execute("UPDATE rounds SET ended_at = ?, ended_by = ? WHERE id = ?",
                     (at, store.identity, target))
        return RoundChange(target, False, at, target)

    return store.transact(body)


def undo_round_change(store: SessionStore, change: RoundChange) -> Round:
    """Take back a start or an end, only while nobody has changed rounds since:
    otherwise one sentence says who did, and nothing is written."""
    store.transact(lambda conn: undo_round_in(conn, change))
    return get_round(store, change.round_id)


def undo_round_in(conn: sqlite3.Connection, change: RoundChange) -> None:
    """undo_round_change inside the caller's transaction (a start that carried
    groups on undoes them in the same transaction)."""
    row = conn.execute("SELECT * FROM rounds WHERE id = ?", (change.round_id,)).fetchone()
    if row is None:
        raise SessionError("That round no longer exists; nothing was undone.")
    current = current_round_id(conn)
    if current != change.round_id:
        other = conn.execute("SELECT name, started_by FROM rounds WHERE id = ?",
                             (current,)).fetchone()
        who = other["started_by"] if other and other["started_by"] else "someone"
        name = other["name"] if other else "another round"
        raise SessionError(f"{who} started {name} since; nothing was undone.")
    if change.started:
        if row["started_at"] != change.at:
            raise SessionError(f"{row['started_by'] or 'someone'} restarted {row['name']}"
                               " since; nothing was undone.")
        if row["ended_at"]:
            raise SessionError(f"{row['ended_by'] or 'someone'} ended {row['name']} since;"
                               " nothing was undone.")
        logged = conn.execute("SELECT COUNT(*) FROM interactions WHERE round_id = ?"
                              " AND voided_at IS NULL AND at >= ?",
                              (change.round_id, change.at)).fetchone()[0]
        if logged:
            raise SessionError(
                f"{logged} {'entry was' if logged == 1 else 'entries were'} logged in"
                f" {row['name']} since it started; end it instead (nothing was undone).")
        started_at, ended_at, started_by, ended_by = change.before
        conn.execute("UPDATE rounds SET started_at = ?, ended_at = ?, started_by = ?,"
                     " ended_by = ?, opened_with = ? WHERE id = ?",
                     (started_at, ended_at, started_by, ended_by, change.opened_before,
                      change.round_id))
        if change.ended_by_start is not None:
            conn.execute("UPDATE rounds SET ended_at = NULL, ended_by = NULL WHERE id = ?"
                         " AND ended_at = ?", (change.ended_by_start, change.at))
        conn.execute("UPDATE session SET current_round_id = ?", (change.previous_current,))
    else:
        if row["ended_at"] != change.at:
            raise SessionError(f"{row['name']} was changed since; nothing was undone.")
        conn.execute("UPDATE rounds SET ended_at = NULL, ended_by = NULL WHERE id = ?",
                     (change.round_id,))



def parse_time(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def remaining_seconds(round_: Round, at: datetime | None = None) -> float | None:
    """Seconds left in a running round (negative when over time), or None."""
    if not round_.started_at or round_.ended_at or not round_.planned_minutes:
        return None
    at = at or datetime.now(timezone.utc)
    elapsed = (at - parse_time(round_.started_at)).total_seconds()
    return round_.planned_minutes * 60 - elapsed


def format_remaining(seconds: float | None) -> str:
    """'12:05 left', or '3:10 over' once the time is up."""
    if seconds is None:
        return ""
    sign = "left" if seconds >= 0 else "over"
    whole = int(abs(seconds))
    return f"{whole // 60}:{whole % 60:02d} {sign}"


def time_up_key(round_: Round) -> tuple[int, str | None, float | None]:
    """What makes a round's 'time is up' moment, read from the file: the same
    for every co-facilitator, and new when the round is given another length."""
    return (round_.id, round_.started_at, round_.planned_minutes)

"""Rounds and the shared timer: they live in the file, so every co-facilitator
sees the same current round and the same countdown."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

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
    """The session's current round, read inside the caller's transaction."""
    row = conn.execute("SELECT current_round_id FROM session").fetchone()
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


def start_round(store: SessionStore, round_id: int | None = None) -> Round:
    """Start a round (the next planned one by default) and make it current.

    The round that was running, if any, ends at the same moment."""
    def body(conn: sqlite3.Connection) -> int:
        at = now()
        target = round_id if round_id is not None else next_or_new_round(conn)[0]
        conn.execute("UPDATE rounds SET ended_at = ? WHERE started_at IS NOT NULL"
                     " AND ended_at IS NULL AND id != ?", (at, target))
        conn.execute("UPDATE rounds SET started_at = ?, ended_at = NULL WHERE id = ?",
                     (at, target))
        conn.execute("UPDATE session SET current_round_id = ?", (target,))
        return target

    return get_round(store, store.transact(body))


def end_round(store: SessionStore) -> Round | None:
    """End the current round (it stays current until another starts)."""
    current = current_round(store)
    if current is None or current.ended_at:
        return current
    store.transact(lambda c: c.execute(
        "UPDATE rounds SET ended_at = ? WHERE id = ?", (now(), current.id)))
    return get_round(store, current.id)


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

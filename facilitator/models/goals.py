"""Goals in each group's own words, essential topics, and challenges.

The facilitator records; the tool never sets or edits a group's goals on the
facilitator's behalf."""

from __future__ import annotations

import sqlite3

from facilitator.models.session import insert_essential
from facilitator.models.store import SessionError, SessionStore, now

GOAL_STATUSES = ("open", "in progress", "done", "dropped")


def insert_goal(conn: sqlite3.Connection, group_id: int, text: str, set_by: str | None,
                logged_by: str | None, essential_ids: list[int] = (), status: str = "open") -> int:
    text = text.strip()
    if not text:
        raise SessionError("A goal needs some text, in the group's own words.")
    if status not in GOAL_STATUSES:
        raise SessionError(f"A goal's status is one of: {', '.join(GOAL_STATUSES)}.")
    round_id = conn.execute("SELECT current_round_id FROM session").fetchone()
    cursor = conn.execute(
        "INSERT INTO goals (group_id, text, status, set_by, round_id, created_at, logged_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (group_id, text, status, set_by, round_id[0] if round_id else None, now(), logged_by))
    goal_id = int(cursor.lastrowid or 0)
    for essential_id in essential_ids:
        conn.execute("INSERT OR IGNORE INTO goal_essentials VALUES (?, ?)", (goal_id, essential_id))
    return goal_id


def add_goal(store: SessionStore, group_id: int, text: str, set_by: str | None = None,
             essential_ids: list[int] = ()) -> int:
    """Record a goal as the group states it; returns its id."""
    return store.transact(lambda c: insert_goal(c, group_id, text, set_by, store.identity,
                                                list(essential_ids)))


def add_essential(store: SessionStore, name: str, description: str = "") -> int:
    """Add an essential topic live (source 'live')."""
    name = " ".join(name.split())
    if not name:
        raise SessionError("An essential topic needs a name.")
    if store.one("SELECT 1 FROM essentials WHERE lower(name) = lower(?)", (name,)):
        raise SessionError(f"{name!r} is already an essential topic.")
    return store.transact(lambda c: insert_essential(c, name, description, "live"))


def raise_challenge(store: SessionStore, group_id: int, essential_id: int | None, text: str) -> int:
    """Challenge a group to account for a topic; open until the group answers."""
    text = text.strip()
    if not text:
        raise SessionError("A challenge needs a sentence.")
    return store.transact(lambda c: int(c.execute(
        "INSERT INTO challenges (group_id, essential_id, text, raised_at, raised_by)"
        " VALUES (?, ?, ?, ?, ?)", (group_id, essential_id, text, now(), store.identity)
    ).lastrowid or 0))


def answer_challenge(store: SessionStore, challenge_id: int, response: str) -> None:
    """Record the group's account, in its own words."""
    response = response.strip()
    if not response:
        raise SessionError("The group's answer needs some text.")
    if not store.one("SELECT 1 FROM challenges WHERE id = ?", (challenge_id,)):
        raise SessionError(f"No challenge has id {challenge_id}.")
    store.transact(lambda c: c.execute(
        "UPDATE challenges SET response = ?, answered_at = ?, noted_by = ? WHERE id = ?",
        (response, now(), store.identity, challenge_id)))

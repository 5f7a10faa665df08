"""Groups and membership events. Joining, leaving and moving are events with their
time, so the history of who was where (the "law of two feet") is kept."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from facilitator.models.store import SessionError, SessionStore, now


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    round_id: int | None
    formed_by: str
    closed_at: str | None
    member_ids: tuple[int, ...] = ()


def insert_group(conn: sqlite3.Connection, name: str, round_id: int | None, formed_by: str = "self",
                 created_by: str | None = None, batch: str | None = None,
                 convener_id: int | None = None) -> int:
    name = " ".join(name.split())
    if not name:
        raise SessionError("A group needs a name or topic.")
    cursor = conn.execute(
        "INSERT INTO groups (name, round_id, formed_by, convener_id, created_at, created_by, batch)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (name, round_id, formed_by, convener_id, now(), created_by, batch))
    return int(cursor.lastrowid or 0)


def current_group_of(conn: sqlite3.Connection, participant_id: int, round_id: int | None) -> int | None:
    """The open group of this round that the participant is in now, if any."""
    row = conn.execute(
        "SELECT cm.group_id FROM current_members cm JOIN groups g ON g.id = cm.group_id"
        " WHERE cm.participant_id = ? AND g.round_id IS ? AND g.closed_at IS NULL",
        (participant_id, round_id)).fetchone()
    return row[0] if row else None


def insert_membership(conn: sqlite3.Connection, participant_id: int, group_id: int, action: str,
                      logged_by: str | None, batch: str | None = None, at: str | None = None) -> None:
    conn.execute(
        "INSERT INTO memberships (at, participant_id, group_id, action, logged_by, batch)"
        " VALUES (?, ?, ?, ?, ?, ?)", (at or now(), participant_id, group_id, action, logged_by, batch))


def join_group(conn: sqlite3.Connection, participant_id: int, group_id: int, logged_by: str | None,
               batch: str | None = None, at: str | None = None) -> None:
    """Move someone into a group, leaving their current group of the same round."""
    round_id = conn.execute("SELECT round_id FROM groups WHERE id = ?", (group_id,)).fetchone()
    if round_id is None:
        raise SessionError(f"No group has id {group_id}.")
    previous = current_group_of(conn, participant_id, round_id[0])
    if previous == group_id:
        return
    if previous is not None:
        insert_membership(conn, participant_id, previous, "left", logged_by, batch, at)
    insert_membership(conn, participant_id, group_id, "joined", logged_by, batch, at)


def create_group(store: SessionStore, name: str, round_id: int | None, member_ids: list[int] = (),
                 formed_by: str = "self") -> Group:
    """Create a group (a topic in open space) and put its first members in it."""
    def body(conn: sqlite3.Connection) -> int:
        group_id = insert_group(conn, name, round_id, formed_by, store.identity)
        for pid in member_ids:
            join_group(conn, pid, group_id, store.identity)
        return group_id

    return get_group(store, store.transact(body))


def move_to_group(store: SessionStore, participant_id: int, group_id: int) -> None:
    """Someone walks to another group (law of two feet): one left and one joined event."""
    store.transact(lambda c: join_group(c, participant_id, group_id, store.identity))


def leave_group(store: SessionStore, participant_id: int, group_id: int) -> None:
    store.transact(lambda c: insert_membership(c, participant_id, group_id, "left", store.identity))


def get_group(store: SessionStore, group_id: int) -> Group:
    row = store.one("SELECT * FROM groups WHERE id = ?", (group_id,))
    if row is None:
        raise SessionError(f"No group has id {group_id}.")
    members = tuple(r[0] for r in store.rows(
        "SELECT participant_id FROM current_members WHERE group_id = ? ORDER BY name", (group_id,)))
    return Group(row["id"], row["name"], row["round_id"], row["formed_by"], row["closed_at"], members)


def groups_of_round(store: SessionStore, round_id: int | None, include_closed: bool = False) -> list[Group]:
    """The groups of a round (None: groups formed outside any round), with members."""
    sql = "SELECT id FROM groups WHERE round_id IS ? AND voided_at IS NULL"
    if not include_closed:
        sql += " AND closed_at IS NULL"
    return [get_group(store, r[0]) for r in store.rows(sql + " ORDER BY id", (round_id,))]


def all_groups(store: SessionStore) -> list[Group]:
    return [get_group(store, r[0]) for r in store.rows(
        "SELECT id FROM groups WHERE voided_at IS NULL ORDER BY round_id, id")]

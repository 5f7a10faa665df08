"""Rounds that carry on: the groups of one round kept into the next, with their
people and the goals they have not finished.

The facilitator does not set a group's goals; a kept goal is the group's own,
carried on because the group agreed to keep it, and that agreement is recorded
(a goal_history row, field 'carried', by whoever started the round). Everything
here runs inside the caller's transaction, so a round starts with its groups
or not at all."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from facilitator.models.groups import insert_group, insert_membership, join_group, mark_closed
from facilitator.models.store import SessionError, SessionStore

#: What a round opened with (rounds.opened_with).
KEPT = "kept"
OPEN_SPACE = "open space"
SUGGESTED = "suggested"
#: Goals still being worked on go with their group; done and dropped ones stay.
CARRIED_STATUSES = ("open", "in progress")
#: goal_history.new_value of a carried goal: what the facilitator recorded.
AGREED = "kept, as the group agreed"


class Carried(NamedTuple):
    """What keeping the groups wrote (undone as one step with the round's start)."""

    groups: int
    people: int
    goals: tuple[int, ...]   # the new goal rows


def open_groups(conn: sqlite3.Connection, round_id: int | None) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM groups WHERE round_id IS ? AND closed_at IS NULL"
                        " AND voided_at IS NULL ORDER BY id", (round_id,)).fetchall()


def present_members(conn: sqlite3.Connection, group_id: int) -> list[int]:
    """Who is in the group now and present (an absent person is not at the table)."""
    return [r[0] for r in conn.execute(
        "SELECT cm.participant_id FROM current_members cm JOIN participants p"
        " ON p.id = cm.participant_id WHERE cm.group_id = ? AND p.present = 1"
        " ORDER BY p.name", (group_id,))]


def carry_groups(conn: sqlite3.Connection, from_round: int | None, to_round: int,
                 identity: str | None, batch: str, at: str) -> Carried:
    """Keep every open group of `from_round` that has someone present in it: a group
    of `to_round` with the same name, convener and people, and the goals it is still
    working on. People already put in a group of `to_round` leave it; a group of
    `to_round` that this leaves empty closes (all in `batch`)."""
    round_name = conn.execute("SELECT name FROM rounds WHERE id IS ?", (from_round,)).fetchone()
    where = round_name[0] if round_name else "no round"
    groups = people = 0
    goals: list[int] = []
    for group in open_groups(conn, from_round):
        members = present_members(conn, group["id"])
        if not members:
            continue
        convener = group["convener_id"] if group["convener_id"] in members else None
        new_id = insert_group(conn, group["name"], to_round, group["formed_by"], identity,
                              batch, convener)
        conn.execute("UPDATE groups SET carried_from = ? WHERE id = ?", (group["id"], new_id))
        for pid in members:
            join_group(conn, pid, new_id, identity, batch, at)
        groups += 1
        people += len(members)
        goals += carry_goals(conn, group["id"], new_id, to_round, identity, at,
                             f"{group['name']} in {where}")
    close_emptied(conn, to_round, batch, at, identity)
    return Carried(groups, people, tuple(goals))


def carry_goals(conn: sqlite3.Connection, old_group: int, new_group: int, to_round: int,
                identity: str | None, at: str, came_from: str) -> list[int]:
    marks = ",".join("?" * len(CARRIED_STATUSES))
    made = []
    for goal in conn.execute(f"SELECT * FROM goals WHERE group_id = ? AND status IN ({marks})"
                             " ORDER BY id", (old_group, *CARRIED_STATUSES)).fetchall():
        cursor = conn.execute(
            "INSERT INTO goals (group_id, text, status, progress, set_by, round_id, created_at,"
            " logged_by, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_group, goal["text"], goal["status"], goal["progress"], goal["set_by"],
             to_round, at, identity, goal["id"]))
        new_id = int(cursor.lastrowid or 0)
        conn.execute("INSERT INTO goal_essentials (goal_id, essential_id) SELECT ?, essential_id"
                     " FROM goal_essentials WHERE goal_id = ?", (new_id, goal["id"]))
        conn.execute("INSERT INTO goal_history (goal_id, at, by, round_id, field, old_value,"
                     " new_value) VALUES (?, ?, ?, ?, 'carried', ?, ?)",
                     (new_id, at, identity, to_round, came_from, AGREED))
        made.append(new_id)
    return made


def close_emptied(conn: sqlite3.Connection, round_id: int, batch: str, at: str,
                  identity: str | None) -> tuple[int, ...]:
    """Groups of the round that nobody is in any more (made before `batch`) close."""
    emptied = tuple(r[0] for r in conn.execute(
        "SELECT g.id FROM groups g WHERE g.round_id = ? AND g.closed_at IS NULL"
        " AND g.voided_at IS NULL AND g.batch IS NOT ? AND NOT EXISTS"
        " (SELECT 1 FROM current_members cm WHERE cm.group_id = g.id)", (round_id, batch)))
    for group_id in emptied:
        mark_closed(conn, group_id, at, identity)
    return emptied


def clear_round(conn: sqlite3.Connection, round_id: int, identity: str | None, batch: str,
                at: str) -> tuple[int, ...]:
    """Open space from scratch: the groups already prepared for the round close and
    their people leave them (in `batch`). Returns the groups closed."""
    closed = []
    for group in open_groups(conn, round_id):
        for (pid,) in conn.execute("SELECT participant_id FROM current_members"
                                   " WHERE group_id = ?", (group["id"],)).fetchall():
            insert_membership(conn, pid, group["id"], "left", identity, batch, at)
        mark_closed(conn, group["id"], at, identity)
        closed.append(group["id"])
    return tuple(closed)


def uncarry_goals(conn: sqlite3.Connection, goal_ids: tuple[int, ...]) -> None:
    """Undo of a carry: the kept goals go again, only while nobody has edited them
    since (their only history is the carry itself); else one sentence says who."""
    if not goal_ids:
        return
    marks = ",".join("?" * len(goal_ids))
    edited = conn.execute(f"SELECT h.by, g.text FROM goal_history h JOIN goals g ON g.id ="
                          f" h.goal_id WHERE h.goal_id IN ({marks}) AND h.field != 'carried'"
                          " ORDER BY h.id DESC LIMIT 1", goal_ids).fetchone()
    if edited is not None:
        raise SessionError(f"{edited[0] or 'Someone'} edited the kept goal {edited[1]!r} since;"
                           " nothing was undone.")
    # Like the undo of a goal recorded a moment ago: a kept goal nobody touched
    # goes with its record (the goal it carried on is still there, unchanged).
    conn.execute(f"DELETE FROM goal_history WHERE goal_id IN ({marks})", goal_ids)
    conn.execute(f"DELETE FROM goal_essentials WHERE goal_id IN ({marks})", goal_ids)
    conn.execute(f"DELETE FROM goals WHERE id IN ({marks})", goal_ids)


class CarryPreview(NamedTuple):
    """What keeping the groups of a round would carry on, read before asking."""

    groups: int
    people: int
    goals: int


def carry_preview(store: SessionStore, from_round: int | None) -> CarryPreview:
    """How many groups (with someone present), people and unfinished goals a keep
    would carry on from `from_round`."""
    marks = ",".join("?" * len(CARRIED_STATUSES))
    rows = store.rows(
        "SELECT g.id, (SELECT COUNT(*) FROM current_members cm JOIN participants p"
        " ON p.id = cm.participant_id WHERE cm.group_id = g.id AND p.present = 1) AS people,"
        f" (SELECT COUNT(*) FROM goals o WHERE o.group_id = g.id AND o.status IN ({marks}))"
        " AS goals FROM groups g WHERE g.round_id IS ? AND g.closed_at IS NULL"
        " AND g.voided_at IS NULL", (*CARRIED_STATUSES, from_round))
    kept = [r for r in rows if r["people"]]
    return CarryPreview(len(kept), sum(r["people"] for r in kept), sum(r["goals"] for r in kept))

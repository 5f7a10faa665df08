"""Taking someone off the roster: a mistyped participant with nothing logged is
removed; two entries for one person (a typo, then the right name) are merged.

Nothing is lost: each removal keeps a row in removed_participants (who they were,
who removed them and when) and, for a merge, exactly which entries, memberships,
conveners and goals were moved to the person kept, so an undo moves exactly those
back and puts the person back on the roster (under the id they had when it is
free). Each runs in one transaction: all of it or nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from facilitator.models.names import identity_key, lookalike, lookalike_sentence
from facilitator.models.records import Participant
from facilitator.models.store import SessionError, SessionStore, now


@dataclass(frozen=True)
class Removal:
    """One removal or merge as the file keeps it."""

    id: int
    person: Participant
    into: Participant | None
    #: How many entries, memberships, conveners and goals moved, and how many entries
    #: were voided because they had one of the two address the other.
    moved_entries: int = 0
    moved_memberships: int = 0
    moved_conveners: int = 0
    moved_goals: int = 0
    voided_entries: int = 0


def _entries_naming(conn: sqlite3.Connection, person_id: int) -> tuple[int, int]:
    """(entries that count, all entries) naming the person as source or target."""
    row = conn.execute(
        "SELECT COUNT(*) FILTER (WHERE voided_at IS NULL), COUNT(*) FROM interactions"
        " WHERE source_id = ? OR target_id = ?", (person_id, person_id)).fetchone()
    return int(row[0]), int(row[1])


def _row(conn: sqlite3.Connection, person: Participant) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM participants WHERE id = ?", (person.id,)).fetchone()
    if row is None:
        raise SessionError(f"{person.name} is no longer on the roster; nothing was changed.")
    return row  # type: ignore[no-any-return]


def _record(conn: sqlite3.Connection, row: sqlite3.Row, by: str | None,
            into: int | None, moved: dict[str, object]) -> int:
    cursor = conn.execute(
        "INSERT INTO removed_participants (participant_id, name, code, tags, present, added_at,"
        " added_by, removed_at, removed_by, merged_into, moved)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row["id"], row["name"], row["code"], row["tags"], row["present"], row["added_at"],
         row["added_by"], now(), by, into, json.dumps(moved)))
    return int(cursor.lastrowid or 0)


def _take_layout(conn: sqlite3.Connection, person_id: int) -> list[object] | None:
    place = conn.execute("SELECT x, y, updated_at FROM layout WHERE participant_id = ?",
                         (person_id,)).fetchone()
    conn.execute("DELETE FROM layout WHERE participant_id = ?", (person_id,))
    return list(place) if place else None


def remove_participant(store: SessionStore, person: Participant) -> Removal:
    """Take someone off the roster who has nothing logged: no entry (an undone one
    included), no group, no convened topic. Otherwise SessionError says to merge."""
    def body(conn: sqlite3.Connection) -> Removal:
        row = _row(conn, person)
        live, every = _entries_naming(conn, person.id)
        in_groups = conn.execute(
            "SELECT COUNT(*) FROM memberships WHERE participant_id = ?", (person.id,)).fetchone()[0]
        convenes = conn.execute(
            "SELECT COUNT(*) FROM groups WHERE convener_id = ?", (person.id,)).fetchone()[0]
        if every or in_groups or convenes:
            held = []
            if every:
                held.append(f"{every} {'entry' if every == 1 else 'entries'}"
                            + ("" if live == every else f" ({every - live} undone)"))
            if in_groups:
                held.append("a place in a group" if in_groups == 1 else "places in groups")
            if convenes:
                held.append("a topic they convene")
            raise SessionError(
                f"{person.name} has {' and '.join(held)}; nothing was removed. Merge them into"
                " the right person instead (roster --merge FROM INTO, or m on the roster screen).")
        moved: dict[str, object] = {"layout": _take_layout(conn, person.id)}
        removal_id = _record(conn, row, store.identity, None, moved)
        conn.execute("DELETE FROM participants WHERE id = ?", (person.id,))
        return Removal(removal_id, Participant.from_row(row), None)

    return store.transact(body)


def merge_participants(store: SessionStore, source: Participant, into: Participant) -> Removal:
    """Everything of `source` becomes `into`'s: every entry (undone ones too), every
    membership, every topic they convene, every goal they set (by name or code);
    then `source` leaves the roster. Entries between the two (one addressing the
    other) cannot name one person twice: they are undone. Refused, nothing written,
    while the two are in different open groups of one round."""
    if source.id == into.id:
        raise SessionError(f"{source.name} and {into.name} are the same person; nothing was merged.")

    def body(conn: sqlite3.Connection) -> Removal:
        row, into_row = _row(conn, source), _row(conn, into)
        clash = conn.execute(
            "SELECT a.\"group\", b.\"group\", r.name FROM current_members a"
            " JOIN current_members b ON a.round_id IS b.round_id AND a.group_id != b.group_id"
            " JOIN groups ga ON ga.id = a.group_id JOIN groups gb ON gb.id = b.group_id"
            " LEFT JOIN rounds r ON r.id = a.round_id"
            " WHERE a.participant_id = ? AND b.participant_id = ?"
            " AND ga.closed_at IS NULL AND gb.closed_at IS NULL LIMIT 1",
            (source.id, into.id)).fetchone()
        if clash is not None:
            where = f" of {clash[2]}" if clash[2] else ""
            raise SessionError(
                f"{source.name} is in {clash[0]} and {into.name} in {clash[1]}{where}; one person"
                " can be in only one group of a round: move one of them first. Nothing was merged.")
        pair = (source.id, into.id, into.id, source.id)
        between = [r[0] for r in conn.execute(
            "SELECT id FROM interactions WHERE (source_id = ? AND target_id = ?)"
            " OR (source_id = ? AND target_id = ?) ORDER BY id", pair)]
        voided = [r[0] for r in conn.execute(
            "SELECT id FROM interactions WHERE voided_at IS NULL AND ((source_id = ? AND"
            " target_id = ?) OR (source_id = ? AND target_id = ?)) ORDER BY id", pair)]
        as_source = [r[0] for r in conn.execute(
            "SELECT id FROM interactions WHERE source_id = ? ORDER BY id", (source.id,))]
        as_target = [r[0] for r in conn.execute(
            "SELECT id FROM interactions WHERE target_id = ? ORDER BY id", (source.id,))]
        memberships = [r[0] for r in conn.execute(
            "SELECT id FROM memberships WHERE participant_id = ? ORDER BY id", (source.id,))]
        conveners = [r[0] for r in conn.execute(
            "SELECT id FROM groups WHERE convener_id = ? ORDER BY id", (source.id,))]
        typed_as = {identity_key(source.name): into.name, source.code: into.code}
        goals = {str(r[0]): [r[1], typed_as.get(r[1]) or typed_as.get(identity_key(r[1]))]
                 for r in conn.execute(
                     "SELECT id, set_by FROM goals WHERE set_by IS NOT NULL ORDER BY id")}
        goals = {goal_id: pair for goal_id, pair in goals.items() if pair[1] is not None}
        stamp = now()
        for entry_id in voided:
            conn.execute("UPDATE interactions SET voided_at = ?, voided_by = ? WHERE id = ?",
                         (stamp, store.identity, entry_id))
        conn.execute("UPDATE interactions SET source_id = ? WHERE source_id = ?", (into.id, source.id))
        conn.execute("UPDATE interactions SET target_id = ? WHERE target_id = ?", (into.id, source.id))
        conn.execute("UPDATE memberships SET participant_id = ? WHERE participant_id = ?",
                     (into.id, source.id))
        conn.execute("UPDATE groups SET convener_id = ? WHERE convener_id = ?", (into.id, source.id))
        for goal_id, (_, new) in goals.items():
            conn.execute("UPDATE goals SET set_by = ? WHERE id = ?", (new, int(goal_id)))
        moved: dict[str, object] = {
            "source": as_source, "target": as_target, "voided": voided, "between": between,
            "memberships": memberships, "conveners": conveners, "goals": goals,
            "voided_at": stamp, "layout": _take_layout(conn, source.id)}
        removal_id = _record(conn, row, store.identity, into.id, moved)
        conn.execute("DELETE FROM participants WHERE id = ?", (source.id,))
        return Removal(removal_id, Participant.from_row(row), Participant.from_row(into_row),
                       len(set(as_source) | set(as_target)), len(memberships), len(conveners),
                       len(goals), len(voided))

    return store.transact(body)


def undo_removal(store: SessionStore, removal: Removal) -> Participant:
    """Put a removed or merged person back, and move back exactly what the merge
    moved. Refused, nothing written, once someone has since taken their name or code,
    or removed the person they were merged into."""
    def body(conn: sqlite3.Connection) -> Participant:
        rec = conn.execute("SELECT * FROM removed_participants WHERE id = ?",
                           (removal.id,)).fetchone()
        if rec is None:
            raise SessionError("That removal is no longer in the file; nothing was undone.")
        if rec["restored_at"] is not None:
            raise SessionError(f"{rec['restored_by'] or 'Someone'} already put {rec['name']} back;"
                               " nothing was undone.")
        names = [r[0] for r in conn.execute("SELECT name FROM participants")]
        if lookalike(rec["name"], names) is not None:
            raise SessionError(lookalike_sentence(rec["name"], lookalike(rec["name"], names) or "")
                               + " Nothing was undone.")
        if conn.execute("SELECT 1 FROM participants WHERE code = ?", (rec["code"],)).fetchone():
            raise SessionError(f"Someone has the code {rec['code']!r} since; nothing was undone.")
        into = rec["merged_into"]
        if into is not None and conn.execute(
                "SELECT 1 FROM participants WHERE id = ?", (into,)).fetchone() is None:
            raise SessionError(f"The person {rec['name']} was merged into is no longer on the"
                               " roster; nothing was undone.")
        taken = conn.execute("SELECT 1 FROM participants WHERE id = ?",
                             (rec["participant_id"],)).fetchone()
        cursor = conn.execute(
            "INSERT INTO participants (id, name, code, tags, present, added_at, added_by,"
            " changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (None if taken else rec["participant_id"], rec["name"], rec["code"], rec["tags"],
             rec["present"], rec["added_at"] or now(), rec["added_by"], now(), store.identity))
        back = int(cursor.lastrowid or 0)
        moved = json.loads(rec["moved"] or "{}")
        if into is not None:
            _move_back(conn, moved, into, back)
        place = moved.get("layout")
        if place and not conn.execute("SELECT 1 FROM layout WHERE participant_id = ?",
                                      (back,)).fetchone():
            conn.execute("INSERT INTO layout (participant_id, x, y, updated_at) VALUES (?, ?, ?, ?)",
                         (back, *place))
        conn.execute("UPDATE removed_participants SET restored_at = ?, restored_by = ? WHERE id = ?",
                     (now(), store.identity, removal.id))
        return Participant.from_row(conn.execute("SELECT * FROM participants WHERE id = ?",
                                                 (back,)).fetchone())

    return store.transact(body)


def _move_back(conn: sqlite3.Connection, moved: dict[str, object], into: int, back: int) -> None:
    def ids(key: str) -> list[int]:
        value = moved.get(key) or []
        return [int(i) for i in value] if isinstance(value, list) else []

    for entry_id in ids("source"):
        conn.execute("UPDATE interactions SET source_id = ? WHERE id = ? AND source_id = ?",
                     (back, entry_id, into))
    for entry_id in ids("target"):
        conn.execute("UPDATE interactions SET target_id = ? WHERE id = ? AND target_id = ?",
                     (back, entry_id, into))
    for entry_id in ids("voided"):
        # Undone by the merge (and by nobody since): they count again.
        conn.execute("UPDATE interactions SET voided_at = NULL, voided_by = NULL WHERE id = ?"
                     " AND voided_at = ?", (entry_id, moved.get("voided_at")))
    for membership_id in ids("memberships"):
        conn.execute("UPDATE memberships SET participant_id = ? WHERE id = ? AND participant_id = ?",
                     (back, membership_id, into))
    for group_id in ids("conveners"):
        conn.execute("UPDATE groups SET convener_id = ? WHERE id = ? AND convener_id = ?",
                     (back, group_id, into))
    goals = moved.get("goals") or {}
    if isinstance(goals, dict):
        for goal_id, (old, new) in goals.items():
            conn.execute("UPDATE goals SET set_by = ? WHERE id = ? AND set_by = ?",
                         (old, int(goal_id), new))


def removal_of(store: SessionStore, typed: str) -> Removal:
    """The latest removal or merge, not yet undone, of the person named or coded as
    typed (names as people type them), for `roster --restore`."""
    from facilitator.models.names import match_name

    rows = store.rows("SELECT * FROM removed_participants WHERE restored_at IS NULL"
                      " ORDER BY id DESC")
    match = match_name(typed, rows, lambda r: r["name"], lambda r: r["code"])
    found = {r["participant_id"]: r for r in reversed(match.found)}  # latest per person
    if not found:
        raise SessionError(f"Nobody called or coded {' '.join(typed.split())!r} was removed"
                           " from the roster (or they are back already).")
    if len(found) > 1:
        names = ", ".join(f"{r['name']} ({r['code']})" for r in list(found.values())[:5])
        raise SessionError(f"{typed.strip()!r} could be {names}; give the code or the full name.")
    row = next(iter(found.values()))
    person = Participant(row["participant_id"], row["name"], row["code"],
                         json.loads(row["tags"] or "{}"), bool(row["present"]))
    return Removal(row["id"], person, None)

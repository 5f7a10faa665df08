"""Groups and membership events. Joining, leaving and moving are events with their
time, so the history of who was where (the "law of two feet") is kept."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now


class Group(NamedTuple):
    id: int
    name: str
    round_id: int | None
    formed_by: str
    closed_at: str | None
    member_ids: tuple[int, ...] = ()
    convener_id: int | None = None
    batch: str | None = None


def insert_group(conn: sqlite3.Connection, name: str, round_id: int | None, formed_by: str = "self",
                 created_by: str | None = None, batch: str | None = None,
                 convener_id: int | None = None) -> int:
    name = clean_text(name, "a group's name or topic", max_length=120,
                      empty="A group needs a name or topic.")
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


def _load_groups(store: SessionStore, where: str, params: tuple[object, ...],
                 order: str = "id") -> list[Group]:
    """The groups matching `where`, each with its current members by name: two
    queries whatever the number of groups (screens call this on every refresh)."""
    rows = store.rows(f"SELECT * FROM groups WHERE {where} ORDER BY {order}", params)
    if not rows:
        return []
    members: dict[int, list[int]] = {}
    for group_id, participant_id in store.rows(
            "SELECT group_id, participant_id FROM current_members"
            f" WHERE group_id IN (SELECT id FROM groups WHERE {where}) ORDER BY name", params):
        members.setdefault(group_id, []).append(participant_id)
    return [Group(r["id"], r["name"], r["round_id"], r["formed_by"], r["closed_at"],
                  tuple(members.get(r["id"], ())), r["convener_id"], r["batch"]) for r in rows]


def get_group(store: SessionStore, group_id: int) -> Group:
    found = _load_groups(store, "id = ?", (group_id,))
    if not found:
        raise SessionError(f"No group has id {group_id}.")
    return found[0]


def groups_of_round(store: SessionStore, round_id: int | None, include_closed: bool = False) -> list[Group]:
    """The groups of a round (None: groups formed outside any round), with members."""
    where = "round_id IS ? AND voided_at IS NULL"
    if not include_closed:
        where += " AND closed_at IS NULL"
    return _load_groups(store, where, (round_id,))


def all_groups(store: SessionStore) -> list[Group]:
    return _load_groups(store, "voided_at IS NULL", (), order="round_id, id")


# ---------------------------------------------------------------- self-organised edits
def group_names_now(store: SessionStore) -> dict[int, str]:
    """participant id -> the name of their open group in the current round."""
    return {r[0]: r[1] for r in store.rows(
        'SELECT cm.participant_id, cm."group" FROM current_members cm'
        " JOIN groups g ON g.id = cm.group_id JOIN session s ON g.round_id = s.current_round_id"
        " WHERE g.closed_at IS NULL")}


def new_batch() -> str:
    """An id shared by the rows one user action writes, so it undoes as one step."""
    import uuid

    return uuid.uuid4().hex[:12]


def _open_group(conn: sqlite3.Connection, group_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM groups WHERE id = ? AND voided_at IS NULL",
                       (group_id,)).fetchone()
    if row is None:
        raise SessionError(f"No group has id {group_id}.")
    if row["closed_at"]:
        raise SessionError(f"The group {row['name']!r} is closed.")
    return row


def _members(conn: sqlite3.Connection, group_id: int) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT participant_id FROM current_members WHERE group_id = ?", (group_id,))]


def propose_topic(store: SessionStore, name: str, round_id: int | None,
                  convener_id: int | None = None, batch: str | None = None) -> Group:
    """Open space: a convener proposes a topic, which becomes a group they are in."""
    def body(conn: sqlite3.Connection) -> int:
        group_id = insert_group(conn, name, round_id, "self", store.identity, batch, convener_id)
        if convener_id is not None:
            join_group(conn, convener_id, group_id, store.identity, batch)
        return group_id

    return get_group(store, store.transact(body))


def move_people(store: SessionStore, participant_ids: list[int], group_id: int,
                batch: str | None = None) -> None:
    """People walk to a group (law of two feet): each leaves their group of the
    same round (a left event) and joins this one (a joined event), in one step."""
    def body(conn: sqlite3.Connection) -> None:
        _open_group(conn, group_id)
        for pid in participant_ids:
            join_group(conn, pid, group_id, store.identity, batch)

    store.transact(body)


def ungroup(store: SessionStore, participant_id: int, round_id: int | None,
            batch: str | None = None) -> int | None:
    """Someone leaves their group of the round without joining another; returns
    the group they left, if any."""
    def body(conn: sqlite3.Connection) -> int | None:
        group_id = current_group_of(conn, participant_id, round_id)
        if group_id is not None:
            insert_membership(conn, participant_id, group_id, "left", store.identity, batch)
        return group_id

    return store.transact(body)


def rename_group(store: SessionStore, group_id: int, name: str) -> str:
    """Rename a group (its topic); returns the old name, for undo."""
    clean = clean_text(name, "a group's name or topic", max_length=120,
                       empty="A group needs a name or topic.")

    def body(conn: sqlite3.Connection) -> str:
        old = _open_group(conn, group_id)["name"]
        conn.execute("UPDATE groups SET name = ?, renamed_at = ?, renamed_by = ? WHERE id = ?",
                     (clean, now(), store.identity, group_id))
        return str(old)

    return store.transact(body)


def mark_closed(conn: sqlite3.Connection, group_id: int, at: str, by: str | None) -> None:
    """The one way a group is closed: when and by whom (undo checks them)."""
    conn.execute("UPDATE groups SET closed_at = ?, closed_by = ? WHERE id = ?", (at, by, group_id))


def close_group(store: SessionStore, group_id: int, batch: str | None = None) -> str:
    """Close a group: its members leave it (left events) and it stops being offered.
    Returns the closed_at written, which its undo expects to find."""
    def body(conn: sqlite3.Connection) -> str:
        _open_group(conn, group_id)
        for pid in _members(conn, group_id):
            insert_membership(conn, pid, group_id, "left", store.identity, batch)
        at = now()
        mark_closed(conn, group_id, at, store.identity)
        return at

    return store.transact(body)


def split_group(store: SessionStore, group_id: int, name: str, participant_ids: list[int],
                batch: str | None = None) -> Group:
    """Some members of a group start a new one (formed_by 'split') in the same round."""
    def body(conn: sqlite3.Connection) -> int:
        row = _open_group(conn, group_id)
        members = set(_members(conn, group_id))
        if not participant_ids:
            raise SessionError("Say who moves to the new group.")
        if not set(participant_ids) <= members:
            raise SessionError(f"Only members of {row['name']!r} can split from it.")
        if set(participant_ids) == members:
            raise SessionError("A split must leave someone in the first group; rename it instead.")
        new_id = insert_group(conn, name, row["round_id"], "split", store.identity, batch)
        for pid in participant_ids:
            join_group(conn, pid, new_id, store.identity, batch)
        return new_id

    return get_group(store, store.transact(body))


def merge_groups(store: SessionStore, keep_id: int, other_id: int, batch: str | None = None) -> str:
    """Everyone of `other` joins `keep`, and `other` closes. Returns the closed_at
    written on `other`, which the undo expects to find."""
    if keep_id == other_id:
        raise SessionError("A group cannot merge with itself.")

    def body(conn: sqlite3.Connection) -> str:
        keep, other = _open_group(conn, keep_id), _open_group(conn, other_id)
        if keep["round_id"] != other["round_id"]:
            raise SessionError("Only groups of the same round can merge.")
        for pid in _members(conn, other_id):
            join_group(conn, pid, keep_id, store.identity, batch)
        at = now()
        mark_closed(conn, other_id, at, store.identity)
        return at

    return store.transact(body)


def changed_since(conn: sqlite3.Connection, batch: str, identity: str | None = None) -> str | None:
    """One sentence naming who changed the same people or groups since `batch`
    was written (a later move; a group it made closed, or renamed by someone other
    than `identity`, the one undoing; a goal or an entry in a group it made), or
    None. Read inside the undo's write transaction, so nobody can slip in between."""
    rows = conn.execute("SELECT id, participant_id, group_id FROM memberships"
                        " WHERE batch = ? AND voided_at IS NULL", (batch,)).fetchall()
    made = [r[0] for r in conn.execute("SELECT id FROM groups WHERE batch = ?"
                                       " AND voided_at IS NULL", (batch,))]
    if rows:
        last = max(r[0] for r in rows)
        people = sorted({r[1] for r in rows})
        touched = sorted({r[2] for r in rows})
        rounds_ = sorted({-1 if r[0] is None else r[0] for r in conn.execute(
            f"SELECT round_id FROM groups WHERE id IN ({','.join('?' * len(touched))})",
            touched)})
        marks, rmarks = ",".join("?" * len(people)), ",".join("?" * len(rounds_))
        # Later moves of the same people in the same round, or anyone joining or
        # leaving a group this step made.
        also = f" OR m.group_id IN ({','.join('?' * len(made))})" if made else ""
        later = conn.execute(
            "SELECT m.action, m.logged_by, p.name AS person, g.name AS grp FROM memberships m"
            " JOIN participants p ON p.id = m.participant_id JOIN groups g ON g.id = m.group_id"
            " WHERE m.id > ? AND m.voided_at IS NULL AND m.batch IS NOT ?"
            f" AND ((m.participant_id IN ({marks}) AND coalesce(g.round_id, -1)"
            f" IN ({rmarks})){also})"
            " ORDER BY m.id DESC LIMIT 1",
            (last, batch, *people, *rounds_, *made)).fetchone()
        if later is not None:
            who = later["logged_by"] or "Someone"
            if later["action"] == "joined":
                return f"{who} moved {later['person']} to {later['grp']} since; nothing was undone."
            return f"{who} took {later['person']} out of {later['grp']} since; nothing was undone."
    if made:
        marks = ",".join("?" * len(made))
        for row in conn.execute(f"SELECT name, closed_at, closed_by, renamed_by FROM groups"
                                f" WHERE id IN ({marks}) ORDER BY id", made):
            if row["closed_at"] is not None:
                return (f"{row['closed_by'] or 'Someone'} closed {row['name']} since;"
                        " nothing was undone.")
            # Our own renames were undone before this step (the stack is newest first).
            if row["renamed_by"] is not None and row["renamed_by"] != identity:
                return (f"{row['renamed_by']} renamed a group of this step to {row['name']}"
                        " since; nothing was undone.")
        # A goal kept with its group when a round carried on came with the step.
        goal = conn.execute(f"SELECT g.logged_by, gr.name FROM goals g JOIN groups gr"
                            f" ON gr.id = g.group_id WHERE g.group_id IN ({marks})"
                            " AND g.carried_from IS NULL"
                            " ORDER BY g.id DESC LIMIT 1", made).fetchone()
        if goal is not None:
            return (f"{goal[0] or 'Someone'} recorded a goal of {goal[1]} since;"
                    " nothing was undone.")
        entry = conn.execute(f"SELECT i.logged_by, g.name FROM interactions i JOIN groups g"
                             f" ON g.id = i.group_id WHERE i.group_id IN ({marks})"
                             " AND i.voided_at IS NULL ORDER BY i.id DESC LIMIT 1",
                             made).fetchone()
        if entry is not None:
            return (f"{entry[0] or 'Someone'} logged an entry in {entry[1]} since;"
                    " nothing was undone.")
    return None


def _renamed_since(row: sqlite3.Row | None, set_to: str) -> str:
    """The refusal when a group no longer has the name a step gave it."""
    if row is None:
        return f"{set_to} is no longer in the file; nothing was undone."
    who = row["renamed_by"] or "Someone"
    return f"{who} renamed {set_to} to {row['name']} since; nothing was undone."


def _reopened_since(row: sqlite3.Row) -> str:
    """The refusal when a group a step closed was reopened (and maybe closed again)."""
    who = row["reopened_by"] or "Someone"
    if row["closed_at"] is None:
        return f"{who} reopened {row['name']} since; nothing was undone."
    return (f"{who} reopened {row['name']} and {row['closed_by'] or 'someone'} closed it"
            " again since; nothing was undone.")


def undo_batch(store: SessionStore, batch: str, reopen: tuple[tuple[int, str], ...] = (),
               rename: tuple[tuple[int, str, str], ...] = ()) -> None:
    """Undo one step: void the groups and membership events it wrote (nothing is
    deleted), reopen the groups it closed (group id, the closed_at it wrote) and give
    back the names it changed (group id, old name, the name the step set).

    Only while nobody has changed the same thing since: otherwise SessionError
    names who did, and nothing is written (checked inside the transaction). The
    undo is itself recorded: voided_by, reopened_by, renamed_by."""
    store.transact(lambda conn: undo_batch_in(conn, store.identity, batch, reopen, rename))


def undo_batch_in(conn: sqlite3.Connection, identity: str | None, batch: str,
                  reopen: tuple[tuple[int, str], ...] = (),
                  rename: tuple[tuple[int, str, str], ...] = ()) -> None:
    """undo_batch inside the caller's transaction."""
    said = changed_since(conn, batch, identity) if batch else None
    if said is not None:
        raise SessionError(said)
    for group_id, _old, set_to in rename:
        row = conn.execute("SELECT name, renamed_by FROM groups WHERE id = ?",
                           (group_id,)).fetchone()
        if row is None or row["name"] != set_to:
            raise SessionError(_renamed_since(row, set_to))
    for group_id, closed_at in reopen:
        row = conn.execute("SELECT name, closed_at, closed_by, reopened_by FROM groups"
                           " WHERE id = ?", (group_id,)).fetchone()
        if row is not None and row["closed_at"] != closed_at:
            raise SessionError(_reopened_since(row))
    at = now()
    # Joins first, then leaves: the schema checks after every row that nobody is
    # in two groups of a round, so nobody may be put back before being taken out.
    for action in ("joined", "left"):
        conn.execute("UPDATE memberships SET voided_at = ?, voided_by = ?"
                     " WHERE batch = ? AND action = ? AND voided_at IS NULL",
                     (at, identity, batch, action))
    conn.execute("UPDATE groups SET voided_at = ?, voided_by = ?"
                 " WHERE batch = ? AND voided_at IS NULL", (at, identity, batch))
    for group_id, _closed_at in reopen:
        conn.execute("UPDATE groups SET closed_at = NULL, closed_by = NULL, reopened_at = ?,"
                     " reopened_by = ? WHERE id = ?", (at, identity, group_id))
    for group_id, name, _set_to in rename:
        conn.execute("UPDATE groups SET name = ?, renamed_at = ?, renamed_by = ? WHERE id = ?",
                     (name, at, identity, group_id))



# ---------------------------------------------------------------- history
def members_ever(store: SessionStore) -> dict[int, set[int]]:
    """Per group (not voided), everyone who was in it at some moment of its round:
    someone who moved met both groups."""
    out: dict[int, set[int]] = {}
    for row in store.rows(
            "SELECT m.group_id, m.participant_id FROM memberships m JOIN groups g"
            " ON g.id = m.group_id WHERE m.action = 'joined' AND m.voided_at IS NULL"
            " AND g.voided_at IS NULL"):
        out.setdefault(row[0], set()).add(row[1])
    return out


def shared_group_pairs(store: SessionStore, exclude_round: int | None = -1,
                       largest: int | None = None) -> dict[tuple[int, int], int]:
    """Pairs of people who shared a group in the session, with how many times;
    the groups of `exclude_round` (the round being planned) do not count, nor
    groups of more than `largest` people (a plenary circle is not a meeting)."""
    round_of = {r[0]: r[1] for r in store.rows("SELECT id, round_id FROM groups WHERE voided_at IS NULL")}
    counts: dict[tuple[int, int], int] = {}
    for group_id, people in members_ever(store).items():
        if exclude_round != -1 and round_of.get(group_id) == exclude_round:
            continue
        if largest is not None and len(people) > largest:
            continue
        ordered = sorted(people)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    return counts


def interacted_pairs(store: SessionStore) -> frozenset[tuple[int, int]]:
    """Pairs with at least one logged (not voided) interaction between them."""
    return frozenset(
        (min(r[0], r[1]), max(r[0], r[1])) for r in store.rows(
            "SELECT DISTINCT source_id, target_id FROM interactions WHERE voided_at IS NULL"
            " AND source_id IS NOT NULL AND target_id IS NOT NULL AND source_id != target_id"))


def ungrouped(store: SessionStore, round_id: int | None) -> list[int]:
    """Present people in no open group of the round, by name."""
    return [r[0] for r in store.rows(
        "SELECT p.id FROM participants p WHERE p.present = 1 AND NOT EXISTS ("
        " SELECT 1 FROM current_members cm JOIN groups g ON g.id = cm.group_id"
        " WHERE cm.participant_id = p.id AND g.round_id IS ? AND g.closed_at IS NULL)"
        " ORDER BY p.name COLLATE NOCASE", (round_id,))]

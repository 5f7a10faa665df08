"""Goals in each group's own words, and the essential topics they address.

The facilitator records; the tool never sets or edits a group's goals on the
facilitator's behalf (challenges, which ask a group to account for a topic, live in
challenges.py). Every edit of a goal (text, status, progress note, the topics
it addresses) leaves a row in goal_history: when, by whom, in which round, the old
and the new value. Undo is itself an edit, so the history stays complete."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from facilitator.models.rounds import current_round_id
from facilitator.models.session import insert_essential, session_info
from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now

GOAL_STATUSES = ("open", "in progress", "done", "dropped")
#: Fields of a goal whose edits go into goal_history. 'essential' records a link
#: (new value = topic name) or an unlink (old value = topic name).
EDITABLE_FIELDS = ("text", "status", "progress")


@dataclass(frozen=True)
class Essential:
    """A topic the organisers consider essential (from the template or added live)."""

    id: int
    name: str
    description: str
    source: str


@dataclass(frozen=True)
class Goal:
    """A group's goal as the group stated it."""

    id: int
    group_id: int
    text: str
    status: str
    progress: str | None
    set_by: str | None
    round_id: int | None
    created_at: str
    logged_by: str | None
    updated_at: str | None
    essential_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class GoalEdit:
    """One row of a goal's history."""

    id: int
    goal_id: int
    at: str
    by: str | None
    round_id: int | None
    field: str
    old_value: str | None
    new_value: str | None


# ---------------------------------------------------------------------- writing
GOAL_NEEDS_TEXT = "A goal needs some text, in the group's own words."


def _check_status(status: str) -> None:
    if status not in GOAL_STATUSES:
        raise SessionError(f"A goal's status is one of: {', '.join(GOAL_STATUSES)}.")


def insert_goal(conn: sqlite3.Connection, group_id: int, text: str, set_by: str | None,
                logged_by: str | None, essential_ids: list[int] = (), status: str = "open") -> int:
    text = clean_text(text, "a goal's text", empty=GOAL_NEEDS_TEXT)
    set_by = clean_text(set_by, "who set the goal", max_length=80, required=False) or None
    _check_status(status)
    if conn.execute("SELECT 1 FROM groups WHERE id = ? AND voided_at IS NULL",
                    (group_id,)).fetchone() is None:
        raise SessionError(f"No group has id {group_id}.")
    cursor = conn.execute(
        "INSERT INTO goals (group_id, text, status, set_by, round_id, created_at, logged_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (group_id, text, status, set_by, current_round_id(conn), now(), logged_by))
    goal_id = int(cursor.lastrowid or 0)
    for essential_id in essential_ids:
        conn.execute("INSERT OR IGNORE INTO goal_essentials VALUES (?, ?)", (goal_id, essential_id))
    return goal_id


def add_goal(store: SessionStore, group_id: int, text: str, set_by: str | None = None,
             essential_ids: list[int] = ()) -> int:
    """Record a goal as the group states it; returns its id."""
    return store.transact(lambda c: insert_goal(c, group_id, text, set_by, store.identity,
                                                list(essential_ids)))


def _record(conn: sqlite3.Connection, goal_id: int, by: str | None, field: str,
            old: str | None, new: str | None, at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO goal_history (goal_id, at, by, round_id, field, old_value, new_value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", (goal_id, at, by, current_round_id(conn), field, old, new))
    return int(cursor.lastrowid or 0)


def _said_since(conn: sqlite3.Connection, goal_id: int, field: str, after: int,
                topic: str | None = None) -> str | None:
    """One sentence naming who changed this field of the goal (or its link to
    `topic`) after history row `after`, or None."""
    sql = "SELECT * FROM goal_history WHERE goal_id = ? AND field = ? AND id > ?"
    params: list[object] = [goal_id, field, after]
    if topic is not None:
        sql += " AND (old_value = ? OR new_value = ?)"
        params += [topic, topic]
    row = conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    if row is None:
        return None
    who = row["by"] or "Someone"
    text = conn.execute("SELECT text FROM goals WHERE id = ?", (goal_id,)).fetchone()[0]
    if field == "essential":
        done = (f"linked {text!r} to {topic}" if row["new_value"] else
                f"unlinked {text!r} from {topic}")
    elif field == "status":
        done = f"set {text!r} to {row['new_value']}"
    elif field == "text":
        done = f"reworded {row['old_value']!r} as {row['new_value']!r}"
    else:
        done = f"changed the progress note of {text!r}"
    return f"{who} {done} since; nothing was undone."


def edit_goal_field(store: SessionStore, goal_id: int, field: str,
                    value: str) -> tuple[str | None, str | None, int] | None:
    """Change one field (text, status, progress); returns (old, new, history row id)
    for revert_goal_field, or None when nothing changed."""
    changed = _edit(store, goal_id, {field: _clean_field(field, value)})
    return changed.get(field)


def revert_goal_field(store: SessionStore, goal_id: int, field: str, old: str | None,
                      after: int) -> None:
    """Undo of an edit: the field goes back to `old`, only while nobody has changed
    it since history row `after` (else SessionError names who, nothing written).
    The undo is itself an edit, with its own history row."""
    def body(conn: sqlite3.Connection) -> None:
        said = _said_since(conn, goal_id, field, after)
        if said is not None:
            raise SessionError(said)
        _write_fields(conn, store, goal_id, {field: old})

    store.transact(body)


def _clean_field(field: str, value: str | None) -> str | None:
    if field == "text":
        return clean_text(value, "a goal's text", empty=GOAL_NEEDS_TEXT)
    if field == "status":
        _check_status(value or "")
        return value
    if field == "progress":
        return clean_text(value, "the progress note", required=False) or None
    raise SessionError(f"A goal has no field {field!r}.")


def _write_fields(conn: sqlite3.Connection, store: SessionStore, goal_id: int,
                  changes: dict[str, str | None]) -> dict[str, tuple[str | None, str | None, int]]:
    row = conn.execute("SELECT * FROM goals WHERE id = ?", (goal_id,)).fetchone()
    if row is None:
        raise SessionError(f"No goal has id {goal_id}.")
    at = now()
    changed: dict[str, tuple[str | None, str | None, int]] = {}
    for field, new in changes.items():
        if field not in EDITABLE_FIELDS:
            raise SessionError(f"A goal has no field {field!r}.")
        if row[field] == new:
            continue
        # field comes from our own fixed list, never from user input.
        conn.execute(f"UPDATE goals SET {field} = ?, updated_at = ? WHERE id = ?",
                     (new, at, goal_id))
        changed[field] = (row[field], new,
                          _record(conn, goal_id, store.identity, field, row[field], new, at))
    return changed


def _edit(store: SessionStore, goal_id: int,
          changes: dict[str, str | None]) -> dict[str, tuple[str | None, str | None, int]]:
    return store.transact(lambda conn: _write_fields(conn, store, goal_id, changes))


def edit_goal(store: SessionStore, goal_id: int, *, text: str | None = None,
              status: str | None = None, progress: str | None = None) -> list[str]:
    """Change a goal's text, status or progress note, as the group says it now.

    Only given fields change; each changed field leaves a history row. Returns the
    names of the fields that actually changed (empty: nothing to do, nothing written).
    An empty progress note clears it; an empty text is refused."""
    changes: dict[str, str | None] = {}
    for field, value in (("text", text), ("status", status), ("progress", progress)):
        if value is not None:
            changes[field] = _clean_field(field, value)
    return list(_edit(store, goal_id, changes))


def set_goal_status(store: SessionStore, goal_id: int, status: str) -> bool:
    """Set a goal's status (open, in progress, done, dropped); True if it changed."""
    return bool(edit_goal(store, goal_id, status=status))


def next_status(status: str) -> str:
    """The status after this one, in the order a goal usually goes through."""
    index = GOAL_STATUSES.index(status) if status in GOAL_STATUSES else -1
    return GOAL_STATUSES[(index + 1) % len(GOAL_STATUSES)]


def link_goal(store: SessionStore, goal_id: int, essential_id: int) -> bool:
    """Note that a goal addresses an essential topic; True if it was not linked yet."""
    return _change_link(store, goal_id, essential_id, linked=True)


def unlink_goal(store: SessionStore, goal_id: int, essential_id: int) -> bool:
    """Remove a goal's link to a topic; True if it was linked."""
    return _change_link(store, goal_id, essential_id, linked=False)


def _change_link(store: SessionStore, goal_id: int, essential_id: int, *, linked: bool) -> bool:
    """Link or unlink; a change (only) leaves a history row naming the topic."""
    return bool(change_link(store, goal_id, essential_id, linked=linked))


def change_link(store: SessionStore, goal_id: int, essential_id: int, *, linked: bool,
                after: int | None = None) -> int:
    """Link or unlink, returning the history row written (0: nothing changed).
    With `after` (an undo), only while nobody has linked or unlinked the same
    goal and topic since that history row: else SessionError names who."""
    def body(conn: sqlite3.Connection) -> int:
        if after is not None:
            said = _said_since(conn, goal_id, "essential", after, _essential_name(conn, essential_id))
            if said is not None:
                raise SessionError(said)
        name = _essential_name(conn, essential_id)
        _goal_exists(conn, goal_id)
        if linked:
            cursor = conn.execute("INSERT OR IGNORE INTO goal_essentials VALUES (?, ?)",
                                  (goal_id, essential_id))
        else:
            cursor = conn.execute("DELETE FROM goal_essentials WHERE goal_id = ? AND essential_id = ?",
                                  (goal_id, essential_id))
        if not cursor.rowcount:
            return 0
        at = now()
        conn.execute("UPDATE goals SET updated_at = ? WHERE id = ?", (at, goal_id))
        old, new = (None, name) if linked else (name, None)
        return _record(conn, goal_id, store.identity, "essential", old, new, at)

    return store.transact(body)


def remove_fresh_goal(store: SessionStore, goal_id: int) -> None:
    """Take back a goal recorded by mistake a moment ago (undo of an entry).

    Only a goal without any edit yet can go; once it has a history it stays, and
    the way to retire it is the status 'dropped'."""
    def body(conn: sqlite3.Connection) -> None:
        _goal_exists(conn, goal_id)
        edited = conn.execute("SELECT by FROM goal_history WHERE goal_id = ? ORDER BY id DESC"
                              " LIMIT 1", (goal_id,)).fetchone()
        if edited:
            raise SessionError(f"{edited[0] or 'Someone'} edited this goal since; nothing was"
                               " undone (mark it dropped instead).")
        conn.execute("DELETE FROM goal_essentials WHERE goal_id = ?", (goal_id,))
        conn.execute("DELETE FROM goals WHERE id = ?", (goal_id,))

    store.transact(body)


def _goal_exists(conn: sqlite3.Connection, goal_id: int) -> None:
    if conn.execute("SELECT 1 FROM goals WHERE id = ?", (goal_id,)).fetchone() is None:
        raise SessionError(f"No goal has id {goal_id}.")


def _essential_name(conn: sqlite3.Connection, essential_id: int) -> str:
    row = conn.execute("SELECT name FROM essentials WHERE id = ?", (essential_id,)).fetchone()
    if row is None:
        raise SessionError(f"No essential topic has id {essential_id}.")
    return str(row[0])


def add_essential(store: SessionStore, name: str, description: str = "") -> int:
    """Add an essential topic live (source 'live')."""
    name = clean_text(name, "an essential topic's name", max_length=120,
                      empty="An essential topic needs a name.")
    description = clean_text(description, "the topic's description", required=False)
    if store.one("SELECT 1 FROM essentials WHERE lower(name) = lower(?)", (name,)):
        raise SessionError(f"{name!r} is already an essential topic.")
    return store.transact(lambda c: insert_essential(c, name, description, "live"))


def remove_fresh_essential(store: SessionStore, essential_id: int) -> None:
    """Take back a topic added live by mistake (undo of an entry).

    Only while nothing refers to it: once a goal links to it or a challenge is
    about it, the topic stays on record. A goal's history keeps naming a topic
    that was linked and unlinked again (it stores names), so it stays true."""
    def body(conn: sqlite3.Connection) -> None:
        name = _essential_name(conn, essential_id)
        used = conn.execute(
            "SELECT 1 FROM goal_essentials WHERE essential_id = ?"
            " UNION ALL SELECT 1 FROM challenges WHERE essential_id = ? LIMIT 1",
            (essential_id, essential_id)).fetchone()
        if used:
            raise SessionError(f"Goals or challenges refer to {name!r} now; the topic stays.")
        conn.execute("DELETE FROM essentials WHERE id = ?", (essential_id,))

    store.transact(body)


# ---------------------------------------------------------------------- reading
def essential_topics(store: SessionStore) -> list[Essential]:
    """All essential topics, in the order they were added."""
    return [Essential(r["id"], r["name"], r["description"] or "", r["source"])
            for r in store.rows("SELECT * FROM essentials ORDER BY id")]


def find_essential(store: SessionStore, name: str) -> Essential:
    """The topic of that name (case-insensitive; a unique beginning is enough)."""
    wanted = " ".join(name.split()).lower()
    topics = essential_topics(store)
    exact = [t for t in topics if t.name.lower() == wanted]
    if exact:
        return exact[0]
    starts = [t for t in topics if wanted and t.name.lower().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    known = ", ".join(t.name for t in topics) or "none yet"
    if starts:
        raise SessionError(f"{name!r} could be several topics ({', '.join(t.name for t in starts)}).")
    raise SessionError(f"No essential topic is called {name!r} (known: {known}).")


def _goal(row: sqlite3.Row, links: dict[int, list[int]]) -> Goal:
    return Goal(row["id"], row["group_id"], row["text"], row["status"], row["progress"],
                row["set_by"], row["round_id"], row["created_at"], row["logged_by"],
                row["updated_at"], tuple(links.get(row["id"], ())))


def goals(store: SessionStore, group_ids: list[int] | None = None) -> list[Goal]:
    """Goals of the given groups (all groups if None), in the order they were set."""
    sql = "SELECT * FROM goals"
    params: list[int] = []
    if group_ids is not None:
        sql += f" WHERE group_id IN ({','.join('?' * len(group_ids))})"
        params = list(group_ids)
    rows = store.rows(sql + " ORDER BY id", params)
    links: dict[int, list[int]] = {}
    for goal_id, essential_id in store.rows(
            "SELECT goal_id, essential_id FROM goal_essentials ORDER BY essential_id"):
        links.setdefault(goal_id, []).append(essential_id)
    return [_goal(r, links) for r in rows]


def get_goal(store: SessionStore, goal_id: int) -> Goal:
    row = store.one("SELECT * FROM goals WHERE id = ?", (goal_id,))
    if row is None:
        raise SessionError(f"No goal has id {goal_id}.")
    links = {goal_id: [r[0] for r in store.rows(
        "SELECT essential_id FROM goal_essentials WHERE goal_id = ? ORDER BY essential_id",
        (goal_id,))]}
    return _goal(row, links)


def goals_by_group(store: SessionStore, group_ids: list[int] | None = None) -> dict[int, list[Goal]]:
    """Goals grouped by group id (groups without goals are absent)."""
    result: dict[int, list[Goal]] = {}
    for goal in goals(store, group_ids):
        result.setdefault(goal.group_id, []).append(goal)
    return result


def goal_history(store: SessionStore, goal_id: int | None = None) -> list[GoalEdit]:
    """The edits of one goal (or of all goals), oldest first."""
    sql = "SELECT * FROM goal_history"
    params: tuple[int, ...] = ()
    if goal_id is not None:
        sql += " WHERE goal_id = ?"
        params = (goal_id,)
    return [GoalEdit(r["id"], r["goal_id"], r["at"], r["by"], r["round_id"], r["field"],
                     r["old_value"], r["new_value"])
            for r in store.rows(sql + " ORDER BY id", params)]


def group_named(store: SessionStore, name: str) -> int:
    """The id of the group a facilitator means by this name (case-insensitive).

    A group of the current round wins; otherwise the name must be unique in the
    session. A number that names no group is taken as a group id."""
    wanted = " ".join(name.split())
    rows = store.rows(
        "SELECT g.id, g.round_id, r.name AS round FROM groups g"
        " LEFT JOIN rounds r ON r.id = g.round_id"
        " WHERE lower(g.name) = lower(?) AND g.voided_at IS NULL ORDER BY g.id", (wanted,))
    if not rows and wanted.isdigit():
        if store.one("SELECT 1 FROM groups WHERE id = ? AND voided_at IS NULL", (int(wanted),)):
            return int(wanted)
    if not rows:
        raise SessionError(f"No group is called {name!r}; `facilitator goals PATH --list` shows them.")
    current = session_info(store).current_round_id
    in_current = [r for r in rows if r["round_id"] == current and current is not None]
    chosen = in_current or rows
    if len(chosen) == 1:
        return int(chosen[0]["id"])
    where = ", ".join(f"id {r['id']} ({r['round'] or 'no round'})" for r in chosen)
    raise SessionError(f"Several groups are called {name!r}: {where}; give the id instead.")

"""The interaction log: append-only; undo voids an entry, nothing is deleted.

Importing from CSV is in models.interactions_import."""

from __future__ import annotations

import sqlite3

from facilitator.models.codebook import find_kind
from facilitator.models.records import Interaction, Kind, Participant
from facilitator.models.rounds import running_round_id
from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now

MAX_NOTE_LENGTH = 2000


def insert_interaction(conn: sqlite3.Connection, *, kind: str, source_id: int | None,
                       target_id: int | None, group_id: int | None, round_id: int | None,
                       logged_by: str | None, note: str | None, at: str | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its id."""
    if source_id is not None and source_id == target_id:
        raise SessionError("Someone cannot address themselves; nothing was logged.")
    note = clean_text(note, "the note", max_length=MAX_NOTE_LENGTH, required=False)
    cursor = conn.execute(
        "INSERT INTO interactions (at, source_id, target_id, kind, group_id, round_id,"
        " logged_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at or now(), source_id, target_id, kind, group_id, round_id, logged_by, note or None))
    return int(cursor.lastrowid or 0)


def log_interaction(store: SessionStore, kind: Kind | str, source: Participant | None,
                    target: Participant | None = None, *, group_id: int | None = None,
                    round_id: int | None = None, note: str | None = None,
                    at: str | None = None) -> Interaction:
    """Record one interaction (or, with no source, a whole-group state).

    Committed durably before it returns; round defaults to the running round
    (None between rounds: an entry after a round ended does not join it).
    """
    kind_name = kind.name if isinstance(kind, Kind) else kind
    if isinstance(kind, Kind):
        scope = kind.scope
    else:
        found = find_kind(store, kind)
        if found is None:
            raise SessionError(f"{kind!r} is not a kind in this session's codebook.")
        kind_name, scope = found.name, found.scope
    if scope == "pair" and source is None:
        raise SessionError(f"An entry of kind {kind_name!r} needs someone who did it.")
    if scope == "group":
        source = target = None

    def body(conn: sqlite3.Connection) -> int:
        return insert_interaction(
            conn, kind=kind_name, source_id=source.id if source else None,
            target_id=target.id if target else None, group_id=group_id,
            round_id=round_id if round_id is not None else running_round_id(conn),
            logged_by=store.identity, note=note, at=at)

    return get_interaction(store, store.transact(body))


def get_interaction(store: SessionStore, interaction_id: int) -> Interaction:
    row = store.one("SELECT * FROM interactions WHERE id = ?", (interaction_id,))
    if row is None:
        raise SessionError(f"No entry has id {interaction_id}.")
    return Interaction.from_row(row)


def _entry_state(conn: sqlite3.Connection, interaction_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT voided_at, voided_by, restored_at, restored_by FROM interactions"
                       " WHERE id = ?", (interaction_id,)).fetchone()
    if row is None:
        raise SessionError(f"Entry #{interaction_id} is no longer in the file; nothing was changed.")
    return row  # type: ignore[no-any-return]


def _read(conn: sqlite3.Connection, interaction_id: int) -> Interaction:
    """The entry as this transaction sees it (so what we return is what we wrote)."""
    return Interaction.from_row(conn.execute("SELECT * FROM interactions WHERE id = ?",
                                             (interaction_id,)).fetchone())


#: Passed as `expect` to void or restore whatever the entry went through.
UNCHECKED = object()


def void_interaction(store: SessionStore, interaction_id: int, what: str = "",
                     expect: object = UNCHECKED) -> Interaction:
    """Undo: mark an entry void (it stays in the log, struck through).

    With `expect`, the entry's restored_at when this process last wrote it (None for
    an entry never brought back): only while nobody has voided it, or voided and
    brought it back, since; otherwise SessionError names who, and nothing is written.
    `what` names the entry in that sentence ("Ana → Bob, asked")."""
    what = what or f"entry #{interaction_id}"

    def body(conn: sqlite3.Connection) -> Interaction:
        row = _entry_state(conn, interaction_id)
        if row["voided_at"] is not None:
            if expect is UNCHECKED:
                return _read(conn, interaction_id)
            raise SessionError(f"{row['voided_by'] or 'Someone'} already undid {what};"
                               " nothing was undone.")
        if expect is not UNCHECKED and row["restored_at"] != expect:
            raise SessionError(f"{row['restored_by'] or 'Someone'} undid and brought back {what}"
                               " since; nothing was undone.")
        conn.execute("UPDATE interactions SET voided_at = ?, voided_by = ? WHERE id = ?",
                     (now(), store.identity, interaction_id))
        return _read(conn, interaction_id)

    return store.transact(body)


def restore_interaction(store: SessionStore, interaction_id: int, what: str = "",
                        expect: object = UNCHECKED) -> Interaction:
    """Redo: make a voided entry count again, recording who brought it back and when
    (restored_at, restored_by; voided_at and voided_by become NULL).

    With `expect`, the voided_at of our own undo: only while nobody has brought it
    back, or brought it back and undone it again, since; otherwise SessionError
    names who, and nothing is written."""
    what = what or f"entry #{interaction_id}"

    def body(conn: sqlite3.Connection) -> Interaction:
        row = _entry_state(conn, interaction_id)
        if row["voided_at"] is None:
            if expect is UNCHECKED:
                return _read(conn, interaction_id)
            raise SessionError(f"{row['restored_by'] or 'Someone else'} already brought back"
                               f" {what}; nothing was redone.")
        if expect is not UNCHECKED and row["voided_at"] != expect:
            raise SessionError(f"{row['voided_by'] or 'Someone'} undid {what} again since;"
                               " nothing was redone.")
        conn.execute("UPDATE interactions SET voided_at = NULL, voided_by = NULL,"
                     " restored_at = ?, restored_by = ? WHERE id = ?",
                     (now(), store.identity, interaction_id))
        return _read(conn, interaction_id)

    return store.transact(body)


def recent_interactions(store: SessionStore, limit: int = 50,
                        after_id: int = 0) -> list[Interaction]:
    """The newest entries, newest first (voided ones included)."""
    rows = store.rows("SELECT * FROM interactions WHERE id > ? ORDER BY id DESC LIMIT ?",
                      (after_id, limit))
    return [Interaction.from_row(r) for r in rows]

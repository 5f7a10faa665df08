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
                       logged_by: str | None, note: str | None, at: str | None = None,
                       replaces_id: int | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its id."""
    if source_id is not None and source_id == target_id:
        raise SessionError("Someone cannot address themselves; nothing was logged.")
    note = clean_text(note, "the note", max_length=MAX_NOTE_LENGTH, required=False)
    columns = "at, source_id, target_id, kind, group_id, round_id, logged_by, note"
    values: list[object] = [at or now(), source_id, target_id, kind, group_id, round_id,
                            logged_by, note or None]
    if replaces_id is not None:
        columns += ", replaces_id"
        values.append(replaces_id)
    cursor = conn.execute(f"INSERT INTO interactions ({columns}) VALUES"
                          f" ({', '.join('?' * len(values))})", values)
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
    return store.transact(lambda conn: void_in(conn, interaction_id, store.identity, what, expect))


def void_in(conn: sqlite3.Connection, interaction_id: int, by: str | None, what: str = "",
            expect: object = UNCHECKED, undoing: str = "undone") -> Interaction:
    """void_interaction inside the caller's transaction; `undoing` is the word of
    the refusal ("nothing was undone", "nothing was redone")."""
    what = what or f"entry #{interaction_id}"
    row = _entry_state(conn, interaction_id)
    if row["voided_at"] is not None:
        if expect is UNCHECKED:
            return _read(conn, interaction_id)
        raise SessionError(f"{row['voided_by'] or 'Someone'} already undid {what};"
                           f" nothing was {undoing}.")
    if expect is not UNCHECKED and row["restored_at"] != expect:
        raise SessionError(f"{row['restored_by'] or 'Someone'} undid and brought back {what}"
                           f" since; nothing was {undoing}.")
    conn.execute("UPDATE interactions SET voided_at = ?, voided_by = ? WHERE id = ?",
                 (now(), by, interaction_id))
    return _read(conn, interaction_id)


def restore_interaction(store: SessionStore, interaction_id: int, what: str = "",
                        expect: object = UNCHECKED) -> Interaction:
    """Redo: make a voided entry count again, recording who brought it back and when
    (restored_at, restored_by; voided_at and voided_by become NULL).

    With `expect`, the voided_at of our own undo: only while nobody has brought it
    back, or brought it back and undone it again, since; otherwise SessionError
    names who, and nothing is written."""
    return store.transact(
        lambda conn: restore_in(conn, interaction_id, store.identity, what, expect))


def restore_in(conn: sqlite3.Connection, interaction_id: int, by: str | None, what: str = "",
               expect: object = UNCHECKED, redoing: str = "redone") -> Interaction:
    """restore_interaction inside the caller's transaction."""
    what = what or f"entry #{interaction_id}"
    row = _entry_state(conn, interaction_id)
    if row["voided_at"] is None:
        if expect is UNCHECKED:
            return _read(conn, interaction_id)
        raise SessionError(f"{row['restored_by'] or 'Someone else'} already brought back"
                           f" {what}; nothing was {redoing}.")
    if expect is not UNCHECKED and row["voided_at"] != expect:
        raise SessionError(f"{row['voided_by'] or 'Someone'} undid {what} again since;"
                           f" nothing was {redoing}.")
    conn.execute("UPDATE interactions SET voided_at = NULL, voided_by = NULL,"
                 " restored_at = ?, restored_by = ? WHERE id = ?",
                 (now(), by, interaction_id))
    return _read(conn, interaction_id)


def correct_interaction(store: SessionStore, interaction_id: int, *, kind: Kind,
                        source: Participant | None, target: Participant | None,
                        note: str | None, what: str = "") -> tuple[Interaction, Interaction]:
    """A correction: the entry is voided and a new one logged in its place, in one
    transaction: same moment, round and group, the corrected kind, people and note,
    logged by whoever corrects it (replaces_id points back). Refused, nothing
    written, when the entry is undone already (restore it first) or when the
    correction changes nothing. Returns (the old entry as voided, the new one)."""
    what = what or f"entry #{interaction_id}"
    if kind.scope == "pair" and source is None:
        raise SessionError(f"An entry of kind {kind.name!r} needs someone who did it.")
    if kind.scope == "group":
        source = target = None

    def body(conn: sqlite3.Connection) -> tuple[Interaction, Interaction]:
        old = _read_existing(conn, interaction_id)
        if old.voided_at is not None:
            raise SessionError(f"{old.voided_by or 'Someone'} undid {what}; restore it before"
                               " correcting it. Nothing was changed.")
        clean_note = clean_text(note, "the note", max_length=MAX_NOTE_LENGTH,
                                required=False) or None
        same = (old.kind, old.source_id, old.target_id, old.note) == (
            kind.name, source.id if source else None, target.id if target else None, clean_note)
        if same:
            raise SessionError(f"That is what {what} already says; nothing was changed.")
        voided = void_in(conn, interaction_id, store.identity, what)
        new_id = insert_interaction(
            conn, kind=kind.name, source_id=source.id if source else None,
            target_id=target.id if target else None, group_id=old.group_id,
            round_id=old.round_id, logged_by=store.identity, note=clean_note, at=old.at,
            replaces_id=old.id)
        return voided, _read(conn, new_id)

    return store.transact(body)


def _read_existing(conn: sqlite3.Connection, interaction_id: int) -> Interaction:
    row = conn.execute("SELECT * FROM interactions WHERE id = ?", (interaction_id,)).fetchone()
    if row is None:
        raise SessionError(f"No entry has id {interaction_id}; nothing was changed.")
    return Interaction.from_row(row)


def swap_interactions(store: SessionStore, void_id: int, restore_id: int, *, what: str,
                      void_expect: object, restore_expect: object,
                      doing: str) -> tuple[Interaction, Interaction]:
    """Undo or redo of a correction: one entry voided and the other brought back,
    both or neither, each only while nobody has changed it since."""
    def body(conn: sqlite3.Connection) -> tuple[Interaction, Interaction]:
        voided = void_in(conn, void_id, store.identity, what, void_expect, doing)
        restored = restore_in(conn, restore_id, store.identity, what, restore_expect, doing)
        return voided, restored

    return store.transact(body)


def rewrite_stamp(store: SessionStore) -> tuple[object, ...]:
    """Changes whenever entries were rewritten in place: a roster merge (or its undo)
    makes old entries name another person, which no new id or void shows. A live
    view that grows with the log re-reads it whole when this changes."""
    try:
        row = store.one("SELECT count(*), max(removed_at), count(restored_at), max(restored_at)"
                        " FROM removed_participants WHERE merged_into IS NOT NULL")
    except (sqlite3.Error, SessionError):  # a file from before version 5, opened read-only
        return ()
    return tuple(row) if row is not None else ()


def recent_interactions(store: SessionStore, limit: int = 50,
                        after_id: int = 0) -> list[Interaction]:
    """The newest entries, newest first (voided ones included)."""
    rows = store.rows("SELECT * FROM interactions WHERE id > ? ORDER BY id DESC LIMIT ?",
                      (after_id, limit))
    return [Interaction.from_row(r) for r in rows]

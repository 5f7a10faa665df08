"""The interaction log: append-only; undo voids an entry, nothing is deleted."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from facilitator.models.codebook import find_kind
from facilitator.models.records import Interaction, Kind, Participant
from facilitator.models.roster import find_participant
from facilitator.models.rounds import current_round_id, parse_time, running_round_id
from facilitator.models.text import SAVE_AS_CSV_UTF8, clean_text, problems_error, read_text_file, visible
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


@dataclass(frozen=True)
class ImportRow:
    line: int
    source: str
    target: str
    kind: str
    at: str | None
    note: str | None


def read_interactions_csv(path: Path) -> list[ImportRow]:
    """Rows of an observations CSV: columns source and target (an empty target is
    the whole group), optionally kind, timestamp and note; blank lines skipped."""
    text = read_text_file(path, not_utf8_hint=SAVE_AS_CSV_UTF8)
    # newline="": the csv module splits rows itself, at \n and \r only (str.splitlines
    # would also split at U+2028 and U+2029 inside a cell); a quoted line break stays.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        return _interaction_rows(reader, path)
    except csv.Error as error:  # an unterminated quote, a NUL byte
        raise SessionError(f"{visible(path.name)} line {reader.line_num}: {visible(str(error))}; "
                           "nothing was imported.") from None


def _interaction_rows(reader: csv.DictReader, path: Path) -> list[ImportRow]:  # type: ignore[type-arg]
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    missing = {"source", "target"} - columns
    if missing:
        raise SessionError(f"{path.name} line 1: missing column(s) {', '.join(sorted(missing))}.")
    rows = []
    for record in reader:
        if None in record:  # DictReader keeps cells beyond the header under None
            raise SessionError(
                f"{path.name} line {reader.line_num}: {len(reader.fieldnames or []) + len(record[None])}"
                f" cells but {len(reader.fieldnames or [])} columns; nothing was imported.")
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
        if not any(cells.values()):
            continue
        rows.append(ImportRow(reader.line_num, cells.get("source", ""), cells.get("target", ""),
                              cells.get("kind", ""), cells.get("timestamp") or None,
                              cells.get("note") or None))
    return rows


def import_interactions(store: SessionStore, rows: list[ImportRow], label: str = "file") -> int:
    """Append many entries in one transaction: every row, or none.

    Each bad row is reported with its line; nothing is written unless all are good."""
    problems: list[str] = []
    resolved = []
    people: dict[str, Participant] = {}

    def person(text: str, line: int) -> Participant | None:
        if not text.strip():
            return None
        key = text.strip().lower()
        if key not in people:
            try:
                people[key] = find_participant(store, text)
            except SessionError as error:
                problems.append(f"{label} line {line}: {error}")
                return None
        return people[key]

    for row in rows:
        kind = find_kind(store, row.kind or "speak")
        if kind is None:
            problems.append(f"{label} line {row.line}: {row.kind!r} is not a kind in the codebook.")
            continue
        source = person(row.source, row.line) if row.source.strip() else None
        target = person(row.target, row.line) if row.target.strip() else None
        if kind.scope == "group" and (row.source.strip() or row.target.strip()):
            # As `log` says: a whole-group state has no source and no target.
            problems.append(f"{label} line {row.line}: {kind.name!r} is a whole-group state; "
                            "leave source and target empty.")
            continue
        if kind.scope == "pair" and not row.source.strip():
            problems.append(f"{label} line {row.line}: the source is empty.")
            continue
        if source and target and source.id == target.id:
            problems.append(f"{label} line {row.line}: {source.name} cannot address themselves.")
            continue
        at = None
        if row.at:
            try:
                when = parse_time(row.at).astimezone(timezone.utc)
            except (ValueError, OverflowError):  # 0001-01-01T00:00:00+14:00 overflows
                problems.append(f"{label} line {row.line}: {row.at!r} is not a timestamp.")
                continue
            # A future time would stretch the timeline and the replay to that day.
            if when > datetime.now(timezone.utc) + timedelta(minutes=1):
                problems.append(f"{label} line {row.line}: {row.at!r} is in the future.")
                continue
            # Stored in UTC like every other entry, so the log sorts by time as text.
            at = when.isoformat(timespec="milliseconds")
        resolved.append((kind, source, target, at, row.note))
    if problems:
        raise problems_error(problems, "nothing was imported")

    def body(conn: sqlite3.Connection) -> int:
        round_id = current_round_id(conn)
        for kind, source, target, at, note in resolved:
            insert_interaction(conn, kind=kind.name, source_id=source.id if source else None,
                               target_id=target.id if target else None, group_id=None,
                               round_id=round_id, logged_by=store.identity, note=note, at=at)
        return len(resolved)

    return store.transact(body)

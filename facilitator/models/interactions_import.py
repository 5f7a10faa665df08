"""Importing interactions from CSV: a hand-made observations file, or the
interactions.csv that `facilitator export` writes (so an export round-trips).

Every column is one this module knows, or the file is refused, naming the column:
a typo'd "timestmp" would otherwise drop every time silently. Cells neutralised
for spreadsheets on export get their value back (models.cells.restore). All rows
are checked before anything is written; then one transaction writes them all."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from facilitator.models.cells import restore
from facilitator.models.codebook import find_kind, turn_kind
from facilitator.models.groups import insert_group
from facilitator.models.interactions import insert_interaction
from facilitator.models.records import Kind, Participant
from facilitator.models.roster import find_participant
from facilitator.models.rounds import current_round_id, insert_round, parse_time
from facilitator.models.store import SessionError, SessionStore
from facilitator.models.text import SAVE_AS_CSV_UTF8, problems_error, read_text_file, visible

#: Columns read, and what they hold. "timestamp" is the older name of "at".
COLUMNS = {
    "source": "who did it (name or code)", "target": "whom (empty: the whole group)",
    "kind": "a kind of the codebook (default: a speaking turn)",
    "at": "when (ISO 8601; default: now)", "timestamp": "when (the older name of 'at')",
    "note": "a note", "round": "the round's name (empty: between rounds)",
    "group": "the group's name within its round", "logged_by": "who logged it",
    "voided_at": "when it was undone (empty: it counts)", "voided_by": "who undid it",
    # Written by export, read and left aside: the new session numbers and labels its own.
    "id": "the entry's number in the exported file", "kind_label": "the kind's label",
}
REQUIRED = ("source", "target")


@dataclass(frozen=True)
class ImportRow:
    line: int
    source: str
    target: str
    kind: str
    at: str | None
    note: str | None
    round: str | None = None  # None: the column is absent (the current round is used)
    group: str | None = None
    logged_by: str | None = None
    voided_at: str | None = None
    voided_by: str | None = None


def read_interactions_csv(path: Path) -> list[ImportRow]:
    """Rows of an interactions CSV; blank lines skipped; unknown columns refused."""
    text = read_text_file(path, not_utf8_hint=SAVE_AS_CSV_UTF8)
    # newline="": the csv module splits rows itself, at \n and \r only (str.splitlines
    # would also split at U+2028 and U+2029 inside a cell); a quoted line break stays.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise SessionError(f"{visible(path.name)} is empty; nothing was imported.")
        columns = [c.strip().lower() for c in header]
        for column in columns:
            if column not in COLUMNS:
                shown = column or "(a column with no name)"
                raise SessionError(
                    f"{visible(path.name)} line 1: unknown column {shown!r}; the columns are "
                    f"{', '.join(c for c in COLUMNS if c not in ('id', 'kind_label'))};"
                    " nothing was imported.")
        doubled = sorted({c for c in columns if columns.count(c) > 1})
        if doubled or ("at" in columns and "timestamp" in columns):
            which = doubled[0] if doubled else "at and timestamp"
            raise SessionError(f"{visible(path.name)} line 1: the column {which} is there twice;"
                               " nothing was imported.")
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise SessionError(f"{visible(path.name)} line 1: missing column(s) {', '.join(missing)};"
                               " nothing was imported.")
        rows = []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(columns):
                raise SessionError(f"{visible(path.name)} line {reader.line_num}: {len(record)} cells but"
                                   f" {len(columns)} columns; nothing was imported.")
            cells = {c: restore(v.strip()) for c, v in zip(columns, record)}

            def cell(name: str) -> str | None:
                return cells.get(name) or None

            rows.append(ImportRow(
                reader.line_num, cells.get("source", ""), cells.get("target", ""),
                cells.get("kind", ""), cell("at") or cell("timestamp"), cell("note"),
                round=(cells.get("round", "") if "round" in columns else None),
                group=cell("group"), logged_by=cell("logged_by"),
                voided_at=cell("voided_at"), voided_by=cell("voided_by")))
    except csv.Error as error:
        # An unterminated quote, a NUL byte.
        raise SessionError(f"{visible(path.name)} line {reader.line_num}: {visible(str(error))};"
                           " nothing was imported.") from None
    return rows


@dataclass
class Imported:
    entries: int = 0
    voided: int = 0
    new_rounds: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)

    def sentence(self, label: str) -> str:
        text = f"Imported {self.entries} interactions from {label}"
        if self.voided:
            text += f" ({self.voided} of them undone, as in the file)"
        made = []
        if self.new_rounds:
            made.append(f"{len(self.new_rounds)} rounds ({', '.join(self.new_rounds)})")
        if self.new_groups:
            made.append(f"{len(self.new_groups)} groups ({', '.join(self.new_groups)})")
        if made:
            text += "; created " + " and ".join(made)
        return text + "."


def _when(text: str, what: str, label: str, line: int, problems: list[str]) -> str | None:
    try:
        when = parse_time(text).astimezone(timezone.utc)
    except (ValueError, OverflowError):  # 0001-01-01T00:00:00+14:00 overflows
        problems.append(f"{label} line {line}: {text!r} is not a timestamp ({what}).")
        return None
    # A future time would stretch the timeline and the replay to that day.
    if when > datetime.now(timezone.utc) + timedelta(minutes=1):
        problems.append(f"{label} line {line}: {text!r} is in the future.")
        return None
    # Stored in UTC like every other entry, so the log sorts by time as text.
    return when.isoformat(timespec="milliseconds")


def import_interactions(store: SessionStore, rows: list[ImportRow], label: str = "file", *,
                        add_missing: bool = False) -> Imported:
    """Append many entries in one transaction: every row, or none.

    Rounds and groups are found by name (a group within its round); with
    add_missing, those the session lacks are created, else each is a problem.
    Each bad row is reported with its line; nothing is written unless all are good."""
    problems: list[str] = []
    people: dict[str, Participant] = {}
    default_kind = turn_kind(store)
    rounds = {r[1].casefold(): r[0] for r in store.rows("SELECT id, name FROM rounds ORDER BY position DESC")}
    groups = {(r[2], r[1].casefold()): r[0] for r in store.rows(
        "SELECT id, name, round_id FROM groups WHERE voided_at IS NULL ORDER BY id DESC")}
    new_rounds: list[str] = []
    new_groups: list[tuple[object, str]] = []
    current = store.scalar("SELECT current_round_id FROM session")

    def person(text: str, line: int) -> Participant | None:
        key = text.strip().lower()
        if key not in people:
            try:
                people[key] = find_participant(store, text)
            except SessionError as error:
                problems.append(f"{label} line {line}: {error}")
                return None
        return people[key]

    def round_of(row: ImportRow) -> tuple[bool, object]:
        """(known, round): the round id, "current" (no round column), None (between
        rounds), or the name of a round to create."""
        if row.round is None:
            return True, "current"
        if not row.round:
            return True, None
        key = row.round.casefold()
        if key in rounds:
            return True, rounds[key]
        if add_missing:
            if row.round not in new_rounds:
                new_rounds.append(row.round)
            return True, ("new", row.round)
        problems.append(f"{label} line {row.line}: there is no round {row.round!r} in this session;"
                        " add it, or import with --add-missing to create it.")
        return False, None

    resolved = []
    for row in rows:
        kind: Kind | None = find_kind(store, row.kind) if row.kind else default_kind
        if kind is None:
            problems.append(f"{label} line {row.line}: {row.kind!r} is not a kind in the codebook.")
            continue
        if kind.scope == "group" and (row.source.strip() or row.target.strip()):
            # As `log` says: a whole-group state has no source and no target.
            problems.append(f"{label} line {row.line}: {kind.name!r} is a whole-group state; "
                            "leave source and target empty.")
            continue
        if kind.scope == "pair" and not row.source.strip():
            problems.append(f"{label} line {row.line}: the source is empty.")
            continue
        source = person(row.source, row.line) if row.source.strip() else None
        target = person(row.target, row.line) if row.target.strip() and kind.scope == "pair" else None
        if source and target and source.id == target.id:
            problems.append(f"{label} line {row.line}: {source.name} cannot address themselves.")
            continue
        at = _when(row.at, "at", label, row.line, problems) if row.at else None
        voided_at = _when(row.voided_at, "voided_at", label, row.line, problems) if row.voided_at else None
        known, round_ = round_of(row)
        if not known:
            continue
        group: object = None
        if row.group:
            # The round the group belongs to: an id, None, or ("new", name).
            round_ref = current if round_ == "current" else round_
            found = None if isinstance(round_ref, tuple) else groups.get((round_ref, row.group.casefold()))
            if found is not None:
                group = found
            elif add_missing:
                key = (round_ref, row.group)
                if key not in new_groups:
                    new_groups.append(key)
                group = ("new", key)
            else:
                where = f" in round {row.round!r}" if row.round else ""
                problems.append(f"{label} line {row.line}: there is no group {row.group!r}{where};"
                                " add it, or import with --add-missing to create it.")
                continue
        resolved.append((row, kind, source, target, at, voided_at, round_, group))
    if problems:
        raise problems_error(problems, "nothing was imported")

    def body(conn: sqlite3.Connection) -> Imported:
        done = Imported(new_rounds=list(new_rounds))
        made_rounds = {name: insert_round(conn, name, None) for name in new_rounds}
        made_groups: dict[object, int] = {}
        for round_ref, name in new_groups:
            round_id = made_rounds[round_ref[1]] if isinstance(round_ref, tuple) else round_ref
            made_groups[(round_ref, name)] = insert_group(conn, name, round_id,  # type: ignore[arg-type]
                                                          created_by=store.identity)
            done.new_groups.append(name)
        now_round = current_round_id(conn)
        for row, kind, source, target, at, voided_at, round_, group in resolved:
            if round_ == "current":
                round_id = now_round
            elif isinstance(round_, tuple):
                round_id = made_rounds[round_[1]]
            else:
                round_id = round_  # type: ignore[assignment]
            group_id = made_groups[group[1]] if isinstance(group, tuple) else group  # type: ignore[index]
            entry = insert_interaction(
                conn, kind=kind.name, source_id=source.id if source else None,
                target_id=target.id if target else None, group_id=group_id,
                round_id=round_id, logged_by=row.logged_by or store.identity, note=row.note, at=at)
            if voided_at:
                conn.execute("UPDATE interactions SET voided_at = ?, voided_by = ? WHERE id = ?",
                             (voided_at, row.voided_by, entry))
                done.voided += 1
            done.entries += 1
        return done

    return store.transact(body)

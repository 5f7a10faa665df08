"""Importing interactions from CSV (models.interactions_csv reads the file): a
hand-made observations file, or the interactions.csv that `facilitator export`
writes, so an export round-trips.

Cells neutralised for spreadsheets on export get their value back
(models.cells.restore); every text goes through the one text rule (models.text).
All rows are checked before anything is written, each bad row named by its line;
then one transaction writes them all.

Built for files of a whole session (100k rows and more): every distinct cell of the
columns that repeat (people, kinds, rounds, groups, notes, who logged) is resolved
once into a dict (models.interactions_cells), the rows are checked in one loop that
makes one tuple per row, and one executemany writes them (models.interactions_write). Only what the command
needs is imported: the roster's full name search and the group and round writers
load when a file needs them."""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from typing import Any

from facilitator.models.cells import restore
from facilitator.models.interactions_cells import Kinds, People, Times, cell, stored_time
from facilitator.models.interactions_csv import (COLUMNS, REQUIRED, InteractionsTable, collector_paused,
                                                 read_interactions_csv)
from facilitator.models.interactions_write import CURRENT, Imported, write_entries
from facilitator.models.store import SessionError, SessionStore, now
from facilitator.models.text import clean_text, problems_error

__all__ = ["COLUMNS", "REQUIRED", "Imported", "InteractionsTable", "import_interactions",
           "read_interactions_csv"]

#: As models.interactions.MAX_NOTE_LENGTH (not imported: that module is the live log's).
MAX_NOTE_LENGTH = 2000


def import_interactions(store: SessionStore, table: InteractionsTable, label: str = "file", *,
                        add_missing: bool = False) -> Imported:
    """Append many entries in one transaction: every row, or none.

    Rounds and groups are found by name (a group within its round); with
    add_missing, those the session lacks are created, else each is a problem.
    Each bad row is reported with its line; nothing is written unless all are good."""
    with collector_paused():
        return _import(store, table, label, add_missing)


def _import(store: SessionStore, table: InteractionsTable, label: str, add_missing: bool) -> Imported:
    problems: list[str] = []
    add_problem = problems.append
    kinds = Kinds(store)
    people = People(store)
    times = Times()
    columns = table.columns

    def index(*names: str) -> int | None:
        return next((columns.index(n) for n in names if n in columns), None)

    i_source, i_target, i_kind = index("source"), index("target"), index("kind")
    i_at, i_note, i_round, i_group = index("at", "timestamp"), index("note"), index("round"), index("group")
    i_logged_by, i_voided_at, i_voided_by = index("logged_by"), index("voided_at"), index("voided_by")
    assert i_source is not None and i_target is not None  # REQUIRED, checked on reading

    # Where each row goes: a round id, None (between rounds), ("new", name) for a round
    # to create; CURRENT when the file has no round column (the session's current
    # round, read again inside the transaction). A group: an id, None, or ("new", key).
    rounds = {r[1].casefold(): r[0] for r in store.rows("SELECT id, name FROM rounds ORDER BY position DESC")}
    groups = {(r[2], r[1].casefold()): r[0] for r in store.rows(
        "SELECT id, name, round_id FROM groups WHERE voided_at IS NULL ORDER BY id DESC")}
    current = store.scalar("SELECT current_round_id FROM session")
    new_rounds: list[str] = []
    new_groups: list[tuple[object, str]] = []

    def place(round_raw: str | None, group_raw: str) -> tuple[object, object] | str:
        """(round, group) of a row, or the problem with them (what follows "line N: ")."""
        round_name = None if round_raw is None else cell(round_raw)
        group_name = cell(group_raw)
        round_: object
        if round_name is None:
            round_ = CURRENT
        elif not round_name:
            round_ = None
        elif round_name.casefold() in rounds:
            round_ = rounds[round_name.casefold()]
        elif add_missing:
            if round_name not in new_rounds:
                new_rounds.append(round_name)
            round_ = ("new", round_name)
        else:
            return (f"there is no round {round_name!r} in this session;"
                    " add it, or import with --add-missing to create it.")
        if not group_name:
            return (round_, None)
        round_ref = current if round_ is CURRENT else round_
        found = None if isinstance(round_ref, tuple) else groups.get((round_ref, group_name.casefold()))
        if found is not None:
            return (round_, found)
        if add_missing:
            key = (round_ref, group_name)
            if key not in new_groups:
                new_groups.append(key)
            return (round_, ("new", key))
        where = f" in round {round_name!r}" if round_name else ""
        return (f"there is no group {group_name!r}{where};"
                " add it, or import with --add-missing to create it.")

    def text(raw: str, what: str) -> str | None | SessionError:
        """A note or a name as stored, by the one text rule (models.text), or the refusal."""
        try:
            return clean_text(cell(raw), what, max_length=MAX_NOTE_LENGTH, required=False) or None
        except SessionError as error:
            return error

    # Each distinct cell is resolved once; these dicts hold the answers.
    kind_of, person_of = kinds.cache, people.cache
    places: dict[tuple[str | None, str], tuple[object, object] | str] = {}
    notes: dict[str, str | None | SessionError] = {}
    loggers: dict[str, str | None | SessionError] = {}
    undoers: dict[str, str | None | SessionError] = {}
    identity = store.identity
    stored_form, latest = times.is_stored_form, times.latest_text
    stamp = now()  # the time of the rows that give none
    # A file whose every time is in the stored form and none in the future (what export
    # writes) is checked once, column-wise; then the loop takes each cell as it is.
    at_as_stored = i_at is not None and _all_stored(
        [record[i_at] for record in table.records], stored_form, latest)
    no_place = i_round is None and i_group is None
    resolved: list[tuple[Any, ...]] = []
    add_row = resolved.append
    voided = 0
    for line, record in zip(table.lines, table.records):
        if i_kind is None:
            kind = kinds.turn
        else:
            raw = record[i_kind]
            kind = kind_of.get(raw) or kinds.find(raw)
            if type(kind) is str:
                add_problem(f"{label} line {line}: {kind!r} is not a kind in the codebook.")
                continue
        raw = record[i_source]
        source = person_of[raw] if raw in person_of else people.find(raw)
        raw = record[i_target]
        target = person_of[raw] if raw in person_of else people.find(raw)
        if kind[1] == "group":
            if source is not None or target is not None:
                # As `log` says: a whole-group state has no source and no target.
                add_problem(f"{label} line {line}: {kind[0]!r} is a whole-group state; "
                            "leave source and target empty.")
                continue
        else:
            if source is None:
                add_problem(f"{label} line {line}: the source is empty.")
                continue
            if type(source) is str:
                add_problem(f"{label} line {line}: {source}")
                source = None
            if type(target) is str:
                add_problem(f"{label} line {line}: {target}")
                target = None
            elif source is not None and target is not None and source[0] == target[0]:
                add_problem(f"{label} line {line}: {source[1]} cannot address themselves.")
                continue
        if at_as_stored:
            at = record[i_at]
        elif i_at is None:
            at = stamp
        else:
            at = stamp
            raw = record[i_at].strip()
            if raw:
                at = stored_time(times, restore(raw), "at", label, line, problems)
        voided_at = voided_by = None
        if i_voided_at is not None:
            raw = record[i_voided_at].strip()
            if raw:
                voided_at = stored_time(times, restore(raw), "voided_at", label, line, problems)
        if no_place:
            round_, group = CURRENT, None
        else:
            key = (None if i_round is None else record[i_round], "" if i_group is None else record[i_group])
            where = places.get(key)
            if where is None:
                where = places[key] = place(*key)
            if type(where) is str:
                add_problem(f"{label} line {line}: {where}")
                continue
            round_, group = where  # type: ignore[misc]
        note = logged_by = None
        if i_note is not None:
            raw = record[i_note]
            note = notes[raw] if raw in notes else notes.setdefault(raw, text(raw, "the note"))
        if i_logged_by is not None:
            raw = record[i_logged_by]
            logged_by = loggers[raw] if raw in loggers else loggers.setdefault(
                raw, text(raw, "the logged_by cell"))
        if voided_at is not None and i_voided_by is not None:
            raw = record[i_voided_by]
            voided_by = undoers[raw] if raw in undoers else undoers.setdefault(
                raw, text(raw, "the voided_by cell"))
        if type(note) is SessionError or type(logged_by) is SessionError or type(voided_by) is SessionError:
            bad = next(t for t in (note, logged_by, voided_by) if type(t) is SessionError)
            add_problem(f"{label} line {line}: {bad}")
            continue
        if voided_at is not None:
            voided += 1
        add_row((at, source[0] if source else None, target[0] if target else None, kind[0],
                 group, round_, logged_by or identity, note, voided_at, voided_by))
    if problems:
        raise problems_error(problems, "nothing was imported")
    # Which columns vary: at, source, target and kind always; a column the file lacks
    # never (no group, the current round, the one who imports, no note, not undone).
    in_file = (i_group, i_round, i_logged_by, i_note, i_voided_at, i_voided_at)
    varying = [0, 1, 2, 3] + [i for i, where in enumerate(in_file, start=4) if where is not None
                              and len(set(map(itemgetter(i), resolved))) > 1]
    return write_entries(store, resolved, varying, voided, new_rounds, new_groups)


def _all_stored(cells: list[str], stored_form: Any, latest: str) -> bool:
    """Whether every cell is a time in the stored form, a real date and time, and not
    later than `latest`: such a cell is kept as it is (formatting it again would give
    the same text back), and the form sorts by time as text."""
    if not cells or not all(map(stored_form, cells)) or max(cells) > latest:
        return False
    try:
        return all(map(datetime.fromisoformat, cells))  # every datetime is true
    except ValueError:  # no such day: the loop names the line
        return False

"""What the cells of an interactions CSV name: people, kinds, times, each distinct
cell looked up once.

A file of a whole session names the same few hundred people and a dozen kinds in
100k rows: each distinct cell is resolved once, into a dict the import's loop reads,
by the same rules as `facilitator log` (models.roster, models.codebook), so every
answer and every refusal is the one `log` gives."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from facilitator.models.cells import restore
from facilitator.models.errors import SessionError
from facilitator.models.store import SessionStore


def cell(raw: str) -> str:
    """A cell's value: blanks around it dropped, a spreadsheet-neutralised value restored."""
    value = raw.strip()
    return restore(value) if value[:1] == "'" else value


#: The stored form of a time (what export writes): UTC, milliseconds.
_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", re.ASCII)


class Times:
    """Timestamps to the stored form (UTC, milliseconds), refusing what is not a
    time or lies in the future."""

    def __init__(self) -> None:
        # A future time would stretch the timeline and the replay to that day.
        self.latest = datetime.now(timezone.utc) + timedelta(minutes=1)
        self.latest_text = self.latest.isoformat(timespec="milliseconds")
        self.is_stored_form = _STORED_TIME.fullmatch

    def stored(self, text: str) -> str | None:
        """The time as stored, or None when it is in the future; ValueError or
        OverflowError when it is no time."""
        if self.is_stored_form(text):
            # Already the stored form: parsing checks it is a real date and time, and
            # formatting it again would give the same text back. That form sorts by
            # time as text, so the future is a comparison.
            datetime.fromisoformat(text)
            return text if text <= self.latest_text else None
        from facilitator.models.rounds import parse_time

        when = parse_time(text).astimezone(timezone.utc)
        if when > self.latest:
            return None
        # Stored in UTC like every other entry, so the log sorts by time as text.
        return when.isoformat(timespec="milliseconds")


def stored_time(times: Times, text: str, what: str, label: str, line: int,
                problems: list[str]) -> str | None:
    """The time as stored, or None with the problem added, naming the line."""
    try:
        stored = times.stored(text)
    except (ValueError, OverflowError):  # 0001-01-01T00:00:00+14:00 overflows
        problems.append(f"{label} line {line}: {text!r} is not a timestamp ({what}).")
        return None
    if stored is None:
        problems.append(f"{label} line {line}: {text!r} is in the future.")
    return stored


class People:
    """Who a source or target cell names, each distinct cell looked up once: an exact
    code, or a name as typed (the first two rules of the roster's search) from dicts;
    anything else (a prefix, accents left out, a typo) through the roster's own
    search, so every answer and every refusal is the one `log` gives."""

    def __init__(self, store: SessionStore) -> None:
        from facilitator.models.names import identity_key

        self.store = store
        self.identity_key = identity_key
        self.by_code: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, list[tuple[int, str]]] = {}
        for row in store.rows("SELECT id, name, code FROM participants"):
            person = (row[0], row[1])
            self.by_code[row[2]] = person
            self.by_name.setdefault(identity_key(row[1]), []).append(person)
        self.roster: list[Any] | None = None
        #: cell as in the file -> (id, name) or the refusal's sentence.
        self.cache: dict[str, tuple[int, str] | str | None] = {}

    def find(self, raw: str) -> tuple[int, str] | str | None:
        """(id, name), the sentence that says why not, or None for an empty cell."""
        try:
            return self.cache[raw]
        except KeyError:
            typed = cell(raw)
            found = self.cache[raw] = self._look_up(typed) if typed.strip() else None
            return found

    def _look_up(self, typed: str) -> tuple[int, str] | str:
        text = " ".join(typed.split())
        person = self.by_code.get(text.lower())
        if person is not None:
            return person
        named = self.by_name.get(self.identity_key(text))
        if named is not None and len(named) == 1:
            return named[0]
        from facilitator.models.roster import participants, pick_person

        if self.roster is None:
            self.roster = participants(self.store)
        try:
            chosen = pick_person(self.roster, typed)
        except SessionError as error:
            return str(error)
        return (chosen.id, chosen.name)


class Kinds:
    """The codebook, read once: a kind by name (any case) or key, as codebook.find_kind."""

    def __init__(self, store: SessionStore) -> None:
        self.kinds = [(r[0], r[1], r[2], bool(r[3])) for r in store.rows(
            "SELECT name, key, scope, is_turn FROM kinds ORDER BY position")]
        turn = next((k for k in self.kinds if k[3]), None) or next(
            (k for k in self.kinds if k[2] == "pair"), None)
        if turn is None:
            raise SessionError("The codebook has no kind of interaction between people; add one.")
        #: (name, scope) of a plain speaking turn: the kind of a row that names none.
        self.turn = (turn[0], turn[2])
        #: cell as in the file -> (name, scope), or the text that is no kind.
        self.cache: dict[str, tuple[str, str] | str] = {}

    def find(self, raw: str) -> tuple[str, str] | str:
        found = self.cache.get(raw)
        if found is None:
            text = cell(raw)
            found = self.turn if not text else next(
                ((name, scope) for name, key, scope, _ in self.kinds
                 if text.lower() == name.lower() or text == key), text)
            self.cache[raw] = found
        return found

"""Participants: adding, editing, codes, presence."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import string
from collections.abc import Iterable, Iterator

from facilitator.models.names import (
    NameIndex, lookalike, lookalike_sentence, match_name, search_words, sort_key)
from facilitator.models.records import Participant
from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now

MAX_NAME_LENGTH = 80
CODE_PATTERN = re.compile(r"^[a-z]{1,4}$")


def clean_name(name: str) -> str:
    """A participant's name as stored, or SessionError saying what is wrong with it."""
    return clean_text(name, "a participant's name", max_length=MAX_NAME_LENGTH)


def suggest_code(name: str, taken: set[str], prefixes: set[str] | None = None) -> str:
    """A two-letter code for a name, unique among taken codes and prefix-free.

    From the transliterated name (Łukasz Wójcik -> lw, Björn Þórsson -> bt): the
    initials first, then the first initial with the next letters of the name (the
    other words' initials, the surname's letters, the first name's letters), then
    any two letters of the name in their order, then three. Never a letter that is in
    no part of the name; a name with no letter at all (digits only) gets the first
    free code. Two letters everywhere keeps codes prefix-free, so typing one never
    needs Enter. Only new codes follow this rule: codes are stored, so an existing
    file's codes stay as they are."""
    words = ["".join(ch for ch in w if "a" <= ch <= "z") for w in search_words(name)]
    words = [w for w in words if w]
    if prefixes is None:
        prefixes = code_prefixes(taken)
    for code in _code_candidates(words):
        if code not in taken and not _prefix_clash(code, taken, prefixes):
            return code
    raise SessionError(f"No free code is left for {name}; give one.")


def code_prefixes(codes: Iterable[str]) -> set[str]:
    """Every start of every code (al -> a, al): a new code must be none of them."""
    return {code[:i] for code in codes for i in range(1, len(code) + 1)}


def _code_candidates(words: list[str]) -> Iterator[str]:
    if not words:  # nothing to take letters from
        yield from ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=2))
        yield from ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=3))
        return
    first, last = words[0], words[-1]
    if len(words) > 1:
        yield first[0] + last[0]
        for middle in words[1:-1]:
            yield first[0] + middle[0]
        for ch in last[1:]:
            yield first[0] + ch
    for ch in first[1:]:
        yield first[0] + ch
    letters = "".join(words)
    for i, j in itertools.combinations(range(len(letters)), 2):
        yield letters[i] + letters[j]
    for i, j, k in itertools.combinations(range(min(len(letters), 12)), 3):
        yield letters[i] + letters[j] + letters[k]
    for i, j, k, m in itertools.combinations(range(min(len(letters), 10)), 4):
        yield letters[i] + letters[j] + letters[k] + letters[m]
    # Only in a roster of hundreds, once every code from the name's letters is taken:
    # the first initial, then any letters.
    for rest in itertools.product(string.ascii_lowercase, repeat=2):
        yield first[0] + "".join(rest)
    for rest in itertools.product(string.ascii_lowercase, repeat=3):
        yield first[0] + "".join(rest)


def _prefix_clash(code: str, taken: set[str], prefixes: set[str]) -> bool:
    """The code starts a taken code (or is one), or a taken code starts it."""
    return code in prefixes or any(code[:i] in taken for i in range(1, len(code)))


def check_code(code: str) -> str:
    code = code.strip().lower()
    if not CODE_PATTERN.match(code):
        raise SessionError(f"The code {code!r} must be one to four letters a-z.")
    return code


def clean_tags(tags: dict[str, object] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (tags or {}).items():
        key = clean_text(key, "a tag's name", max_length=40, required=False)
        if not key:
            continue
        out[key] = clean_text(value, f"the tag {key!r}", max_length=120, required=False)
    return out


def refuse_lookalike(conn: sqlite3.Connection, name: str, except_id: int | None = None,
                     index: NameIndex | None = None) -> None:
    """SessionError (one sentence) when someone on the roster already has a name that
    looks the same: same letters up to case, how accents are encoded, invisible
    characters, letters of another alphabet that look alike (models.names)."""
    if index is not None:
        existing = index.lookalike(name)
    else:
        others = [r[0] for r in conn.execute("SELECT name FROM participants WHERE id IS NOT ?",
                                             (except_id,))]
        existing = lookalike(name, others)
    if existing is not None:
        raise SessionError(lookalike_sentence(name, existing))


class RosterIndex:
    """Names and codes of the roster as one transaction adds people: built once,
    so adding many people at once stays fast."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT name, code FROM participants").fetchall()
        self.names = NameIndex(r[0] for r in rows)
        self.codes = {r[1] for r in rows}
        self.prefixes = code_prefixes(self.codes)

    def add(self, name: str, code: str) -> None:
        self.names.add(name)
        self.codes.add(code)
        self.prefixes |= code_prefixes([code])


def insert_participant(conn: sqlite3.Connection, name: str, tags: dict[str, object] | None = None,
                       code: str | None = None, added_by: str | None = None,
                       roster: RosterIndex | None = None) -> int:
    """Add one participant inside the caller's transaction; returns the new id.
    `roster`: the index of names and codes when adding many in one transaction."""
    name = clean_name(name)
    index = roster or RosterIndex(conn)
    refuse_lookalike(conn, name, index=index.names)
    if code:
        code = check_code(code)
        if code in index.codes:
            raise SessionError(f"The code {code!r} is already used by someone else.")
    else:
        code = suggest_code(name, index.codes, index.prefixes)
    cursor = conn.execute(
        "INSERT INTO participants (name, code, tags, present, added_at, added_by)"
        " VALUES (?, ?, ?, 1, ?, ?)",
        (name, code, json.dumps(clean_tags(tags), ensure_ascii=False), now(), added_by),
    )
    index.add(name, code)
    return int(cursor.lastrowid or 0)


def add_participant(store: SessionStore, name: str, tags: dict[str, object] | None = None,
                    code: str | None = None) -> Participant:
    """Add a participant to the roster, with a unique keyboard code."""
    new_id = store.transact(lambda c: insert_participant(c, name, tags, code, store.identity))
    return get_participant(store, new_id)


def add_participants(store: SessionStore, people: list[tuple[str, dict[str, object]]]) -> list[Participant]:
    """Add several participants in one transaction: all of them or none."""
    def body(conn: sqlite3.Connection) -> list[int]:
        roster = RosterIndex(conn)
        return [insert_participant(conn, name, tags, None, store.identity, roster)
                for name, tags in people]

    return [get_participant(store, i) for i in store.transact(body)]


def spoke_and_addressed(store: SessionStore) -> dict[int, tuple[int, int]]:
    """participant id -> (entries they made, entries addressed to them), undone ones left out."""
    return {r["participant_id"]: (r["as_source"], r["as_target"])
            for r in store.rows("SELECT participant_id, as_source, as_target FROM tallies")}


def get_participant(store: SessionStore, participant_id: int) -> Participant:
    row = store.one("SELECT * FROM participants WHERE id = ?", (participant_id,))
    if row is None:
        raise SessionError(f"No participant has id {participant_id}.")
    return Participant.from_row(row)


def participants(store: SessionStore, present_only: bool = False) -> list[Participant]:
    """The roster, by name: transliterated, so Åsa sorts with the A's and Łukasz
    with the L's, the same on every machine whatever its locale."""
    sql = "SELECT * FROM participants"
    if present_only:
        sql += " WHERE present = 1"
    people = [Participant.from_row(r) for r in store.rows(sql)]
    return sorted(people, key=lambda p: (*sort_key(p.name), p.id))


def find_participant(store: SessionStore, name_or_code: str) -> Participant:
    """A participant by code or by name as people type it: case and accents do not
    matter (zoe finds Zoë Müller, luk Łukasz Wójcik), and the start of each word is
    enough when only one person fits; otherwise SessionError asks which one."""
    return pick_person(participants(store), name_or_code)


def pick_person(people: list[Participant], typed: str) -> Participant:
    """The one person of `people` that `typed` means, or SessionError with a
    "did you mean" when several fit, or one nearly does."""
    text = " ".join(typed.split())
    if not text:
        raise SessionError("Give a participant's name or code.")
    match = match_name(text, people, lambda p: p.name, lambda p: p.code)
    if len(match.found) == 1:
        return match.found[0]
    if match.found:
        raise SessionError(f"{text!r} could be {_choices(match.found)}; "
                           "give the code or more of the name.")
    near = near_names(people, text)
    if near:
        raise SessionError(f"No participant is called or coded {text!r}; "
                           f"did you mean {_choices(near)}?")
    raise SessionError(f"No participant is called or coded {text!r}.")


def near_names(people: list[Participant], text: str) -> list[Participant]:
    """People whose name holds the typed letters somewhere (not at a word's start):
    offered as "did you mean", never taken."""
    wanted = "".join(search_words(text))
    if len(wanted) < 2:
        return []
    return [p for p in people if wanted in "".join(search_words(p.name))][:5]


def _choices(people: list[Participant]) -> str:
    shown = [f"{p.name} ({p.code})" for p in people[:5]]
    more = f" or {len(people) - 5} more" if len(people) > 5 else ""
    if len(shown) == 1:
        return shown[0] + more
    return ", ".join(shown[:-1]) + (" or " if not more else ", ") + shown[-1] + more


def _unchanged_since(conn: sqlite3.Connection, expect: Participant) -> None:
    """Refuse (SessionError, nothing written) when the participant is no longer
    as `expect` says: someone changed them since."""
    row = conn.execute("SELECT * FROM participants WHERE id = ?", (expect.id,)).fetchone()
    if row is None:
        raise SessionError(f"{expect.name} is no longer on the roster; nothing was undone.")
    now_ = Participant.from_row(row)
    who = row["changed_by"] or "Someone"
    if (now_.name, now_.code, now_.tags) != (expect.name, expect.code, expect.tags):
        raise SessionError(f"{who} changed {expect.name} on the roster since; nothing was undone.")
    if now_.present != expect.present:
        state = "present" if now_.present else "absent"
        raise SessionError(f"{who} marked {expect.name} {state} since; nothing was undone.")


def _mark_changed(conn: sqlite3.Connection, participant_id: int, by: str | None) -> None:
    """Every edit or presence mark of a participant says when and by whom."""
    conn.execute("UPDATE participants SET changed_at = ?, changed_by = ? WHERE id = ?",
                 (now(), by, participant_id))


def edit_participant(store: SessionStore, participant_id: int, *, name: str | None = None,
                     code: str | None = None, tags: dict[str, object] | None = None,
                     expect: Participant | None = None) -> Participant:
    """Change a participant's name, code or tags. With `expect` (an undo), only
    while they are still exactly as expected."""
    def body(conn: sqlite3.Connection) -> None:
        if expect is not None:
            _unchanged_since(conn, expect)
        if name is not None:
            new = clean_name(name)
            refuse_lookalike(conn, new, participant_id)
            conn.execute("UPDATE participants SET name = ? WHERE id = ?", (new, participant_id))
        if code is not None:
            new_code = check_code(code)
            others = {r[0] for r in conn.execute(
                "SELECT code FROM participants WHERE id != ?", (participant_id,))}
            if new_code in others:
                raise SessionError(f"The code {new_code!r} is already used by someone else.")
            conn.execute("UPDATE participants SET code = ? WHERE id = ?", (new_code, participant_id))
        if tags is not None:
            conn.execute("UPDATE participants SET tags = ? WHERE id = ?",
                         (json.dumps(clean_tags(tags), ensure_ascii=False), participant_id))
        _mark_changed(conn, participant_id, store.identity)

    store.transact(body)
    return get_participant(store, participant_id)


def set_present(store: SessionStore, participant_id: int, present: bool,
                expect: Participant | None = None) -> Participant:
    """Mark a participant present or absent. With `expect` (an undo), only while
    they are still exactly as expected."""
    def body(conn: sqlite3.Connection) -> None:
        if expect is not None:
            _unchanged_since(conn, expect)
        conn.execute("UPDATE participants SET present = ? WHERE id = ?",
                     (int(present), participant_id))
        _mark_changed(conn, participant_id, store.identity)

    store.transact(body)
    return get_participant(store, participant_id)


def remove_fresh_participant(store: SessionStore, expect: Participant) -> None:
    """Undo of adding someone: only while nothing refers to them (no entry, no
    group, no place on the sociogram) and nobody changed them since."""
    def body(conn: sqlite3.Connection) -> None:
        _unchanged_since(conn, expect)
        used = conn.execute(
            "SELECT logged_by FROM interactions WHERE source_id = ? OR target_id = ?"
            " UNION ALL SELECT logged_by FROM memberships WHERE participant_id = ? LIMIT 1",
            (expect.id, expect.id, expect.id)).fetchone()
        if used is not None:
            raise SessionError(f"{used[0] or 'Someone'} logged {expect.name} in an entry or a"
                               " group since; nothing was undone.")
        conn.execute("DELETE FROM layout WHERE participant_id = ?", (expect.id,))
        conn.execute("DELETE FROM participants WHERE id = ?", (expect.id,))

    store.transact(body)


def parse_tags(text: str) -> dict[str, str]:
    """'organisation=Acme, role=lead' -> {'organisation': 'Acme', 'role': 'lead'}."""
    tags: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            key, sep, value = part.partition(":")
        if not sep or not key.strip():
            raise SessionError(f"Tags are written key=value, separated by commas (not {part.strip()!r}).")
        tags[" ".join(key.split())] = " ".join(value.split())
    return tags


def format_tags(tags: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in tags.items())

"""Challenges: the facilitator asks a group to account for a topic (usually an
essential one it seems to neglect); the challenge stays open until the group's
answer is noted, in its own words, with when and by whom. An answered challenge
stays on record; only an unanswered one can be withdrawn (undo of a mistake)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now


@dataclass(frozen=True)
class Challenge:
    """A challenge to a group about a topic; open until the group's account is noted."""

    id: int
    group_id: int
    essential_id: int | None
    text: str
    raised_at: str
    raised_by: str | None
    response: str | None
    answered_at: str | None
    noted_by: str | None

    @property
    def status(self) -> str:
        return "answered" if self.answered_at else "open"


# ---------------------------------------------------------------------- writing
def raise_challenge(store: SessionStore, group_id: int, essential_id: int | None, text: str) -> int:
    """Challenge a group to account for a topic; open until the group answers."""
    text = clean_text(text, "the challenge", empty="A challenge needs a sentence.")
    if not store.one("SELECT 1 FROM groups WHERE id = ? AND voided_at IS NULL", (group_id,)):
        raise SessionError(f"No group has id {group_id}.")
    if essential_id is not None and not store.one(
            "SELECT 1 FROM essentials WHERE id = ?", (essential_id,)):
        raise SessionError(f"No essential topic has id {essential_id}.")
    return store.transact(lambda c: int(c.execute(
        "INSERT INTO challenges (group_id, essential_id, text, raised_at, raised_by)"
        " VALUES (?, ?, ?, ?, ?)", (group_id, essential_id, text, now(), store.identity)
    ).lastrowid or 0))


def withdraw_challenge(store: SessionStore, challenge_id: int) -> None:
    """Take back a challenge raised by mistake, as long as the group has not answered."""
    def body(conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT answered_at, noted_by FROM challenges WHERE id = ?",
                           (challenge_id,)).fetchone()
        if row is None:
            raise SessionError(f"No challenge has id {challenge_id}.")
        if row[0]:
            raise SessionError(f"{row[1] or 'Someone'} noted the group's answer since; the"
                               " challenge stays on record and nothing was undone.")
        conn.execute("DELETE FROM challenges WHERE id = ?", (challenge_id,))

    store.transact(body)


def answer_challenge(store: SessionStore, challenge_id: int, response: str) -> tuple[str, str, str]:
    """Record the group's account, in its own words (a later answer replaces it).
    Returns (answer, moment, who noted it): what identifies this answer for its undo."""
    response = clean_text(response, "the group's answer",
                          empty="The group's answer needs some text.")
    if not store.one("SELECT 1 FROM challenges WHERE id = ?", (challenge_id,)):
        raise SessionError(f"No challenge has id {challenge_id}.")
    at = now()
    store.transact(lambda c: c.execute(
        "UPDATE challenges SET response = ?, answered_at = ?, noted_by = ? WHERE id = ?",
        (response, at, store.identity, challenge_id)))
    return response, at, store.identity


def take_back_answer(store: SessionStore, challenge_id: int, noted: tuple[str, str, str],
                     previous: Challenge) -> None:
    """Undo of a noted answer: the challenge is as it was before (open, or with
    the earlier answer), only while nobody has noted another answer since."""
    def body(conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT response, answered_at, noted_by FROM challenges"
                           " WHERE id = ?", (challenge_id,)).fetchone()
        if row is None:
            raise SessionError(f"No challenge has id {challenge_id}.")
        if tuple(row) != noted:
            raise SessionError(f"{row[2] or 'Someone'} noted another answer since; nothing"
                               " was undone." if row[1] else
                               "Someone took the answer back since; nothing was undone.")
        conn.execute("UPDATE challenges SET response = ?, answered_at = ?, noted_by = ?"
                     " WHERE id = ?", (previous.response, previous.answered_at,
                                       previous.noted_by, challenge_id))

    store.transact(body)


def reopen_challenge(store: SessionStore, challenge_id: int) -> None:
    """The challenge is open again (its answer is cleared)."""
    store.transact(lambda c: c.execute(
        "UPDATE challenges SET response = NULL, answered_at = NULL, noted_by = NULL"
        " WHERE id = ?", (challenge_id,)))


# ---------------------------------------------------------------------- reading
def _challenge(row: sqlite3.Row) -> Challenge:
    return Challenge(row["id"], row["group_id"], row["essential_id"], row["text"],
                     row["raised_at"], row["raised_by"], row["response"], row["answered_at"],
                     row["noted_by"])


def challenges(store: SessionStore, group_ids: list[int] | None = None,
               open_only: bool = False) -> list[Challenge]:
    """Challenges raised (to the given groups, or all), oldest first."""
    clauses, params = [], []
    if group_ids is not None:
        clauses.append(f"group_id IN ({','.join('?' * len(group_ids))})")
        params.extend(group_ids)
    if open_only:
        clauses.append("answered_at IS NULL")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return [_challenge(r) for r in store.rows(f"SELECT * FROM challenges{where} ORDER BY id", params)]


def get_challenge(store: SessionStore, challenge_id: int) -> Challenge:
    row = store.one("SELECT * FROM challenges WHERE id = ?", (challenge_id,))
    if row is None:
        raise SessionError(f"No challenge has id {challenge_id}.")
    return _challenge(row)

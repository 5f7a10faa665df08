"""The codebook: which kinds of interaction a session records, and their keys."""

from __future__ import annotations

import sqlite3

from facilitator.models.records import Kind
from facilitator.models.store import SessionError, SessionStore

#: Used when a template gives no codebook. Letters are for pairs; whole-group
#: states use punctuation so that one key logs them even where letters are codes.
DEFAULT_CODEBOOK: tuple[Kind, ...] = (
    Kind("speak", "s", "spoke to", directed=True, is_turn=True),
    Kind("ask", "a", "asked", directed=True),
    Kind("answer", "n", "answered", directed=True),
    Kind("help", "h", "helped", directed=True),
    Kind("build-on", "b", "built on", directed=True),
    Kind("challenge", "c", "challenged", directed=True),
    Kind("introduce", "i", "introduced", directed=True),
    Kind("cut-off", "x", "tried to speak and was talked over by", directed=True),
    Kind("silence", ".", "silence", directed=False, scope="group"),
    Kind("cross-talk", "~", "cross-talk", directed=False, scope="group"),
    Kind("energy-up", "+", "energy up", directed=False, scope="group"),
    Kind("energy-down", "-", "energy down", directed=False, scope="group"),
)


def write_codebook(conn: sqlite3.Connection, kinds: tuple[Kind, ...] | list[Kind]) -> None:
    """Insert the codebook inside the caller's transaction."""
    for position, kind in enumerate(kinds):
        conn.execute(
            "INSERT INTO kinds (name, key, label, directed, scope, is_turn, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind.name, kind.key, kind.label, int(kind.directed), kind.scope,
             int(kind.is_turn), position),
        )


def codebook(store: SessionStore) -> list[Kind]:
    """The session's kinds, in the codebook's order."""
    return [Kind.from_row(r) for r in store.rows("SELECT * FROM kinds ORDER BY position")]


def turn_kind(store: SessionStore) -> Kind:
    """The kind a plain speaking turn records (the first pair kind if none is marked)."""
    kinds = codebook(store)
    for kind in kinds:
        if kind.is_turn:
            return kind
    for kind in kinds:
        if kind.scope == "pair":
            return kind
    raise SessionError("The codebook has no kind of interaction between people; add one.")


def find_kind(store: SessionStore, name_or_key: str) -> Kind | None:
    """A kind by its name or its key (case-insensitive for names)."""
    for kind in codebook(store):
        if name_or_key.lower() == kind.name.lower() or name_or_key == kind.key:
            return kind
    return None

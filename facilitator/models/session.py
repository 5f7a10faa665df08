"""Creating a session file and reading its meta data."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from datetime import date
from pathlib import Path
from typing import NamedTuple, TYPE_CHECKING

from facilitator.models.codebook import DEFAULT_CODEBOOK, write_codebook
from facilitator.models.names import identity_key
from facilitator.models.roster import RosterIndex, insert_participant
from facilitator.models.rounds import insert_round
from facilitator.models.text import clean_text
from facilitator.models.store import SessionError, SessionStore, now

if TYPE_CHECKING:  # only named in signatures: the app does not pay for YAML at start-up
    from facilitator.models.roster_import import RosterEntry
    from facilitator.models.templates import Template

SESSIONS_DIR = Path("sessions")


class SessionInfo(NamedTuple):
    title: str
    created_at: str
    template: str | None
    current_round_id: int | None
    group_min: int
    group_max: int


def slugify(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40] or "session"


def default_session_path(title: str, folder: Path = SESSIONS_DIR, day: date | None = None) -> Path:
    """sessions/YYYY-MM-DD-<slug>.db"""
    return folder / f"{(day or date.today()).isoformat()}-{slugify(title)}.db"


def insert_essential(conn: sqlite3.Connection, name: str, description: str = "",
                     source: str = "template") -> int:
    cursor = conn.execute(
        "INSERT INTO essentials (name, description, source, added_at) VALUES (?, ?, ?, ?)",
        (name, description, source, now()))
    return int(cursor.lastrowid or 0)


def create_session(path: str | Path, title: str | None = None, template: Template | None = None,
                   roster: list[RosterEntry] | None = None, identity: str | None = None) -> SessionStore:
    """Create a new session file, filled from a template and roster in one transaction.

    Never overwrites; if anything fails, the half-made file is removed again."""
    path = Path(path)
    title = clean_text(title or (template.title if template else ""), "the title",
                       max_length=200, required=False)
    if not title:
        title = path.stem
    people = list(template.roster if template else ()) + list(roster or [])
    seen: set[str] = set()
    for name, _ in people:
        if identity_key(name) in seen:
            raise SessionError(f"{name} is in the roster twice (template and roster file); nothing was created.")
        seen.add(identity_key(name))
    store = SessionStore.create(path, identity=identity)

    def body(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO session (id, title, created_at, template, group_min, group_max)"
            " VALUES (1, ?, ?, ?, ?, ?)",
            (title, now(), template.name if template else None,
             template.group_min if template else 3, template.group_max if template else 6))
        write_codebook(conn, template.codebook if template else DEFAULT_CODEBOOK)
        for name, description in (template.essentials if template else ()):
            insert_essential(conn, name, description)
        for planned in (template.rounds if template else ()):
            insert_round(conn, planned.name, planned.minutes)
        roster = RosterIndex(conn)
        for name, tags in people:
            insert_participant(conn, name, tags, None, store.identity, roster)

    try:
        store.transact(body)
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return store


def session_info(store: SessionStore) -> SessionInfo:
    row = store.one("SELECT * FROM session WHERE id = 1")
    if row is None:
        return SessionInfo(store.path.stem, "", None, None, 3, 6)
    return SessionInfo(row["title"], row["created_at"], row["template"], row["current_round_id"],
                       row["group_min"], row["group_max"])

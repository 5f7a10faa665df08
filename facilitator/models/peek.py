"""A glance at a session file that leaves nothing beside it (for `facilitator ls`).

A read-only SQLite connection to a WAL file creates its -wal and -shm files when
they are missing and, being read-only, cannot remove them when it closes: listing
a folder used to leave an empty pair beside every session. With no -wal beside the
file, every committed change is in the file itself, so it is opened immutable (no
-shm, no locks, nothing written). With a -wal there (someone has it open, or it
holds changes), the usual read-only open is right, and creates nothing new."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from facilitator.models.store import SessionError, SessionStore, check_is_session_file
from facilitator.models.text import visible


@contextmanager
def glance(path: Path, identity: str = "ls") -> Iterator[SessionStore]:
    """A read-only store on `path` that writes nothing, not even -wal or -shm."""
    if Path(str(path) + "-wal").exists():
        with SessionStore.open(path, identity=identity, read_only=True) as store:
            yield store
        return
    check_is_session_file(path)  # refuses a foreign or newer file, untouched
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT 1 FROM session").fetchone()
    except sqlite3.DatabaseError as error:
        raise SessionError(f"{visible(str(path))} cannot be read ({visible(str(error))}).") from None
    store = SessionStore(path, conn, identity, True)
    try:
        yield store
    finally:
        store.close()

"""The sociogram's layout in the session file (table `layout`), shared so every
co-facilitator sees the same picture.

Alongside the positions, the settings table keeps the fingerprint of the network
they were computed for (`network.layout_signature`) and the seed
(`network.layout_seed`). A process recomputes the layout only when the network's
fingerprint differs, and writes only if nobody else did in the meantime, so two
open screens never keep nudging each other's picture."""

from __future__ import annotations

import sqlite3

from facilitator.models.settings import get_setting, read_setting, write_setting
from facilitator.models.store import SessionError, SessionStore, now

SIGNATURE_KEY = "network.layout_signature"
SEED_KEY = "network.layout_seed"
#: Who last laid the network out afresh (the seed changes only then).
BY_KEY = "network.layout_by"

Position = tuple[float, float]


def stored_layout(store: SessionStore) -> tuple[dict[int, Position], str | None]:
    """The stored positions by participant id, and the fingerprint they belong to."""
    positions = {r[0]: (float(r[1]), float(r[2]))
                 for r in store.rows("SELECT participant_id, x, y FROM layout")}
    return positions, get_setting(store, SIGNATURE_KEY)


def layout_seed(store: SessionStore, default: int) -> int:
    value = get_setting(store, SEED_KEY)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def save_layout(store: SessionStore, positions: dict[int, Position], signature: str,
                expected: str | None) -> bool:
    """Store positions for a network fingerprint, unless another process already
    stored a layout computed after `expected` (compare-and-set). True if written."""
    def body(conn: sqlite3.Connection) -> bool:
        if read_setting(conn, SIGNATURE_KEY) != expected:
            return False
        at = now()
        known = {r[0] for r in conn.execute("SELECT id FROM participants")}
        conn.executemany(
            "INSERT INTO layout (participant_id, x, y, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(participant_id) DO UPDATE SET x = excluded.x, y = excluded.y,"
            " updated_at = excluded.updated_at"
            " WHERE layout.x != excluded.x OR layout.y != excluded.y",
            [(pid, round(x, 6), round(y, 6), at)
             for pid, (x, y) in sorted(positions.items()) if pid in known])
        write_setting(conn, SIGNATURE_KEY, signature)
        return True

    return store.transact(body)


def clear_layout(store: SessionStore) -> None:
    """Forget the stored layout: the next view lays the network out from scratch."""
    def body(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM layout")
        write_setting(conn, SIGNATURE_KEY, None)

    store.transact(body)


def layout_stamp(store: SessionStore) -> tuple[object, ...]:
    """A cheap token that changes whenever any process stores a layout (new
    positions, fingerprint or seed), so a screen re-reads positions only then."""
    row = store.one(
        "SELECT (SELECT value FROM settings WHERE key = ?), (SELECT value FROM settings"
        " WHERE key = ?), (SELECT max(updated_at) FROM layout), (SELECT count(*) FROM layout)",
        (SIGNATURE_KEY, SEED_KEY))
    return tuple(row) if row is not None else ()


class LayoutChanged(SessionError):
    """Someone laid the network out afresh after the layout an undo would replace."""


def replace_layout(store: SessionStore, positions: dict[int, Position], signature: str | None,
                   seed: int, *, expected_seed: int | None = None) -> None:
    """Store a whole layout with its seed (laying the network out afresh, or undoing
    that): every co-facilitator's picture follows. With expected_seed, only if the
    stored seed is still that one (nobody laid it out afresh since); otherwise
    LayoutChanged names who did, and nothing is written."""
    def body(conn: sqlite3.Connection) -> None:
        if expected_seed is not None:
            current = read_setting(conn, SEED_KEY)
            if current != str(expected_seed):
                who = read_setting(conn, BY_KEY) or "someone"
                raise LayoutChanged(f"{who} laid the network out afresh since; "
                                    "nothing was changed.")
        at = now()
        known = {r[0] for r in conn.execute("SELECT id FROM participants")}
        conn.execute("DELETE FROM layout")
        conn.executemany(
            "INSERT INTO layout (participant_id, x, y, updated_at) VALUES (?, ?, ?, ?)",
            [(pid, round(x, 6), round(y, 6), at)
             for pid, (x, y) in sorted(positions.items()) if pid in known])
        write_setting(conn, SIGNATURE_KEY, signature)
        write_setting(conn, SEED_KEY, str(seed))
        write_setting(conn, BY_KEY, store.identity)

    store.transact(body)

"""Writing the entries an import checked (models.interactions_import): every one,
with the rounds and groups they need, in one transaction, or none.

A large import into a log no larger drops the log's indexes and makes them again
in the same transaction (sorting every entry once per index is cheaper than placing
each new one in each index); a crash or an error rolls it all back, indexes included."""

from __future__ import annotations

import sqlite3
from operator import itemgetter
from typing import Any

from facilitator.models.store import SessionError, SessionStore


class Imported:
    """What an import wrote, for its one sentence."""

    __slots__ = ("entries", "voided", "new_rounds", "new_groups")

    def __init__(self, entries: int = 0, voided: int = 0, new_rounds: list[str] | None = None,
                 new_groups: list[str] | None = None) -> None:
        self.entries = entries
        self.voided = voided
        self.new_rounds = new_rounds if new_rounds is not None else []
        self.new_groups = new_groups if new_groups is not None else []

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


#: The round of a row when the file has no round column: the session's current round.
CURRENT = object()
#: The columns of an entry an import writes, in the order of the rows it checked.
WRITTEN = ("at", "source_id", "target_id", "kind", "group_id", "round_id", "logged_by", "note",
           "voided_at", "voided_by")

#: Imports of at least this many rows into a log no larger rebuild its indexes.
REBUILD_INDEXES_FROM = 10_000
#: The page cache while an import writes (negative: KiB, as PRAGMA cache_size reads it):
#: the pages that about 300k new entries and their indexes dirty (18 MB per 100k) fit in it.
IMPORT_CACHE_KIB = -65_536


def write_entries(store: SessionStore, resolved: list[tuple[Any, ...]], varying: list[int],
                  voided: int, new_rounds: list[str], new_groups: list[tuple[object, str]]) -> Imported:
    """The checked rows in one transaction, with the rounds and groups they need.

    A column that holds one value in every row (the current round, the one who
    imports, no note) is written as that value in the statement, not bound again for
    each row: binding is most of what the sqlite3 module costs per row."""
    def body(conn: sqlite3.Connection) -> Imported:
        done = Imported(len(resolved), voided, new_rounds=list(new_rounds))
        made_rounds: dict[str, int] = {}
        made_groups: dict[object, int] = {}
        if new_rounds:
            from facilitator.models.rounds import insert_round

            made_rounds = {name: insert_round(conn, name, None) for name in new_rounds}
        if new_groups:
            from facilitator.models.groups import insert_group

            for round_ref, name in new_groups:
                round_id = made_rounds[round_ref[1]] if isinstance(round_ref, tuple) else round_ref  # type: ignore[index]
                made_groups[(round_ref, name)] = insert_group(conn, name, round_id,  # type: ignore[arg-type]
                                                              created_by=store.identity)
                done.new_groups.append(name)
            _check_references(conn, "groups", {"round_id": 0},
                              [(r,) for r, _ in new_groups if not isinstance(r, tuple)], {})
        if not resolved:
            return done
        # Rounds and groups just created, and the current round, are known only now.
        now_round = conn.execute("SELECT current_round_id FROM session").fetchone()[0]

        def group_id(value: object) -> object:
            return made_groups[value[1]] if isinstance(value, tuple) else value  # type: ignore[index]

        def round_id(value: object) -> object:
            if value is CURRENT:
                return now_round
            return made_rounds[value[1]] if isinstance(value, tuple) else value  # type: ignore[index]

        rows: Any = resolved
        if (new_rounds or new_groups) and (4 in varying or 5 in varying):
            rows = [(*row[:4], group_id(row[4]), round_id(row[5]), *row[6:]) for row in resolved]
        constant = {i: resolved[0][i] for i in range(len(WRITTEN)) if i not in varying}
        if 4 in constant:
            constant[4] = group_id(constant[4])
        if 5 in constant:
            constant[5] = round_id(constant[5])
        written = {i: v for i, v in constant.items() if v is not None}  # NULL: left out
        names = [WRITTEN[i] for i in varying] + [WRITTEN[i] for i in written]
        values = ["?"] * len(varying) + [_literal(v) for v in written.values()]
        _check_references(conn, "interactions", {WRITTEN[i]: i for i in varying}, rows,
                          {WRITTEN[i]: v for i, v in written.items()})
        if len(varying) < len(WRITTEN):
            rows = map(itemgetter(*varying), rows)
        rebuilt = _indexes_to_rebuild(conn, len(resolved))
        for name, _sql in rebuilt:
            conn.execute(f"DROP INDEX {_identifier(name)}")
        conn.executemany(f"INSERT INTO interactions ({', '.join(names)}) VALUES ({', '.join(values)})",
                         rows)
        for _name, sql in rebuilt:
            conn.execute(sql)
        return done

    # The log's indexes take each row at a random place: with SQLite's default cache
    # (2 MB) their pages are written out and read back again and again within the
    # one transaction. A cache that holds them (only what is used is allocated) for
    # the length of the import. And the rows' references are checked once per
    # distinct value (_check_references), not by SQLite for each row and key (a
    # third of the insert's time at 100k rows): PRAGMA foreign_keys, which can only
    # change outside a transaction, is off for the length of the import.
    conn = store.conn
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        return store.transact(body)
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if keys else 'OFF'}")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


#: What a parent table of the log holds, for the sentence when one has gone.
HELD = {"participants": "A participant", "kinds": "A kind of the codebook", "rounds": "A round",
        "groups": "A group", "interactions": "An entry"}


def _check_references(conn: sqlite3.Connection, table: str, bound: dict[str, int],
                      rows: list[tuple[Any, ...]], fixed: dict[str, object]) -> None:
    """What SQLite's foreign keys check for each row, checked once per distinct value
    (a few hundred people and a dozen kinds, not a look-up per row and key): every
    value the new rows of `table` give a column that references another table (bound
    from the rows, at the place `bound` says, or fixed in the statement) is a key of
    that table. Inside the import's
    transaction, so nothing is removed between this check and the commit; the rows
    were checked against the tables before it began, so this fails only when another
    process removed something meanwhile."""
    keys = conn.execute(f"PRAGMA foreign_key_list({_identifier(table)})").fetchall()
    for number, part, parent, column, key, *_ in keys:
        if column in fixed:
            wanted = [fixed[column]]
        elif column in bound:
            wanted = [v for v in set(map(itemgetter(bound[column]), rows)) if v is not None]
        else:
            continue  # NULL in every new entry
        if key is None or part or sum(k[0] == number for k in keys) > 1:
            # Not in the schema: a key of several columns, or one naming no column.
            raise RuntimeError(f"{table}.{column}: a reference this check does not know")
        found = 0
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found += conn.execute(f"SELECT count(*) FROM {_identifier(parent)} WHERE {_identifier(key)}"
                                  f" IN ({', '.join('?' * len(chunk))})", chunk).fetchone()[0]
        if found != len(wanted):
            raise SessionError(f"{HELD.get(parent, 'Something')} the file names was removed from the"
                               " session while it was being imported; nothing was imported;"
                               " import it again.")


def _indexes_to_rebuild(conn: sqlite3.Connection, adding: int) -> list[tuple[str, str]]:
    """The log's indexes (name, the SQL that made it) to drop before a large import and
    make again after it, in the same transaction: when the import brings at least as
    many entries as the log holds, sorting every entry once per index takes about half
    the time of placing each new one at its random place in each index (measured at
    100k rows into an empty log: 0.4 s against 0.9 s). None for a small
    import, a large log, or a file someone ran ANALYZE on (dropping an index drops its
    statistics, which would change how SQLite plans the report's queries)."""
    if adding < REBUILD_INDEXES_FROM:
        return []
    if (conn.execute("SELECT max(id) FROM interactions").fetchone()[0] or 0) > adding:
        return []
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        return []
    # As bytes: the store's text rule would show a tab in the SQL as a picture.
    return [(bytes(name).decode(), bytes(sql).decode()) for name, sql in conn.execute(
        "SELECT CAST(name AS BLOB), CAST(sql AS BLOB) FROM sqlite_master"
        " WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL")]


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: object) -> str:
    """A value in SQL: an integer, or a text quoted as SQL quotes it (only ' is special)."""
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"not a column value: {value!r}")

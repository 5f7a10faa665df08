"""The log counted in SQL: what the report and `facilitator network` need from a log
of any length, without holding its entries in memory.

One query does it: the live entries grouped by (source, target, kind, round), read
off the covering partial index interactions_counts (models/schema.py) in index order, so
SQLite neither sorts nor reads the table. A million entries come back as about
a hundred thousand rows (tuples, not objects: they are summed, then dropped). Filters (a round, kinds, a group) are WHERE terms on
columns of the same index."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from facilitator.models.store import SessionStore
from facilitator.models.text import text_from_file


class EntryCount(NamedTuple):
    """How many live entries went from source to target with this kind in a round.

    source None: a whole-group state (silence ...); target None: addressed to the
    whole group; round None: typed while no round ran. last_at is the latest, when
    asked for (entry_counts(latest=True)), else None."""

    source_id: int | None
    target_id: int | None
    kind: str
    round_id: int | None
    count: int
    last_at: str | None


@dataclass(frozen=True)
class GroupScope:
    """The entries of one group: logged in it, or (logged without a group) between
    its members during its round, as the network's group filter reads them."""

    group_id: int
    member_ids: tuple[int, ...]
    round_id: int | None


#: Names for count_into_table's temporary tables (unique: one connection may
#: count in two threads).
_tables = itertools.count(1)


def _selection(round_id: int | None, between_rounds: bool, kinds: Collection[str] | None,
               group: GroupScope | None) -> tuple[list[str], list[object]]:
    """The WHERE terms (and their parameters) of the live entries of one round (or
    between rounds), of some kinds, of one group: shared by the counts and the
    latest entry, so both select the same entries."""
    where = ["voided_at IS NULL"]
    params: list[object] = []
    if between_rounds:
        where.append("round_id IS NULL")
    elif round_id is not None:
        where.append("round_id = ?")
        params.append(round_id)
    if kinds is not None:
        where.append(f"kind IN ({', '.join('?' * len(kinds))})" if kinds else "0")
        params.extend(sorted(kinds))
    if group is not None:
        members = ", ".join(str(int(pid)) for pid in group.member_ids) or "NULL"
        where.append(
            f"(group_id = ? OR (group_id IS NULL AND source_id IN ({members})"
            f" AND (? IS NULL OR round_id = ?)"
            f" AND (target_id IS NULL OR target_id IN ({members}))))")
        params.extend([group.group_id, group.round_id, group.round_id])
    return where, params


def _count_sql(where: list[str], latest: bool) -> str:
    return (f"SELECT source_id, target_id, kind, round_id, COUNT(*), {'MAX(at)' if latest else 'NULL'}"
            " FROM interactions INDEXED BY interactions_counts"
            f" WHERE {' AND '.join(where)} GROUP BY source_id, target_id, kind, round_id")


def entry_counts(store: SessionStore, *, round_id: int | None = None,
                 between_rounds: bool = False, kinds: Collection[str] | None = None,
                 group: GroupScope | None = None, latest: bool = False) -> list[EntryCount]:
    """Live entries grouped by (source, target, kind, round), for the whole session or
    those of one round (between_rounds: those typed while no round ran), of some
    kinds, of one group. latest: with each row's last_at (MAX(at) costs the whole
    session's count a third more, 0.3 s at a million entries; a filter's rows are
    few, so there it is cheap; latest_pair_entry reads the whole session's)."""
    where, params = _selection(round_id, between_rounds, kinds, group)
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: a hundred thousand rows, made into EntryCounts at once
    return list(map(EntryCount._make, cursor.execute(_count_sql(where, latest), params)))


def count_into_table(store: SessionStore) -> str | None:
    """The whole session's entry_counts into a temporary table, in one SQLite step,
    which runs without the GIL: another thread imports meanwhile (count_ahead in
    core.report_counts). Row by row, the thread reading would wait for the GIL at
    every row. Returns the table's name (read it with counts_from_table), None
    when SQLite has no room for temporary tables."""
    where, params = _selection(None, False, None, None)
    table = f"entry_counts_{next(_tables)}"
    try:
        store.conn.execute(f"CREATE TEMP TABLE {table} AS {_count_sql(where, False)}", params)
    except sqlite3.OperationalError:
        return None
    return table


def counts_from_table(store: SessionStore, table: str) -> list[EntryCount]:
    """What count_into_table counted, in the GROUP BY's order (entry_counts'); the
    table is dropped."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    try:
        return list(map(EntryCount._make, cursor.execute(f"SELECT * FROM temp.{table}")))
    finally:
        drop_table(store, table)


def drop_table(store: SessionStore, table: str) -> None:
    """Drop a temporary table; while another statement of the connection is being
    read (another thread's), SQLite refuses, and the table goes with the connection.
    (Not emptied instead: a DELETE would move total_changes, which session_counts
    reads as "this process wrote".)"""
    try:
        store.conn.execute(f"DROP TABLE temp.{table}")
    except sqlite3.OperationalError:
        pass


def latest_pair_entry(store: SessionStore, pair_kinds: Collection[str]) -> str | None:
    """When the latest live entry between people (a source, one of these kinds) was
    typed: read backwards off interactions_at, so it costs the few newest rows, not
    the log."""
    kinds = ", ".join("?" * len(pair_kinds)) or "NULL"
    return store.scalar(
        "SELECT at FROM interactions INDEXED BY interactions_at WHERE voided_at IS NULL"
        f" AND source_id IS NOT NULL AND kind IN ({kinds}) ORDER BY at DESC LIMIT 1",
        sorted(pair_kinds))


def voided_entries(store: SessionStore) -> int:
    """How many entries were undone (the partial index on voided_at)."""
    return store.scalar("SELECT COUNT(*) FROM interactions INDEXED BY interactions_voided"
                        " WHERE voided_at IS NOT NULL")


class ScopeCount(NamedTuple):
    """How many live entries went from source to target with this kind, in a scope."""

    source_id: int | None
    target_id: int | None
    kind: str
    count: int


#: The column a live tally's scope filters on (analysis.tallies.Scope's first part).
_SCOPE_COLUMNS = {"session": None, "group": "group_id", "round": "round_id"}


def _scope_query(scope: tuple[str, int | None], upto: int) -> tuple[str, list[object]]:
    """The grouped count of a tally's scope (the whole session, a group's, a round's)
    up to id `upto`, off the covering index interactions_counts."""
    column = _SCOPE_COLUMNS[scope[0]]
    where, params = "voided_at IS NULL AND id <= ?", [upto]
    if column is not None:
        where += f" AND {column} IS ?"
        params.append(scope[1])
    return ("SELECT source_id, target_id, kind, COUNT(*) AS n FROM interactions"
            f" INDEXED BY interactions_counts WHERE {where} GROUP BY source_id, target_id, kind",
            params)


def scope_counts(store: SessionStore, scope: tuple[str, int | None], upto: int) -> list[ScopeCount]:
    """The live entries with ids up to `upto` of a tally's scope (the whole session,
    a group's, a round's), grouped by (source, target, kind): off the covering
    index interactions_counts, so the log's rows are never read one by one."""
    sql, params = _scope_query(scope, upto)
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: thousands of rows, made into ScopeCounts at once
    return list(map(ScopeCount._make, cursor.execute(sql, params)))


#: What packed_scope_counts gives: each column of the grouped counts as one text.
Packed = tuple[str, str, str, str]


def packed_scope_counts(store: SessionStore, scope: tuple[str, int | None], upto: int) -> Packed:
    """scope_counts as four texts made by SQLite, a column each (sources, targets,
    kinds in hex, counts; comma-separated, -1 for NULL): one step of SQLite, which
    runs without Python's lock, so a thread can count while the UI thread starts
    (row by row, it would wait for the lock at every row), and a few splits to read
    back (unpack_counts)."""
    sql, params = _scope_query(scope, upto)
    row = store.one(
        "SELECT group_concat(ifnull(source_id, -1)), group_concat(ifnull(target_id, -1)),"
        f" group_concat(hex(kind)), group_concat(n) FROM ({sql})", params)
    if row is None or row[0] is None:
        return ("", "", "", "")
    return (str(row[0]), str(row[1]), str(row[2]), str(row[3]))


def unpack_counts(packed: Packed) -> "Iterator[tuple[int | None, int | None, str, int]]":
    """The rows (source, target, kind, n) of packed_scope_counts; each kind's text
    goes through the store's text rule (models.text.text_from_file), as any text
    read from the file."""
    sources, targets, codes, counts = packed
    if not sources:
        return iter(())
    kinds = {code: text_from_file(bytes.fromhex(code)) for code in set(codes.split(","))}
    return zip([None if n < 0 else n for n in map(int, sources.split(","))],
               [None if n < 0 else n for n in map(int, targets.split(","))],
               map(kinds.__getitem__, codes.split(",")), map(int, counts.split(",")))


def voided_ids(store: SessionStore, upto: int) -> list[int]:
    """The undone entries with ids up to `upto` (the partial index on voided_at)."""
    return [r[0] for r in store.rows(
        "SELECT id FROM interactions INDEXED BY interactions_voided"
        " WHERE voided_at IS NOT NULL AND id <= ?", (upto,))]

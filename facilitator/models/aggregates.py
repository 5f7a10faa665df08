"""The log counted in SQL: what the report and `facilitator network` need from a log
of any length, without holding its entries in memory.

One query does it: the live entries grouped by (source, target, kind, round), read
off the covering partial index interactions_counts (models/schema.py) in index order, so
SQLite neither sorts nor reads the table. A million entries come back as about
a hundred thousand rows; the whole session's come back packed (a text per column, made
by SQLite in the query's one step) and are read column by column (CountColumns), never
as a hundred thousand row objects. Filters (a round, kinds, a group) are WHERE terms on
columns of the same index."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from itertools import repeat
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


#: An EntryCount's fields as a plain tuple (CountColumns.rows gives these).
CountRow = tuple[int | None, int | None, str, int | None, int, str | None]


class GroupScope(NamedTuple):
    """The entries of one group: logged in it, or (logged without a group) between
    its members during its round, as the network's group filter reads them."""

    group_id: int
    member_ids: tuple[int, ...]
    round_id: int | None


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
    return (f"SELECT source_id, target_id, kind, round_id, COUNT(*) AS n,"
            f" {'MAX(at)' if latest else 'NULL'} AS last_at"
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


class CountColumns(NamedTuple):
    """The whole session's entry_counts column by column (row i is the i-th of each
    list): what the report's sections sum and count, read from one packed row."""

    source_ids: list[int | None]
    target_ids: list[int | None]
    kinds: list[str]
    round_ids: list[int | None]
    counts: list[int]

    def rows(self) -> Iterator[CountRow]:
        """The rows as entry_counts gives them (plain tuples in EntryCount's order)."""
        return zip(self.source_ids, self.target_ids, self.kinds, self.round_ids, self.counts,
                   repeat(None))

    def counted(self) -> "Iterator[tuple[int | None, int | None, str, int]]":
        """(source, target, kind, n): what the counting rule takes (analysis.tallies)."""
        return zip(self.source_ids, self.target_ids, self.kinds, self.counts)

    def totals(self, column: "list[object]") -> dict[object, int]:
        """How many entries there are for each value of one of these columns."""
        totals: dict[object, int] = {}
        get = totals.get
        for value, n in zip(column, self.counts):
            totals[value] = get(value, 0) + n
        return totals

    def in_round(self, round_id: int | None) -> "CountColumns":
        """The rows of one round (None: typed between rounds)."""
        keep = [i for i, r in enumerate(self.round_ids) if r == round_id]
        return CountColumns(*([column[i] for i in keep] for column in (
            self.source_ids, self.target_ids, self.kinds, self.round_ids, self.counts)))


#: The whole session's counts packed (packed_session_counts): a text per column.
PackedCounts = tuple[str, str, str, str, str]


def packed_session_counts(store: SessionStore) -> PackedCounts:
    """The whole session's entry_counts packed by SQLite, a text per column (read
    back with unpack_session_counts): one step of SQLite, which runs without
    Python's lock, so another thread imports meanwhile (count_ahead in
    core.report_counts), and reading the texts back costs a few parses instead of
    a hundred thousand rows through sqlite3 (0.4 s at a million entries)."""
    where, params = _selection(None, False, None, None)
    sql = _count_sql(where, False)
    return _packed(store, sql, ("source_id", "target_id", "kind", "round_id", "n"), params)


def unpack_session_counts(packed: PackedCounts) -> CountColumns:
    """What packed_session_counts packed, column by column, in the GROUP BY's order."""
    sources, targets, kinds, rounds, counts = packed
    return CountColumns(_numbers(sources), _numbers(targets), _kinds(kinds), _numbers(rounds),
                        _numbers(counts))


def _packed(store: SessionStore, sql: str, columns: tuple[str, ...],
            params: "list[object]") -> "tuple[str, ...]":
    """The rows of `sql` packed, a text per column, in one SQLite step: numbers
    comma-separated with null for NULL (the inside of a JSON array, read back by
    _numbers), the kind in hex (_kinds). No rows: empty texts."""
    packs = ", ".join(f"group_concat(hex({name}))" if name == "kind"
                      else f"group_concat(ifnull({name}, 'null'))" for name in columns)
    row = store.one(f"SELECT {packs} FROM ({sql})", params)
    if row is None or row[0] is None:
        return ("",) * len(columns)
    return tuple(str(text) for text in row)


def _numbers(packed: str) -> "list[int | None]":
    return json.loads(f"[{packed}]")


def _kinds(packed: str) -> list[str]:
    """A packed kind column; each kind's text goes through the store's text rule
    (models.text.text_from_file), as any text read from the file."""
    if not packed:
        return []
    codes = packed.split(",")
    kinds = {code: text_from_file(bytes.fromhex(code)) for code in set(codes)}
    return list(map(kinds.__getitem__, codes))


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
    """scope_counts packed, a text per column (sources, targets, kinds, counts): one
    step of SQLite, which runs without Python's lock, so a thread can count while
    the UI thread starts (row by row, it would wait for the lock at every row), and
    a few parses to read back (unpack_counts)."""
    sql, params = _scope_query(scope, upto)
    return _packed(store, sql, ("source_id", "target_id", "kind", "n"), params)  # type: ignore[return-value]


def unpack_counts(packed: Packed) -> "Iterator[tuple[int | None, int | None, str, int]]":
    """The rows (source, target, kind, n) of packed_scope_counts."""
    sources, targets, kinds, counts = packed
    return zip(_numbers(sources), _numbers(targets), _kinds(kinds), _numbers(counts))


def voided_ids(store: SessionStore, upto: int) -> list[int]:
    """The undone entries with ids up to `upto` (the partial index on voided_at),
    packed by SQLite into one text: one step without Python's lock. Row by row, the
    opening thread (core.opening) waited for the lock at every row while the UI
    thread imported: 2,500 undone entries at 100k took it 35-50 ms instead of 3."""
    (packed,) = _packed(store, "SELECT id FROM interactions INDEXED BY interactions_voided"
                        " WHERE voided_at IS NOT NULL AND id <= ?", ("id",), [upto])
    return _numbers(packed)

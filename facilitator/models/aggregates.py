"""The log counted in SQL: what the report and `facilitator network` need from a log
of any length, without holding its entries in memory.

One query does it: the live entries grouped by (source, target, kind, round), read
off the covering partial index interactions_counts (models/schema.py) in index order, so
SQLite neither sorts nor reads the table. A million entries come back as about
a hundred thousand rows (tuples, not objects: they are summed, then dropped). Filters (a round, kinds, a group) are WHERE terms on
columns of the same index."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

from facilitator.models.store import SessionStore


class EntryCount(NamedTuple):
    """How many live entries went from source to target with this kind in a round.

    source None: a whole-group state (silence ...); target None: addressed to the
    whole group; round None: typed while no round ran. last_at is the latest."""

    source_id: int | None
    target_id: int | None
    kind: str
    round_id: int | None
    count: int
    last_at: str


@dataclass(frozen=True)
class GroupScope:
    """The entries of one group: logged in it, or (logged without a group) between
    its members during its round, as the network's group filter reads them."""

    group_id: int
    member_ids: tuple[int, ...]
    round_id: int | None


def entry_counts(store: SessionStore, *, round_id: int | None = None,
                 between_rounds: bool = False, kinds: Collection[str] | None = None,
                 group: GroupScope | None = None) -> list[EntryCount]:
    """Live entries grouped by (source, target, kind, round), for the whole session or
    those of one round (between_rounds: those typed while no round ran), of some
    kinds, of one group."""
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
    rows = store.rows(
        "SELECT source_id, target_id, kind, round_id, COUNT(*), MAX(at) FROM interactions"
        " INDEXED BY interactions_counts"
        f" WHERE {' AND '.join(where)} GROUP BY source_id, target_id, kind, round_id", params)
    return [EntryCount._make(r) for r in rows]


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


def scope_counts(store: SessionStore, scope: tuple[str, int | None], upto: int) -> list[ScopeCount]:
    """The live entries with ids up to `upto` of a tally's scope (the whole session,
    a group's, a round's), grouped by (source, target, kind): off the covering
    index interactions_counts, so the log's rows are never read one by one."""
    column = _SCOPE_COLUMNS[scope[0]]
    where, params = "voided_at IS NULL AND id <= ?", [upto]
    if column is not None:
        where += f" AND {column} IS ?"
        params.append(scope[1])
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: thousands of rows, made into ScopeCounts at once
    rows = cursor.execute(
        "SELECT source_id, target_id, kind, COUNT(*) FROM interactions"
        f" INDEXED BY interactions_counts WHERE {where} GROUP BY source_id, target_id, kind",
        params)
    return list(map(ScopeCount._make, rows))


def voided_ids(store: SessionStore, upto: int) -> list[int]:
    """The undone entries with ids up to `upto` (the partial index on voided_at)."""
    return [r[0] for r in store.rows(
        "SELECT id FROM interactions INDEXED BY interactions_voided"
        " WHERE voided_at IS NOT NULL AND id <= ?", (upto,))]

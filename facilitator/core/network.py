"""The session's network read from the file: the snapshot that facilitator.analysis
computes on, and a live copy that follows the file cheaply.

- `load_network(store)` reads a plain snapshot of the log (cheap indexed queries);
- `LiveNetwork.refresh(store)` fetches only the entries logged since its last look
  (`interactions WHERE id > last seen`). The file's feed of entries changed in
  place (interaction_changes) tells when an undo or a restore touched a drawn
  entry: only then is the whole log read again (by a worker, on the screen).

What it shows is derived from what it read, never from our own writes: the id it
fetches from is the largest id it has read, whoever logged it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from facilitator.analysis.network import (
    BETWEEN_ROUNDS, BETWEEN_ROUNDS_NAME, FormalGroup, LogEntry, NetworkData, NetworkFilter, Person)
from facilitator.analysis.network_live import TieCache
from facilitator.analysis.sociogram import Sociogram
from facilitator.models.session import session_info
from facilitator.models.store import SessionError, SessionStore

ENTRY_COLUMNS = "i.id, i.at, i.source_id, i.target_id, i.kind, i.group_id, i.round_id"


def load_network(store: SessionStore) -> NetworkData:
    """Read the roster, the live pair interactions, kinds, rounds and groups."""
    entries = tuple(
        LogEntry(r["id"], r["at"], r["source_id"], r["target_id"], r["kind"], r["group_id"],
                 r["round_id"])
        for r in store.rows(
            f"SELECT {ENTRY_COLUMNS}"
            " FROM interactions i JOIN kinds k ON k.name = i.kind"
            " WHERE i.voided_at IS NULL AND i.source_id IS NOT NULL AND k.scope = 'pair'"
            " ORDER BY i.at, i.id"))
    return replace(load_context(store), entries=entries)


def load_context(store: SessionStore) -> NetworkData:
    """Everything but the log (roster, kinds, rounds, groups): a few small tables,
    cheap to re-read whenever the file changes."""
    people = []
    for row in store.rows("SELECT id, name, code, present, tags FROM participants ORDER BY id"):
        try:
            tags = json.loads(row["tags"] or "{}")
        except ValueError:
            tags = {}
        role = str(tags.get("role", "")) if isinstance(tags, dict) else ""
        people.append(Person(row["id"], row["name"], row["code"], bool(row["present"]), role))
    kinds = tuple((r["name"], r["label"], bool(r["directed"])) for r in store.rows(
        "SELECT name, label, directed FROM kinds WHERE scope = 'pair' ORDER BY position"))
    rounds = tuple((r["id"], r["name"]) for r in store.rows(
        "SELECT id, name FROM rounds ORDER BY position"))
    members: dict[int, list[int]] = {}
    for r in store.rows("SELECT group_id, participant_id FROM current_members"
                        " ORDER BY group_id, participant_id"):
        members.setdefault(r[0], []).append(r[1])
    groups = tuple(
        FormalGroup(r["id"], r["name"], r["round_id"], tuple(members.get(r["id"], ())))
        for r in store.rows("SELECT id, name, round_id FROM groups WHERE voided_at IS NULL"
                            " ORDER BY id"))
    current = session_info(store).current_round_id
    return NetworkData(tuple(people), (), kinds, rounds, groups, current)


#: The small tables load_context reads (their write counts say when to re-read).
CONTEXT_TABLES = ("participants", "kinds", "rounds", "groups", "memberships", "session")


@dataclass(frozen=True)
class Snapshot:
    """The network as read at one moment, and where the reading stopped: what a
    worker hands the live screen (LiveNetwork.take)."""

    data: NetworkData
    last_id: int
    feed_seq: int
    counts: dict[str, int]


def read_snapshot(store: SessionStore) -> Snapshot:
    """Read the whole network once (for a worker: plain data, no cache)."""
    # Positions first: a change after them is read again next time (harmless).
    feed_seq = store.feed_position()
    counts = store.change_counts()
    last_id = int(store.scalar("SELECT COALESCE(MAX(id), 0) FROM interactions"))
    data = load_network(store)
    # Entries committed meanwhile may be in `data`: fetch above the largest read.
    return Snapshot(data, max([last_id] + [e.id for e in data.entries]), feed_seq, counts)


class LiveNetwork(TieCache):
    """A network snapshot that follows the file: `refresh(store)`, then `view(filter)`."""

    def __init__(self) -> None:
        super().__init__()
        self.last_id = 0
        self.feed_seq = 0
        self.counts: dict[str, int] = {}
        #: True when the file changed in a way only a whole new read can follow
        #: (an undo or redo of a pair entry): refresh(load=False) leaves it to the caller.
        self.stale = False
        self.full_reads = 0  # how many times the whole log was read (for tests/bench)

    def refresh(self, store: SessionStore, *, load: bool = True) -> bool:
        """Bring the snapshot up to date with the file; True if anything changed.
        New entries come by id; entries changed in place come from the file's feed
        (an undo of a pair entry means reading the log again: here, or with
        load=False by the caller, in a worker, then take()); the roster, kinds,
        rounds and groups are re-read only when their write counts moved."""
        if self.data is None or self.stale:
            if not load:
                self.stale = True
                return False
            self.take(read_snapshot(store))
            return True
        seq, changed = store.changed_entries_since(self.feed_seq)
        if changed and self._touches_network(store, [r["id"] for r in changed]):
            if not load:
                self.stale = True
                return False
            self.take(read_snapshot(store))
            return True
        self.feed_seq = seq
        counts = store.change_counts()
        context = self.data
        if any(counts.get(t) != self.counts.get(t) for t in CONTEXT_TABLES):
            context = load_context(store)
        if context.kinds != self.data.kinds:  # other kinds between people: read afresh
            if not load:
                self.stale = True
                return False
            self.take(read_snapshot(store))
            return True
        self.counts = counts
        return self.extend(context, self._new_entries(store))

    @staticmethod
    def _touches_network(store: SessionStore, ids: list[int]) -> bool:
        """Whether any of these entries is (or, brought back, would be) drawn: a pair
        kind with a source, or gone from the file."""
        marks = ",".join("?" * len(ids))
        drawn = store.scalar(
            "SELECT COUNT(*) FROM interactions i JOIN kinds k ON k.name = i.kind"
            f" WHERE i.id IN ({marks}) AND i.source_id IS NOT NULL AND k.scope = 'pair'", ids)
        present = store.scalar(f"SELECT COUNT(*) FROM interactions WHERE id IN ({marks})", ids)
        return bool(drawn) or present != len(set(ids))

    def take(self, snapshot: Snapshot) -> None:
        """Adopt a snapshot read elsewhere (a worker); refresh() follows from it."""
        self.last_id, self.feed_seq = snapshot.last_id, snapshot.feed_seq
        self.counts = snapshot.counts
        self.stale = False
        self.full_reads += 1
        self.reset(snapshot.data)

    def _new_entries(self, store: SessionStore) -> tuple[LogEntry, ...]:
        """Live pair entries logged since the last look (the id is the primary key)."""
        rows = store.rows(
            f"SELECT {ENTRY_COLUMNS}, i.voided_at, k.scope"
            " FROM interactions i LEFT JOIN kinds k ON k.name = i.kind"
            " WHERE i.id > ? ORDER BY i.at, i.id", (self.last_id,))
        if rows:
            self.last_id = max(self.last_id, max(r["id"] for r in rows))
        return tuple(
            LogEntry(r["id"], r["at"], r["source_id"], r["target_id"], r["kind"],
                     r["group_id"], r["round_id"])
            for r in rows
            if r["voided_at"] is None and r["source_id"] is not None and r["scope"] == "pair")


# ---------------------------------------------------------------- for the CLI
def resolve_filter(data: NetworkData, round_text: str | None, kind_text: str | None,
                   group_text: str | None) -> NetworkFilter:
    """A NetworkFilter from the user's words; SessionError names what is unknown."""
    flt = NetworkFilter()
    if round_text and round_text.strip().lower() == BETWEEN_ROUNDS_NAME:
        flt = flt.with_(round_id=BETWEEN_ROUNDS)
    elif round_text:
        wanted = round_text.strip().lower()
        found = [rid for position, (rid, name) in enumerate(data.rounds, 1)
                 if name.lower() == wanted or str(position) == wanted]
        if not found:
            names = ", ".join(name for _rid, name in data.rounds) or "none yet"
            raise SessionError(f"There is no round {round_text!r} (rounds: {names}).")
        flt = flt.with_(round_id=found[0])
    if kind_text:
        wanted = kind_text.strip().lower()
        kinds = [name for name, _label, _directed in data.kinds if name.lower() == wanted]
        if not kinds:
            names = ", ".join(name for name, _l, _d in data.kinds)
            raise SessionError(f"{kind_text!r} is not a kind between people (kinds: {names}).")
        flt = flt.with_(kinds=frozenset(kinds))
    if group_text:
        wanted = group_text.strip().lower()
        found_groups = [g for g in data.groups if g.name.lower() == wanted
                        and (flt.round_id is None or g.round_id == flt.round_id)]
        if not found_groups:
            raise SessionError(f"There is no group called {group_text!r}.")
        flt = flt.with_(group_id=found_groups[-1].id)
    return flt


@dataclass(frozen=True)
class NetworkPicture:
    """What `facilitator network` prints: the drawing, the groups' marks, findings."""

    picture: Sociogram
    groups: tuple[FormalGroup, ...]
    findings: list[str]


def network_picture(store: SessionStore, width: int, height: int, *,
                    round_text: str | None = None, kind_text: str | None = None,
                    group_text: str | None = None, focus_text: str | None = None,
                    group_marks: bool = False) -> NetworkPicture:
    """Read the network, draw it with the shared layout (storing it if it had to be
    brought up to date) and say what it means, for the filters a user typed."""
    from facilitator.analysis.network import analyse, formal_grouping, tie_counts
    from facilitator.analysis.network_findings import findings
    from facilitator.core.layout import render_network
    from facilitator.models.roster import find_participant

    data = load_network(store)
    flt = resolve_filter(data, round_text, kind_text, group_text)
    focus = find_participant(store, focus_text).id if focus_text else None
    picture = render_network(store, data, flt, width, height, focus, group_marks=group_marks)
    ties = tie_counts(data, flt)
    groups = formal_grouping(data, flt.round_id)
    return NetworkPicture(picture, groups, findings(data, analyse(data, ties), ties, groups))

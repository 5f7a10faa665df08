"""The session's network read from the file: the snapshot that facilitator.analysis
computes on, and a live copy that follows the file cheaply.

- `load_network(store)` reads a plain snapshot of the log (cheap indexed queries);
- `LiveNetwork.refresh(store)` fetches only the entries logged since its last look
  (`interactions WHERE id > last seen`). A small stamp of the voided entries
  (count, latest voided_at, sum of ids) tells when an undo or a restore touched
  older entries: only then is the whole log read again.

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


def void_stamp(store: SessionStore) -> tuple[object, ...]:
    """Changes whenever an entry is voided or restored (one scan of a small column),
    or entries were moved to another person by a roster merge."""
    from facilitator.models.interactions import rewrite_stamp

    row = store.one("SELECT count(*), max(voided_at), total(id) FROM interactions"
                    " WHERE voided_at IS NOT NULL")
    return (tuple(row) if row is not None else ()) + rewrite_stamp(store)


class LiveNetwork(TieCache):
    """A network snapshot that follows the file: `refresh(store)`, then `view(filter)`."""

    def __init__(self) -> None:
        super().__init__()
        self.last_id = 0
        self.voids: tuple[object, ...] = ()
        self.full_reads = 0  # how many times the whole log was read (for tests/bench)

    def refresh(self, store: SessionStore) -> bool:
        """Bring the snapshot up to date with the file; True if anything changed."""
        voids = void_stamp(store)  # read first: a void after this shows next time
        context = load_context(store)
        old = self.data
        if old is None or voids != self.voids or context.kinds != old.kinds:
            self._read_all(store, voids)
            return True
        return self.extend(context, self._new_entries(store))

    def _read_all(self, store: SessionStore, voids: tuple[object, ...]) -> None:
        data = load_network(store)
        self.voids = voids
        # Entries with a larger id are fetched next time; nothing loaded has one.
        self.last_id = max((e.id for e in data.entries), default=0)
        self.full_reads += 1
        self.reset(data)

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

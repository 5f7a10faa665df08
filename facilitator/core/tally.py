"""The tally, read, computed and written: what the tally screen calls.

LiveTally is the tally screen's view of the file: the codebook, roster, round and
groups, a TallyBoard fed only with what was read from the file (never with our own
writes: after a write it reads like after anyone's, so an entry another process
committed just before ours is never skipped), and the turn chain, which is asked
of the file too (only a pause lives in this process: it is not an event).

The board holds counts, not entries: each scope the screen shows starts from
grouped counts in SQL (models.aggregates.scope_counts) and then moves with the
entries the file says are new or changed. So opening a session of any length
costs a few indexed GROUP BYs, and memory does not grow with the log.

Turn chain: a turn is addressed to the previous speaker of the observed group and
round. In the whole-session view, only when both are in the same group this round
(when the round has groups): people at different tables do not speak to each
other. The chain of an ended round does not carry on between rounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from facilitator.analysis.tallies import WHOLE_SESSION, Scope, Tally, TallyBoard
from facilitator.core.changes import Change
from facilitator.core.tally_keys import Entry, Explicit, GroupState, Turn
from facilitator.core.tally_start import CountedStart, board_moment
from facilitator.models.codebook import codebook, turn_kind
from facilitator.models.aggregates import scope_counts, unpack_counts
from facilitator.models.groups import Group, groups_of_round
from facilitator.models.interactions import (
    log_interaction, restore_interaction, rewrite_stamp, void_interaction)
from facilitator.models.records import Interaction, Kind, Participant, Round
from facilitator.models.roster import participants
from facilitator.models.rounds import current_round, rounds
from facilitator.models.store import SessionError, SessionStore

#: The small tables the tally view reads (their write counts say when to re-read).
CONTEXT_TABLES = frozenset({"kinds", "settings", "participants", "session", "rounds",
                            "groups", "memberships"})

COLUMNS = ("id, at, source_id, target_id, kind, group_id, round_id, logged_by, note,"
           " voided_at, voided_by")


# ---------------------------------------------------------------------- the board
def read_board(store: SessionStore, scopes: Iterable[Scope] = (WHOLE_SESSION,)) -> TallyBoard:
    """A board of the file as it is, counting these scopes (more are counted when
    asked for: count_scopes)."""
    board = start_board(store, codebook(store), session_turn_kind(store))
    count_scopes(store, board, scopes)
    return board


def start_board(store: SessionStore, kinds: list[Kind], turn: Kind | None) -> TallyBoard:
    """A board at the file's moment now: its highest id, the undone entries up to
    it and the feed's position, read in one snapshot. It counts no scope yet."""
    board = empty_board(kinds, turn)
    board.start(*board_moment(store))
    return board


def count_scopes(store: SessionStore, board: TallyBoard, scopes: Iterable[Scope]) -> list[Interaction]:
    """Bring the board to the file's moment and start counting the scopes it does
    not count yet, from grouped counts in SQL, in one snapshot (so a scope's counts
    and the board's moment agree). Returns the entries that changed."""
    with store.reading():
        changed = sync_board(store, board)
        for scope in scopes:
            if not board.has(scope):
                board.add_scope(scope, scope_counts(store, scope, board.last_id))
    return changed


def session_turn_kind(store: SessionStore) -> Kind | None:
    """The kind a plain turn records, or None when the codebook has no kind between
    people (then nothing is a turn)."""
    try:
        return turn_kind(store)
    except SessionError:
        return None


def empty_board(kinds: list[Kind], turn: Kind | None) -> TallyBoard:
    """A board that counts by this codebook's rules, before anything is read."""
    return TallyBoard(turn.name if turn else "",
                      undirected={k.name for k in kinds if not k.directed})


def sync_board(store: SessionStore, board: TallyBoard) -> list[Interaction]:
    """Bring the board up to date with the file; returns the entries that changed.

    New entries come by id (the primary key: cheap whatever the log's size), above
    the highest id the board has read. Entries changed in place (an undo or a redo,
    in any process) come from the file's feed of changes (interaction_changes):
    only the few named since the board last looked are read again."""
    with store.reading():
        seq, changed = store.changed_entries_since(board.feed_seq)
        if any(r["gone"] for r in changed):
            # A row deleted under us (not by facilitator): count afresh.
            scopes = list(board.scopes)
            board.forget()
            board.start(*board_moment(store))
            for scope in scopes:
                board.add_scope(scope, scope_counts(store, scope, board.last_id))
            return []
        board.feed_seq = seq
        ids = [r["id"] for r in changed if r["id"] <= board.last_id]
        done = board.revise(_entries_by_id(store, ids)) if ids else []
        return done + board.read(_entries_above(store, board.last_id))


def _entries_above(store: SessionStore, last_id: int) -> list[Interaction]:
    return [Interaction.from_row(r) for r in store.rows(
        f"SELECT {COLUMNS} FROM interactions WHERE id > ? ORDER BY id", (last_id,))]


def _entries_by_id(store: SessionStore, ids: list[int]) -> list[Interaction]:
    found = []
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found += [Interaction.from_row(r) for r in store.rows(
            f"SELECT {COLUMNS} FROM interactions WHERE id IN ({', '.join('?' * len(part))})"
            " ORDER BY id", part)]
    return found


def recent_entries(store: SessionStore, limit: int) -> list[Interaction]:
    """The newest entries, newest first, undone ones included (struck through)."""
    return [Interaction.from_row(r) for r in store.rows(
        f"SELECT {COLUMNS} FROM interactions ORDER BY id DESC LIMIT ?", (limit,))]


def latest_live_entry(store: SessionStore, round_id: int | None, group_id: int | None,
                      since: str | None) -> Interaction | None:
    """The newest live entry of a round (None: between rounds), in one group or in
    any (group_id None); with since, only entries at or after that moment (so the
    chain of an ended round does not carry on between rounds).

    Newest by time, not by id: a correction is logged later (a higher id) at the
    moment of the entry it replaces, so a correction three entries back must not
    become the previous speaker. In any group, the scan runs back along the time
    index (the newest entries are the current round's): `+round_id` keeps SQLite
    from sorting a whole round's entries instead."""
    where = "voided_at IS NULL"
    params: list[object] = []
    if group_id is not None:
        where += " AND round_id IS ? AND group_id = ?"
        params += [round_id, group_id]
    else:
        where += " AND +round_id IS ?"
        params.append(round_id)
    if since is not None:
        where += " AND at >= ?"
        params.append(since)
    row = store.one(f"SELECT {COLUMNS} FROM interactions WHERE {where}"
                    " ORDER BY at DESC, id DESC LIMIT 1", params)
    return None if row is None else Interaction.from_row(row)


# ---------------------------------------------------------------------- entries
def describe(entry: Interaction, people: dict[int, Participant], kinds: dict[str, Kind]) -> str:
    """'Ana → Bob, asked', 'Ana → the group, spoke to', 'silence (whole group)':
    how an undo or redo names an entry."""
    kind = kinds.get(entry.kind)
    label = kind.label if kind else entry.kind
    if entry.source_id is None:
        return f"{label} (whole group)"

    def first(pid: int | None) -> str:
        person = people.get(pid) if pid is not None else None
        return person.name.split()[0] if person and person.name.split() else "the group"

    return f"{first(entry.source_id)} → {first(entry.target_id)}, {label}"


def entry_change(store: SessionStore, entry_id: int, what: str,
                 restored_at: str | None = None, *, doing: str | None = None) -> Change:
    """Undo (void) and redo (restore) of one entry, each only while nobody else has
    voided or restored it since: otherwise one sentence names who, nothing written.
    The rule and its SQL live in models.interactions; `restored_at` is the entry's
    restored_at as we left it (None: never brought back). `doing` names the change
    when it is not the entry's logging (core.entries: "bringing back ...")."""
    mine: dict[str, str | None] = {}  # the voided_at our undo wrote

    def undo() -> None:
        mine["at"] = void_interaction(store, entry_id, what, expect=restored_at).voided_at

    def redo() -> Change:
        back = restore_interaction(store, entry_id, what, expect=mine.get("at"))
        return entry_change(store, entry_id, what, back.restored_at, doing=doing)

    return Change(doing or what, undo, redo)


# ---------------------------------------------------------------------- live view
@dataclass
class LiveTally:
    """The tally screen's view of one session file."""

    store: SessionStore
    kinds: list[Kind] = field(default_factory=list)
    turn: Kind | None = None
    people: dict[int, Participant] = field(default_factory=dict)
    round: Round | None = None
    groups: list[Group] = field(default_factory=list)
    round_names: dict[int, str] = field(default_factory=dict)
    board: TallyBoard | None = None
    #: models.interactions.rewrite_stamp when the board was started.
    rewrites: tuple[object, ...] = ()
    #: Pauses typed here: (round, group; None: the whole session) -> the last id
    #: read when it was pressed.
    paused: dict[tuple[int | None, int | None], int] = field(default_factory=dict)
    #: The file's write counts of the small tables as last read (store.change_counts).
    counts: dict[str, int] = field(default_factory=dict)
    def refresh_context(self) -> set[str]:
        """Re-read the small tables whose write count moved since the last look
        (all of them the first time); returns the names of those that moved."""
        counts = self.store.change_counts()
        moved = {name for name, n in counts.items() if self.counts.get(name) != n}
        if not self.counts:
            moved |= CONTEXT_TABLES
        self.counts = counts
        if moved & {"kinds", "settings"}:
            self.kinds = codebook(self.store)
            self.turn = session_turn_kind(self.store)
        if "participants" in moved:
            self.people = {p.id: p for p in participants(self.store)}
        if moved & {"session", "rounds"}:
            self.round = current_round(self.store)
            self.round_names = {r.id: r.name for r in rounds(self.store)}
        if moved & {"session", "rounds", "groups", "memberships"}:
            self.groups = groups_of_round(self.store, self.round.id if self.round else None)
        return moved & CONTEXT_TABLES

    def refresh(self, *, load: bool = True) -> list[Interaction]:
        """Re-read what changed: the small tables whose count moved, and the log's
        new and changed entries. Without a board yet, start one here, or with
        load=False leave that to the caller (load(), once the screen is painted)."""
        self.refresh_context()
        if self.board is not None and not self.fits(self.board):
            self.board = None  # another codebook counts by other rules: count again
        rewrites = rewrite_stamp(self.store)  # a merge moved old entries: read them anew
        if rewrites != self.rewrites:
            self.board, self.rewrites = None, rewrites
        if self.board is None:
            if not load:
                return []
            self.load()
        return self.sync()

    def load(self, scopes: Iterable[Scope] = ()) -> None:
        """Start the board at the file's moment (no entry is read one by one: each
        scope shown is counted in SQL when first asked for)."""
        self.board = start_board(self.store, self.kinds, self.turn)
        if scopes:
            count_scopes(self.store, self.board, scopes)

    def start_from(self, ahead: CountedStart) -> None:
        """Start the board from counts made ahead (core.opening). The next refresh
        brings it to the file's moment now, or counts again if a merge rewrote
        entries since, like any board."""
        board = empty_board(self.kinds, self.turn)
        board.start(*ahead.moment)
        for scope, packed in ahead.packed.items():
            board.add_scope(scope, unpack_counts(packed))
        self.board, self.rewrites = board, ahead.rewrites

    def tally(self, scope: Scope) -> Tally:
        """The tally of a scope, counted when first asked for (the board brought to
        the file's moment first, in the same snapshot)."""
        assert self.board is not None
        if not self.board.has(scope):
            count_scopes(self.store, self.board, [scope])
        return self.board.tally(scope)

    def recent(self, limit: int) -> list[Interaction]:
        """The newest entries of the file, newest first."""
        return recent_entries(self.store, limit)

    def fits(self, board: TallyBoard) -> bool:
        """Whether a board counts by this codebook's rules (turn kind, undirected kinds)."""
        return (board.turn_kind == (self.turn.name if self.turn else "")
                and board.undirected == {k.name for k in self.kinds if not k.directed})

    def sync(self) -> list[Interaction]:
        """The log's new and changed entries (nothing while the board is still
        being read elsewhere)."""
        return [] if self.board is None else sync_board(self.store, self.board)

    # ------------------------------------------------------------ rounds
    @property
    def round_id(self) -> int | None:
        """The current round (running or ended): what the view counts."""
        return self.round.id if self.round else None

    def _chain_round(self) -> tuple[int | None, str | None]:
        """The round entries typed now join, and since when (between rounds: only
        entries after the current round ended belong to this stretch)."""
        if self.round is not None and self.round.running:
            return self.round.id, None
        return None, self.round.ended_at if self.round else None

    # ------------------------------------------------------------ the turn chain
    def group_of(self, person_id: int | None) -> int | None:
        return next((g.id for g in self.groups if person_id in g.member_ids), None)

    def previous_speaker(self, group_id: int | None) -> int | None:
        """Whom a turn in this group (None: the whole session) would address."""
        round_id, since = self._chain_round()
        entry = latest_live_entry(self.store, round_id, group_id, since)
        if entry is None or entry.id <= self.paused.get((round_id, group_id), 0):
            return None
        return entry.source_id

    def pause(self, group_id: int | None) -> None:
        """The next turn here addresses the whole group."""
        self.sync()
        round_id, _ = self._chain_round()
        last = (self.board.last_id if self.board is not None
                else int(self.store.scalar("SELECT COALESCE(MAX(id), 0) FROM interactions")))
        self.paused[(round_id, group_id)] = last

    def turn_target(self, person: Participant, group_id: int | None) -> Participant | None:
        """The previous speaker, if the turn may address them: present, and in the
        whole-session view at the same table this round."""
        previous = self.previous_speaker(group_id)
        if previous is None:
            return None
        if previous == person.id:
            raise SessionError(f"Nothing logged: {person.name} is already speaking;"
                               " a turn goes to someone else.")
        target = self.people.get(previous)
        if target is None or not target.present:
            return None  # they left the room: the turn goes to the group
        if group_id is None and self.groups:
            table = self.group_of(person.id)
            if table is None or table != self.group_of(previous):
                return None  # different tables: nobody is linked
        return target

    # ------------------------------------------------------------ writing
    def log(self, entry: Entry) -> Change:
        """Log what the prompt showed, through the one core function; the board then
        reads the file (ours and anyone's). Returns the undo."""
        self.sync()  # the chain from the file as it is now, not as last polled
        if isinstance(entry, Turn):
            if self.turn is None:
                raise SessionError("The codebook has no kind between people; add one.")
            kind, source, note = self.turn, entry.person, None
            target = self.turn_target(entry.person, entry.group_id)
        elif isinstance(entry, Explicit):
            kind, source, target, note = entry.kind, entry.source, entry.target, entry.note
        else:
            assert isinstance(entry, GroupState)
            kind, source, target, note = entry.kind, None, None, None
        group_id = entry.group_id
        if group_id is None and source is not None:
            group_id = self.group_of(source.id)  # the whole session: the source's table
        # No sync here: the screen's write posts Written, and the refresh that follows
        # reads our entry from the file like anyone's.
        written = log_interaction(self.store, kind, source, target, group_id=group_id, note=note)
        what = describe(written, self.people, {k.name: k for k in self.kinds})
        return entry_change(self.store, written.id, what)

"""Starting and ending rounds, as every screen and the CLI ask for them: what
the round key offers (a round changes for everyone in the room, so it asks
first), the change, and its undo.

A new round opens one of three ways, one key each: keep the groups of the round
before (with their people and unfinished goals, as the groups agreed), open
space from scratch (nobody grouped), or the groups suggested (or prepared) for
it. The round remembers which (rounds.opened_with), for the groups screen."""

from __future__ import annotations

from typing import NamedTuple

from facilitator.core.changes import Change
from facilitator.models import carry
from facilitator.models.groups import groups_of_round, new_batch, undo_batch_in
from facilitator.models.rounds import (
    current_round, end_round_change, get_round, next_round_id, rounds, start_round_in,
    undo_round_change, undo_round_in)
from facilitator.models.store import SessionError, SessionStore, now
from facilitator.models.wording import count_of

#: The keys of the round dialog.
END, KEEP, OPEN, SUGGEST = "e", "k", "o", "s"
#: What each key writes as rounds.opened_with.
OPENINGS = {KEEP: carry.KEPT, OPEN: carry.OPEN_SPACE, SUGGEST: carry.SUGGESTED}
#: How the groups screen says what a round opened with.
OPENED_WITH = {carry.KEPT: "kept groups", carry.OPEN_SPACE: "open space",
               carry.SUGGESTED: "suggested groups"}


class Choice(NamedTuple):
    """One key of the round dialog and what it does, in a sentence."""

    key: str
    label: str


class RoundStep(NamedTuple):
    """What ctrl+r (tally, roster, goals) or o (groups) offers now, asked before
    it is done: end the running round, and/or start the next one a chosen way."""

    ends: bool        # a round is running: e ends it (a start ends it too)
    question: str     # "Start Round 2 for everyone? Round 1 ends."
    choices: tuple[Choice, ...]
    default: str      # the key y and Enter stand for
    #: s with nothing prepared: the suggestions are shown first; nothing starts.
    suggest_first: bool = False


def next_round_name(store: SessionStore) -> str:
    """The name the next start gives: the next planned round, else 'Round N'
    (the same rule models.rounds.next_or_new_round writes)."""
    target = next_round_id(store)
    return get_round(store, target).name if target is not None else f"Round {len(rounds(store)) + 1}"


def start_question(store: SessionStore) -> str:
    target = next_round_id(store)
    ready = len(groups_of_round(store, target)) if target is not None else 0
    current = current_round(store)
    ends = f" {current.name} ends." if current is not None and current.running else ""
    groups = f" with its {count_of(ready, 'group')}" if ready else ""
    return f"Start {next_round_name(store)}{groups} now, for everyone?{ends} It opens with:"


def round_step(store: SessionStore) -> RoundStep:
    """What the round key offers now: the ways the next round can open (and, while
    a round runs, ending it only)."""
    current = current_round(store)
    target = next_round_id(store)
    next_name = next_round_name(store)
    prepared = len(groups_of_round(store, target)) if target is not None else 0
    closes = (f"; the {count_of(prepared, 'group')} already made for {next_name} close"
              if prepared else "")
    choices: list[Choice] = []
    running = current is not None and current.running
    if running:
        choices.append(Choice(END, f"end {current.name} only (entries typed then are"
                                   " 'between rounds')"))
    kept = carry.carry_preview(store, current.id if current else None)
    if kept.groups:
        source = current.name if current else "the groups outside rounds"
        goals = (f" and their {count_of(kept.goals, 'unfinished goal')} (as the groups agreed)"
                 if kept.goals else "")
        choices.append(Choice(KEEP, f"keep the {count_of(kept.groups, 'group')} of {source}"
                                    f" ({count_of(kept.people, 'person', 'people')}){goals}{closes}"))
    choices.append(Choice(OPEN, f"open space from scratch: nobody grouped{closes}"))
    if prepared:
        choices.append(Choice(SUGGEST, f"with the {count_of(prepared, 'group')} made for it"
                                       " (a suggestion applied, or topics proposed early)"))
    else:
        choices.append(Choice(SUGGEST, f"see suggested groups for {next_name} first (a or b"
                                       " applies one; nothing starts yet)"))
    if running:
        question = (f"End {current.name} now, for everyone? Or start {next_name} at once"
                    f" ({current.name} ends), opening with:")
        default = END
    else:
        question = start_question(store)
        default = SUGGEST if prepared else OPEN
    return RoundStep(running, question, tuple(choices), default,
                     suggest_first=not prepared)


def start_next_round(store: SessionStore, key: str = "") -> tuple[str, Change]:
    """Start the next round (ending the running one), opening as `key` says (KEEP,
    OPEN or SUGGEST; "" the groups it has, if any): a sentence and its undo, which
    takes back the start and whatever it wrote with it, in one transaction."""
    identity = store.identity
    if key == KEEP:
        current = current_round(store)
        source = current.id if current else None
        if not carry.carry_preview(store, source).groups:
            raise SessionError("There are no groups to keep; nothing was started.")

    def body(conn):  # type: ignore[no-untyped-def]
        at = now()
        opened = OPENINGS.get(key)
        if key == SUGGEST and not conn.execute(
                "SELECT 1 FROM groups g JOIN rounds r ON r.id = g.round_id WHERE"
                " r.id = (SELECT id FROM rounds WHERE started_at IS NULL ORDER BY position"
                " LIMIT 1) AND g.closed_at IS NULL AND g.voided_at IS NULL").fetchone():
            raise SessionError("No groups are made for the next round yet; apply a"
                               " suggestion first (p on the groups screen, or"
                               " facilitator groups --apply); nothing was started.")
        before = conn.execute("SELECT current_round_id FROM session").fetchone()[0]
        change = start_round_in(conn, identity, opened_with=opened, at=at)
        batch = new_batch()
        carried: carry.Carried | None = None
        closed: tuple[int, ...] = ()
        if key == KEEP:
            # The same tables as before: groups already made for the round close first.
            closed = carry.clear_round(conn, change.round_id, identity, batch, at)
            carried = carry.carry_groups(conn, before, change.round_id, identity, batch, at)
        elif key == OPEN:
            closed = carry.clear_round(conn, change.round_id, identity, batch, at)
        return change, batch, carried, closed, at

    change, batch, carried, closed, at = store.transact(body)
    started = get_round(store, change.round_id)
    wrote = carried is not None or bool(closed)

    def undo() -> str:
        if not wrote:
            back = undo_round_change(store, change)
        else:
            def undo_body(conn):  # type: ignore[no-untyped-def]
                undo_round_in(conn, change)
                if carried is not None:
                    carry.uncarry_goals(conn, carried.goals)
                undo_batch_in(conn, identity, batch, reopen=tuple((g, at) for g in closed))

            store.transact(undo_body)
            back = get_round(store, change.round_id)
        return f"{back.name} is planned again."

    said = f"{started.name} started."
    if carried is not None:
        goals = (f", with {count_of(len(carried.goals), 'goal')} kept as the groups agreed"
                 if carried.goals else "")
        said = (f"{started.name} started with the {count_of(carried.groups, 'group')} kept"
                f"{goals}.")
    elif key == OPEN:
        said = f"{started.name} started: open space, nobody grouped yet."
    elif key == SUGGEST:
        said = f"{started.name} started with the groups made for it."
    return said, Change(f"starting {started.name}", undo)


def end_running_round(store: SessionStore) -> tuple[str, Change | None]:
    """End the running round: a sentence and its undo (None: nothing was running)."""
    change = end_round_change(store)
    if change is None:
        return "No round is running.", None
    ended = get_round(store, change.round_id)

    def undo() -> str:
        back = undo_round_change(store, change)
        return f"{back.name} runs again."

    return (f"{ended.name} ended; entries from now on are 'between rounds'.",
            Change(f"ending {ended.name}", undo))


def take_round_step(store: SessionStore, step: RoundStep, key: str) -> tuple[str, Change | None]:
    """Do what the facilitator chose in the round dialog (a key of step.choices)."""
    if key == END:
        return end_running_round(store)
    return start_next_round(store, key)


def opened_with(store: SessionStore, round_id: int | None) -> str:
    """How the groups screen says what a round opened with ("" if not recorded)."""
    if round_id is None:
        return ""
    return OPENED_WITH.get(get_round(store, round_id).opened_with or "", "")

"""The tally screen: log turns with one code per speaker, explicit entries, whole-group
states; live tallies, talk share, equity, who has not spoken, mutual pairs, a feed.

Thin: counting lives in facilitator.analysis.tallies, turn logic in
facilitator.models.turns, logging in facilitator.models.interactions. Typing is in
tally_entry.py; the observed group, counts and round (with the bar) in tally_scope.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.keys import _character_to_key

from facilitator.analysis.tallies import TallyBoard, summarise
from facilitator.models.codebook import codebook
from facilitator.models.groups import Group, groups_of_round
from facilitator.models.interactions import log_interaction, restore_interaction, void_interaction
from facilitator.models.records import Interaction, Kind, Participant, Round
from facilitator.models.roster import participants
from facilitator.models.rounds import current_round
from facilitator.models.store import SessionError, SessionStore
from facilitator.models.turns import TurnKey, TurnTracker, last_speaker
from facilitator.screens.base import SessionScreen
from facilitator.screens.tally_entry import READ_ONLY, Draft, NoteInput, TallyEntryMixin
from facilitator.screens.tally_scope import TallyScopeMixin
from facilitator.widgets.tally_cards import Card, TallyCards
from facilitator.widgets.tally_panels import (
    EquityPanel, FeedLine, FeedPanel, NotSpokenPanel, PairsPanel, PromptLine, TallyBar)

#: Keys the screen or the app already use: a codebook key among them is not bound.
RESERVED_KEYS = set("/[]<> ?12345")
FEED_LINES = 20

TALLY_HELP = """\
Turn mode (the default): type a participant's full code; it logs a turn addressed to
the previous speaker. Codes are never shortened here, so a code typed fast can never
log two people; Enter is needed only where one code starts another (an / ann).

Explicit mode: / then who, kind, to whom (space: the whole group), optional note, Enter.
Here the first letters of a code are enough as soon as no one else in the observed
group has a code starting with them, so "/ a a b Enter" logs "Ana asked Bob". Typing
the full code anyway works too: its remaining letters are skipped ("/ al a bs Enter"),
also when such a letter is a kind key (Ben, bc: "/ b c" still asks for the kind) or
starts the note (the note field says so). The name shows in the prompt line as soon
as it is picked."""


@dataclass(frozen=True)
class UndoStep:
    entry_id: int
    turn_key: TurnKey
    previous_before: int | None  # the turn chain before this entry, restored on undo


class TallyScreen(TallyScopeMixin, TallyEntryMixin, SessionScreen):
    """Type a speaker's code to log a turn addressed to the previous speaker."""

    SCREEN_NAME = "tally"
    CSS_PATH = "../styles/tally.tcss"
    HELP = TALLY_HELP  # shown under the keys by `?`
    BINDINGS = [
        Binding("slash", "explicit", "Explicit entry", id="tally.explicit"),
        Binding("space", "pause", "Pause", id="tally.pause"),
        Binding("enter", "enter", "Take code", id="tally.enter", show=False),
        Binding("escape", "cancel", "Cancel", id="tally.cancel", show=False),
        Binding("backspace", "backspace", "Delete letter", id="tally.backspace", show=False),
        Binding("ctrl+z", "undo", "Undo", id="tally.undo"),
        Binding("ctrl+y", "redo", "Redo", id="tally.redo"),
        Binding("left_square_bracket", "group(-1)", "Prev group", id="tally.prev_group"),
        Binding("right_square_bracket", "group(1)", "Next group", id="tally.next_group"),
        Binding("ctrl+r", "round", "Start/end round", id="tally.round"),
        Binding("R", "counts_scope", "Round/all counts", id="tally.counts"),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.board: TallyBoard | None = None
        self.kinds: list[Kind] = []
        self.turn: Kind | None = None
        self.people: dict[int, Participant] = {}
        self.by_code: dict[str, Participant] = {}
        self.round: Round | None = None
        self.groups: list[Group] = []
        self.observed: int | None = None  # a group id; None: the whole session
        self.this_round_only = False  # whole-session view: count this round, or all rounds
        self.tracker = TurnTracker()
        self.typed = ""
        self.swallow = ""  # the rest of a code picked by its first letters (explicit mode)
        self.draft: Draft | None = None
        self.undo_stack: list[UndoStep] = []
        self.redo_stack: list[UndoStep] = []
        self.mine: set[int] = set()
        self.message, self.message_error = "", False
        self._own_write = False
        self._alerted_round: int | None = None

    def compose(self) -> ComposeResult:
        yield TallyBar(id="tally-bar")
        with Horizontal(id="tally-body"):
            with VerticalScroll(id="tally-left"):
                yield TallyCards(id="tally-cards")
            with Vertical(id="tally-right"):
                yield EquityPanel(id="tally-equity")
                yield NotSpokenPanel(id="tally-not-spoken")
                yield PairsPanel(id="tally-pairs")
                yield FeedPanel(id="tally-feed")
        yield NoteInput(placeholder="note (optional): Enter logs, Escape cancels",
                        id="tally-note")
        yield PromptLine(id="tally-prompt")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self.tick)

    # ---------------------------------------------------------------- loading
    def refresh_data(self) -> None:
        if self.board is None:
            self.load_context()
            self.board = TallyBoard.from_store(self.store)
            self.bind_group_states()
            changed: list[Interaction] = []
        elif self._own_write:
            # Our own commit: the board already has it; only pick up anything new.
            self._own_write = False
            changed = self.board.sync(self.store, check_voids=False)
            if not changed:
                return
        else:
            self.load_context()
            changed = self.board.sync(self.store)
        for entry in changed:
            self.follow(entry)
        self.render_all()

    def load_context(self) -> None:
        """Codebook, roster, round and groups: small tables, read whole."""
        self.kinds = codebook(self.store)
        self.turn = next((k for k in self.kinds if k.is_turn),
                         next((k for k in self.kinds if k.scope == "pair"), None))
        everyone = participants(self.store)
        self.people = {p.id: p for p in everyone}
        self.by_code = {p.code: p for p in everyone}
        self.round = current_round(self.store)
        self.groups = groups_of_round(self.store, self.round.id if self.round else None)
        if self.observed is not None and self.observed not in {g.id for g in self.groups}:
            self.observed = None

    def bind_group_states(self) -> None:
        """One key per whole-group state, read from the codebook (shown in the footer)."""
        for kind in self.kinds:
            if kind.scope == "group" and len(kind.key) == 1 and not kind.key.isalnum() \
                    and kind.key not in RESERVED_KEYS:
                self._bindings.bind(_character_to_key(kind.key), f"group_state({kind.name!r})",
                                    kind.label)
        self.refresh_bindings()

    def follow(self, entry: Interaction) -> None:
        """Someone else logged in the group we observe: continue their turn chain."""
        if entry.id in self.mine or entry.voided_at or self.round_id != entry.round_id:
            return
        if self.observed is None or entry.group_id == self.observed:
            self.tracker.observe(entry, self.turn_key())

    # ---------------------------------------------------------------- the view
    def turn_key(self) -> TurnKey:
        return (self.round_id, self.observed)

    def shown_people(self) -> list[Participant]:
        group = self.observed_group()
        people = [p for p in self.people.values() if p.present
                  and (group is None or p.id in group.member_ids)]
        return sorted(people, key=lambda p: p.name.lower())

    def previous_speaker(self) -> int | None:
        key = self.turn_key()
        if not self.tracker.known(key):
            self.tracker.set(key, last_speaker(self.store, self.round_id, self.observed,
                                               any_group=self.observed is None))
        return self.tracker.get(key)

    # ---------------------------------------------------------------- drawing
    def render_all(self) -> None:
        if self.board is None:
            return
        shown = self.shown_people()
        tally = self.shown_tally()
        summary = summarise(tally, [p.id for p in shown], self.board.rounds[self.round_id])
        top = max(summary.rows, key=lambda r: r.spoke, default=None)
        biggest = top.spoke if top and top.spoke > 0 else 1
        silent = set(summary.not_spoken)
        speaking = self.previous_speaker()
        keys = {k.name: k.key for k in self.kinds}
        cards = [Card(p.code, p.name, row.spoke, row.addressed, row.share,
                      max(row.spoke, 0) / biggest,
                      " ".join(f"{keys.get(k, k)}{n}" for k, n in sorted(row.by_kind.items())
                               if self.turn is None or k != self.turn.name),
                      p.id in silent, p.id == speaking)
                 for p, row in zip(shown, summary.rows)]
        group = self.observed_group()
        self.query_one(TallyCards).show(
            cards, "Nobody present in this group: add members on the groups screen (2)."
            if group else "Nobody present: add people on the roster screen (1).")
        top_text = (f"Top voice: {self.people[top.participant_id].name} {top.share:.0%}"
                    if top and top.spoke > 0 else "")
        labels = {k.name: k.label for k in self.kinds}
        states = " · ".join(f"{labels.get(k, k)} {n}" for k, n in summary.states.items())
        self.query_one(EquityPanel).show(summary.gini, summary.reading, top_text, states)
        self.query_one(NotSpokenPanel).show([self.people[p].name for p in summary.not_spoken],
                                            bool(shown))
        self.query_one(PairsPanel).show([(self.people[m.a].name, self.people[m.b].name,
                                          m.a_to_b, m.b_to_a) for m in summary.mutual])
        self.render_feed()
        self.render_bar()
        self.render_prompt()

    def render_feed(self) -> None:
        assert self.board is not None
        labels = {k.name: k.label for k in self.kinds}

        def name(pid: int | None) -> str:
            person = self.people.get(pid) if pid is not None else None
            return short_name(person.name) if person else ""

        self.query_one(FeedPanel).show([FeedLine(
            _local_time(e.at), name(e.source_id), name(e.target_id), labels.get(e.kind, e.kind),
            e.logged_by or "", e.note or "", e.voided_at is not None, e.id in self.mine)
            for e in self.board.recent(FEED_LINES)])

    def render_prompt(self) -> None:
        draft = self.draft
        mode, typed = "turn", self.typed
        if draft is None:
            states = "  ".join(f"{k.key} {k.label}" for k in self.kinds if k.scope == "group")
            keys = f"full code = turn · space pause · / explicit · {states}"
            if self.store.read_only:
                keys = "read-only: nothing can be logged · [ ] switch group · R counts"
        else:
            mode = "explicit"
            # Names as they resolve, so a one-letter pick is visibly the right person.
            parts = [f"{draft.source.code} {draft.source.name}" if draft.source else "",
                     draft.kind.name if draft.kind else "",
                     f"{draft.target.code} {draft.target.name}" if draft.target
                     else "the group" if draft.step == "note" else ""]
            typed = " · ".join(x for x in parts if x)
            typed = f"{typed} · {self.typed}" if typed and self.typed else typed or self.typed
            if draft.step == "source":
                keys = "who: first letters of a code are enough · Escape cancels"
            elif draft.step == "kind":
                keys = "kind: " + "  ".join(f"{k.key} {k.name}" for k in self.kinds
                                            if k.scope == "pair") + "  · Enter = turn"
            elif draft.step == "target":
                keys = "to whom: first letters, or space for the whole group · Escape cancels"
            else:
                keys = "note (optional) · Enter logs · Escape cancels"
        self.query_one(PromptLine).show(mode, typed, keys, self.message, self.message_error)

    def hint(self, message: str, *, error: bool = False) -> None:
        """Inline, in the prompt line: no toast piling up while typing fast."""
        self.message, self.message_error = message, error
        self.render_prompt()

    def on_paste(self, event: events.Paste) -> None:
        """A paste is never a run of codes: logging from the clipboard could put
        anything in the log. (The note field takes pastes itself.)"""
        event.stop()
        self.hint("Pasted text is ignored here; type the codes.", error=True)

    # ---------------------------------------------------------------- writing
    def commit(self, kind: Kind, source: Participant | None, target: Participant | None,
               note: str | None = None) -> None:
        """Log through the one core function, then update the board in memory."""
        assert self.board is not None
        key = self.turn_key()
        before = self.previous_speaker()
        try:
            entry = log_interaction(self.store, kind, source, target, group_id=self.group_for(source),
                                    round_id=self.round_id, note=note)
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self.mine.add(entry.id)
        self.board.apply(entry)
        self.tracker.observe(entry, key)
        self.undo_stack.append(UndoStep(entry.id, key, before))
        self.redo_stack.clear()
        self.message = ""
        self.render_all()
        self._own_write = True
        self.written()

    def action_group_state(self, name: str) -> None:
        if self.store.read_only:
            self.hint(READ_ONLY, error=True)
            return
        kind = next((k for k in self.kinds if k.name == name), None)
        if kind is not None:
            self.typed, self.draft, self.swallow = "", None, ""
            self.commit(kind, None, None)

    def action_pause(self) -> None:
        """Space: a pause in turn mode; "the whole group" when an explicit entry asks
        to whom."""
        if self.draft is not None:
            if self.draft.step == "target" and not self.typed:
                self.open_note()
            return
        self.typed = ""
        self.tracker.pause(self.turn_key())
        self.render_all()
        self.hint("Pause: the next turn addresses the whole group.")

    def action_undo(self) -> None:
        """Void this screen's last entry (it stays in the feed, struck through)."""
        self.step_undo(self.undo_stack, self.redo_stack, void_interaction, "undo", "Undone")

    def action_redo(self) -> None:
        self.step_undo(self.redo_stack, self.undo_stack, restore_interaction, "redo", "Redone")

    def step_undo(self, source: list[UndoStep], dest: list[UndoStep],
                  change: Callable[[SessionStore, int], Interaction], what: str,
                  verb: str) -> None:
        if not source:
            self.hint(f"Nothing to {what} here.")
            return
        assert self.board is not None
        step = source.pop()
        try:
            entry = change(self.store, step.entry_id)
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self.board.apply(entry)
        self.tracker.set(step.turn_key, step.previous_before if entry.voided_at else entry.source_id)
        dest.append(step)
        self.render_all()
        self.hint(f"{verb}: entry #{entry.id}.")
        self._own_write = True
        self.written()


def _local_time(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%H:%M")
    except ValueError:
        return at[:5]


def short_name(name: str) -> str:
    """'Cleo Diaz' -> 'Cleo D.': the feed is narrow, and first names alone collide."""
    words = name.split()
    return f"{words[0]} {words[-1][0]}." if len(words) > 1 else name

"""The tally screen: log turns with one code per speaker, explicit entries, whole-group
states; live tallies, talk share, equity, who has not spoken, mutual pairs, a feed.

Thin wiring: the keys are the prompt widget's (its state machine is
facilitator.core.tally_keys); what the view holds and how an entry is logged is
facilitator.core.tally (LiveTally); counting is facilitator.analysis.tallies. The
screen writes only through SessionScreen.write, and draws only what it read from
the file."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.keys import _character_to_key

from facilitator.analysis.tallies import WHOLE_SESSION, Tally, group_scope, round_scope, summarise
from facilitator.core.tally import LiveTally
from facilitator.core.tally_keys import GroupState
from facilitator.models.groups import Group
from facilitator.models.records import Participant
from facilitator.models.store import SessionError, SessionStore, store_error
from facilitator.screens.base import SessionScreen
from facilitator.widgets.tally_cards import BAR_WIDTH, Card, TallyCards, no_card
from facilitator.widgets.tally_panels import (
    EquityPanel, FeedHeading, FeedLine, FeedPanel, NotSpokenPanel, PairsPanel, TallyBar)
from facilitator.widgets.tally_prompt import TallyPrompt, key_token

FEED_LINES = 20
#: How soon counting the board is tried again after it failed.
LOAD_RETRY_SECONDS = 1.0
#: How often the screen looks whether the opening thread has counted the board.
AHEAD_POLL_SECONDS = 0.02
BETWEEN_ROUNDS = "between rounds"

TALLY_HELP = """\
Turn mode (the default): type a participant's full code; it logs a turn addressed to
the previous speaker (in the whole-session view only when both sit in the same group
this round; otherwise to the whole group). Codes are never shortened here, so a code
typed fast can never log two people; Enter is needed only where one code starts
another (an / ann).

Explicit mode: / then who, kind, to whom (space: the whole group), optional note, Enter.
Here the first letters of a code are enough as soon as no one else in the observed
group has a code starting with them, so "/ a a b Enter" logs "Ana asked Bob". Typing
the full code anyway works too: its remaining letters are skipped ("/ al a bs Enter"),
also when such a letter is a kind key (Ben, bc: "/ b c" still asks for the kind) or
starts the note; the prompt says which way it read the letter. The name shows in the
prompt line as soon as it is picked.

ctrl+z undoes your own last entry (or round change), unless someone else undid or
brought it back since; ctrl+y redoes. ctrl+e lists the recent entries: pick any
one, however far back, to undo it, bring it back (v) or correct its kind, people
or note (Enter): the old entry is undone and the corrected one logged in its place,
with who and when. ctrl+r starts or ends a round for everyone,
after a confirmation; entries typed while no round runs are 'between rounds'."""


class TallyScreen(SessionScreen):
    """Type a speaker's code to log a turn addressed to the previous speaker."""

    SCREEN_NAME = "tally"
    WRITES = SessionScreen.WRITES | {"key('/')", "group_state"}
    CSS_PATH = "../styles/tally.tcss"
    HELP = TALLY_HELP  # shown under the keys by `?`
    AUTO_FOCUS = "#tally-prompt"
    # The prompt takes these keys itself, in the order typed; the bindings name them
    # for the footer, the help screen and the command palette (which sends them on).
    BINDINGS = [
        Binding("slash", "key('/')", "Explicit entry", id="tally.explicit"),
        Binding("space", "key(' ')", "Pause", id="tally.pause"),
        Binding("enter", "key('enter')", "Take code", id="tally.enter", show=False),
        Binding("escape", "key('escape')", "Cancel", id="tally.cancel", show=False),
        Binding("backspace", "key('backspace')", "Delete letter", id="tally.backspace",
                show=False),
        Binding("ctrl+z", "undo", "Undo", id="tally.undo"),
        Binding("ctrl+y", "redo", "Redo", id="tally.redo"),
        # Priority: the list opens at the key's place in a burst (keys after it are its).
        Binding("ctrl+e", "entries", "Fix entries", id="tally.entries", priority=True),
        Binding("left_square_bracket", "key('[')", "Prev group", id="tally.prev_group"),
        Binding("right_square_bracket", "key(']')", "Next group", id="tally.next_group"),
        Binding("ctrl+r", "round", "Start/end round", id="tally.round"),
        Binding("R", "counts_scope", "Round/all counts", id="tally.counts"),
    ]

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.live = LiveTally(store)
        self.this_round_only = False
        """Whole-session view: count this round only (R), or all rounds."""
        self._states_bound = False
        #: The file's write counts when the prompt was configured and the view drawn.
        self._configured: dict[str, int] = {}
        #: The board's version and the write counts last drawn.
        self._drawn: tuple[object, ...] = ()
        #: Remembered between keystrokes (each keyed by what it is made from).
        self._kinds_texts: dict[tuple[tuple[str, int], ...], str] = {}
        self._shown: tuple[object, list[Participant]] = (None, [])
        self._feed_lines: dict[tuple[object, ...], FeedLine] = {}
        # The widgets, kept as made: render_all reaches each after every keystroke.
        self._bar, self._cards = TallyBar(id="tally-bar"), TallyCards(id="tally-cards")
        self._equity = EquityPanel(id="tally-equity")
        self._not_spoken = NotSpokenPanel(id="tally-not-spoken")
        self._pairs, self._feed = PairsPanel(id="tally-pairs"), FeedPanel(id="tally-feed")
        self._prompt = TallyPrompt(id="tally-prompt")

    def compose(self) -> ComposeResult:
        yield self._bar
        with Horizontal(id="tally-body"):
            with VerticalScroll(id="tally-left", can_focus=False):
                yield self._cards
            with Vertical(id="tally-right"):
                yield self._equity
                yield self._not_spoken
                yield self._pairs
                yield self._feed
        yield self._prompt

    @property
    def prompt(self) -> TallyPrompt:
        return self._prompt

    # ---------------------------------------------------------------- from the file
    def refresh_data(self) -> None:
        """Everything shown is what was read from the file, after anyone's commit
        (ours included: the app calls this after every Written). Only what changed
        is read: the small tables whose write count moved, the log's new and changed
        entries. The board is started once the screen is painted (load_board): the
        first frame never waits for the log, however long."""
        live = self.live
        live.refresh(load=False)
        if live.board is None and not self.take_counted_ahead():
            self.call_after_refresh(self.load_board)
        if self._configured != live.counts or not self._configured:
            self._configured = dict(live.counts)
            self._kinds_texts.clear()
            self._feed_lines.clear()
            self.prompt.configure(list(live.people.values()), live.kinds, live.turn,
                                  live.groups, self.store.read_only)
        if not self._states_bound:  # after configure: the prompt knows the codebook then
            self.bind_group_states()
        drawn = (live.board.version if live.board else None, dict(live.counts))
        if live.board is None or self._drawn != drawn:
            self.render_all()

    def written(self) -> None:
        """After our own write: read it back at once, so the keystroke and what it
        changed reach the terminal in one frame (the app then only updates the
        header)."""
        self.refresh_data()
        super().written(refreshed=True)

    def take_counted_ahead(self) -> bool:
        """Start the board from the counts the opening thread made (core.opening),
        if they are ready: then the first frame shows counts. Taken once."""
        opening = getattr(self.app, "opening", None)
        ahead = opening.counted_if_ready() if opening is not None else None
        if ahead is None:
            return False
        self.app.opening = None  # type: ignore[attr-defined]
        live = self.live
        live.start_from(ahead)
        live.refresh(load=False)  # to the file's moment now (or dropped, if stale)
        return live.board is not None

    def load_board(self) -> None:
        """Start the board and count the scopes on view: a few GROUP BYs on an
        index (models.aggregates), not a read of the log, so it runs here, after the
        first frame, in one snapshot with the board's moment. While the opening
        thread is still counting them, wait for it (the screen says it is reading)."""
        live = self.live
        if live.board is not None or not self.is_mounted or not self.query(TallyPrompt):
            return
        opening = getattr(self.app, "opening", None)
        if opening is not None and not opening.counted.done():
            self.set_timer(AHEAD_POLL_SECONDS, self.load_board)
            return
        if not self.take_counted_ahead():
            try:
                live.load([self.shown_scope(), round_scope(live.round_id)])
            except (SessionError, sqlite3.Error) as error:
                # Said in the prompt line (never a traceback); the board stays unstarted
                # and is tried again in a second (or at the next change of the file).
                live.board = None
                self.hint(str(store_error(self.store.path, error) or error)
                          if isinstance(error, sqlite3.Error) else str(error), error=True)
                self.set_timer(LOAD_RETRY_SECONDS, self.load_board)
                return
        self.render_all()

    def bind_group_states(self) -> None:
        """One key per whole-group state, read from the codebook (shown in the footer)."""
        self._states_bound = True
        for key, kind in self.prompt.keys.state_keys().items():
            self._bindings.bind(_character_to_key(key), f"group_state({kind.name!r})", kind.label)
        self.refresh_bindings()

    # ---------------------------------------------------------------- messages up
    @on(TallyPrompt.LogEntry)
    def log_entry(self, message: TallyPrompt.LogEntry) -> None:
        message.stop()
        self.write(lambda: self.live.log(message.entry))
        self.prompt.draw()  # with the counts, in one frame (see LogEntry)

    @on(TallyPrompt.Paused)
    def paused(self, message: TallyPrompt.Paused) -> None:
        message.stop()
        self.live.pause(message.group_id)
        self.render_all()

    @on(TallyPrompt.Observed)
    def observed(self, message: TallyPrompt.Observed) -> None:
        message.stop()
        self.render_all()

    @on(TallyPrompt.Commanded)
    def commanded(self, message: TallyPrompt.Commanded) -> None:
        message.stop()
        if message.name == "undo":
            self.action_undo()
        elif message.name == "redo":
            self.action_redo()

    def on_key(self, event: events.Key) -> None:
        """A key that reached the screen while the prompt did not have the focus (a
        click elsewhere, a modal just closed): the prompt handles it all the same."""
        prompt = self.prompt
        if self.focused is not prompt and prompt.press_key(key_token(event)):
            event.stop()
            event.prevent_default()
            prompt.focus()

    # ---------------------------------------------------------------- actions
    def action_key(self, key: str) -> None:
        """A binding run from the command palette: the key goes through the prompt."""
        self.prompt.press_key(key)

    def action_entries(self) -> None:
        """Browse the recent entries: undo, bring back or correct any of them."""
        from facilitator.screens.entries import EntriesScreen

        self.app.push_screen(EntriesScreen(self))

    def action_group_state(self, name: str) -> None:
        kind = next((k for k in self.live.kinds if k.name == name), None)
        if kind is not None:
            entry = GroupState(kind, self.prompt.observed)
            self.write(lambda: self.live.log(entry))

    def action_counts_scope(self) -> None:
        """Whole-session view: counts of this round only, or of all rounds."""
        if self.prompt.observed is not None:
            self.hint("A group's counts are its own round's; R switches the whole-session view.")
            return
        self.this_round_only = not self.this_round_only
        self.render_all()
        self.hint("Counting this round only." if self.this_round_only
                  else "Counting all rounds of the session.")

    def hint(self, message: str, *, error: bool = False) -> None:
        """Inline, in the prompt line: no toast piling up while typing fast."""
        if self.is_mounted:
            self.prompt.say(message, error)

    # ---------------------------------------------------------------- the view
    def observed_group(self) -> Group | None:
        observed = self.prompt.observed
        return next((g for g in self.live.groups if g.id == observed), None)

    def shown_people(self) -> list[Participant]:
        """Present people (of the observed group), by name; worked out again only when
        the roster, the groups or the observed group changed."""
        key = (self.prompt.observed, tuple(sorted(self.live.counts.items())))
        if self._shown[0] != key:
            group = self.observed_group()
            people = [p for p in self.live.people.values() if p.present
                      and (group is None or p.id in group.member_ids)]
            self._shown = (key, sorted(people, key=lambda p: p.name.lower()))
        return self._shown[1]

    def shown_scope(self) -> tuple[str, int | None]:
        """A group's entries (its groups belong to one round), or the whole
        session's: all rounds, or this round only (R switches)."""
        observed = self.prompt.observed
        if observed is None:
            return round_scope(self.live.round_id) if self.this_round_only else WHOLE_SESSION
        return group_scope(observed)

    def shown_tally(self) -> Tally:
        return self.live.tally(self.shown_scope())

    # ---------------------------------------------------------------- drawing
    def render_all(self) -> None:
        live = self.live
        if not self.is_mounted:
            return
        if live.board is None:  # the log is being read: say so, draw nothing made up
            self._cards.show(0, no_card, "Reading the session's log…")
            for panel in (self._equity, self._not_spoken, self._pairs, self._feed):
                panel.wait()
            self.render_bar()
            return
        shown = self.shown_people()
        summary = summarise(self.shown_tally(), [p.id for p in shown],
                            live.tally(round_scope(live.round_id)))
        index = summary.top()
        top = summary.row(index) if index is not None else None
        biggest = top.spoke if top and top.spoke > 0 else 1
        silent = set(summary.not_spoken)
        speaking = live.previous_speaker(self.prompt.observed)

        def card_at(i: int) -> Card:  # made only for the cards in view
            person, row = shown[i], summary.row(i)
            return Card(person.code, person.name, row.spoke, row.addressed,
                        round(row.share * 100), round(max(row.spoke, 0) / biggest * BAR_WIDTH),
                        self.kinds_text(row.by_kind), person.id in silent, person.id == speaking)

        group = self.observed_group()
        self._cards.show(
            len(shown), card_at, "Nobody present in this group: add members on the groups"
            " screen (2)." if group else "Nobody present: add people on the roster screen (1).")
        top_text = (f"Top voice: {live.people[top.participant_id].name} {top.share:.0%}"
                    if top and top.spoke > 0 else "")
        labels = {k.name: k.label for k in live.kinds}
        states = " · ".join(f"{labels.get(k, k)} {n}" for k, n in summary.states.items())
        self._equity.show(summary.gini, summary.reading, top_text, states)
        self._not_spoken.show(
            [live.people[p].name for p in summary.not_spoken], bool(shown))
        self._pairs.show([(live.people[m.a].name, live.people[m.b].name, m.a_to_b, m.b_to_a)
                          for m in summary.mutual])
        self.render_feed()
        self.render_bar()
        self._drawn = (live.board.version, dict(live.counts))

    def kinds_text(self, by_kind: dict[str, int]) -> str:
        """"a2 n1": a card's non-turn kinds by codebook key (remembered: a keystroke
        changes one or two people's)."""
        key = tuple(by_kind.items())
        text = self._kinds_texts.get(key)
        if text is None:
            if len(self._kinds_texts) > 4096:
                self._kinds_texts.clear()
            live = self.live
            keys = {k.name: k.key for k in live.kinds}
            turn = live.turn.name if live.turn else None
            text = self._kinds_texts[key] = " ".join(
                f"{keys.get(k, k)}{n}" for k, n in sorted(by_kind.items()) if n and k != turn)
        return text

    def render_feed(self) -> None:
        live = self.live
        labels = {k.name: k.label for k in live.kinds}
        recent = live.recent(FEED_LINES)
        rounds = {e.round_id for e in recent}
        names = live.round_names
        # Headings only where they tell something: a session with rounds, and more
        # than one round in view or entries between rounds.
        headed = bool(names) and (len(rounds) > 1 or None in rounds)

        def name(pid: int | None) -> str:
            person = live.people.get(pid) if pid is not None else None
            return short_name(person.name) if person else ""

        lines: list[FeedLine | FeedHeading] = []
        # The newest run needs no heading when it is the running round (the bar names it).
        running = live.round.id if live.round and live.round.running else None
        above: object = running if running is not None else object()
        for e in recent:
            if headed and e.round_id != above:
                lines.append(FeedHeading(BETWEEN_ROUNDS if e.round_id is None
                                         else names.get(e.round_id, "a round")))
            above = e.round_id
            key = (e.id, e.voided_at)
            line = self._feed_lines.get(key)
            if line is None:
                if len(self._feed_lines) > 4 * FEED_LINES:
                    self._feed_lines.clear()
                line = self._feed_lines[key] = FeedLine(
                    _local_time(e.at), name(e.source_id), name(e.target_id),
                    labels.get(e.kind, e.kind), e.logged_by or "", e.note or "",
                    e.voided_at is not None, e.logged_by == self.store.identity)
            lines.append(line)
        self._feed.show(lines)

    def render_bar(self) -> None:
        live = self.live
        group = self.observed_group()
        choices = [None] + [g.id for g in live.groups]
        observed = self.prompt.observed
        position = f"({choices.index(observed) + 1 if observed in choices else 1}/{len(choices)})"
        # "between rounds" first: at 80 columns the end of the bar is cut off.
        round_text, timer, overtime = f"{BETWEEN_ROUNDS} (ctrl+r starts a round)", "", False
        round_ = live.round
        if round_ is not None:
            if round_.ended_at:
                round_text = f"{BETWEEN_ROUNDS} ({round_.name} ended)"
            else:
                # Its time left is in the header: one timer for the whole app.
                round_text = f"{round_.name} {'' if round_.started_at else 'planned'}".strip()
        entries = self.shown_tally().entries if live.board else None
        counts = "" if group else "this round" if self.this_round_only else "all rounds"
        self._bar.show(group.name if group else "the whole session", position,
                       round_text, timer, overtime, entries, counts)

def _local_time(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%H:%M")
    except ValueError:
        return at[:5]


def short_name(name: str) -> str:
    """'Cleo Diaz' -> 'Cleo D.': the feed is narrow, and first names alone collide."""
    words = name.split()
    return f"{words[0]} {words[-1][0]}." if len(words) > 1 else name

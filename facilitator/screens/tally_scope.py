"""What the tally screen observes: one group of the current round or the whole
session ([ ]), this round's counts or all rounds' (R), the round itself (ctrl+r
starts and ends it) and its countdown in the bar. Kept apart from the drawing
and writing in tally.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitator.models.rounds import end_round, format_remaining, remaining_seconds, start_round
from facilitator.models.store import SessionError
from facilitator.screens.tally_entry import READ_ONLY
from facilitator.widgets.tally_panels import TallyBar

if TYPE_CHECKING:
    from textual.app import App

    from facilitator.analysis.tallies import Tally, TallyBoard
    from facilitator.models.groups import Group
    from facilitator.models.records import Participant, Round
    from facilitator.models.store import SessionStore
    from facilitator.screens.tally_entry import Draft


class TallyScopeMixin:
    """Group, counts and round of TallyScreen, and the bar that shows them."""

    if TYPE_CHECKING:  # provided by TallyScreen
        board: TallyBoard | None
        round: Round | None
        groups: list[Group]
        observed: int | None
        this_round_only: bool
        typed: str
        swallow: str
        draft: Draft | None
        _alerted_round: int | None

        def query_one(self, selector: type[TallyBar]) -> TallyBar: ...
        def hint(self, message: str, *, error: bool = False) -> None: ...
        def written(self) -> None: ...
        def load_context(self) -> None: ...
        def render_all(self) -> None: ...
        @property
        def store(self) -> SessionStore: ...
        @property
        def app(self) -> App[object]: ...
        @property
        def is_current(self) -> bool: ...

    @property
    def round_id(self) -> int | None:
        return self.round.id if self.round else None

    def observed_group(self) -> Group | None:
        return next((g for g in self.groups if g.id == self.observed), None)

    def shown_tally(self) -> Tally:
        """A group's tally (its groups belong to one round), or the whole session's:
        all rounds, or this round only (R switches)."""
        assert self.board is not None
        if self.observed is None and self.this_round_only:
            return self.board.rounds[self.round_id]
        return self.board.tally(self.observed, whole_session=self.observed is None)

    def group_for(self, person: Participant | None) -> int | None:
        """Entries carry the observed group; in the whole-session view, the source's group."""
        if self.observed is not None or person is None:
            return self.observed
        return next((g.id for g in self.groups if person.id in g.member_ids), None)

    def render_bar(self) -> None:
        group = self.observed_group()
        choices = [None] + [g.id for g in self.groups]
        position = f"({choices.index(self.observed) + 1}/{len(choices)})"
        round_text, timer, overtime = "no round started: ctrl+r starts one", "", False
        if self.round is not None:
            left = remaining_seconds(self.round)
            state = "ended" if self.round.ended_at else ("" if self.round.started_at else "planned")
            round_text = f"{self.round.name} {state}".strip()
            timer = format_remaining(left)
            overtime = left is not None and left < 0
        entries = self.shown_tally().entries if self.board else 0
        counts = "" if group else "this round" if self.this_round_only else "all rounds"
        self.query_one(TallyBar).show(group.name if group else "the whole session", position,
                                      round_text, timer, overtime, entries, counts)

    def tick(self) -> None:
        """Once a second: the countdown (from the file's round), and one alert when
        time is up."""
        if not self.is_current:
            return
        self.render_bar()
        left = remaining_seconds(self.round) if self.round else None
        if self.round and left is not None and left <= 0 and self._alerted_round != self.round.id:
            self._alerted_round = self.round.id
            self.app.notify(f"Time is up for {self.round.name}.", title="Timer", markup=False)

    # ---------------------------------------------------------------- switching
    def action_group(self, step: int) -> None:
        choices = [None] + [g.id for g in self.groups]
        index = choices.index(self.observed) if self.observed in choices else 0
        self.observed = choices[(index + step) % len(choices)]
        self.typed, self.draft, self.swallow = "", None, ""
        group = self.observed_group()
        self.render_all()
        self.hint(f"Observing {group.name if group else 'the whole session'}.")

    def action_counts_scope(self) -> None:
        """Whole-session view: counts of this round only, or of all rounds."""
        if self.observed is not None:
            self.hint("A group's counts are its own round's; R switches the whole-session view.")
            return
        self.this_round_only = not self.this_round_only
        self.render_all()
        self.hint("Counting this round only." if self.this_round_only
                  else "Counting all rounds of the session.")

    def action_round(self) -> None:
        if self.store.read_only:
            self.hint(READ_ONLY, error=True)
            return
        try:
            if self.round is not None and self.round.started_at and not self.round.ended_at:
                ended = end_round(self.store)
                message = f"{ended.name if ended else 'The round'} ended."
            else:
                started = start_round(self.store)
                message = f"{started.name} started."
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self.load_context()
        self.render_all()
        self.hint(message)
        self.written()

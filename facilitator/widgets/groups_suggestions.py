"""The suggestions panel of the groups screen: the keep-together / keep-apart
rules, and two proposals side by side, formed in a thread worker.

It owns what the proposals are formed with (size, reshuffle seed, the method on
the right) and what came back; the screen hands it what it read from the file
(ProposalInputs, the rules, the people) and asks it for a side to apply. It
never reads or writes the file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from facilitator.models.records import Participant
from facilitator.models.store import SessionError
from facilitator.widgets.groups_proposal import ProposalPanel

#: The method shown on the right of the panel cycles through these.
SECOND_METHODS = ("random", "mixed")


@dataclass
class ProposalsReady(Message):
    """A worker formed the proposals of request number `generation`."""

    generation: int
    results: dict[str, object]  # side -> Proposal, or the sentence saying why not


class SuggestionsPanel(Vertical):
    """Rules on top, the new-ties proposal on the left, random or mixed on the right."""

    @dataclass
    class Failed(Message):
        """Forming the proposals raised (the panel says so in both halves)."""

        event: Worker.StateChanged

    def __init__(self, *, id: str | None = None, group_size: int = 4) -> None:
        super().__init__(id=id)
        #: The size the proposals aim at (+ and - change it).
        self.group_size = group_size
        #: Reshuffles (e) form other proposals of the same kind.
        self.seed = 0
        #: The method on the right (t cycles it).
        self.second = SECOND_METHODS[0]
        #: side -> the Proposal shown, or the sentence why there is none; empty
        #: while the worker forms them.
        self.proposals: dict[str, object] = {}
        self._inputs: object = None
        self._people: Mapping[int, Participant] = {}
        self._asked: tuple[object, ...] | None = None  # what the shown ones were formed from
        self._generation = 0  # numbers each request, so a stale answer is dropped

    def compose(self) -> ComposeResult:
        yield Static("", id="rules")
        with Horizontal(id="proposals"):
            yield ProposalPanel(id="proposal-left")
            yield ProposalPanel(id="proposal-right")

    # ------------------------------------------------------------------ down from the screen
    def show_rules(self, together: Sequence[tuple[int, int]] | str,
                   apart: Sequence[tuple[int, int]] | str,
                   people: Mapping[int, Participant]) -> None:
        """The pairs every proposal respects (or the sentence why they cannot be read)."""
        text = Text()
        for label, pairs in (("Together: ", together), ("  Apart: ", apart)):
            text.append(label, style="bold")
            if isinstance(pairs, str):
                text.append(pairs)
                continue
            for index, pair in enumerate(pairs):
                text.append(", " if index else "")
                text.append(" + ".join(short_name(people, pid) for pid in pair))
            if not pairs:
                text.append("nobody", style="dim")
        text.append("  (k, d add or remove)", style="dim")
        self.query_one("#rules", Static).update(text)

    def suggest(self, inputs: object, people: Mapping[int, Participant]) -> None:
        """Form proposals from what the screen read (a ProposalInputs, or the
        sentence why there is none); nothing happens if that did not change."""
        self._inputs, self._people = inputs, people
        self._form()

    def forget(self) -> None:
        """The panel closed: the next opening forms the proposals afresh."""
        self._asked = None

    def other_method(self) -> None:
        index = SECOND_METHODS.index(self.second)
        self.second = SECOND_METHODS[(index + 1) % len(SECOND_METHODS)]
        self._form()

    def resize(self, step: int) -> None:
        self.group_size = max(2, min(12, self.group_size + step))
        self._form()

    def reseed(self) -> None:
        self.seed += 1
        self._form()

    def chosen(self, side: str) -> object:
        """The Proposal of that side, or the sentence saying why there is none."""
        if not self.proposals:
            return "Still computing the suggestions; a moment."
        found = self.proposals.get(side)
        return found if found is not None else "No proposal to apply."

    # ------------------------------------------------------------------ forming
    def _form(self) -> None:
        """Form the proposals in a thread worker: the search takes ~0.4 s for
        200 people and must not freeze keys."""
        if isinstance(self._inputs, str) or self._inputs is None:
            said = self._inputs or "Nothing to suggest yet."
            self._show({"left": said, "right": said})
            return
        by = tuple(sorted({k for p in self._people.values() for k in p.tags}))
        methods = (("left", "new-ties"), ("right", self.second))
        request = (self._inputs, methods, self.group_size, self.seed, by)
        if request == self._asked:
            return  # the file changed elsewhere, not in what these proposals use
        self._asked = request
        self._generation += 1
        self.proposals = {}
        for side, method in methods:
            self.query_one(f"#proposal-{side}", ProposalPanel).waiting(method)
        self.run_worker(partial(self._formed, self._generation, *request),
                        name="proposals", group="groups.proposals", thread=True,
                        exclusive=True, exit_on_error=False)

    def _formed(self, generation: int, inputs: object, methods: tuple[tuple[str, str], ...],
                size: int, seed: int, by: tuple[str, ...]) -> None:
        """Runs in a worker thread: pure computation, no store, then a message back."""
        results: dict[str, object] = {}
        for side, method in methods:
            try:
                results[side] = inputs.form(method, size, seed=seed,  # type: ignore[attr-defined]
                                            by=by if method == "mixed" else ())
            except SessionError as error:
                results[side] = str(error)
        self.post_message(ProposalsReady(generation, results))

    @on(ProposalsReady)
    def _ready(self, message: ProposalsReady) -> None:
        message.stop()
        if message.generation == self._generation:  # else a newer request is on its way
            self._show(message.results)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._asked = None  # so the next refresh or key tries again
            error = f"Could not compute the suggestions: {event.worker.error}"
            self._show({"left": error, "right": error})
            # Worker.StateChanged does not bubble: the screen hands it to the app's
            # one failure handler.
            self.post_message(self.Failed(event))

    def _show(self, results: dict[str, object]) -> None:
        self.proposals = results
        for side in ("left", "right"):
            self.query_one(f"#proposal-{side}", ProposalPanel).show(
                results[side], self._people, self.group_size,  # type: ignore[arg-type]
                f"{'a' if side == 'left' else 'b'} applies")


def short_name(people: Mapping[int, Participant], pid: int) -> str:
    """'al Ana': code and first name, as the rules line and hints show a person."""
    person = people.get(pid)
    return f"{person.code} {person.name.split()[0]}" if person else f"#{pid}"

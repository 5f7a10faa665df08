"""The suggestion half of the groups screen: two proposals side by side, formed
in a thread worker, the keep-together / keep-apart rules, and applying one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from facilitator.models import group_plans as plans
from facilitator.models.group_input import read_pair
from facilitator.models.records import Participant
from facilitator.models.rounds import get_round
from facilitator.models.store import SessionError
from facilitator.models.store import SessionStore
from facilitator.screens.base import SessionScreen
from facilitator.widgets.groups_proposal import ProposalPanel


@dataclass
class ProposalsReady(Message):
    """A worker formed the proposals of request number `generation`."""

    generation: int
    results: dict[str, object]  # side -> Proposal, or the sentence saying why not


#: The method shown on the right of the suggestion panel cycles through these.
SECOND_METHODS = ("random", "mixed")


class GroupSuggestions(SessionScreen):
    """Base of GroupsScreen holding its suggestion mode (see groups.py for the rest)."""

    # Provided by GroupsScreen.
    people: dict[int, Participant]
    round_id: int | None
    round_chosen: bool
    ask: Callable[..., None]
    _done: Callable[[str, Callable[[], object]], None]

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.suggesting = False
        self.group_size = 4
        self.seed = 0
        self.second = SECOND_METHODS[0]
        self.proposals: dict[str, object] = {}
        self.asked: tuple[object, ...] | None = None  # what the shown proposals were formed from
        self.generation = 0  # numbers each request, so a stale answer is dropped

    def action_suggest(self) -> None:
        self.suggesting = not self.suggesting
        self.asked = None
        self.set_class(self.suggesting, "suggesting")
        self.refresh_bindings()
        self.refresh_data()

    def _compute_proposals(self) -> None:
        """Read what the proposals need (cheap, here), then form them in a thread
        worker: the search takes ~0.4 s for 200 people and must not freeze keys."""
        by = tuple(sorted({k for p in self.people.values() for k in p.tags}))
        try:
            inputs = plans.proposal_inputs(self.store, self.group_size)
        except SessionError as error:
            self._show_proposals({"left": str(error), "right": str(error)})
            return
        methods = (("left", "new-ties"), ("right", self.second))
        request = (inputs, methods, self.group_size, self.seed, by)
        if request == self.asked:
            return  # the file changed elsewhere, not in what these proposals use
        self.asked = request
        self.generation += 1
        self.proposals = {}
        for side, method in methods:
            self.query_one(f"#proposal-{side}", ProposalPanel).waiting(method)
        self.run_worker(partial(self._form_proposals, self.generation, *request),
                        name="proposals", group="groups.proposals", thread=True,
                        exclusive=True, exit_on_error=False)

    def _form_proposals(self, generation: int, inputs: plans.ProposalInputs,
                        methods: tuple[tuple[str, str], ...], size: int, seed: int,
                        by: tuple[str, ...]) -> None:
        """Runs in a worker thread: pure computation, no store, then a message back."""
        results: dict[str, object] = {}
        for side, method in methods:
            try:
                results[side] = inputs.form(method, size, seed=seed,
                                            by=by if method == "mixed" else ())
            except SessionError as error:
                results[side] = str(error)
        self.post_message(ProposalsReady(generation, results))

    @on(ProposalsReady)
    def proposals_ready(self, message: ProposalsReady) -> None:
        if message.generation == self.generation:  # else a newer request is on its way
            self._show_proposals(message.results)

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place where a worker's unexpected error reaches the facilitator."""
        if event.state is WorkerState.ERROR:
            self.asked = None  # so the next refresh or key tries again
            error = f"Could not compute the suggestions: {event.worker.error}"
            self._show_proposals({"left": error, "right": error})
            self.hint(error, error=True)

    def _show_proposals(self, results: dict[str, object]) -> None:
        self.proposals = results
        for side in ("left", "right"):
            self.query_one(f"#proposal-{side}", ProposalPanel).show(
                results[side], self.people, self.group_size,  # type: ignore[arg-type]
                f"{'a' if side == 'left' else 'b'} applies")

    def _show_rules(self) -> None:
        """The keep-together and keep-apart pairs every proposal respects."""
        text = Text()
        for label, key in (("Together: ", plans.KEEP_TOGETHER), ("  Apart: ", plans.KEEP_APART)):
            text.append(label, style="bold")
            try:
                pairs = plans.pair_rules(self.store, key)
            except SessionError as error:
                text.append(str(error))
                continue
            for index, pair in enumerate(pairs):
                text.append(", " if index else "")
                text.append(" + ".join(self._short_name(pid) for pid in pair))
            if not pairs:
                text.append("nobody", style="dim")
        text.append("  (k, d add or remove)", style="dim")
        self.query_one("#rules", Static).update(text)

    def _short_name(self, pid: int) -> str:
        person = self.people.get(pid)
        return f"{person.code} {person.name.split()[0]}" if person else f"#{pid}"

    def action_rule(self, way: str) -> None:
        key = plans.KEEP_TOGETHER if way == "together" else plans.KEEP_APART

        def change(typed: str) -> None:
            a, b = read_pair(self.store, typed)
            added = plans.toggle_pair_rule(self.store, key, a, b)
            self._done(f"{'adding' if added else 'removing'} a keep-{way} rule",
                       lambda: plans.set_pair_rule(self.store, key, a, b, keep=not added))
            state = "are now" if added else "are no longer"
            self.hint(f"{self._short_name(a)} and {self._short_name(b)} {state} kept {way}.")

        self.ask(f"Keep {way}: two codes (e.g. al bs); a pair already kept {way} is released",
                 change)

    def action_other_method(self) -> None:
        index = SECOND_METHODS.index(self.second)
        self.second = SECOND_METHODS[(index + 1) % len(SECOND_METHODS)]
        self._compute_proposals()

    def action_size(self, step: int) -> None:
        self.group_size = max(2, min(12, self.group_size + step))
        self._compute_proposals()

    def action_reseed(self) -> None:
        self.seed += 1
        self._compute_proposals()

    def action_apply(self, side: str) -> None:
        if not self.proposals:
            self.hint("Still computing the suggestions; a moment.")
            return
        proposal = self.proposals.get(side)
        if proposal is None or isinstance(proposal, str):
            self.hint(proposal or "No proposal to apply.", error=True)
            return
        try:
            applied = plans.apply_groups(self.store, proposal.groups, proposal.method)  # type: ignore[attr-defined]
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        name = get_round(self.store, applied.round_id).name

        def undo_apply() -> str:
            if not applied.undo(self.store):
                return f"{name} stays: it has started or holds entries." if applied.created_round else ""
            if self.round_id == applied.round_id:
                self.round_chosen = False  # that round is gone: back to the default view
            return f"{name}, made for these groups, is removed."

        self._done(f"applying the {proposal.method} groups", undo_apply)  # type: ignore[attr-defined]
        self.round_id, self.round_chosen = applied.round_id, True
        self.suggesting = False
        self.set_class(False, "suggesting")
        self.refresh_bindings()
        self.hint(f"Applied as the groups of {name}; move people with j, ctrl+z undoes.")
        self.written()

"""Goals, essential topics and challenges: what each group set itself, which topics
nobody addresses, and the challenges raised and answered.

Keyboard flow while a group reports back: pick the group (up/down in the matrix),
a, type the goal in the group's words, Enter (the line stays open for the next
goal), Escape. ctrl+r (also while typing) says who reports for the group: its goals
are then recorded as set by that person, until changed (empty: the group itself);
it starts as whoever stated the group's latest goal. l links the highlighted goal to topics, s moves its status on,
c challenges the group about the topic under the column cursor, r records the
group's answer, ctrl+z undoes. The screen never writes a goal by itself.
The entry line is a widget (widgets/goals_entry.py) that owns what it collects;
what each entry writes, and its undo, is in core.goals."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static

from facilitator.analysis.coverage import STATUS_MARKS, Coverage, coverage_matrix, progress_by_round
from facilitator.core import goals as writes
from facilitator.core.changes import Change
from facilitator.core.goals import Entry
from facilitator.models import challenges as asked
from facilitator.models import goals as core
from facilitator.models.groups import Group, all_groups
from facilitator.models.rounds import current_round, rounds
from facilitator.models.store import SessionError, SessionStore
from facilitator.models.wording import possessive
from facilitator.screens.base import SessionScreen
from facilitator.widgets.entry_line import in_order_bindings, run_in_order
from facilitator.widgets.goals_card import GroupCard
from facilitator.widgets.goals_entry import GoalsEntry
from facilitator.widgets.goals_matrix import CoverageMatrix, MatrixRow
from facilitator.widgets.goals_pickers import GoalHistoryView, TopicPicker

ALL_ROUNDS = -1
"""The view that shows every group of the session."""


class GoalsScreen(SessionScreen):
    """Groups' own goals, coverage of essential topics, challenges, progress."""

    SCREEN_NAME = "goals"
    WRITES = SessionScreen.WRITES | {"add_goal", "link", "status", "edit_text", "progress",
                                     "challenge", "answer", "new_topic", "reporter"}
    CSS_PATH = "../styles/goals.tcss"
    BINDINGS = [
        # Keys that open the entry line are priority bindings, so a burst typed
        # after them lands in the line (see widgets/entry_line.py).
        Binding("a", "add_goal", "Add goal", id="goals.add", priority=True),
        Binding("l", "link", "Link topics", id="goals.link"),
        Binding("s", "status", "Status", id="goals.status",
                tooltip="open → in progress → done → dropped"),
        Binding("e", "edit_text", "Edit goal text", id="goals.edit", show=False, priority=True),
        Binding("p", "progress", "Progress note", id="goals.progress", show=False, priority=True),
        Binding("c", "challenge", "Challenge", id="goals.challenge", priority=True),
        Binding("r", "answer", "Answer", id="goals.answer", priority=True),
        Binding("n", "new_topic", "New topic", id="goals.topic", show=False, priority=True),
        Binding("v", "view", "Other rounds", id="goals.view", show=False),
        Binding("h", "history", "Goal history", id="goals.history", show=False),
        Binding("ctrl+z", "undo", "Undo", id="goals.undo"),
        Binding("ctrl+r", "reporter", "Who reports", id="goals.reporter", priority=True,
                tooltip="Who states this group's goals (empty: the group)"),
        Binding("enter", "entry_enter", "Enter", show=False, priority=True),
        Binding("escape", "cancel_entry", "Close entry", priority=True),
        *in_order_bindings(),
    ]
    #: Keys that open the entry line: while it is open they are letters typed into it.
    OPENERS = {"add_goal", "edit_text", "progress", "challenge", "answer", "new_topic"}

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.view_round: int | None = None
        """Round whose groups are shown: None = the current round, ALL_ROUNDS = all."""
        self.groups: list[Group] = []
        self.topics: list[core.Essential] = []
        self.goals: dict[int, list[core.Goal]] = {}
        self.challenges: list[asked.Challenge] = []
        self.coverage: Coverage | None = None
        self.highlight_next: str | None = None
        """Card option to highlight at the next refresh (the goal just entered)."""
        self.reporters: dict[int, str | None] = {}
        """Who reports for a group (group id -> name, None: the group), as set with ctrl+r."""

    def compose(self) -> ComposeResult:
        yield Static("", id="goals-summary")
        with Vertical(id="goals-top"):
            yield Static("", id="goals-header")
            yield CoverageMatrix(id="goals-matrix")
        yield GoalsEntry(id="goals-entry")
        with Horizontal(id="goals-bottom"):
            yield GroupCard(id="goals-card-box")
            yield Static("", id="goals-progress")

    @property
    def matrix(self) -> CoverageMatrix:
        return self.query_one(CoverageMatrix)

    @property
    def entry_line(self) -> GoalsEntry:
        return self.query_one(GoalsEntry)

    @property
    def card(self) -> OptionList:
        return self.query_one("#goals-card", OptionList)

    # ------------------------------------------------------------------ reading
    def shown_round(self) -> int | None:
        if self.view_round is None:
            current = current_round(self.store)
            return current.id if current else None
        return self.view_round

    def refresh_data(self) -> None:
        round_id = self.shown_round()
        everyone = all_groups(self.store)
        self.groups = everyone if round_id == ALL_ROUNDS else [
            g for g in everyone if g.round_id == round_id]
        ids = [g.id for g in self.groups]
        self.topics = core.essential_topics(self.store)
        self.goals = core.goals_by_group(self.store, ids)
        self.challenges = asked.challenges(self.store, ids)
        self.coverage = coverage_matrix(self.groups, self.topics,
                                        [x for gs in self.goals.values() for x in gs], self.challenges)
        rows = [MatrixRow(g.id, g.name, len(self.goals.get(g.id, []))) for g in self.groups]
        self.matrix.show(self.coverage, rows, self.matrix.selected_group())
        self.query_one("#goals-header", Static).update(self.matrix.header())
        self._summary(round_id)
        self._progress()
        self.show_card()

    def _summary(self, round_id: int | None) -> None:
        assert self.coverage is not None
        # The title says whose coverage this is: the screen starts at the current
        # round, while the report's coverage and neglect span all rounds.
        known = {r.id: r for r in rounds(self.store)}
        shown, now_ = known.get(round_id or 0), current_round(self.store)
        parts: list[str | tuple[str, str]]
        if shown is None:
            where = "All rounds" if round_id == ALL_ROUNDS else "No round"
            parts = [(where, "bold"), f" · {len(self.groups)} group{'s' * (len(self.groups) != 1)}"]
        else:
            scope = ("current round" if now_ is not None and shown.id == now_.id else
                     "earlier round" if now_ is None or shown.position < now_.position
                     else "later round")
            parts = [(shown.name, "bold"), (f" · {scope}", "$accent")]
        if self.coverage.neglected:
            parts += [" · ", ("! nobody covers: " + ", ".join(e.name for e in self.coverage.neglected),
                              "$error bold")]
        open_count = sum(1 for c in self.challenges if c.status == "open")
        if open_count:
            parts.append((f" · ? {open_count} open challenge{'s' * (open_count != 1)}", "$warning"))
        parts.append((" · v other rounds", "$text-muted"))
        self.query_one("#goals-summary", Static).update(Content.assemble(*parts))

    def _progress(self) -> None:
        started = [r for r in rounds(self.store) if r.started_at]
        progress = progress_by_round(started, core.goals(self.store), core.goal_history(self.store))
        lines: list[str | tuple[str, str] | Content] = [("Progress per round\n", "bold")]
        for step in progress:
            name = step.name if len(step.name) <= 12 else step.name[:11] + "…"
            marks = step.marks() if step.total <= 14 else " ".join(
                f"{STATUS_MARKS[s]}{n}" for s, n in step.counts.items() if n)
            lines.append(f"{name:<12} {marks or '-'}\n")
        lines.append(("●done ◐doing ○open ✗drop", "$text-muted"))
        self.query_one("#goals-progress", Static).update(Content.assemble(*lines))

    def selected_group(self) -> Group | None:
        group_id = self.matrix.selected_group()
        return next((g for g in self.groups if g.id == group_id), None)

    def show_card(self) -> None:
        """The selected group's goals and challenges, in its own words."""
        group = self.selected_group()
        prefer, self.highlight_next = self.highlight_next, None
        box = self.query_one(GroupCard)
        if group is None:
            where = "yet" if self.shown_round() == ALL_ROUNDS else "in this round yet"
            box.show_nothing(f"No groups {where}: form them on the groups screen (2).")
            return
        box.show(group, self.goals.get(group.id, []),
                 [c for c in self.challenges if c.group_id == group.id], self.topics,
                 self.coverage, self.matrix.selected_topic(), prefer)

    def highlighted(self, kind: str) -> int | None:
        """The id of the highlighted goal or challenge in the card, if it is one."""
        return self.query_one(GroupCard).highlighted(kind)

    def selected_goal(self) -> core.Goal | None:
        goal_id = self.highlighted("goal")
        if goal_id is None:
            self.hint("Highlight a goal in the group's card first (Tab, then up/down).", error=True)
            return None
        found = [g for gs in self.goals.values() for g in gs if g.id == goal_id]
        if not found:  # taken back in another process meanwhile
            self.hint(f"No goal has id {goal_id}.", error=True)
            return None
        return found[0]

    # ------------------------------------------------------------------ events
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.matrix:
            self.show_card()

    def on_coverage_matrix_column_changed(self) -> None:
        self.query_one("#goals-header", Static).update(self.matrix.header())
        self.show_card()  # its title names the topic under the column cursor in full

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is self.matrix:
            self.card.focus()

    # ------------------------------------------------------------------ actions
    def action_status(self) -> None:
        goal = self.selected_goal()
        if goal is None:
            return

        def status() -> Change | None:
            said, change = writes.move_status_on(self.store, goal.id)
            self.hint(said)
            return change

        self.write(status)

    def action_link(self) -> None:
        goal = self.selected_goal()
        if goal is None:
            return
        if not self.topics:
            self.hint("There are no essential topics yet: n adds one.", error=True)
            return

        def toggle(topic_id: int, link: bool) -> str | None:
            """Link or unlink; the sentence why not, for the picker to show."""
            refused: list[str] = []
            self.write(lambda: writes.link(self.store, goal.id, topic_id, link),
                       on_error=lambda error: refused.append(str(error)))
            return refused[0] if refused else None

        neglected = {e.id for e in self.coverage.neglected} if self.coverage else set()
        self.app.push_screen(TopicPicker(f"Topics the goal addresses: {goal.text}", self.topics,
                                         checked=set(goal.essential_ids), neglected=neglected,
                                         toggle=toggle))

    def action_history(self) -> None:
        goal = self.selected_goal()
        if goal is None:
            return
        names = {r.id: r.name for r in rounds(self.store)}
        lines = [Content.assemble(f"{edit.at[:16].replace('T', ' ')}  ", (edit.by or "?", "bold"),
                                  f"  {names.get(edit.round_id, '-')}  {edit.field}: ",
                                  edit.old_value or "–", " → ", edit.new_value or "–")
                 for edit in core.goal_history(self.store, goal.id)]
        first = Content.assemble(f"{goal.created_at[:16].replace('T', ' ')}  ",
                                 (goal.logged_by or "?", "bold"), "  recorded: ", goal.text)
        self.app.push_screen(GoalHistoryView(f"History of: {goal.text}", [first, *lines]))

    def action_view(self) -> None:
        """Cycle: the current round, the other rounds with groups, all groups."""
        now_id = current_round(self.store)
        current = now_id.id if now_id else None
        used = {g.round_id for g in all_groups(self.store)}
        order = [current] + [r.id for r in rounds(self.store) if r.id in used and r.id != current]
        order.append(ALL_ROUNDS)
        shown = self.shown_round()
        following = order[(order.index(shown) + 1) % len(order)] if shown in order else current
        self.view_round = None if following == current else following
        self.refresh_data()

    # ------------------------------------------------------------------ the entry line
    async def action_in_order(self, key: str) -> None:
        """A navigation key, run now rather than after it has travelled back up
        (see entry_line.in_order_bindings)."""
        await run_in_order(self.app, key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        accepting = self.is_mounted and self.entry_line.accepting
        if action == "in_order":
            return not accepting  # in the line, arrows move its cursor
        if action in ("cancel_entry", "entry_enter"):
            return accepting
        if action in self.OPENERS:
            return not accepting  # else a letter typed into the line
        return True

    def open_entry(self, entry: Entry, value: str = "") -> None:
        if self.refuse_if_read_only():  # every entry writes: say so before any typing
            return
        self.entry_line.open(entry, value)
        self.refresh_bindings()

    def action_entry_enter(self) -> None:
        entry = self.entry_line.routed
        then: Entry | None = None
        if entry is not None and entry.keeps_open:
            group = next((g for g in self.groups if g.id == entry.target), None)
            # After who reports comes what they state; after a goal, the next goal.
            then = self.goal_entry(group) if group is not None else None
        self.entry_line.seal(then)
        self.refresh_bindings()

    def action_cancel_entry(self) -> None:
        self.entry_line.cancel()
        self.refresh_bindings()

    def on_goals_entry_entered(self, event: GoalsEntry.Entered) -> None:
        entry, text = event.entry, event.text
        if entry.kind == "reporter":
            self.reporters[entry.target] = writes.who_reports(self.store, text)
            group = next((g for g in self.groups if g.id == entry.target), None)
            if group is not None and self.entry_line.routed is not None \
                    and self.entry_line.routed.kind == "goal":
                self.entry_line.show_prompt(self.goal_entry(group).prompt)
            return

        def failed(error: SessionError) -> None:
            self.hint(str(error), error=True)
            # Keep what was typed, to fix it, unless a later key opened the line again.
            if not self.entry_line.accepting and not entry.keeps_open:
                self.open_entry(entry, text)

        self.write(lambda: self.save_entry(entry, text), on_error=failed)

    def save_entry(self, entry: Entry, value: str) -> Change | None:
        """Write what was typed, through the core; the Change for ctrl+z."""
        store = self.store
        if entry.kind == "goal":
            goal_id, change = writes.add_goal(store, entry.target, value,
                                              self.reporter(entry.target))
            self.highlight_next = f"goal:{goal_id}"  # so l links the goal just entered
            self.hint("Goal recorded; type the next one or press Escape (ctrl+r: who reports).")
            return change
        if entry.kind in ("text", "progress"):
            return writes.edit_goal(store, entry.target, entry.kind, value)
        if entry.kind == "challenge":
            challenge_id, change = writes.raise_challenge(store, entry.target, entry.topic, value)
            self.highlight_next = f"challenge:{challenge_id}"
            self.hint("Challenge raised; r records the group's answer when it comes.")
            return change
        if entry.kind == "answer":
            return writes.answer(store, entry.target, value)
        if entry.kind == "topic":
            change = writes.add_topic(store, value)
            self.hint("Topic added; ctrl+z takes it back until something refers to it.")
            return change
        raise AssertionError(entry.kind)

    # ------------------------------------------------------------------ opening it
    def action_add_goal(self) -> None:
        group = self.selected_group()
        if group is None:
            self.hint("There is no group to add a goal to in this view.", error=True)
            return
        self.open_entry(self.goal_entry(group))

    def reporter(self, group_id: int) -> str | None:
        """Who states this group's goals: as set with ctrl+r, else whoever stated its
        latest goal (so a reopened screen or a co-facilitator continues alike)."""
        if group_id in self.reporters:
            return self.reporters[group_id]
        return next((g.set_by for g in reversed(self.goals.get(group_id, []))), None)

    def goal_entry(self, group: Group) -> Entry:
        by = self.reporter(group.id)
        prompt = f"Goal of {group.name} (by {by}):" if by else f"Goal of {group.name}:"
        return Entry("goal", prompt, group.id)

    def action_reporter(self) -> None:
        group = self.selected_group()
        if group is None:
            self.hint("There is no group in this view.", error=True)
            return
        self.open_entry(Entry("reporter", f"Who reports for {group.name}?", group.id),
                        self.reporter(group.id) or "")
        self.hint("Their name, then Enter (empty: the group itself).")

    def action_edit_text(self) -> None:
        goal = self.selected_goal()
        if goal:
            self.open_entry(Entry("text", "Goal, as the group words it now:", goal.id), goal.text)

    def action_progress(self) -> None:
        goal = self.selected_goal()
        if goal:
            self.open_entry(Entry("progress", "Progress note:", goal.id), goal.progress or "")

    def action_challenge(self) -> None:
        group = self.selected_group()
        if group is None:
            self.hint("There is no group to challenge in this view.", error=True)
            return
        topic = self.matrix.selected_topic()
        if topic is None:
            self.open_entry(Entry("challenge", f"Challenge {group.name}:", group.id))
            return
        name = next(t.name for t in self.topics if t.id == topic)
        self.open_entry(Entry("challenge", f"Challenge {group.name} on {name}:", group.id, topic))

    def action_answer(self) -> None:
        group = self.selected_group()
        challenge_id = self.highlighted("challenge")
        if challenge_id is None and group is not None:
            open_ = [c for c in self.challenges if c.group_id == group.id and c.status == "open"]
            challenge_id = open_[0].id if open_ else None
        if challenge_id is None or group is None:
            self.hint("This group has no open challenge; highlight one in its card.", error=True)
            return
        current = next((c for c in self.challenges if c.id == challenge_id), None)
        self.open_entry(Entry("answer", f"{possessive(group.name)} answer, in their words:",
                              challenge_id),
                        current.response or "" if current else "")

    def action_new_topic(self) -> None:
        self.open_entry(Entry("topic", "New essential topic:"))

"""Typing on the goals screen: the one entry line above the card, and what each
kind of entry writes (a goal, its text or progress note, who reports for a group,
a challenge, the group's answer, a new essential topic). Kept apart from the
reading and drawing in goals.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Input, Label

from facilitator.models import challenges as asked
from facilitator.models import goals as core
from facilitator.models.store import SessionError

if TYPE_CHECKING:
    from collections.abc import Callable

    from facilitator.models.groups import Group
    from facilitator.models.store import SessionStore
    from facilitator.widgets.goals_matrix import CoverageMatrix


@dataclass(frozen=True)
class Entry:
    """What the entry line is collecting, and where it goes."""

    kind: str  # goal, text, progress, challenge, answer, topic, reporter
    prompt: str
    target: int = 0
    topic: int | None = None
    by: str | None = None
    """For a goal: who set it (the group's reporter); None: the group itself."""


class GoalsEntryMixin:
    """The entry line of GoalsScreen: opening it for each kind of entry, saving it."""

    if TYPE_CHECKING:  # provided by GoalsScreen
        entry: Entry | None
        groups: list[Group]
        topics: list[core.Essential]
        goals: dict[int, list[core.Goal]]
        challenges: list[asked.Challenge]
        highlight_next: str | None
        reporters: dict[int, str | None]

        def query_one(self, selector: object, expect_type: object = None) -> Input: ...
        def refresh_bindings(self) -> None: ...
        def hint(self, message: str, *, error: bool = False) -> None: ...
        def refuse_if_read_only(self) -> bool: ...
        def written(self) -> None: ...
        def remember_undo(self, what: str, undo: Callable[[], object]) -> None: ...
        @property
        def store(self) -> SessionStore: ...
        @property
        def matrix(self) -> CoverageMatrix: ...
        def selected_group(self) -> Group | None: ...
        def selected_goal(self) -> core.Goal | None: ...
        def highlighted(self, kind: str) -> int | None: ...

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_entry":
            return self.entry is not None
        return True

    # ------------------------------------------------------------------ the line
    def open_entry(self, entry: Entry, value: str = "") -> None:
        if self.refuse_if_read_only():  # every entry writes: say so before any typing
            return
        self.entry = entry
        self.query_one("#goals-entry-prompt", Label).update(Content(entry.prompt))
        box = self.query_one("#goals-entry-input", Input)
        box.value = value
        self.query_one("#goals-entry").add_class("open")
        box.focus()
        self.refresh_bindings()

    def action_cancel_entry(self) -> None:
        if self.entry is None:
            return
        self.entry = None
        self.query_one("#goals-entry").remove_class("open")
        self.matrix.focus()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        entry = self.entry
        if entry is None:
            return
        try:
            keep_open = self.save_entry(entry, event.value)
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self.written()
        if keep_open:
            event.input.value = ""
        else:
            self.action_cancel_entry()

    def save_entry(self, entry: Entry, value: str) -> bool:
        """Write what was typed; True keeps the line open for the next one."""
        store = self.store
        if entry.kind == "goal":
            goal_id = core.add_goal(store, entry.target, value, entry.by)
            self.highlight_next = f"goal:{goal_id}"  # so l links the goal just entered
            self.remember_undo("the new goal", lambda: core.remove_fresh_goal(store, goal_id))
            self.hint("Goal recorded; type the next one or press Escape"
                      " (ctrl+r: who reports).")
            return True
        if entry.kind == "reporter":
            self.reporters[entry.target] = " ".join(value.split()) or None
            group = next((g for g in self.groups if g.id == entry.target), None)
            if group is not None:  # straight on to the goals this person states
                self.open_entry(self.goal_entry(group))
            return True
        if entry.kind in ("text", "progress"):
            old = core.get_goal(store, entry.target)
            if core.edit_goal(store, entry.target, **{entry.kind: value}):
                before = old.text if entry.kind == "text" else (old.progress or "")
                self.remember_undo(f"the {entry.kind} edit", lambda: core.edit_goal(
                    store, entry.target, **{entry.kind: before}))
            return False
        if entry.kind == "challenge":
            challenge_id = asked.raise_challenge(store, entry.target, entry.topic, value)
            self.highlight_next = f"challenge:{challenge_id}"
            self.remember_undo("the challenge", lambda: asked.withdraw_challenge(store, challenge_id))
            self.hint("Challenge raised; r records the group's answer when it comes.")
            return False
        if entry.kind == "answer":
            previous = asked.get_challenge(store, entry.target).response
            asked.answer_challenge(store, entry.target, value)
            self.remember_undo("the answer", (lambda: asked.reopen_challenge(store, entry.target))
                               if previous is None else
                               (lambda: asked.answer_challenge(store, entry.target, previous)))
            return False
        if entry.kind == "topic":
            topic_id = core.add_essential(store, value)
            self.remember_undo("the new topic", lambda: core.remove_fresh_essential(store, topic_id))
            self.hint("Topic added; ctrl+z takes it back until something refers to it.")
            return False
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
        return Entry("goal", prompt, group.id, by=by)

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
        current = asked.get_challenge(self.store, challenge_id)
        self.open_entry(Entry("answer", f"{group.name}'s answer, in their words:", challenge_id),
                        current.response or "")

    def action_new_topic(self) -> None:
        self.open_entry(Entry("topic", "New essential topic:"))

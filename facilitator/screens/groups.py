"""Groups: the open-space marketplace by keyboard, and suggested groupings.

People organise themselves; this screen records it (topics, who joins, who
walks) and, when asked, shows two suggested groupings side by side with their
figures. Every change is one undoable step (ctrl+z). The screen wires widgets:
the move line (EntryLine) and the suggestions panel (SuggestionsPanel) own their
state; what each line writes is in core.groups."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.core import groups as edits
from facilitator.core.changes import Change
from facilitator.core.rounds import next_round_name, opened_with
from facilitator.models.groups import Group, groups_of_round, ungrouped
from facilitator.models.records import Participant
from facilitator.models.roster import participants
from facilitator.models.rounds import current_round, next_round_id, rounds
from facilitator.models.session import session_info
from facilitator.models.store import SessionError, SessionStore
from facilitator.models.wording import count_of
from facilitator.screens.base import SessionScreen, forward_worker_failure
from facilitator.widgets.entry_line import EntryLine, in_order_bindings, run_in_order
from facilitator.widgets.groups_suggestions import SuggestionsPanel, short_name

#: Shown under the keys by `?`. One line per paragraph: the help box wraps it to its width.
GROUPS_HELP = "\n\n".join((
    "Marketplace: n proposes a topic and its convener (Climate data @al); j moves people to"
    " a group by its number (al bs 2), as does Enter on an ungrouped person. r, s, g, c"
    " rename, split, merge or close the highlighted group; x ungroups people. [ and ] show"
    " earlier or later rounds; o starts or ends a round for everyone (y confirms).",
    "Suggestions (p; Escape goes back): new ties on the left, random or mixed on the right"
    " (t). a or b makes one the next round's groups; + and - change the size, e reshuffles."
    " k and d keep two people together or apart (the same pair again removes the rule).",
    "ctrl+z undoes your last change while nobody has changed the same people or groups"
    " since (else it says who did); undoing an apply also removes the round it created,"
    " unless that round has started or holds entries.",
))


class GroupsScreen(SessionScreen):
    """Topics and their people for one round; the ungrouped are always on the left."""

    SCREEN_NAME = "groups"
    HELP = GROUPS_HELP
    CSS_PATH = "../styles/groups.tcss"
    BINDINGS = [
        # Order is footer order: at 80 columns it shows about five keys, so the
        # ones a facilitator needs most in each mode come first; the rest are in
        # help (?) and the palette. The suggestion panel names a, b, k and d too.
        Binding("n", "new_topic", "Topic", id="groups.new", priority=True),
        Binding("j", "join", "Move", id="groups.join", priority=True),
        Binding("a", "apply('left')", "Apply left", id="groups.apply_left"),
        Binding("b", "apply('right')", "Apply right", id="groups.apply_right"),
        Binding("t", "other_method", "Other method", id="groups.method"),
        Binding("ctrl+z", "undo", "Undo", id="groups.undo"),
        Binding("p", "suggest", "Suggest", id="groups.suggest"),
        Binding("o", "round", "Start/end round", id="groups.round",
                tooltip="Start or end a round for everyone, after a one-key confirmation"),
        Binding("k", "rule('together')", "Keep together", id="groups.together", priority=True),
        Binding("d", "rule('apart')", "Keep apart", id="groups.apart", priority=True),
        Binding("plus", "size(1)", "Bigger groups", id="groups.bigger"),
        Binding("minus", "size(-1)", "Smaller groups", id="groups.smaller"),
        Binding("e", "reseed", "Reshuffle", id="groups.reseed"),
        Binding("x", "ungroup", "Ungroup", id="groups.ungroup", priority=True),
        Binding("r", "rename", "Rename", id="groups.rename", show=False, priority=True),
        Binding("s", "split", "Split", id="groups.split", show=False, priority=True),
        Binding("g", "merge", "Merge", id="groups.merge", show=False, priority=True),
        Binding("c", "close", "Close", id="groups.close", show=False, priority=True),
        Binding("left_square_bracket", "view_round(-1)", "View earlier round",
                id="groups.prev_round", show=False),
        Binding("right_square_bracket", "view_round(1)", "View later round",
                id="groups.next_round", show=False),
        # Enter and Escape of the move line, from the app's key order (see EntryLine).
        Binding("enter", "line_enter", "Enter", show=False, priority=True, id="groups.line_enter"),
        Binding("escape", "cancel", "Cancel", show=False, priority=True, id="groups.cancel"),
        *in_order_bindings(),
    ]
    PANEL_ACTIONS = {"apply", "other_method", "size", "reseed", "rule"}
    #: Edits of the shown groups: off while the suggestions hide the group list.
    MARKET_ACTIONS = {"new_topic", "join", "ungroup", "rename", "split", "merge", "close"}
    #: Keys that open the line: while it is open they are letters typed into it.
    LINE_OPENERS = MARKET_ACTIONS | {"rule"}

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.round_id: int | None = None
        self.round_chosen = False
        self.groups: list[Group] = []
        self.people: dict[int, Participant] = {}
        self.loose: list[int] = []
        #: The suggestions panel is shown instead of the group list (p).
        self.suggesting = False

    def compose(self) -> ComposeResult:
        yield Static("", id="groups-title", markup=False)
        with Horizontal(id="groups-body"):
            with Vertical(id="ungrouped-pane"):
                yield Label("Ungrouped", id="ungrouped-label")
                yield OptionList(id="ungrouped")
            yield OptionList(id="group-list")
            yield SuggestionsPanel(id="suggestions", group_size=self._group_size())
        yield EntryLine(id="groups-prompt")

    def _group_size(self) -> int:
        info = session_info(self.store)
        return max(1, (info.group_min + info.group_max) // 2)

    @property
    def panel(self) -> SuggestionsPanel:
        return self.query_one(SuggestionsPanel)

    @property
    def group_size(self) -> int:
        """The size the suggestions aim at (the panel owns it)."""
        return self.panel.group_size

    @property
    def proposals(self) -> dict[str, object]:
        return self.panel.proposals

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#group-list", OptionList).focus()

    # ------------------------------------------------------------------ reading
    def _default_round(self) -> int | None:
        current = current_round(self.store)
        if current is not None:
            return current.id
        return next_round_id(self.store)

    def refresh_data(self) -> None:
        if not self.round_chosen:
            self.round_id = self._default_round()
        self.people = {p.id: p for p in participants(self.store)}
        self.groups = groups_of_round(self.store, self.round_id)
        self.loose = [pid for pid in ungrouped(self.store, self.round_id) if pid in self.people]
        self._show_title()
        self._fill(self.query_one("#ungrouped", OptionList),
                   [Option(self._person_line(pid), id=str(pid)) for pid in self.loose])
        self.query_one("#ungrouped-label", Label).update(f"Ungrouped ({len(self.loose)})")
        self._fill(self.query_one("#group-list", OptionList),
                   [Option(self._group_lines(n, g), id=str(g.id))
                    for n, g in enumerate(self.groups, 1)])
        if self.suggesting:
            self._suggest()

    def _show_title(self) -> None:
        """Which round is shown, and which one the room is in, if another."""
        current = current_round(self.store)
        viewed = next((r for r in rounds(self.store) if r.id == self.round_id), None)
        if viewed is None:
            name, state = "No round", "groups outside rounds"
        elif current is not None and viewed.id == current.id:
            name, state = viewed.name, "current, ended" if viewed.ended_at else "current"
        else:
            name = viewed.name
            state = "ended" if viewed.started_at else "planned"
            if current is not None:
                state += f"; now in {current.name}"
        # How the round opened (the round dialog's k, o or s), for everyone to see.
        opening = opened_with(self.store, viewed.id) if viewed is not None else ""
        if opening:
            state += f", {opening}"
        if self.suggesting:
            where = "suggestions for " + next_round_name(self.store)
        else:
            where = "[ ] other rounds"
        shown = f"{name} ({state}): {count_of(len(self.groups), 'group')}, {len(self.loose)} ungrouped"
        # The title is one line: what matters most in each mode comes first.
        self.query_one("#groups-title", Static).update(
            f"{where[0].upper()}{where[1:]}  ·  {shown}" if self.suggesting else f"{shown}  ·  {where}")

    @staticmethod
    def _fill(options: OptionList, items: list[Option]) -> None:
        keep = options.highlighted
        options.clear_options()
        options.add_options(items)
        if items:
            options.highlighted = min(keep or 0, len(items) - 1)

    def _person_line(self, pid: int) -> Text:
        person = self.people[pid]
        return Text.assemble((person.code.ljust(3), "bold"), person.name, no_wrap=True,
                             overflow="ellipsis")

    def _group_lines(self, number: int, group: Group) -> Text:
        text = Text.assemble((f"{number} ", "bold"), (group.name, "bold"), no_wrap=False)
        if group.convener_id in self.people:
            text.append(f"  convener {self.people[group.convener_id].name}", style="italic")
        if group.formed_by != "self":
            text.append(f"  [{group.formed_by}]", style="dim")
        members = ", ".join(f"{self.people[i].code} {self.people[i].name}"
                            for i in group.member_ids if i in self.people)
        text.append(f"\n  ({len(group.member_ids)}) " + (members or "nobody yet"))
        return text

    def selected_group(self) -> Group | None:
        options = self.query_one("#group-list", OptionList)
        if options.highlighted is None or not self.groups:
            self.hint("Pick a group first (arrows in the group list).", error=True)
            return None
        return self.groups[min(options.highlighted, len(self.groups) - 1)]

    # ------------------------------------------------------------------ the line
    @property
    def line(self) -> EntryLine:
        return self.query_one("#groups-prompt", EntryLine)

    def ask(self, purpose: str, question: str, value: str = "", select: bool = True,
            about: Group | None = None) -> None:
        """Open the line at the bottom for `purpose`; its text comes back in an
        EntryLine.Entered message. A prefilled `value` is selected (typing
        replaces it) unless select is False."""
        if self.refuse_if_read_only():  # every line here writes: say so before any typing
            return
        self.line.placeholder = question
        self.line.open((purpose, question, about), value, select=select)

    def action_line_enter(self) -> None:
        self.line.seal()

    def on_entry_line_entered(self, event: EntryLine.Entered) -> None:
        event.stop()
        if event.purpose is None:
            return
        purpose, question, about = event.purpose  # type: ignore[misc]

        def failed(error: SessionError) -> None:
            self.hint(str(error), error=True)
            # Keep the line open with what was typed, unless a later key has opened
            # it for something else: retyping it all is slow. Cursor at the end,
            # nothing selected: the fix is usually the last word.
            if not self.line.accepting:
                self.ask(purpose, question, event.text, select=False, about=about)

        self.write(lambda: self._entered(purpose, event.text, about), on_error=failed)

    def _entered(self, purpose: str, typed: str, about: Group | None) -> Change:
        """What each line writes, via the core; a Change for ctrl+z."""
        store = self.store
        if purpose == "topic":
            self._need_round()
            said, change = edits.new_topic(store, typed, self.round_id)
        elif purpose == "move":
            said, change = edits.move(store, typed, self.groups)
        elif purpose == "leave":
            said, change = edits.leave(store, typed, self.round_id)
        elif purpose == "rename" and about is not None:
            said, change = edits.rename(store, about, typed)
        elif purpose == "split" and about is not None:
            said, change = edits.split(store, about, typed)
        elif purpose == "merge" and about is not None:
            said, change = edits.merge(store, about, typed, self.groups)
        elif purpose in ("together", "apart"):
            (a, b), added, change = edits.toggle_rule(store, purpose, typed)
            state = "are now" if added else "are no longer"
            said = f"{self._short_name(a)} and {self._short_name(b)} {state} kept {purpose}."
        else:
            raise SessionError("That line has nothing to do any more; press Escape.")
        self.hint(said)
        return change

    def action_cancel(self) -> None:
        if self.line.accepting:
            self.line.cancel()
        elif self.suggesting:
            self.action_suggest()

    async def action_in_order(self, key: str) -> None:
        """A navigation key, run now rather than after it has travelled back up
        (see entry_line.in_order_bindings)."""
        await run_in_order(self.app, key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        accepting = self.is_mounted and self.line.accepting
        if action == "in_order":
            return not accepting  # in the line, arrows move its cursor
        if action == "line_enter":
            return accepting
        if action == "cancel":
            return accepting or self.suggesting
        if accepting and (action in self.LINE_OPENERS):
            return False  # a letter typed into the line
        if action in self.PANEL_ACTIONS:
            return self.suggesting
        if action in self.MARKET_ACTIONS:
            return not self.suggesting
        return True

    # ------------------------------------------------------------------ marketplace
    def _need_round(self) -> None:
        if self.round_id is None and rounds(self.store):
            raise SessionError("Pick a round first with [ or ].")

    def action_new_topic(self) -> None:
        self.ask("topic", "Topic, then @code of its convener (e.g. Climate data @al)")

    def action_join(self) -> None:
        ungrouped = self.query_one("#ungrouped", OptionList)
        prefill = ""
        if ungrouped.has_focus and ungrouped.highlighted is not None and self.loose:
            prefill = self.people[self.loose[ungrouped.highlighted]].code + " "
        self.ask("move", "Codes, then the group number (e.g. al bs 2)", prefill, select=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "ungrouped" and not self.suggesting:
            self.action_join()

    def action_ungroup(self) -> None:
        self.ask("leave", "Codes of who leaves their group (e.g. al bs)")

    def action_rename(self) -> None:
        group = self.selected_group()
        if group is not None:
            self.ask("rename", f"New name for group {self.groups.index(group) + 1}", group.name,
                     about=group)

    def action_split(self) -> None:
        group = self.selected_group()
        if group is not None:
            self.ask("split", "New topic and who goes with it (e.g. Data ethics @al @bs)",
                     about=group)

    def action_merge(self) -> None:
        group = self.selected_group()
        if group is not None:
            self.ask("merge", f"Merge which group into {group.name}? (its number)", about=group)

    def action_close(self) -> None:
        group = self.selected_group()
        if group is None:
            return

        def close() -> Change:
            said, change = edits.close(self.store, group)
            self.hint(said)
            return change

        self.write(close)

    def round_changed(self) -> None:
        self.round_chosen = False  # show the round the room is now in

    def action_view_round(self, step: int) -> None:
        ids = [r.id for r in rounds(self.store)]
        if not ids:
            return
        index = ids.index(self.round_id) if self.round_id in ids else 0
        self.round_id = ids[max(0, min(len(ids) - 1, index + step))]
        self.round_chosen = True
        self.refresh_data()

    # ------------------------------------------------------------------ suggestions
    def action_suggest(self) -> None:
        self.suggesting = not self.suggesting
        if not self.suggesting:
            self.panel.forget()
        self.set_class(self.suggesting, "suggesting")
        self.refresh_bindings()
        self.refresh_data()

    def show_suggestions(self) -> None:
        """Open the suggestions for the next round (the round dialog's s asked)."""
        if not self.suggesting:
            self.action_suggest()
        self.hint(f"Suggested groups for {next_round_name(self.store)}: a or b applies one;"
                  " then o starts the round with it (s).")

    def _suggest(self) -> None:
        """Hand the panel what the proposals need, as read from the file now."""
        together, apart, inputs = edits.suggestion_inputs(self.store, self.group_size)
        self.panel.show_rules(together, apart, self.people)  # type: ignore[arg-type]
        self.panel.suggest(inputs, self.people)

    def on_suggestions_panel_failed(self, message: SuggestionsPanel.Failed) -> None:
        forward_worker_failure(self, message.event)

    def _short_name(self, pid: int) -> str:
        return short_name(self.people, pid)

    def action_rule(self, way: str) -> None:
        self.ask(way, f"Keep {way}: two codes (e.g. al bs); a pair already kept {way} is released")

    def action_other_method(self) -> None:
        self.panel.other_method()

    def action_size(self, step: int) -> None:
        self.panel.resize(step)

    def action_reseed(self) -> None:
        self.panel.reseed()

    def action_apply(self, side: str) -> None:
        proposal = self.panel.chosen(side)
        if isinstance(proposal, str):
            self.hint(proposal, error=proposal != "Still computing the suggestions; a moment.")
            return

        def apply() -> Change:
            said, change, round_id = edits.apply_suggested(
                self.store, proposal.groups, proposal.method)  # type: ignore[attr-defined]
            self.round_id, self.round_chosen = round_id, True
            self.suggesting = False
            self.panel.forget()
            self.set_class(False, "suggesting")
            self.refresh_bindings()
            self.hint(said)
            return self._back_to_default_after_undo(change, round_id)

        self.write(apply)

    def _back_to_default_after_undo(self, change: Change, round_id: int) -> Change:
        """Undoing an apply may remove the round it made: then show the default round."""
        def undo() -> str | None:
            said = change.undo()
            if self.round_id == round_id:
                self.round_chosen = False
            return said

        return Change(change.what, undo)

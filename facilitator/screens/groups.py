"""Groups: the open-space marketplace by keyboard, and suggested groupings.

People organise themselves; this screen records it (topics, who joins, who
walks) and, when asked, shows two suggested groupings side by side with their
figures. Every change is one undoable step (ctrl+z). The suggestion mode
lives in groups_suggest.py, the base class of this screen."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.models.group_input import read_mentions, read_moves, read_people
from facilitator.models.groups import (
    Group,
    close_group,
    groups_of_round,
    merge_groups,
    move_people,
    new_batch,
    propose_topic,
    rename_group,
    split_group,
    undo_batch,
    ungroup,
)
from facilitator.models.records import Participant
from facilitator.models.roster import participants
from facilitator.models.rounds import current_round, get_round, next_round_id, rounds, start_round
from facilitator.models.session import session_info
from facilitator.models.store import SessionError
from facilitator.screens.groups_suggest import GroupSuggestions
from facilitator.widgets.groups_proposal import ProposalPanel

#: Shown under the keys by `?`. One line per paragraph: the help box wraps it to its width.
GROUPS_HELP = "\n\n".join((
    "Marketplace: n proposes a topic and its convener (Climate data @al); j moves people to"
    " a group by its number (al bs 2), as does Enter on an ungrouped person. r, s, g, c"
    " rename, split, merge or close the highlighted group; x ungroups people. [ and ] show"
    " earlier or later rounds; o starts the next round (Enter confirms).",
    "Suggestions (p; Escape goes back): new ties on the left, random or mixed on the right"
    " (t). a or b makes one the next round's groups; + and - change the size, e reshuffles."
    " k and d keep two people together or apart (the same pair again removes the rule).",
    "ctrl+z undoes any change; undoing an apply also removes the round it created, unless"
    " that round has started or holds entries.",
))


class GroupsScreen(GroupSuggestions):
    """Topics and their people for one round; the ungrouped are always on the left."""

    SCREEN_NAME = "groups"
    HELP = GROUPS_HELP
    CSS_PATH = "../styles/groups.tcss"
    BINDINGS = [
        # Order is footer order: at 80 columns it shows about five keys, so the
        # ones a facilitator needs most in each mode come first; the rest are in
        # help (?) and the palette. The suggestion panel names a, b, k and d too.
        Binding("n", "new_topic", "Topic", id="groups.new"),
        Binding("j", "join", "Move", id="groups.join"),
        Binding("a", "apply('left')", "Apply left", id="groups.apply_left"),
        Binding("b", "apply('right')", "Apply right", id="groups.apply_right"),
        Binding("t", "other_method", "Other method", id="groups.method"),
        Binding("ctrl+z", "undo", "Undo", id="groups.undo"),
        Binding("p", "suggest", "Suggest", id="groups.suggest"),
        Binding("o", "start_round", "Start round", id="groups.start_round"),
        Binding("k", "rule('together')", "Keep together", id="groups.together"),
        Binding("d", "rule('apart')", "Keep apart", id="groups.apart"),
        Binding("plus", "size(1)", "Bigger groups", id="groups.bigger"),
        Binding("minus", "size(-1)", "Smaller groups", id="groups.smaller"),
        Binding("e", "reseed", "Reshuffle", id="groups.reseed"),
        Binding("x", "ungroup", "Ungroup", id="groups.ungroup"),
        Binding("r", "rename", "Rename", id="groups.rename", show=False),
        Binding("s", "split", "Split", id="groups.split", show=False),
        Binding("g", "merge", "Merge", id="groups.merge", show=False),
        Binding("c", "close", "Close", id="groups.close", show=False),
        Binding("left_square_bracket", "round(-1)", "View earlier round", id="groups.prev_round",
                show=False),
        Binding("right_square_bracket", "round(1)", "View later round", id="groups.next_round",
                show=False),
        Binding("escape", "cancel", "Cancel", show=False, id="groups.cancel"),
    ]
    PANEL_ACTIONS = {"apply", "other_method", "size", "reseed", "rule"}
    #: Edits of the shown groups: off while the suggestions hide the group list.
    MARKET_ACTIONS = {"new_topic", "join", "ungroup", "rename", "split", "merge", "close"}

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.round_id: int | None = None
        self.round_chosen = False
        self.groups: list[Group] = []
        self.people: dict[int, Participant] = {}
        self.loose: list[int] = []
        self.pending: Callable[[str], None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="groups-title", markup=False)
        with Horizontal(id="groups-body"):
            with Vertical(id="ungrouped-pane"):
                yield Label("Ungrouped", id="ungrouped-label")
                yield OptionList(id="ungrouped")
            yield OptionList(id="group-list")
            with Vertical(id="suggestions"):
                yield Static("", id="rules")
                with Horizontal(id="proposals"):
                    yield ProposalPanel(id="proposal-left")
                    yield ProposalPanel(id="proposal-right")
        yield Input(id="groups-prompt")

    def on_mount(self) -> None:
        info = session_info(self.store)
        self.group_size = max(1, (info.group_min + info.group_max) // 2)
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
        grouped = {pid for g in self.groups for pid in g.member_ids}
        self.loose = sorted((p.id for p in self.people.values() if p.present and p.id not in grouped),
                            key=lambda i: self.people[i].name.casefold())
        self._show_title()
        self._fill(self.query_one("#ungrouped", OptionList),
                   [Option(self._person_line(pid), id=str(pid)) for pid in self.loose])
        self.query_one("#ungrouped-label", Label).update(f"Ungrouped ({len(self.loose)})")
        self._fill(self.query_one("#group-list", OptionList),
                   [Option(self._group_lines(n, g), id=str(g.id))
                    for n, g in enumerate(self.groups, 1)])
        if self.suggesting:
            self._show_rules()
            self._compute_proposals()

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
        if self.suggesting:
            target = next_round_id(self.store)
            where = "suggestions for " + (get_round(self.store, target).name if target
                                          else "a new round")
        else:
            where = "[ ] other rounds"
        shown = f"{name} ({state}): {len(self.groups)} groups, {len(self.loose)} ungrouped"
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

    def group_by_number(self, number: int | None) -> Group:
        if number is None or not 1 <= number <= len(self.groups):
            raise SessionError(f"There is no group {number}; the groups are numbered 1 to"
                               f" {len(self.groups)}.")
        return self.groups[number - 1]

    # ------------------------------------------------------------------ prompt
    def ask(self, question: str, then: Callable[[str], None], value: str = "",
            select: bool = True) -> None:
        """One line of input at the bottom; Enter runs `then`, Escape cancels.
        A prefilled `value` is selected (typing replaces it) unless select is False."""
        if self.refuse_if_read_only():  # every line here writes: say so before any typing
            return
        prompt = self.query_one("#groups-prompt", Input)
        prompt.placeholder = question
        prompt.value = value
        prompt.select_on_focus = select
        prompt.display = True
        prompt.focus()
        self.pending = then

    def on_input_submitted(self, event: Input.Submitted) -> None:
        then, self.pending = self.pending, None
        event.input.display = False
        self.query_one("#group-list", OptionList).focus()
        if then is None:
            return
        try:
            then(event.value)
        except SessionError as error:
            self.hint(str(error), error=True)
            # Keep the line open with what was typed: retyping it all is slow, and
            # letters typed on would otherwise run this screen's keys (o starts a round).
            # Cursor at the end, nothing selected: the fix is usually the last
            # word, and a backspace must not wipe the line.
            self.ask(event.input.placeholder, then, event.value, select=False)
            return
        self.written()

    def action_cancel(self) -> None:
        prompt = self.query_one("#groups-prompt", Input)
        if prompt.display:
            prompt.display = False
            self.pending = None
            self.query_one("#group-list", OptionList).focus()
        elif self.suggesting:
            self.action_suggest()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.PANEL_ACTIONS:
            return self.suggesting
        if action in self.MARKET_ACTIONS:
            return not self.suggesting
        return True

    def _done(self, label: str, undo: Callable[[], object]) -> None:
        self.remember_undo(label, undo)

    # ------------------------------------------------------------------ marketplace
    def _need_round(self) -> None:
        if self.round_id is None and rounds(self.store):
            raise SessionError("Pick a round first with [ or ].")

    def action_new_topic(self) -> None:
        def create(typed: str) -> None:
            self._need_round()
            said = read_mentions(self.store, typed)
            if len(said.people) > 1:
                raise SessionError("A topic has one convener: @code once.")
            batch = new_batch()
            group = propose_topic(self.store, said.text, self.round_id,
                                  said.people[0] if said.people else None, batch)
            self._done(f"topic {group.name}", lambda: undo_batch(self.store, batch))
            self.hint(f"Topic {group.name} is group {len(self.groups) + 1}.")

        self.ask("Topic, then @code of its convener (e.g. Climate data @al)", create)

    def action_join(self) -> None:
        ungrouped = self.query_one("#ungrouped", OptionList)
        prefill = ""
        if ungrouped.has_focus and ungrouped.highlighted is not None and self.loose:
            prefill = self.people[self.loose[ungrouped.highlighted]].code + " "

        def move(typed: str) -> None:
            said = read_moves(self.store, typed)
            group = self.group_by_number(said.number)
            batch = new_batch()
            move_people(self.store, list(said.people), group.id, batch)
            self._done(f"move to {group.name}", lambda: undo_batch(self.store, batch))

        self.ask("Codes, then the group number (e.g. al bs 2)", move, prefill)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "ungrouped" and not self.suggesting:
            self.action_join()

    def action_ungroup(self) -> None:
        def leave(typed: str) -> None:
            batch = new_batch()
            left = [ungroup(self.store, pid, self.round_id, batch)
                    for pid in read_people(self.store, typed)]
            if not any(g is not None for g in left):
                raise SessionError("None of them is in a group of this round.")
            self._done("ungrouping", lambda: undo_batch(self.store, batch))

        self.ask("Codes of who leaves their group (e.g. al bs)", leave)

    def action_rename(self) -> None:
        group = self.selected_group()
        if group is None:
            return

        def rename(typed: str) -> None:
            old = rename_group(self.store, group.id, typed)
            self._done(f"renaming {old}",
                       lambda: undo_batch(self.store, "", rename=((group.id, old),)))

        self.ask(f"New name for group {self.groups.index(group) + 1}", rename, group.name)

    def action_split(self) -> None:
        group = self.selected_group()
        if group is None:
            return

        def split(typed: str) -> None:
            said = read_mentions(self.store, typed)
            batch = new_batch()
            new = split_group(self.store, group.id, said.text, list(said.people), batch)
            self._done(f"split into {new.name}", lambda: undo_batch(self.store, batch))

        self.ask("New topic and who goes with it (e.g. Data ethics @al @bs)", split)

    def action_merge(self) -> None:
        group = self.selected_group()
        if group is None:
            return

        def merge(typed: str) -> None:
            if not typed.strip().isdigit():
                raise SessionError("Type the number of the group to merge in, e.g. 3.")
            other = self.group_by_number(int(typed))
            batch = new_batch()
            merge_groups(self.store, group.id, other.id, batch)
            self._done(f"merging {other.name}",
                       lambda: undo_batch(self.store, batch, reopen=(other.id,)))

        self.ask(f"Merge which group into {group.name}? (its number)", merge)

    def action_close(self) -> None:
        group = self.selected_group()
        if group is None:
            return
        batch = new_batch()
        try:
            close_group(self.store, group.id, batch)
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self._done(f"closing {group.name}", lambda: undo_batch(self.store, batch, reopen=(group.id,)))
        self.hint(f"Closed {group.name}; its people are ungrouped. ctrl+z undoes.")
        self.written()

    def action_start_round(self) -> None:
        """Start the next round (the next planned one, else a new one), after a yes."""
        target = next_round_id(self.store)
        if target is None:
            name, ready = f"Round {len(rounds(self.store)) + 1}", 0
        else:
            name = get_round(self.store, target).name
            ready = len(groups_of_round(self.store, target))
        current = current_round(self.store)
        ends = f"; {current.name} ends" if current is not None and not current.ended_at else ""
        groups = f" with its {ready} groups" if ready else " (no groups yet)"

        def start(_typed: str) -> None:
            started = start_round(self.store)
            self.round_chosen = False  # show the round the room is now in
            # Starting a round cannot be undone, and ctrl+z must not then reach
            # behind it and dissolve the groups the room is now working in.
            self.undo_stack.clear()
            self.hint(f"{started.name} started{ends}; earlier steps can no longer be undone here.")

        self.ask(f"Start {name}{groups} now{ends}? Enter starts, Escape cancels", start)

    def action_round(self, step: int) -> None:
        ids = [r.id for r in rounds(self.store)]
        if not ids:
            return
        index = ids.index(self.round_id) if self.round_id in ids else 0
        self.round_id = ids[max(0, min(len(ids) - 1, index + step))]
        self.round_chosen = True
        self.refresh_data()


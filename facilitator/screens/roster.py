"""The roster: participants with codes and tags; add, edit, mark absent or present,
remove a mistyped one, merge two entries for one person."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from facilitator.core import roster as changes
from facilitator.core.changes import Change
from facilitator.core.fields import Fields
from facilitator.models.groups import group_names_now
from facilitator.models.names import search_key
from facilitator.models.records import Participant
from facilitator.models.roster import find_participant, format_tags, participants, spoke_and_addressed
from facilitator.models.store import SessionStore
from facilitator.models.wording import count_of
from facilitator.screens.base import SessionScreen
from facilitator.widgets.entry_line import in_order_bindings, run_in_order
from facilitator.screens.form import FieldsForm

#: The widest a name is shown in the table.
NAME_CELLS = 24


class ParticipantForm(FieldsForm):
    """Name, code and tags of one participant (see screens.form)."""

    def __init__(self, title: str, save: Callable[[str, str, str], str | None],
                 participant: Participant | None = None) -> None:
        p = participant
        super().__init__(title, Fields.of(name=p.name if p else "", code=p.code if p else "",
                                          tags=format_tags(p.tags) if p else ""), save)


class RosterScreen(SessionScreen):
    """Everyone in the session, with the code to type on the tally screen."""

    SCREEN_NAME = "roster"
    WRITES = SessionScreen.WRITES | {"add", "edit", "toggle_present"}
    AUTO_FOCUS = "#roster-table"
    BINDINGS = [
        # Priority: the form opens (and the row is marked) at the key's place in
        # a burst, so what is typed after it lands in the form (see in_order).
        Binding("a", "add", "Add", id="roster.add", priority=True),
        Binding("e", "edit", "Edit", id="roster.edit", priority=True),
        Binding("space", "toggle_present", "Here/absent", id="roster.present", priority=True),
        # Not in the footer (at 80 columns it would push Find and Help off): help
        # and the palette list them.
        Binding("x", "remove", "Remove a mistyped participant (nothing logged)",
                show=False, id="roster.remove", priority=True),
        Binding("m", "merge", "Merge into the right person (every entry moves)",
                show=False, id="roster.merge", priority=True),
        Binding("ctrl+z", "undo", "Undo", id="roster.undo"),
        Binding("slash", "find", "Find", id="roster.find", priority=True),
        Binding("escape", "clear_find", "Clear find", show=False, id="roster.clear_find"),
        *in_order_bindings(),
    ]
    DEFAULT_CSS = """
    RosterScreen DataTable { height: 1fr; }
    RosterScreen #roster-summary { height: 1; padding: 0 1; }
    RosterScreen #roster-find { display: none; }
    RosterScreen.finding #roster-find { display: block; }
    """

    def __init__(self, store: SessionStore) -> None:
        super().__init__(store)
        self.people: list[Participant] = []
        #: What the facilitator typed after `/`: shows only matching people.
        self.find_text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-summary", markup=False)
        yield Input(placeholder="Find: part of a name, code or tag; Enter keeps it, Escape clears",
                    id="roster-find")
        table: DataTable[Text] = DataTable(id="roster-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Code", "Name", "Here", "Group now", "Spoke", "Addressed", "Tags")
        yield table

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#roster-table", DataTable)

    def refresh_data(self) -> None:
        counts = spoke_and_addressed(self.store)
        group_now = group_names_now(self.store)
        everyone = participants(self.store)
        self.people = [p for p in everyone if self._matches(p, group_now.get(p.id, ""))]
        table = self.table
        keep = table.cursor_row
        table.clear()
        for person in self.people:
            spoke, addressed = counts.get(person.id, (0, 0))
            style = "" if person.present else "dim"
            table.add_row(
                Text(person.code, style="bold"), self._name_cell(person.name, style),
                Text("yes" if person.present else "absent", style=style),
                Text(group_now.get(person.id, ""), style=style, no_wrap=True, overflow="ellipsis"),
                Text(str(spoke)), Text(str(addressed)),
                Text(format_tags(person.tags), style=style, no_wrap=True, overflow="ellipsis"),
                key=str(person.id))
        if self.people:
            table.move_cursor(row=min(keep, len(self.people) - 1))
        present = sum(p.present for p in everyone)
        shown = f" Showing {len(self.people)} matching {self.find_text!r}." if self.find_text else ""
        self.query_one("#roster-summary", Static).update(
            f"{count_of(len(everyone), 'participant')}, {present} present.{shown} "
            "a add, e edit, space present/absent, / find.")

    @staticmethod
    def _name_cell(name: str, style: str) -> Text:
        # A name up to 80 characters would push Here and Spoke off an 80-column
        # screen; the full name shows in the edit form (e).
        cell = Text(name, style=style)
        cell.truncate(NAME_CELLS, overflow="ellipsis")
        return cell

    def _matches(self, person: Participant, group: str) -> bool:
        """Part of a name, code, group or tag, as people type it: case and accents
        do not matter (jose finds José, luk Łukasz)."""
        wanted = self.find_text.casefold()
        if not wanted:
            return True
        haystack = " ".join([person.name, person.code, group, format_tags(person.tags)])
        if wanted in haystack.casefold():
            return True
        folded = search_key(self.find_text)
        return bool(folded) and folded in search_key(haystack)

    def action_find(self) -> None:
        self.add_class("finding")
        self.query_one("#roster-find", Input).focus()

    def action_clear_find(self) -> None:
        field = self.query_one("#roster-find", Input)
        field.value = ""
        self.find_text = ""
        self.remove_class("finding")
        self.table.focus()
        self.refresh_data()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "roster-find":
            self.find_text = " ".join(event.value.split())
            self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "roster-find":
            self.table.focus()

    def selected(self) -> Participant | None:
        if not self.people:
            return None
        return self.people[min(self.table.cursor_row, len(self.people) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit", "toggle_present", "remove", "merge", "find", "in_order"):
            # While typing in the find line, these keys are letters (or its cursor).
            return not (self.is_mounted and self.query_one("#roster-find", Input).has_focus) \
                or action == "in_order"
        return True

    async def action_in_order(self, key: str) -> None:
        """A navigation key, run now (see entry_line.in_order_bindings)."""
        await run_in_order(self.app, key)

    def _form_write(self, change: Callable[[], tuple[str, Change]]) -> str | None:
        """Write from the form: None when saved, else the sentence for the form."""
        refused: list[str] = []

        def write() -> Change:
            said, undo = change()
            self.hint(said)
            return undo

        self.write(write, on_error=lambda error: refused.append(str(error)))
        return refused[0] if refused else None

    def action_add(self) -> None:
        if self.refuse_if_read_only():
            return
        self.app.push_screen(ParticipantForm(
            "Add a participant",
            lambda name, code, tags: self._form_write(
                lambda: changes.add(self.store, name, code, tags))))

    def action_edit(self) -> None:
        person = self.selected()
        if person is None or self.refuse_if_read_only():
            return
        self.app.push_screen(ParticipantForm(
            f"Edit {person.name}",
            lambda name, code, tags: self._form_write(
                lambda: changes.edit(self.store, person, name, code, tags)), person))

    def action_toggle_present(self) -> None:
        person = self.selected()
        if person is None:
            return

        def toggle() -> Change:
            said, change = changes.toggle_presence(self.store, person)
            self.hint(said)
            return change

        self.write(toggle)

    def action_remove(self) -> None:
        """Take the selected person off the roster: only someone with nothing logged
        (otherwise the hint says to merge them); ctrl+z brings them back."""
        person = self.selected()
        if person is None or self.refuse_if_read_only():
            return

        def remove() -> Change:
            said, change = changes.remove(self.store, person)
            self.hint(said)
            return change

        self.write(remove)

    def action_merge(self) -> None:
        """Two entries for one person: everything of the selected one moves to the
        person typed in the form, then the selected one leaves the roster."""
        person = self.selected()
        if person is None or self.refuse_if_read_only():
            return

        def save(into: str) -> str | None:
            return self._form_write(lambda: changes.merge(
                self.store, person, find_participant(self.store, into)))

        self.app.push_screen(FieldsForm(
            f"Merge {person.name} ({person.code}) into", Fields.of(into=""), save,
            explain="Every entry, group, convened topic and goal of theirs moves to that"
                    " person; then they leave the roster. ctrl+z undoes it."))

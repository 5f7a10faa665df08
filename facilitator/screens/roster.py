"""The roster: participants with codes and tags; add, edit, mark absent or present."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from facilitator.models.groups import group_names_now
from facilitator.models.records import Participant
from facilitator.models.roster import (
    add_participant,
    edit_participant,
    format_tags,
    parse_tags,
    participants,
    set_present,
    spoke_and_addressed,
)
from facilitator.models.store import SessionError
from facilitator.models.store import SessionStore
from facilitator.screens.base import SessionScreen

#: The widest a name is shown in the table.
NAME_CELLS = 24


class ParticipantForm(ModalScreen[bool]):
    """Name, code and tags of one participant. Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ParticipantForm { align: center middle; }
    ParticipantForm > Vertical {
        width: 70; height: auto; border: round $primary; background: $surface; padding: 0 1;
    }
    ParticipantForm #form-error { color: $error; height: auto; }
    """

    def __init__(self, title: str, save: Callable[[str, str, str], None],
                 participant: Participant | None = None) -> None:
        super().__init__()
        self.form_title = title
        self.save = save
        self.participant = participant

    def compose(self) -> ComposeResult:
        p = self.participant
        with Vertical():
            yield Label(self.form_title, markup=False)
            yield Input(p.name if p else "", placeholder="Name", id="name")
            yield Input(p.code if p else "", placeholder="Code (optional: 2 letters are made for you)",
                        id="code")
            yield Input(format_tags(p.tags) if p else "",
                        placeholder="Tags: organisation=Acme, role=lead", id="tags")
            yield Static("Enter saves, Tab moves, Escape cancels.", classes="hint")
            yield Static("", id="form-error", markup=False)

    def on_input_submitted(self) -> None:
        values = [self.query_one(f"#{field}", Input).value for field in ("name", "code", "tags")]
        try:
            self.save(*values)
        except SessionError as error:
            self.query_one("#form-error", Static).update(str(error))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class RosterScreen(SessionScreen):
    """Everyone in the session, with the code to type on the tally screen."""

    SCREEN_NAME = "roster"
    AUTO_FOCUS = "#roster-table"
    BINDINGS = [
        Binding("a", "add", "Add", id="roster.add"),
        Binding("e", "edit", "Edit", id="roster.edit"),
        Binding("space", "toggle_present", "Here/absent", id="roster.present"),
        Binding("ctrl+z", "undo", "Undo", id="roster.undo"),
        Binding("slash", "find", "Find", id="roster.find"),
        Binding("escape", "clear_find", "Clear find", show=False, id="roster.clear_find"),
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
            f"{len(everyone)} participants, {present} present.{shown} "
            "a add, e edit, space present/absent, / find.")

    @staticmethod
    def _name_cell(name: str, style: str) -> Text:
        # A name up to 80 characters would push Here and Spoke off an 80-column
        # screen; the full name shows in the edit form (e).
        cell = Text(name, style=style)
        cell.truncate(NAME_CELLS, overflow="ellipsis")
        return cell

    def _matches(self, person: Participant, group: str) -> bool:
        wanted = self.find_text.casefold()
        if not wanted:
            return True
        haystack = " ".join([person.name, person.code, group, format_tags(person.tags)])
        return wanted in haystack.casefold()

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

    def _save_new(self, name: str, code: str, tags: str) -> None:
        person = add_participant(self.store, name, parse_tags(tags), code or None)
        self.hint(f"Added {person.name} with code {person.code}.")
        self.written()

    def action_add(self) -> None:
        if self.refuse_if_read_only():
            return
        self.app.push_screen(ParticipantForm("Add a participant", self._save_new))

    def action_edit(self) -> None:
        person = self.selected()
        if person is None or self.refuse_if_read_only():
            return

        def save(name: str, code: str, tags: str) -> None:
            edit_participant(self.store, person.id, name=name, code=code or person.code,
                             tags=parse_tags(tags))
            self.remember_undo(f"the edit of {person.name}", lambda: edit_participant(
                self.store, person.id, name=person.name, code=person.code, tags=person.tags))
            self.written()

        self.app.push_screen(ParticipantForm(f"Edit {person.name}", save, person))

    def action_toggle_present(self) -> None:
        person = self.selected()
        if person is None:
            return
        try:
            set_present(self.store, person.id, not person.present)
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        self.remember_undo(f"marking {person.name} {'absent' if person.present else 'present'}",
                           lambda: set_present(self.store, person.id, person.present))
        self.written()

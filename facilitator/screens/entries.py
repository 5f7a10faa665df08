"""Any entry, however far back: the recent entries to browse, undo, bring back or
correct (ctrl+e on the tally screen).

A modal over the tally screen. It writes only through that screen's write (so each
change is on its undo stack: ctrl+z and ctrl+y work here and after closing), and it
follows the file as every screen does: it re-reads after its own writes and when
another process commits (PRAGMA data_version, four times a second)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitator.core import entries
from facilitator.core.entries import EntryLine
from facilitator.core.fields import Fields
from facilitator.models.store import READ_ONLY, SessionError
from facilitator.models.text import shown
from facilitator.screens.form import FieldsForm
from facilitator.widgets.tally_entries import TallyEntries

if TYPE_CHECKING:
    from facilitator.screens.base import SessionScreen

LABELS = {
    "kind": ("Kind", "its name or key (ask, a); empty: as it was"),
    "source": ("Who", "name or code"),
    "target": ("To whom", "name or code; empty or group: the whole group"),
    "note": ("Note", "optional"),
}
SHOWN = 60  # entries in the list


class EntriesScreen(ModalScreen[None]):
    """The recent entries; v undoes or brings back, Enter corrects, Escape closes."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="entries.close"),
        Binding("ctrl+z", "undo", "Undo", id="entries.undo"),
        Binding("ctrl+y", "redo", "Redo", id="entries.redo"),
        # Priority: each runs when the app reads it, in the order typed, so a burst
        # "down down Enter Tab ..." corrects the entry the downs picked, in the form
        # that Enter opened.
        *[Binding(key, f"press('{key}')", show=False, priority=True, system=True)
          for key in ("up", "down", "k", "j", "pageup", "pagedown", "v", "c", "enter")],
    ]
    DEFAULT_CSS = """
    EntriesScreen { align: center middle; }
    EntriesScreen > Vertical {
        width: 100%; height: 100%; border: round $primary; background: $surface; padding: 0 1;
    }
    EntriesScreen #entries-note { height: auto; max-height: 4; color: $text-muted; }
    EntriesScreen #entries-said { height: auto; }
    EntriesScreen #entries-said.-error { color: $error; }
    """

    def __init__(self, writer: "SessionScreen") -> None:
        super().__init__()
        #: The tally screen: its store, its write (the one way to write) and undo stacks.
        self.writer = writer
        self.store = writer.store
        self._seen_version = -1
        #: Made (and filled) now, so keys typed before the screen is drawn reach it.
        self.listing = TallyEntries(id="entries-list")
        self.reload()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Entries: ↑↓ pick · v undo/bring back · Enter correct · ctrl+z ·"
                        " Esc close", markup=False)
            yield self.listing
            yield Static("", id="entries-note", markup=False)
            yield Static("", id="entries-said", markup=False)

    def on_mount(self) -> None:
        self.show_picked()
        self.set_interval(0.25, self.poll)

    def action_press(self, key: str) -> None:
        """A key of the list, in the order typed: the list says what it asks for."""
        asked = self.listing.press(key)
        picked = self.listing.picked
        if asked == "toggle" and picked is not None:
            self.toggle(picked)
        elif asked == "correct" and picked is not None:
            self.correct(picked)
        self.show_picked()

    def poll(self) -> None:
        """Another process committed: read the entries again (as every screen does)."""
        try:
            version = self.store.data_version()
        except (sqlite3.Error, SessionError):  # the file went bad: the app says so
            return
        if version != self._seen_version:
            self.reload()

    def reload(self) -> None:
        try:
            self._seen_version = self.store.data_version()
            self.listing.show(entries.recent_lines(self.store, SHOWN))
        except SessionError as error:
            self.say(str(error), error=True)
        self.show_picked()

    def say(self, sentence: str, error: bool = False) -> None:
        if not self.is_mounted:
            return
        said = self.query_one("#entries-said", Static)
        said.update(shown(sentence))
        said.set_class(error, "-error")

    def show_picked(self) -> None:
        """The picked entry whole, note and all (the list cuts it at 80 columns)."""
        if not self.is_mounted:
            return
        line = self.listing.picked
        self.query_one("#entries-note", Static).update(
            shown(f"#{line.entry.id}: {line.what}  ({line.state})") if line else "")

    # ------------------------------------------------------------------ writing
    def _through_writer(self, action) -> None:  # type: ignore[no-untyped-def]
        """Run one of the tally screen's writes (or undo, redo) with what it says
        shown here too: its own hint line is under this modal."""
        writer = self.writer

        def hint(message: str, *, error: bool = False) -> None:
            self.say(message, error)
            type(writer).hint(writer, message, error=error)

        writer.hint = hint  # type: ignore[method-assign]
        try:
            action()
        finally:
            del writer.hint
        self.reload()

    def _write(self, change, on_error=None) -> None:  # type: ignore[no-untyped-def]
        """Through the tally screen's write: remembered on its undo stack."""
        def run():  # type: ignore[no-untyped-def]
            said, undo = change()
            self.say(said)
            return undo

        self._through_writer(lambda: self.writer.write(run, on_error=on_error))

    def toggle(self, line: EntryLine) -> None:
        if self.store.read_only:
            self.say(READ_ONLY, error=True)
            return
        entry_id = line.entry.id
        if line.voided:
            self._write(lambda: entries.restore_entry(self.store, entry_id))
        else:
            self._write(lambda: entries.void_entry(self.store, entry_id))

    def correct(self, line: EntryLine) -> None:
        if self.store.read_only:
            self.say(READ_ONLY, error=True)
            return
        names = entries.EntryNames(self.store)
        entry = line.entry

        def code(person_id: int | None) -> str:
            person = names.people.get(person_id) if person_id is not None else None
            return person.code if person else ""

        fields = Fields.of(kind=entry.kind, source=code(entry.source_id),
                           target=code(entry.target_id) if entry.source_id else "",
                           note=entry.note or "")

        def save(kind: str, source: str, target: str, note: str) -> str | None:
            refused: list[str] = []
            self._write(lambda: entries.correct_entry(self.store, entry.id, kind, source,
                                                      target, note),
                        on_error=lambda e: refused.append(str(e)))
            return refused[0] if refused else None

        self.app.push_screen(FieldsForm(
            f"Correct #{entry.id}: {line.what}", fields, save, labels=LABELS,
            explain="The entry is undone and a corrected one logged in its place, with"
                    " your name and the time."))

    # ------------------------------------------------------------------ keys
    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        self._through_writer(self.writer.action_undo)

    def action_redo(self) -> None:
        self._through_writer(self.writer.action_redo)

"""A small form in a modal: one-line fields, Enter saves, Tab moves, Escape cancels.

The participant form (name, code, tags), the merge form (into) and the correction
of an entry (kind, who, whom, note) are all this one. Nothing in it takes focus:
every key, including those typed before it was drawn, reaches this screen and goes,
in order, to the one Fields state (core.fields)."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitator.core.fields import CANCEL, SUBMIT, Fields
from facilitator.widgets.roster_form import ParticipantFields


class FieldsForm(ModalScreen[bool]):
    """Fields given by name and starting value; `save` gets the values in order and
    returns None when saved (the form closes), else the sentence why not (shown in
    the form, which stays open with what was typed)."""

    DEFAULT_CSS = """
    FieldsForm { align: center middle; }
    FieldsForm > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $primary; background: $surface;
        padding: 0 1;
    }
    FieldsForm #form-fields { height: auto; }
    FieldsForm #form-error { color: $error; height: auto; }
    """

    def __init__(self, title: str, fields: Fields, save: Callable[..., str | None], *,
                 labels: dict[str, tuple[str, str]] | None = None, explain: str = "") -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.save = save
        self.labels = labels
        self.explain = explain

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.form_title, markup=False)
            yield ParticipantFields(self.fields, id="form-fields", labels=self.labels)
            if self.explain:
                yield Static(self.explain, classes="hint", markup=False)
            yield Static("Enter saves, Tab moves, Escape cancels.", classes="hint")
            yield Static("", id="form-error", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        outcome = self.fields.feed(event.key, event.character)
        if outcome == CANCEL:
            self.dismiss(False)
        elif outcome == SUBMIT:
            self._submit()
        elif self.is_mounted:
            self.query_one(ParticipantFields).refresh()

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.fields.paste(event.text)
        self.query_one(ParticipantFields).refresh()

    def _submit(self) -> None:
        refused = self.save(*(self.fields.value(f) for f in self.fields.names))
        if refused:
            self.query_one("#form-error", Static).update(refused)
            return
        self.dismiss(True)

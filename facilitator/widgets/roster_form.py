"""The fields of a small form (the participant form: name, code, tags; the merge
form: into; the entry correction: kind, who, whom, note), drawn from the
core.fields.Fields state that the form holds: every key reaches that one state
in order, so a burst with Tab fills the field each part was typed in."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.core.fields import Fields

#: field -> (label, what it holds, shown while empty)
LABELS = {
    "name": ("Name", "a participant's name"),
    "code": ("Code", "optional: 2 letters are made for you"),
    "tags": ("Tags", "organisation=Acme, role=lead"),
    "into": ("Into", "the right person: name or code, accents optional"),
}


class ParticipantFields(Static):
    """One line per field; the current one shows its cursor."""

    def __init__(self, fields: Fields, *, id: str | None = None,
                 labels: dict[str, tuple[str, str]] | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.fields = fields
        #: field -> (label, shown while empty); LABELS unless given.
        self.labels = labels or LABELS

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, name in enumerate(self.fields.names):
            label, empty = self.labels.get(name, (name.title(), ""))
            current = index == self.fields.current
            text.append(("> " if current else "  ") + f"{label}: ",
                        style="bold" if current else "")
            value, at = self.fields.values[index], self.fields.cursors[index]
            if not value and not current:
                text.append(empty, style="dim italic")
            elif current:
                text.append(value[:at])
                text.append(value[at:at + 1] or " ", style="reverse")
                text.append(value[at + 1:])
                if not value:
                    text.append(" " + empty, style="dim italic")
            else:
                text.append(value)
            if index < len(self.fields.names) - 1:
                text.append("\n")
        return text

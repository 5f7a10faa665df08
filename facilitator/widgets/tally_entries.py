"""The recent entries, browsable by keyboard: pick any entry to undo, bring back or
correct, however far back.

The widget owns its state (the lines shown and which one is picked, kept on the same
entry when the list is re-read) and says what a key asks for (press); the screen
that holds it does the writing. Keys: up/down (or k/j) move, v undoes or brings back,
Enter or c corrects. A voided entry shows struck through and marked ✗ (strike and dim
are lost on some terminals and without colour). The picked one is `picked`, so the
screen can show it whole (its note is cut in the list at 80 columns)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from facilitator.core.entries import EntryLine


@dataclass
class EntriesState:
    """What the list shows and which entry is picked (by id, so a re-read that adds
    entries above it keeps the same one picked)."""

    lines: list[EntryLine]
    picked_id: int | None = None

    def set_lines(self, lines: list[EntryLine]) -> None:
        self.lines = lines
        ids = [line.entry.id for line in lines]
        if self.picked_id not in ids:
            self.picked_id = ids[0] if ids else None

    @property
    def index(self) -> int:
        ids = [line.entry.id for line in self.lines]
        return ids.index(self.picked_id) if self.picked_id in ids else 0

    @property
    def picked(self) -> EntryLine | None:
        return self.lines[self.index] if self.lines else None

    def move(self, step: int) -> None:
        if self.lines:
            at = max(0, min(len(self.lines) - 1, self.index + step))
            self.picked_id = self.lines[at].entry.id


class TallyEntries(Widget):
    """Recent entries, newest first, one picked. Keys come through press(), from the
    screen that holds it, in the order typed (also those typed before it was drawn)."""

    DEFAULT_CSS = """
    TallyEntries { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = EntriesState([])

    def show(self, lines: list[EntryLine]) -> None:
        """Attributes down: the entries as the file holds them now."""
        self.state.set_lines(lines)
        self.refresh()

    @property
    def picked(self) -> EntryLine | None:
        return self.state.picked

    def press(self, key: str) -> str | None:
        """One key: "moved" (another entry is picked), "toggle" (undo it, or bring it
        back), "correct", or None when the key is not the list's."""
        picked = self.state.picked
        steps = {"up": -1, "k": -1, "down": 1, "j": 1, "pageup": -10, "pagedown": 10}
        if key in steps:
            self.state.move(steps[key])
            self.refresh()
            return "moved"
        if key == "v" and picked is not None:
            return "toggle"
        if key in ("enter", "c") and picked is not None:
            return "correct"
        return None

    def render(self) -> Text:
        height = max(1, self.size.height)
        lines = self.state.lines
        if not lines:
            return Text("No entries yet.")
        at = self.state.index
        first = max(0, min(at - height // 2, len(lines) - height))
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, line in enumerate(lines[first:first + height], start=first):
            if index > first:
                text.append("\n")
            row = Text(no_wrap=True, overflow="ellipsis",
                       style="strike dim" if line.voided else "")
            row.append("> " if index == at else "  ", style="bold")
            row.append(f"#{line.entry.id} {line.time} ")
            if line.voided:
                row.append("✗ ")
            row.append(line.what)
            row.append(f"  {line.state}", style="dim")
            row.truncate(max(1, self.size.width), overflow="ellipsis")
            if index == at:
                row.stylize("reverse")
            text.append_text(row)
        return text

"""The side panels of the tally screen: equity, who has not spoken, mutual pairs and
the feed of recent entries (the prompt is tally_prompt.py). Each takes plain values and draws Text (user text is
never parsed as markup)."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from facilitator.widgets.panel import Panel, text_strip


class TallyBar(Panel):
    """One line: the observed group, its number of entries, the round and its
    remaining time, then which counts (whole session). In that order because at 80
    columns the end of the line is cut off."""

    def show(self, observing: str, position: str, round_text: str, timer: str,
             overtime: bool, entries: int | None, counts: str = "") -> None:
        """counts: "this round" or "all rounds" in the whole-session view, else "";
        entries None: the log is still being read."""
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Observing ")
        line.append(observing, style="bold")
        line.append(f" {position} [ ] · " + ("reading the log…" if entries is None else
                    f"{entries} {'entry' if entries == 1 else 'entries'}"))
        if round_text:
            line.append(" · ")
            line.append(round_text)
        if timer:
            line.append(" ")
            line.append(f" {timer} ", style="reverse" if overtime else "bold")
        if counts:
            line.append(" · counts: ")
            line.append(counts, style="bold")
            line.append(" (R)")
        self.set_class(overtime, "-overtime")
        self.show_text(line)


class EquityPanel(Panel):
    """The Gini figure with its plain reading, and whole-group states so far."""

    def show(self, gini: float, reading: str, top: str, states: str) -> None:
        text = Text()
        text.append("Equity ", style="bold")
        text.append(f"Gini {gini:.2f}: {reading}")
        if top:
            text.append("\n")
            text.append(top)
        if states:
            text.append("\n")
            text.append(states)
        self.show_text(text)


class NotSpokenPanel(Panel):
    """Who has not spoken this round: flagged so someone can invite them in."""

    def show(self, names: list[str], anyone: bool) -> None:
        text = Text()
        if not anyone:
            text.append("Nobody here yet.")
        elif not names:
            text.append("Everyone here has spoken this round.")
        else:
            # "!" is the mark the cards carry: the flag reads without colour too.
            text.append(f"! Not spoken this round ({len(names)}): ", style="bold")
            text.append(", ".join(names))
        self.set_class(bool(names), "-flagged")
        self.show_text(text)


class PairsPanel(Panel):
    """Mutual pairs: people who addressed each other both ways."""

    def show(self, pairs: list[tuple[str, str, int, int]]) -> None:
        text = Text()
        text.append("Mutual pairs", style="bold")
        if not pairs:
            text.append(": none yet")
        for a, b, ab, ba in pairs[:3]:
            text.append(f"\n {a} ⇄ {b} {ab}/{ba}")
        self.show_text(text)


class FeedLine(NamedTuple):
    at: str  # local time, HH:MM
    source: str  # "" for a whole-group state
    target: str  # "" when addressed to the whole group
    label: str
    logged_by: str
    note: str
    voided: bool
    mine: bool


class FeedHeading(NamedTuple):
    """Where the round changes in the feed: "Round 2", "between rounds"."""

    text: str


#: One line of the feed: its title, a round heading, an entry or an entry's note.
FeedRow = tuple[str, "FeedLine | FeedHeading | None"]
TITLE: FeedRow = ("title", None)


class FeedPanel(Widget):
    """Recent entries, newest first; voided ones struck through and marked ✗ (strike
    and dim are lost on some terminals and without colour); who logged each; a
    heading where the round changes ("between rounds" for entries outside any).

    Drawn line by line from strips kept per line: after a keystroke the feed
    gains one line and the others move down, so only the new line is made (as a
    Static, every line was made again, a tenth of a turn key's frame)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[FeedRow] = [("wait", None)]
        self._strips: dict[tuple[FeedRow, int], Strip] = {}

    def wait(self) -> None:
        """While the session's log is still being read: say so, show no entry."""
        self._show([("wait", None)])

    def show(self, lines: list[FeedLine | FeedHeading]) -> None:
        rows: list[FeedRow] = [TITLE]
        if not lines:
            rows.append(("none", None))
        for line in lines:
            if isinstance(line, FeedHeading):
                rows.append(("heading", line))
                continue
            rows.append(("entry", line))
            if line.note:
                # On a line of its own under the entry: beside it, any note was cut
                # even at 100 columns.
                rows.append(("note", line))
        self._show(rows)

    def _show(self, rows: list[FeedRow]) -> None:
        if rows == self._rows:
            return
        self._rows = rows
        kept = set(rows)
        self._strips = {key: strip for key, strip in self._strips.items() if key[0] in kept}
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # the theme changed: styles baked into strips are stale

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        key = (self._rows[y], width)
        strip = self._strips.get(key)
        if strip is None:
            text = row_text(self._rows[y])
            text.truncate(width, overflow="ellipsis")
            strip = self._strips[key] = text_strip(self, text, width)
        return strip

    def render(self) -> Text:
        """The whole feed as text (for reading out and for tests; drawn by render_line)."""
        return Text("\n").join(row_text(row) for row in self._rows)


def row_text(row: FeedRow) -> Text:
    """One line of the feed, as styled text (user text as plain text, never markup)."""
    kind, line = row
    if kind == "title":
        return Text("Recent entries · ✗ = undone", style="bold", no_wrap=True)
    if kind == "wait":
        return Text("…", style="dim")
    if kind == "none":
        return Text(" none yet: type a code", no_wrap=True)
    if isinstance(line, FeedHeading):
        return Text(f"— {line.text} —", style="italic", no_wrap=True)
    assert isinstance(line, FeedLine)
    if kind == "note":
        return Text(f"      “{line.note}”", style="strike dim" if line.voided else "italic",
                    no_wrap=True)
    text = Text(no_wrap=True, style="strike dim" if line.voided else "")
    text.append(f"{line.at} ")
    if line.voided:
        text.append("✗ ")
    if line.source:
        text.append(line.source, style="bold")
        text.append(f" {line.label} ")
        text.append(line.target or "the group")
    else:
        text.append(f"— {line.label}", style="italic")
    text.append(f" ·{line.logged_by}", style="dim")
    return text

"""The side panels of the tally screen: equity, who has not spoken, mutual pairs and
the feed of recent entries (the prompt is tally_prompt.py). Each takes plain values and draws Text (user text is
never parsed as markup)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from facilitator.widgets.panel import Panel


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


@dataclass(frozen=True)
class FeedLine:
    at: str  # local time, HH:MM
    source: str  # "" for a whole-group state
    target: str  # "" when addressed to the whole group
    label: str
    logged_by: str
    note: str
    voided: bool
    mine: bool


@dataclass(frozen=True)
class FeedHeading:
    """Where the round changes in the feed: "Round 2", "between rounds"."""

    text: str


class FeedPanel(Panel):
    """Recent entries, newest first; voided ones struck through and marked ✗ (strike
    and dim are lost on some terminals and without colour); who logged each; a
    heading where the round changes ("between rounds" for entries outside any)."""

    def show(self, lines: list[FeedLine | FeedHeading]) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Recent entries · ✗ = undone", style="bold")
        if not lines:
            text.append("\n none yet: type a code")
        for line in lines:
            if isinstance(line, FeedHeading):
                text.append("\n")
                text.append(f"— {line.text} —", style="italic")
                continue
            row = Text(no_wrap=True, overflow="ellipsis", style="strike dim" if line.voided else "")
            row.append(f"{line.at} ")
            if line.voided:
                row.append("✗ ")
            if line.source:
                row.append(line.source, style="bold")
                row.append(f" {line.label} ")
                row.append(line.target or "the group")
            else:
                row.append(f"— {line.label}", style="italic")
            row.append(f" ·{line.logged_by}", style="dim")
            text.append("\n")
            text.append_text(row)
            if line.note:
                # On a line of its own under the entry: beside it, any note was cut
                # even at 100 columns.
                note = Text(no_wrap=True, overflow="ellipsis",
                            style="strike dim" if line.voided else "italic")
                note.append(f"      “{line.note}”")
                text.append("\n")
                text.append_text(note)
        self.show_text(text)

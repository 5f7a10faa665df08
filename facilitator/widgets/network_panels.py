"""The network screen's small parts: the filter line, the timeline and the side
panel of findings (or of the focused person). User text is never markup."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class FilterBar(Static):
    """Which part of the session the picture shows."""

    def show(self, parts: list[tuple[str, str]]) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        for index, (label, value) in enumerate(parts):
            if index:
                line.append("  ")
            line.append(f"{label} ", style="dim")
            line.append(value, style="bold" if value not in ("all", "none") else "")
        self.update(line, layout=False)  # one fixed line: no need to lay the screen out again


class TimelineBar(Static):
    """Where the replay is in the log: a bar, the count and the time reached."""

    last: tuple[int, int, str | None, bool, bool] | None = None

    def on_resize(self) -> None:
        if self.last is not None:  # the bar's length follows the width
            self.show(*self.last)

    def show(self, shown: int, total: int, at: str | None, playing: bool, live: bool) -> None:
        self.last = (shown, total, at, playing, live)
        width = max(10, self.size.width - 34)
        filled = 0 if total == 0 else round(width * shown / total)
        line = Text(no_wrap=True, overflow="ellipsis")
        state = "live" if live else ("playing" if playing else "paused")
        line.append(f"{'▶' if playing else ('●' if live else '❚❚')} {state:7} ", style="bold")
        line.append("━" * filled, style="bold")
        line.append("─" * (width - filled), style="dim")
        clock = at[11:16] if at and len(at) >= 16 else "--:--"
        line.append(f" {shown}/{total} {clock}")
        self.update(line, layout=False)  # one fixed line: no need to lay the screen out again


class NetworkSide(VerticalScroll):
    """Findings in sentences, or the focused person's figures."""

    can_focus = False

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("", id="network-side-title")
        yield Static("", id="network-side-body")

    def show(self, title: str, lines: list[str]) -> None:
        self.query_one("#network-side-title", Static).update(Text(title, style="bold"))
        body = Text()
        for index, line in enumerate(lines):
            if index:
                body.append("\n")
            body.append(line if line.startswith("  ") else "• " + line)
        self.query_one("#network-side-body", Static).update(body)

    def text(self) -> str:
        title = self.query_one("#network-side-title", Static).render()
        body = self.query_one("#network-side-body", Static).render()
        return f"{title}\n{body}"


class GroupLegend(Static):
    """Which mark stands for which group: coloured dots, or shapes without colour.
    Group names are user text: appended as Text, never markup."""

    def show(self, entries: list[tuple[str, str, Style]]) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        if entries:
            line.append("groups ", style="dim")
        for index, (mark, name, style) in enumerate(entries):
            if index:
                line.append("  ")
            line.append(mark, style=style)
            line.append(name)
        self.display = bool(entries)
        self.update(line, layout=False)

"""The network screen's small parts: the filter line, the group legend and the side
panel of findings (or of the focused person). User text is never markup. The
timeline bar, which has state of its own, is in network_timeline."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from facilitator.widgets.panel import Panel


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


class NetworkSide(VerticalScroll):
    """Findings in sentences, or the focused person's figures."""

    can_focus = False

    def compose(self):  # type: ignore[no-untyped-def]
        yield Panel("", id="network-side-title")
        yield Panel("", id="network-side-body")

    def show(self, title: str, lines: list[str]) -> None:
        """Redrawn only where the text changed, and laid out again only when its
        height did: new findings after a filter key repaint the panel, not the screen."""
        self.query_one("#network-side-title", Panel).show_text(Text(title, style="bold"))
        body = Text()
        for index, line in enumerate(lines):
            if index:
                body.append("\n")
            body.append(line if line.startswith("  ") else "• " + line)
        self.query_one("#network-side-body", Panel).show_text(body)

    def text(self) -> str:
        title = self.query_one("#network-side-title", Panel).render()
        body = self.query_one("#network-side-body", Panel).render()
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

"""The sociogram widget: draws what facilitator.analysis.sociogram renders, coloured
by group with theme colours (component classes styled in styles/network.tcss)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from facilitator.analysis.sociogram import EdgeSpec, NodeSpec, Sociogram, SociogramCanvas, RANK

GROUP_CLASSES = 6


class NetworkCanvas(Widget):
    """People and ties at their shared positions. `show()` redraws; when only new
    ties arrived (same people, same layout, same size) just those are drawn."""

    can_focus = True

    COMPONENT_CLASSES = {
        "network-canvas--edge", "network-canvas--edge-dim", "network-canvas--edge-ego",
        "network-canvas--edge-new", "network-canvas--arrow", "network-canvas--node",
        "network-canvas--isolate", "network-canvas--focus", "network-canvas--ego",
        "network-canvas--dim",
        *{f"network-canvas--group-{i}" for i in range(GROUP_CLASSES)},
    }

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.nodes: tuple[NodeSpec, ...] = ()
        self.edges: frozenset[EdgeSpec] = frozenset()
        self.positions: dict[int, tuple[float, float]] = {}
        self.canvas: SociogramCanvas | None = None
        self.canvas_size: tuple[int, int] = (0, 0)
        self.picture: Sociogram | None = None
        self.empty_text = "Nobody is on the roster yet."

    def show(self, nodes: list[NodeSpec], edges: list[EdgeSpec],
             positions: dict[int, tuple[float, float]]) -> None:
        """Draw these people and ties (incrementally when possible)."""
        new_edges = frozenset(edges)
        same_frame = (tuple(nodes) == self.nodes and positions == self.positions
                      and self.canvas is not None and self.canvas_size == self._grid_size())
        if same_frame and new_edges >= self.edges:
            added = sorted(new_edges - self.edges, key=lambda e: (RANK.get(e.emphasis, 2), e.source, e.target))
            if added:
                assert self.canvas is not None
                for edge in added:
                    self.canvas.draw_edge(edge)
                self.edges = new_edges
                self.picture = self.canvas.compose()
                self.refresh()
            return
        self.nodes, self.edges, self.positions = tuple(nodes), new_edges, dict(positions)
        self._rebuild()

    def _grid_size(self) -> tuple[int, int]:
        return max(1, self.size.width), max(1, self.size.height)

    def _rebuild(self) -> None:
        width, height = self._grid_size()
        self.canvas_size = (width, height)
        self.canvas = SociogramCanvas(width, height, self.nodes, self.positions)
        for edge in sorted(self.edges, key=lambda e: (RANK.get(e.emphasis, 2), e.source, e.target)):
            self.canvas.draw_edge(edge)
        self.picture = self.canvas.compose()
        self.refresh()

    def on_resize(self) -> None:
        if self.nodes:
            self._rebuild()

    def text(self) -> str:
        """The picture as plain text (for tests and copying)."""
        return self.picture.text() if self.picture else ""

    def _style(self, role: str, group: int | None) -> Style:
        if not role:
            return Style()
        if role in ("node", "focus", "ego") and group is not None:
            style = self.get_component_rich_style(f"network-canvas--group-{group % GROUP_CLASSES}")
            if role == "focus":
                style += self.get_component_rich_style("network-canvas--focus")
            return style
        name = "arrow" if role.startswith("arrow") else role
        return self.get_component_rich_style(f"network-canvas--{name}")

    def render(self) -> Text:
        if not self.nodes or self.picture is None:
            return Text(self.empty_text, style="dim")
        out = Text(no_wrap=True, overflow="crop")
        for index, (line, roles, groups) in enumerate(
                zip(self.picture.lines, self.picture.roles, self.picture.groups)):
            if index:
                out.append("\n")
            start = 0
            # One span per run of cells drawn alike keeps the Text small.
            for col in range(1, len(line) + 1):
                if col == len(line) or roles[col] != roles[start] or groups[col] != groups[start]:
                    out.append(line[start:col], self._style(roles[start], groups[start]))
                    start = col
        return out

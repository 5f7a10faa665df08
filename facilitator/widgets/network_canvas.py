"""The sociogram widget: draws what facilitator.analysis.sociogram renders, coloured
by group with theme colours (component classes styled in styles/network.tcss)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.style import Style
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widget import Widget

from facilitator.analysis.sociogram import RANK, EdgeSpec, NodeSpec, Sociogram, SociogramCanvas

GROUP_CLASSES = 6
#: Above this many ties a full redraw runs in a worker thread.
BUILD_IN_WORKER = 600


def _edge_order(edge: EdgeSpec) -> tuple[int, int, int]:
    return RANK.get(edge.emphasis, 2), edge.source, edge.target


def _build(generation: int, width: int, height: int, nodes: tuple[NodeSpec, ...],
           edges: frozenset[EdgeSpec], positions: dict[int, tuple[float, float]],
           ) -> tuple[int, SociogramCanvas, Sociogram]:
    canvas = SociogramCanvas(width, height, nodes, positions)
    for edge in sorted(edges, key=_edge_order):
        canvas.draw_edge(edge)
    return generation, canvas, canvas.compose()


@dataclass
class CanvasBuilt(Message):
    """A full redraw finished in a worker."""

    generation: int
    canvas: SociogramCanvas
    picture: Sociogram


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
        self.generation = 0
        self.building = False  # a full redraw is running in a worker

    def show(self, nodes: list[NodeSpec], edges: list[EdgeSpec],
             positions: dict[int, tuple[float, float]]) -> None:
        """Draw these people and ties (incrementally when possible)."""
        new_edges = frozenset(edges)
        # Same people drawn alike (order aside: labels keep their spots), same layout
        # and size: only the new ties need drawing.
        same_frame = (frozenset(nodes) == frozenset(self.nodes) and positions == self.positions
                      and self.canvas is not None and self.canvas_size == self._grid_size()
                      and not self.building)
        if same_frame and new_edges >= self.edges:
            added = sorted(new_edges - self.edges, key=_edge_order)
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
        self.generation += 1
        if len(self.edges) <= BUILD_IN_WORKER:
            self._built(*_build(self.generation, width, height, self.nodes, self.edges, self.positions))
            return
        # Big networks: draw in a thread; the old picture stays until the new one is ready.
        self.building = True
        self.run_worker(partial(self._build_in_thread, self.generation, width, height, self.nodes,
                                self.edges, dict(self.positions)),
                        thread=True, exclusive=True, group="network-canvas")

    def _build_in_thread(self, *args: object) -> None:
        self.post_message(CanvasBuilt(*_build(*args)))  # type: ignore[arg-type]

    @on(CanvasBuilt)
    def canvas_built(self, message: CanvasBuilt) -> None:
        self._built(message.generation, message.canvas, message.picture)

    def _built(self, generation: int, canvas: SociogramCanvas, picture: Sociogram) -> None:
        if generation != self.generation:
            return  # something newer was asked for
        self.building = False
        self.canvas, self.picture = canvas, picture
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

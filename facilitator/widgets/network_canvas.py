"""The sociogram widget: draws what facilitator.analysis.sociogram renders, coloured
by group with theme colours (component classes styled in styles/network.tcss)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from facilitator.analysis.sociogram import RANK, EdgeSpec, NodeSpec, Sociogram, SociogramCanvas
from facilitator.widgets.failures import forward_worker_failure

GROUP_CLASSES = 6
#: Above this many ties a full redraw runs in a worker thread.
BUILD_IN_WORKER = 600


def _edge_order(edge: EdgeSpec) -> tuple[int, int, int]:
    return RANK.get(edge.emphasis, 2), edge.source, edge.target


def _build(generation: int, width: int, height: int, nodes: tuple[NodeSpec, ...],
           edges: frozenset[EdgeSpec], positions: dict[int, tuple[float, float]],
           group_marks: bool = False) -> tuple[int, SociogramCanvas, Sociogram]:
    canvas = SociogramCanvas(width, height, nodes, positions, group_marks=group_marks)
    for edge in sorted(edges, key=_edge_order):
        canvas.draw_edge(edge)
    return generation, canvas, canvas.compose()


def _pair(edge: EdgeSpec) -> tuple[int, int]:
    return min(edge.source, edge.target), max(edge.source, edge.target)


def _only_adds(old: EdgeSpec, new: EdgeSpec) -> bool:
    """Drawing `new` over `old` gives the picture a full redraw would: same line
    (same ends and emphasis), no lighter, not less mutual, arrows only added."""
    return ((old.source, old.target) == (new.source, new.target) and old.emphasis == new.emphasis
            and new.weight >= old.weight and new.mutual >= old.mutual
            and new.directed >= old.directed)


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
        self.edges: dict[tuple[int, int], EdgeSpec] = {}  # by (smaller id, larger id)
        self.positions: dict[int, tuple[float, float]] = {}
        self.canvas: SociogramCanvas | None = None
        self.canvas_size: tuple[int, int] = (0, 0)
        self.picture: Sociogram | None = None
        self.empty_text = "Nobody is on the roster yet."
        self.generation = 0
        self.building = False  # a full redraw is running in a worker
        self.failing = False  # the last drawing in a worker failed (said once)
        #: Groups told apart by the shape of the marks (for NO_COLOR terminals).
        self.group_marks = False
        self._strips: dict[int, Strip] = {}  # painted rows, by row
        self._styles: dict[tuple[str, int | None], Style] = {}
        #: Called once the picture being drawn in a worker is on screen (after_drawn).
        self._when_drawn: list[Callable[[], object]] = []

    def show(self, nodes: list[NodeSpec], edges: list[EdgeSpec],
             positions: dict[int, tuple[float, float]]) -> None:
        """Draw these people and ties (incrementally when possible)."""
        new_edges = frozenset(edges)
        old_edges = frozenset(self.edges.values())
        # Same people drawn alike (order aside: labels keep their spots), same layout
        # and size: only the new ties need drawing.
        same_frame = (frozenset(nodes) == frozenset(self.nodes) and positions == self.positions
                      and self.canvas is not None and self.canvas_size == self._grid_size()
                      and not self.building)
        if same_frame and new_edges >= old_edges and (
                new_edges == old_edges or self.grow(nodes, list(new_edges - old_edges), positions)):
            return
        self.nodes, self.positions = tuple(nodes), dict(positions)
        self.edges = {_pair(e): e for e in edges}
        self._rebuild()

    def after_drawn(self, callback: Callable[[], object]) -> None:
        """Call back once the picture asked for is painted: after the next frame, or,
        while a big network is drawn in a worker, after the frame that shows it (or
        once that drawing failed). Slow follow-up work (findings, a new layout)
        started any sooner would compete with the drawing for Python's lock, and
        keep the UI thread from it too."""
        self._when_drawn.append(callback)
        if not self.building:
            self._drawn()

    def _drawn(self) -> None:
        waiting, self._when_drawn = self._when_drawn, []
        for callback in waiting:
            self.call_after_refresh(callback)

    def grow(self, nodes: list[NodeSpec], changed: list[EdgeSpec],
             positions: dict[int, tuple[float, float]]) -> bool:
        """Draw only the ties that changed (new ones, or heavier or now mutual: their
        lines only gain dots) and restyle people whose look changed (a first tie);
        nothing moves. False when the picture needs a full redraw (`show`) instead."""
        canvas = self.canvas
        if (canvas is None or self.building or positions != self.positions
                or self.canvas_size != self._grid_size() or len(nodes) != len(self.nodes)):
            return False
        before = {node.id: node for node in self.nodes}
        restyled = []
        for node in nodes:
            old = before.get(node.id)
            if old is None or (old.label, old.short) != (node.label, node.short):
                return False  # someone new, or renamed: labels must be placed again
            if old != node:
                restyled.append(node)
        for edge in changed:
            old_edge = self.edges.get(_pair(edge))
            if old_edge is not None and not _only_adds(old_edge, edge):
                return False
        for node in restyled:
            canvas.restyle(node)
        for edge in sorted(changed, key=_edge_order):
            canvas.draw_edge(edge)
            self.edges[_pair(edge)] = edge
        self.nodes = tuple(nodes)
        self._set_picture(canvas.compose())
        return True

    def _grid_size(self) -> tuple[int, int]:
        return max(1, self.size.width), max(1, self.size.height)

    def _rebuild(self) -> None:
        width, height = self._grid_size()
        self.canvas_size = (width, height)
        self.generation += 1
        edges = frozenset(self.edges.values())
        if len(edges) <= BUILD_IN_WORKER:
            self._built(*_build(self.generation, width, height, self.nodes, edges, self.positions,
                                self.group_marks))
            return
        # Big networks: draw in a thread; the old picture stays until the new one is ready.
        self.building = True
        self.run_worker(partial(self._build_in_thread, self.generation, width, height, self.nodes,
                                edges, dict(self.positions), self.group_marks),
                        thread=True, exclusive=True, group="network-canvas",
                        name="the network picture", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed drawing reaches the app's one handler (StateChanged does not
        bubble), once until a drawing works again; the old picture stays and the
        next change draws again."""
        if event.state == WorkerState.SUCCESS:
            self.failing = False
        elif event.state == WorkerState.ERROR:
            self.building = False
            self._drawn()  # what waited for the picture goes on without it
            if not self.failing:
                self.failing = True
                forward_worker_failure(self, event)

    def _build_in_thread(self, *args: object) -> None:
        self.post_message(CanvasBuilt(*_build(*args)))  # type: ignore[arg-type]

    @on(CanvasBuilt)
    def canvas_built(self, message: CanvasBuilt) -> None:
        self._built(message.generation, message.canvas, message.picture)

    def _built(self, generation: int, canvas: SociogramCanvas, picture: Sociogram) -> None:
        if generation != self.generation:
            return  # something newer was asked for
        self.building = False
        self.canvas = canvas
        self._set_picture(picture)
        self._drawn()

    def on_resize(self) -> None:
        if self.nodes:
            self._rebuild()

    def text(self) -> str:
        """The picture as plain text (for tests and copying)."""
        return self.picture.text() if self.picture else ""

    def group_style(self, group: int) -> Style:
        """How a group's people are drawn (for the legend)."""
        return self._style("node", group)

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

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # theme or CSS changed: colours must be looked up again
        self._strips.clear()

    def _cell_style(self, role: str, group: int | None) -> Style:
        key = (role, group)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self.rich_style + self._style(role, group)
        return style

    def _set_picture(self, picture: Sociogram) -> None:
        """Show a new drawing, repainting only the rows that differ from the last."""
        old, self.picture = self.picture, picture
        if old is None or len(old.lines) != len(picture.lines):
            self._strips.clear()
            self.refresh()
            return
        changed = [y for y in range(len(picture.lines))
                   if old.lines[y] != picture.lines[y] or old.roles[y] != picture.roles[y]
                   or old.groups[y] != picture.groups[y]]
        for y in changed:
            self._strips.pop(y, None)
        if changed:
            width = self.size.width
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def render_line(self, y: int) -> Strip:
        """One row of the picture. Rows are cached and built from plain styles: a
        new tie repaints only the rows it crosses (the Line API, cheaper than a
        whole Text of a few hundred spans on every paint)."""
        picture = self.picture
        width = self.size.width
        if not self.nodes or picture is None:
            if y == 0:
                return Strip([Segment(self.empty_text, self.rich_style + Style(dim=True))])
            return Strip.blank(width, self.rich_style)
        if y >= len(picture.lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(y)
        if strip is None:
            line, roles, groups = picture.lines[y], picture.roles[y], picture.groups[y]
            segments = []
            start = 0
            # One segment per run of cells drawn alike.
            for col in range(1, len(line) + 1):
                if col == len(line) or roles[col] != roles[start] or groups[col] != groups[start]:
                    segments.append(Segment(line[start:col],
                                            self._cell_style(roles[start], groups[start])))
                    start = col
            strip = self._strips[y] = Strip(segments, len(line))
        return strip

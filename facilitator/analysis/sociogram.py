"""Drawing the sociogram on a character grid: a pure function from positions, nodes
and edges to lines of text (plus, per cell, what is drawn there and which group a
node belongs to, so a screen can colour it).

- Lines between people are braille dots (2 x 4 dots per cell), so they stay thin.
  Weight is the line style: dotted = one interaction, solid = 2-4, thick = 5 or more.
- Direction: an arrow next to the person addressed; mutual ties have arrows at both ends;
  ties of undirected kinds only (done together) have none.
- People are a mark and a label ("●Ana"); labels never overlap and keep a blank
  cell between them; a label that does not fit shrinks to the person's code, then to
  the mark alone. Isolates have their own mark ("○").
- Deterministic: the same input gives the same text, in any process.

`SociogramCanvas` keeps the drawn dots, so a new interaction is drawn by adding one
edge (the layout is not recomputed and nothing else is redrawn).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

NODE_MARK = "●"
ISOLATE_MARK = "○"
FOCUS_MARK = "◉"
#: Without colour, a person's group is told by the shape of their mark (filled: has
#: ties, hollow: none yet); cycled past six groups, like the colours.
GROUP_MARKS = "●■▲◆▼★"
HOLLOW_MARKS = "○□△◇▽☆"
#: Arrow by direction, starting east and turning clockwise (rows grow downwards).
ARROWS = "→↘↓↙←↖↑↗"
MAX_LABEL = 14
BRAILLE = 0x2800
#: Bit of each dot in a braille cell, by [dot row][dot column].
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
#: Emphasis ranks: when lines cross, the cell shows the strongest.
RANK = {"dim": 1, "": 2, "ego": 3, "new": 4}
LEGEND = "●person ○no ties  ⠁⠁ once  ⠒⠒ 2-4 times  ⠶⠶ 5+  → towards the person addressed"


@dataclass(frozen=True)
class NodeSpec:
    """A person to draw. group: index for colouring (None = no group)."""

    id: int
    label: str
    short: str = ""
    group: int | None = None
    isolate: bool = False
    emphasis: str = ""  # "", "focus", "ego" (a focused person's neighbour) or "dim"


@dataclass(frozen=True)
class EdgeSpec:
    """A tie: source addressed target `weight` times; mutual: target answered too;
    directed False: only undirected kinds (done together) link them, no arrow."""

    source: int
    target: int
    weight: int = 1
    mutual: bool = False
    emphasis: str = ""  # "", "ego", "dim" or "new"
    directed: bool = True


@dataclass
class Sociogram:
    """The drawing: lines of text, and per cell its role and the node group there.

    roles: "" blank, "edge", "edge-ego", "edge-dim", "edge-new", "arrow", "arrow-…",
    "node", "isolate", "focus", "ego", "dim" (the last five for marks and labels)."""

    lines: list[str]
    roles: list[list[str]]
    groups: list[list[int | None]]
    boxes: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> row, start, end
    marks: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (col, row)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines)


def safe_label(text: str, short: str) -> str:
    """A label one cell per character: names with wide or combining characters fall
    back to the code, so the grid stays aligned in every terminal."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    for ch in text:
        if (unicodedata.east_asian_width(ch) in "WF" or unicodedata.combining(ch)
                or not ch.isprintable()):
            return short or "?"
    return text


def node_mark(node: NodeSpec, group_marks: bool = False) -> str:
    """The mark drawn for a person: by group shape when group_marks (no colour)."""
    if node.emphasis == "focus":
        return FOCUS_MARK
    if group_marks and node.group is not None:
        index = node.group % len(GROUP_MARKS)
        return (HOLLOW_MARKS if node.isolate else GROUP_MARKS)[index]
    return ISOLATE_MARK if node.isolate else NODE_MARK


def group_legend(names: Sequence[str], group_marks: bool = False) -> list[tuple[str, str, int]]:
    """(mark, group name, group index) for each group drawn, to print as a key."""
    return [(GROUP_MARKS[i % len(GROUP_MARKS)] if group_marks else NODE_MARK, name, i)
            for i, name in enumerate(names)]


class SociogramCanvas:
    """A sociogram being drawn: place people once, then add edges one at a time."""

    def __init__(self, width: int, height: int, nodes: Sequence[NodeSpec],
                 positions: dict[int, tuple[float, float]], max_label: int = MAX_LABEL,
                 group_marks: bool = False):
        self.group_marks = group_marks
        self.width = max(1, width)
        self.height = max(1, height)
        self.nodes = {n.id: n for n in nodes if n.id in positions}
        size = self.width * self.height
        self.dots = bytearray(size)
        self.edge_rank = bytearray(size)
        self.arrows: dict[int, tuple[str, int]] = {}
        self.text: dict[int, tuple[str, str, int | None]] = {}  # cell -> char, role, group
        self.marks: dict[int, tuple[int, int]] = {}
        self.boxes: dict[int, tuple[int, int, int]] = {}
        self._place_marks(nodes, positions)
        self._place_labels(nodes, max_label)

    # ------------------------------------------------------------ people
    def _cell(self, x: float, y: float) -> tuple[int, int]:
        col = int(round(min(1.0, max(0.0, x)) * (self.width - 1)))
        row = int(round(min(1.0, max(0.0, y)) * (self.height - 1)))
        return col, row

    def _free_near(self, col: int, row: int, taken: set[tuple[int, int]]) -> tuple[int, int]:
        if (col, row) not in taken:
            return col, row
        for ring in range(1, max(self.width, self.height)):
            # Same row first (horizontal room is cheap), then the rows around.
            for dr in sorted(range(-ring, ring + 1), key=abs):
                for dc in sorted(range(-ring * 2, ring * 2 + 1), key=lambda d: (abs(d), d)):
                    if max(abs(dr), (abs(dc) + 1) // 2) != ring:
                        continue
                    c, r = col + dc, row + dr
                    if 0 <= c < self.width and 0 <= r < self.height and (c, r) not in taken:
                        return c, r
        return col, row

    def _place_marks(self, nodes: Sequence[NodeSpec], positions: dict[int, tuple[float, float]]) -> None:
        taken: set[tuple[int, int]] = set()
        for node in nodes:
            if node.id not in positions:
                continue
            col, row = self._free_near(*self._cell(*positions[node.id]), taken)
            taken.add((col, row))
            self.marks[node.id] = (col, row)
            mark = node_mark(node, self.group_marks)
            self.text[row * self.width + col] = (mark, self._role(node), node.group)

    @staticmethod
    def _role(node: NodeSpec) -> str:
        if node.emphasis in ("focus", "ego", "dim"):
            return node.emphasis
        return "isolate" if node.isolate else "node"

    def _fits(self, row: int, start: int, end: int, own: int) -> bool:
        """Cells start..end-1 are free, with a blank cell either side (or the border)."""
        if row < 0 or row >= self.height or start < 0 or end > self.width:
            return False
        base = row * self.width
        for col in range(max(0, start - 1), min(self.width, end + 1)):
            if base + col != own and base + col in self.text:
                return False
        return True

    def _place_labels(self, nodes: Sequence[NodeSpec], max_label: int) -> None:
        for node in nodes:
            if node.id not in self.marks:
                continue
            col, row = self.marks[node.id]
            own = row * self.width + col
            placed = False
            choices = [safe_label(node.label, node.short)[:max_label]]
            if node.short and node.short != choices[0]:
                choices.append(node.short[:max_label])
            for label in choices:
                n = len(label)
                # right of the mark, left of it, then above or below, centred.
                for lrow, start in ((row, col + 1), (row, col - n), (row - 1, col - n // 2),
                                    (row + 1, col - n // 2)):
                    if lrow == row and not self._fits(row, min(start, col), max(start + n, col + 1), own):
                        continue
                    if lrow != row and not self._fits(lrow, start, start + n, -1):
                        continue
                    for i, ch in enumerate(label):
                        self.text[lrow * self.width + start + i] = (ch, self._role(node), node.group)
                    lo, hi = (min(start, col), max(start + n, col + 1)) if lrow == row else (start, start + n)
                    self.boxes[node.id] = (lrow, lo, hi)
                    placed = True
                    break
                if placed:
                    break
            if not placed:
                self.boxes[node.id] = (row, col, col + 1)

    def restyle(self, node: NodeSpec) -> None:
        """Redraw a placed person's mark and label for a new look (a first tie, a
        group change, focus) without moving anything."""
        if node.id not in self.marks:
            return
        self.nodes[node.id] = node
        col, row = self.marks[node.id]
        mark = node_mark(node, self.group_marks)
        role = self._role(node)
        self.text[row * self.width + col] = (mark, role, node.group)
        lrow, lo, hi = self.boxes.get(node.id, (row, col, col + 1))
        for cell in range(lrow * self.width + lo, lrow * self.width + hi):
            if cell != row * self.width + col and cell in self.text:
                self.text[cell] = (self.text[cell][0], role, node.group)

    # ------------------------------------------------------------ ties
    def draw_edge(self, edge: EdgeSpec) -> None:
        """Add one tie to the drawing (dots, then its arrowheads)."""
        if edge.source not in self.marks or edge.target not in self.marks:
            return
        (c0, r0), (c1, r1) = self.marks[edge.source], self.marks[edge.target]
        x0, y0, x1, y1 = c0 * 2, r0 * 4 + 1, c1 * 2, r1 * 4 + 1
        dx, dy = x1 - x0, y1 - y0
        steps = max(abs(dx), abs(dy))
        if steps == 0:
            return
        rank = RANK.get(edge.emphasis, 2)
        dotted, thick = edge.weight <= 1, edge.weight >= 5
        horizontal = abs(dx) >= abs(dy)
        w = self.width
        for i in range(steps + 1):
            if dotted and i % 2:
                continue
            x = x0 + (dx * i) // steps if dx >= 0 else x0 - ((-dx * i) // steps)
            y = y0 + (dy * i) // steps if dy >= 0 else y0 - ((-dy * i) // steps)
            self._dot(x, y, rank, w)
            if thick:
                self._dot(x, y + 1, rank, w) if horizontal else self._dot(x + 1, y, rank, w)
        if not edge.directed:
            return
        angle = math.atan2(dy, dx)
        self._arrow(edge.target, (x1, y1), (x0, y0), ARROWS[round(angle / (math.pi / 4)) % 8], rank)
        if edge.mutual:
            self._arrow(edge.source, (x0, y0), (x1, y1), ARROWS[(round(angle / (math.pi / 4)) + 4) % 8], rank)

    def _dot(self, x: int, y: int, rank: int, w: int) -> None:
        col, row = x >> 1, y >> 2
        if 0 <= col < w and 0 <= row < self.height:
            cell = row * w + col
            self.dots[cell] |= DOT_BITS[y & 3][x & 1]
            if rank > self.edge_rank[cell]:
                self.edge_rank[cell] = rank

    def _arrow(self, node_id: int, end: tuple[int, int], start: tuple[int, int],
               glyph: str, rank: int) -> None:
        """Put the arrowhead in the first free cell on the line, next to node_id."""
        (x1, y1), (x0, y0) = end, start
        steps = max(abs(x1 - x0), abs(y1 - y0))
        last = None
        for i in range(steps + 1):
            x = x1 + round((x0 - x1) * i / steps)
            y = y1 + round((y0 - y1) * i / steps)
            cell = (y >> 2) * self.width + (x >> 1)
            if cell == last:
                continue
            last = cell
            if cell in self.text:
                continue
            current = self.arrows.get(cell)
            if current is None or rank > current[1]:
                self.arrows[cell] = (glyph, rank)
            return

    # ------------------------------------------------------------ output
    def compose(self) -> Sociogram:
        """The drawing as it stands, as lines of text with roles and groups."""
        w, h = self.width, self.height
        names = {1: "edge-dim", 2: "edge", 3: "edge-ego", 4: "edge-new"}
        lines: list[str] = []
        roles: list[list[str]] = []
        groups: list[list[int | None]] = []
        for row in range(h):
            chars: list[str] = []
            row_roles: list[str] = []
            row_groups: list[int | None] = []
            for cell in range(row * w, row * w + w):
                found = self.text.get(cell)
                if found is not None:
                    chars.append(found[0])
                    row_roles.append(found[1])
                    row_groups.append(found[2])
                    continue
                row_groups.append(None)
                arrow = self.arrows.get(cell)
                if arrow is not None:
                    chars.append(arrow[0])
                    row_roles.append("arrow" if arrow[1] == 2 else "arrow-" + names[arrow[1]][5:])
                elif self.dots[cell]:
                    chars.append(chr(BRAILLE + self.dots[cell]))
                    row_roles.append(names[self.edge_rank[cell]])
                else:
                    chars.append(" ")
                    row_roles.append("")
            lines.append("".join(chars))
            roles.append(row_roles)
            groups.append(row_groups)
        return Sociogram(lines, roles, groups, dict(self.boxes), dict(self.marks))


def render_sociogram(nodes: Sequence[NodeSpec], edges: Iterable[EdgeSpec],
                     positions: dict[int, tuple[float, float]], width: int, height: int,
                     max_label: int = MAX_LABEL, group_marks: bool = False) -> Sociogram:
    """Draw people at their positions (unit square, see analysis/layout.py) with
    their ties, on a width x height grid. Nodes listed first get the best label spots."""
    canvas = SociogramCanvas(width, height, nodes, positions, max_label, group_marks)
    for edge in sorted(edges, key=lambda e: (RANK.get(e.emphasis, 2), e.source, e.target)):
        canvas.draw_edge(edge)
    return canvas.compose()

"""The sociogram renderer and the shared layout: labels, lines, marks, determinism,
stability, and the karate club's two factions drawn apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx

from facilitator.analysis.layout import CONNECTED_BAND, MAX_STEP, full_layout, update_layout
from facilitator.analysis.network import NetworkFilter
from facilitator.core.network import load_network
from facilitator.core.layout import ensure_layout, render_network
from facilitator.analysis.sociogram import (
    ISOLATE_MARK, NODE_MARK, EdgeSpec, NodeSpec, SociogramCanvas, render_sociogram)
from facilitator.models.layout import stored_layout
from facilitator.models.store import SessionStore
from tests.network_helpers import load_graph_session


def braille_cells(lines: list[str], rows: range, cols: range) -> int:
    return sum(1 for r in rows for c in cols if "\u2800" < lines[r][c] <= "\u28ff")


def test_labels_marks_and_a_line_between_the_right_people() -> None:
    nodes = [NodeSpec(1, "Ana", "al"), NodeSpec(2, "Bob", "bs"), NodeSpec(3, "Cleo", "cd"),
             NodeSpec(4, "Dev", "dp", isolate=True)]
    positions = {1: (0.0, 0.0), 2: (1.0, 0.0), 3: (0.0, 0.8), 4: (0.5, 1.0)}
    picture = render_sociogram(nodes, [EdgeSpec(1, 2, weight=3)], positions, 40, 10)
    text = picture.text()
    for label in ("Ana", "Bob", "Cleo", "Dev"):
        assert label in text
    assert picture.lines[9].strip() == ISOLATE_MARK + "Dev"
    assert picture.lines[0].startswith(NODE_MARK + "Ana")
    # The line runs along the top row between Ana and Bob, and nowhere near Cleo.
    assert braille_cells(picture.lines, range(0, 1), range(5, 33)) > 20
    assert braille_cells(picture.lines, range(2, 10), range(0, 40)) == 0
    # Bob is the one addressed: the arrow sits next to him and points at him.
    assert "→" + NODE_MARK not in text and "→" in picture.lines[0]
    assert picture.lines[0].rstrip().endswith("→Bob" + NODE_MARK)


def test_direction_weight_and_mutual_ties_are_visible() -> None:
    nodes = [NodeSpec(1, "Ana"), NodeSpec(2, "Bob")]
    positions = {1: (0.0, 0.0), 2: (1.0, 0.0)}
    once = render_sociogram(nodes, [EdgeSpec(1, 2, weight=1)], positions, 30, 3).lines[0]
    often = render_sociogram(nodes, [EdgeSpec(1, 2, weight=6)], positions, 30, 3).lines[0]
    mutual = render_sociogram(nodes, [EdgeSpec(1, 2, weight=2, mutual=True)], positions, 30, 3).lines[0]
    dots = lambda line: sum(bin(ord(ch) - 0x2800).count("1") for ch in line if "\u2800" <= ch <= "\u28ff")  # noqa: E731
    assert dots(once) < dots(mutual) < dots(often)
    assert "←" in mutual and "→" in mutual
    assert "←" not in once and "→" in once


def test_labels_never_overlap_in_a_crowd() -> None:
    graph = nx.gnm_random_graph(40, 90, seed=1)
    positions = full_layout(list(graph), {(min(u, v), max(u, v)) for u, v in graph.edges()}, seed=7)
    nodes = [NodeSpec(n, f"Person{n:02d}", f"p{n}") for n in graph]
    edges = [EdgeSpec(u, v) for u, v in graph.edges()]
    picture = render_sociogram(nodes, edges, positions, 80, 20)
    boxes = sorted(picture.boxes.values())
    for (r1, s1, e1), (r2, s2, e2) in zip(boxes, boxes[1:]):
        if r1 == r2:
            assert e1 < s2, "labels touch or overlap"  # at least one blank cell between
    assert len(picture.marks) == 40
    assert len(set(picture.marks.values())) == 40  # every person has a cell of their own
    assert all(len(line) == 80 for line in picture.lines)


def test_incremental_edge_draws_the_same_as_from_scratch() -> None:
    nodes = [NodeSpec(i, f"N{i}") for i in range(5)]
    positions = {i: (i / 4, (i % 2) * 0.8) for i in range(5)}
    edges = [EdgeSpec(0, 1), EdgeSpec(1, 2, 3), EdgeSpec(3, 4, 6, True)]
    canvas = SociogramCanvas(60, 12, nodes, positions)
    for edge in edges[:2]:
        canvas.draw_edge(edge)
    canvas.draw_edge(edges[2])
    assert canvas.compose().lines == render_sociogram(nodes, edges, positions, 60, 12).lines


def test_wide_or_markup_names_are_drawn_harmlessly() -> None:
    nodes = [NodeSpec(1, "[bold]Zoë", "zo"), NodeSpec(2, "王小明", "wx")]
    picture = render_sociogram(nodes, [], {1: (0.0, 0.0), 2: (1.0, 0.0)}, 30, 2)
    assert "[bold]Zoë" in picture.lines[0]  # shown as typed, not interpreted
    assert "wx" in picture.lines[0] and "王" not in picture.lines[0]


def test_layout_moves_existing_people_only_a_little_when_a_tie_appears() -> None:
    graph = nx.karate_club_graph()
    pairs = {(min(u, v), max(u, v)) for u, v in graph.edges()}
    before = full_layout(list(graph), pairs, seed=7)
    after = update_layout(list(graph), pairs | {(11, 24)}, before, seed=7)
    for node in graph:
        dx, dy = after[node][0] - before[node][0], after[node][1] - before[node][1]
        assert (dx * dx + dy * dy) ** 0.5 <= MAX_STEP + 1e-6
    assert all(0 <= y <= CONNECTED_BAND for _x, y in after.values())
    assert full_layout(list(graph), pairs, seed=7) == before  # seeded: same every time


def test_karate_factions_are_drawn_apart(tmp_path: Path) -> None:
    graph = nx.karate_club_graph()
    path, names = load_graph_session(tmp_path, "karate", graph)
    with SessionStore.open(path) as store:
        data = load_network(store)
        picture = render_network(store, data, NetworkFilter(), 100, 30)
    by_name = {p.name: p.id for p in data.people}
    mean_col = {}
    for club in ("Mr. Hi", "Officer"):
        cols = [picture.marks[by_name[names[n]]][0] for n in graph if graph.nodes[n]["club"] == club]
        mean_col[club] = sum(cols) / len(cols)
    assert abs(mean_col["Mr. Hi"] - mean_col["Officer"]) > 20
    for name in names.values():
        assert name in picture.text()


def test_the_layout_is_stored_and_two_processes_draw_the_same_picture(tmp_path: Path) -> None:
    path, _names = load_graph_session(tmp_path, "florentine", nx.florentine_families_graph())
    with SessionStore.open(path) as store:
        assert stored_layout(store) == ({}, None)
        positions = ensure_layout(store, load_network(store))
        assert stored_layout(store)[0] == positions
    script = ("import sys; from facilitator.cli import main; "
              "sys.argv = ['facilitator', 'network', sys.argv[1], '--width', '90']; main()")
    outputs = [subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                              text=True, check=True).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert "Medici" in outputs[0]


def test_a_fresh_file_is_laid_out_identically_by_two_processes(tmp_path: Path) -> None:
    """Nobody stored a layout yet: each process computes it; the pictures agree."""
    import shutil

    path, _names = load_graph_session(tmp_path, "davis", nx.davis_southern_women_graph())
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    script = ("import sys; from facilitator.cli import main; "
              "sys.argv = ['facilitator', 'network', sys.argv[1], '--width', '100']; main()")
    first = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                           text=True, check=True).stdout
    second = subprocess.run([sys.executable, "-c", script, str(copy)], capture_output=True,
                            text=True, check=True).stdout
    assert first == second

"""Helpers for the network tests: real social networks that ship with networkx,
loaded into session files through the real CLI, as a user would."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from facilitator.cli import cli


def run(*args: str) -> str:
    """Run a facilitator command; fail the test with its output if it fails."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def load_graph_session(tmp_path: Path, name: str, graph, *, both_ways: bool = False) -> tuple[Path, dict]:  # type: ignore[no-untyped-def]
    """A session whose roster is the graph's nodes and whose log has one interaction
    per edge (two, one each way, with both_ways). Returns the path and node -> name."""
    names = {node: str(node) if not isinstance(node, int) else f"P{node:02d}" for node in graph}
    people = tmp_path / f"{name}-people.csv"
    with open(people, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name"])
        for node in graph:
            writer.writerow([names[node]])
    log = tmp_path / f"{name}-log.csv"
    with open(log, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "kind", "timestamp", "note"])
        minute = 0
        for u, v in graph.edges():
            minute += 1
            stamp = f"2025-05-01T09:{minute // 60:02d}:{minute % 60:02d}+00:00"
            writer.writerow([names[u], names[v], "speak", stamp, ""])
            if both_ways:
                writer.writerow([names[v], names[u], "answer", stamp, ""])
    path = tmp_path / f"{name}.db"
    run("new", str(path), "--title", name)
    run("roster", str(path), "--import", str(people))
    if graph.number_of_edges():
        run("import", str(path), str(log))
    return path, names

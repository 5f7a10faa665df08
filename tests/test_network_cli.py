"""`facilitator network` and the report's network section, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from facilitator.cli import cli
from tests.network_helpers import load_graph_session, run


def test_network_prints_a_plain_picture_then_findings(demo_session: Path) -> None:
    output = run("network", str(demo_session), "--width", "100", "--height", "30")
    lines = output.splitlines()
    assert "\x1b" not in output  # no escape codes when not a terminal
    picture = lines[:30]
    assert all(len(line) <= 100 for line in picture)
    assert any("●" in line for line in picture)
    assert lines[30].startswith("Legend:")
    findings = [line for line in lines if line.startswith("- ")]
    assert any(line.startswith("- Isolated:") or "No one is isolated" in line for line in findings)
    assert any(line.startswith("- Hubs:") for line in findings)
    assert any(line.startswith("- Brokers:") for line in findings)
    assert any(line.startswith("- To introduce next:") for line in findings)


def test_filters_by_round_and_kind(demo_session: Path) -> None:
    everything = run("network", str(demo_session), "--width", "80")
    asks = run("network", str(demo_session), "--width", "80", "--kind", "ask")
    first = run("network", str(demo_session), "--width", "80", "--round", "1")
    count = lambda text: int(text.split("- ")[1].split(" interactions")[0])  # noqa: E731
    assert 0 < count(asks) < count(everything)
    assert 0 < count(first) < count(everything)


def test_unknown_filter_is_one_sentence_and_exit_1(demo_session: Path) -> None:
    result = CliRunner().invoke(cli, ["network", str(demo_session), "--round", "Nowhere"])
    assert result.exit_code == 1
    assert "There is no round 'Nowhere'" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["network", str(demo_session), "--kind", "dance"])
    assert result.exit_code == 1 and "is not a kind between people" in result.output


def test_network_on_a_missing_file_fails_plainly(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["network", str(tmp_path / "nope.db")])
    assert result.exit_code == 1
    assert "There is no session file" in result.output


def test_focus_highlights_one_person(demo_session: Path) -> None:
    output = run("network", str(demo_session), "--width", "100", "--focus", "ao")
    assert "◉Amara" in output or "Amara◉" in output


def test_report_json_has_the_network_section(tmp_path: Path) -> None:
    graph = nx.florentine_families_graph()
    path, names = load_graph_session(tmp_path, "florentine", graph)
    report = json.loads(run("report", str(path), "--json"))
    network = report["network"]
    for key in ("density", "reciprocity", "isolates", "hubs", "brokers", "communities",
                "suggested_introductions"):
        assert key in network, key
    assert network["density"] == round(nx.density(graph), 6)
    betweenness = nx.betweenness_centrality(graph)
    assert network["brokers"][0] == max(betweenness, key=betweenness.get)  # the Medici
    assert sorted(n for c in network["communities"] for n in c) == sorted(names.values())
    by_name = {p["name"]: p for p in report["participants"]}
    for node in graph:
        entry = by_name[names[node]]
        assert entry["degree"] == graph.degree(node)
        assert entry["in_degree"] + entry["out_degree"] == graph.degree(node)
        assert abs(entry["betweenness"] - betweenness[node]) < 1e-6
    for pair in network["suggested_introductions"]:
        assert not graph.has_edge(*pair)


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["network", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "facilitator network" in result.output


def test_network_stores_the_layout_once_then_only_reads_the_file(
        demo_session: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first picture lays the network out and stores it for everyone; after that
    `network` opens the file read-only (no write, no whole-file check) and draws the
    same picture from the stored layout."""
    import sqlite3

    from facilitator.models.store import SessionStore

    with SessionStore.open(demo_session) as store:
        store.transact(lambda c: c.execute("DELETE FROM layout"))
    first = run("network", str(demo_session), "--width", "80")
    with sqlite3.connect(demo_session) as raw:
        assert raw.execute("SELECT COUNT(*) FROM layout").fetchone()[0] > 0
    opened: list[bool] = []
    real_open = SessionStore.open.__func__  # type: ignore[attr-defined]

    def watched(cls, path, **options):  # type: ignore[no-untyped-def]
        opened.append(bool(options.get("read_only")))
        return real_open(cls, path, **options)

    monkeypatch.setattr(SessionStore, "open", classmethod(watched))
    assert run("network", str(demo_session), "--width", "80") == first
    assert opened == [True]


def test_network_upgrades_an_older_file_as_any_open_to_write(tmp_path: Path) -> None:
    from facilitator.models.schema import SCHEMA_VERSION
    from facilitator.models.store import SessionStore
    from tests.test_store import version_2_file

    path = tmp_path / "v2.db"
    version_2_file(path)
    assert "Ana Lopez" in run("network", str(path), "--width", "60")
    with SessionStore.open(path, read_only=True) as store:
        assert store.schema_version == SCHEMA_VERSION

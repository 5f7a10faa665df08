"""The report and `facilitator network` count the log in SQL (grouped counts, never
the entries in memory): the figures must be those of the entries themselves, for
every filter, with undone entries, undirected kinds, whole-group states and entries
typed between rounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.sessions import build_session
from facilitator.analysis.network import BETWEEN_ROUNDS, NetworkFilter, analyse, tie_counts
from facilitator.analysis.tallies import summarise
from facilitator.core.network import load_network
from facilitator.core.report import build_report
from facilitator.core.report_network import counted_network
from facilitator.analysis.tallies import Tally
from facilitator.core.tally import COLUMNS, read_board
from facilitator.models.records import Interaction
from facilitator.models.roster import participants
from facilitator.models.session import session_info
from facilitator.models.store import SessionStore


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 people, 4 rounds of tables, 3,000 entries; one in 40 undone, one in 17 moved
    to 'between rounds'."""
    path = build_session(tmp_path_factory.mktemp("counted") / "busy.db", 30, 3000, rounds=4)
    with SessionStore.open(path) as store:
        store.transact(lambda c: c.execute(
            "UPDATE interactions SET round_id = NULL WHERE id % 17 = 0"))
    return path


def same_ties(a, b) -> None:  # type: ignore[no-untyped-def]
    assert (a.node_ids, a.counts, a.together, dict(a.to_group), a.entries, a.last_at) == \
        (b.node_ids, b.counts, b.together, dict(b.to_group), b.entries, b.last_at)


def test_every_filter_counts_the_same_ties_as_the_entries(busy: Path) -> None:
    with SessionStore.open(busy, read_only=True) as store:
        data = load_network(store)
        group = data.groups[5]
        filters = [NetworkFilter(), NetworkFilter(round_id=data.rounds[1][0]),
                   NetworkFilter(round_id=BETWEEN_ROUNDS), NetworkFilter(kinds=frozenset({"ask"})),
                   NetworkFilter(kinds=frozenset({"pair-work", "speak"})),
                   NetworkFilter(group_id=group.id),
                   NetworkFilter(group_id=group.id, round_id=group.round_id)]
        for flt in filters:
            _context, counted = counted_network(store, flt)
            same_ties(counted, tie_counts(data, flt))
        assert counted.entries > 0 and tie_counts(data).together


def test_the_latest_tie_skips_newer_undone_entries_and_group_states(tmp_path: Path) -> None:
    """The whole session's last_at is read on its own (newest first, off
    interactions_at): the newest entries here are an undone pair entry and a
    whole-group state, neither of which the ties count."""
    path = build_session(tmp_path / "latest.db", 8, 200, rounds=2)
    with SessionStore.open(path) as store:
        def newest(conn) -> None:  # type: ignore[no-untyped-def]
            conn.execute("INSERT INTO interactions (at, source_id, target_id, kind, voided_at)"
                         " VALUES ('2999-01-01T00:00:00.000+00:00', 1, 2, 'ask',"
                         " '2999-01-01T00:00:01.000+00:00')")
            conn.execute("INSERT INTO interactions (at, source_id, target_id, kind)"
                         " VALUES ('2999-01-02T00:00:00.000+00:00', NULL, NULL, 'silence')")
        store.transact(newest)
        data = load_network(store)
        _context, counted = counted_network(store)
        same_ties(counted, tie_counts(data))
        assert counted.last_at is not None and counted.last_at < "2999"


def test_the_report_has_the_figures_of_the_entries(busy: Path) -> None:
    with SessionStore.open(busy, read_only=True) as store:
        report = build_report(store)
        data = load_network(store)
        analysis = analyse(data, tie_counts(data))
        # The tallies counted entry by entry (the report counts grouped rows in SQL).
        board = read_board(store, ())
        round_id = session_info(store).current_round_id
        total, this_round = Tally(), Tally()
        for row in store.rows(f"SELECT {COLUMNS} FROM interactions WHERE voided_at IS NULL"):
            entry = Interaction.from_row(row)
            directed = entry.kind not in board.undirected
            total.apply(entry, 1, board.turn_kind, directed)
            if entry.round_id == round_id:
                this_round.apply(entry, 1, board.turn_kind, directed)
        people = participants(store)
        live = store.scalar("SELECT COUNT(*) FROM interactions WHERE voided_at IS NULL")
        tallies = {r["name"]: (r["as_source"], r["as_target"])
                   for r in store.rows("SELECT name, as_source, as_target FROM tallies")}
        present = [p.id for p in sorted(people, key=lambda p: p.name.lower()) if p.present]
        summary = summarise(total, present, this_round)
    assert report["interactions"]["total"] == live
    assert sum(r["entries"] for r in report["interactions"]["by_round"]) == live
    assert report["interactions"]["by_round"][-1]["round"] == "between rounds"
    assert report["network"]["ties"] == analysis.ties
    assert report["network"]["reciprocity"] == round(analysis.reciprocity, 6)
    assert report["equity"]["gini"] == round(summary.gini, 3)
    names = {p.id: p.name for p in people}
    assert report["not_spoken"] == [names[p] for p in summary.not_spoken]
    by_id = {p.name: p.id for p in people}
    for person in report["participants"]:
        pid = by_id[person["name"]]
        assert (person["as_source"], person["as_target"]) == tallies[person["name"]]
        assert person["turns"] == total.turns[pid]
        assert person["by_kind"] == {k: n for k, n in total.by_kind[pid].items() if n}
        assert person["degree"] == analysis.figures[pid].degree
        assert person["betweenness"] == round(analysis.figures[pid].betweenness, 6)


def test_betweenness_is_networks_own(busy: Path) -> None:
    import networkx as nx

    from facilitator.analysis.network import betweenness_centrality, undirected_graph

    with SessionStore.open(busy, read_only=True) as store:
        graph = undirected_graph(tie_counts(load_network(store), NetworkFilter(kinds=frozenset({"ask"}))))
    ours, theirs = betweenness_centrality(graph), nx.betweenness_centrality(graph)
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[k] - theirs[k]) < 1e-12 for k in ours)
    assert any(value > 0 for value in ours.values())


def test_counted_ahead_the_report_reads_that_count(busy: Path) -> None:
    """count_ahead counts in a thread while importing; session_counts then hands out
    that count (no second query) and it is the log's."""
    from facilitator.core.report_counts import count_ahead, session_counts
    from facilitator.models.aggregates import entry_counts

    with SessionStore.open(busy, read_only=True) as store:
        count_ahead(store, ("json",))
        queries: list[str] = []
        store.conn.set_trace_callback(queries.append)
        counts = session_counts(store)
        store.conn.set_trace_callback(None)
        assert not any("GROUP BY" in q for q in queries)
        assert list(counts.rows()) == entry_counts(store) and counts.counts


def test_counted_ahead_while_another_statement_is_being_read(busy: Path) -> None:
    """With another statement of the connection still being read (another
    thread's), the count ahead is still right, read once, and the file is not
    taken as changed."""
    from facilitator.core.report_counts import count_ahead, session_counts
    from facilitator.models.aggregates import entry_counts

    with SessionStore.open(busy, read_only=True) as store:
        reading = store.conn.execute("SELECT id FROM interactions")
        reading.fetchone()
        count_ahead(store, ())
        first = session_counts(store)
        assert session_counts(store) is first  # counting moved no stamp
        assert reading.fetchone() is not None
        assert list(first.rows()) == entry_counts(store) and sum(first.counts) == store.scalar(
            "SELECT COUNT(*) FROM interactions WHERE voided_at IS NULL")
        reading.close()

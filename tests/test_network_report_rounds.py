"""The report keeps entries typed between rounds as 'between rounds' (never in the
round that had ended), and `report`, `network` and `export` say a damaged file in
one sentence, never a traceback."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.core.report import build_report, render_text
from facilitator.core.rounds import end_running_round, start_next_round
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import participants
from facilitator.models.store import SessionStore
from tests.network_helpers import run


def test_entries_after_a_round_ended_are_between_rounds_in_the_report(
        small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as store:
        ana, bob, cleo, _dev = participants(store)
        log_interaction(store, "speak", ana, bob)  # before any round: between rounds
        start_next_round(store)
        log_interaction(store, "speak", bob, cleo)
        log_interaction(store, "ask", cleo, ana)
        end_running_round(store)
        log_interaction(store, "speak", ana, cleo)  # after Round 1 ended
        report = build_report(store)
    by_round = report["interactions"]["by_round"]
    assert by_round[0] == {"round": "Round 1", "entries": 2}
    assert {"round": "between rounds", "entries": 2} in by_round
    assert sum(item["entries"] for item in by_round) == report["interactions"]["total"] == 4
    assert report["session"]["between_rounds"] is True
    text = render_text(report)
    assert "Current round: Round 1 (ended: entries now are between rounds)" in text
    assert "  Round 1: 2" in text and "  between rounds: 2" in text
    # The same through the command, as JSON.
    printed = json.loads(run("report", str(small_session), "--json"))
    assert printed["interactions"]["by_round"] == by_round


def damage(path: Path, seed: int) -> None:
    """Overwrite parts of some pages past the first (the header stays valid, so the
    file opens and fails while it is read, as a disk going bad does)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    size = path.stat().st_size
    rng = random.Random(seed)
    with open(path, "r+b") as handle:
        for number in range(2, size // page):
            if rng.random() < 0.5:
                handle.seek(number * page + rng.randrange(0, page - 300))
                handle.write(bytes(rng.randrange(256) for _ in range(300)))


COMMANDS = [["report"], ["report", "--json"], ["network", "--width", "80"], ["export"]]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_damaged_file_is_one_sentence_for_report_network_and_export(
        demo_session: Path, tmp_path: Path, seed: int) -> None:
    damage(demo_session, seed)
    damaged = 0
    for args in COMMANDS:
        extra = ["--out", str(tmp_path / "out")] if args[0] == "export" else []
        result = CliRunner().invoke(cli, [*args, str(demo_session), *extra])
        assert not isinstance(result.exception, sqlite3.Error), (args, result.output)
        assert "Traceback" not in result.output, args
        if result.exit_code == 0:
            continue  # the damage missed what this command reads
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("facilitator: "), (args, result.output)
        assert "is damaged" in lines[0] or "corrupt" in lines[0], (args, result.output)
        damaged += 1
    assert damaged >= 3  # the damage is real: most commands meet it
    assert not list((tmp_path / "out").glob("*.tmp"))  # no half-written export left


async def test_the_network_shows_entries_between_rounds_as_their_own_round(
        small_session: Path) -> None:
    from facilitator.analysis.network import BETWEEN_ROUNDS, NetworkFilter, tie_counts
    from facilitator.app import make_app
    from facilitator.core.network import load_network
    from facilitator.widgets.network_panels import FilterBar
    from tests.test_network_screen import settle

    with SessionStore.open(small_session, identity="sam") as store:
        ana, bob, cleo, dev = participants(store)
        start_next_round(store)
        log_interaction(store, "speak", bob, cleo)
        end_running_round(store)
        log_interaction(store, "speak", ana, dev)  # after Round 1 ended
        data = load_network(store)
    between = tie_counts(data, NetworkFilter(round_id=BETWEEN_ROUNDS))
    assert between.entries == 1 and set(between.counts) == {(ana.id, dev.id)}
    first = tie_counts(data, NetworkFilter(round_id=data.rounds[0][0]))
    assert set(first.counts) == {(bob.id, cleo.id)}  # not the entry typed after it ended
    printed = run("network", str(small_session), "--round", "between rounds", "--width", "60")
    assert "1 interaction made 1 tie" in printed
    app = make_app(small_session, identity="sam", screen="network")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        seen = []
        for _ in range(len(data.rounds) + 2):
            await pilot.press("r")
            await settle(app, pilot)
            seen.append(str(app.screen.query_one(FilterBar).render()))
        assert any("round between rounds" in line for line in seen)

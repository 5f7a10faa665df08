"""The tally core: counting, voids from any process, equity, turn codes, report."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.analysis.tallies import (
    equity_reading, gini, mutual_pairs, round_scope, summarise)
from facilitator.core.report import build_report
from facilitator.core.tally import read_board, recent_entries, sync_board
from facilitator.core.tally_keys import resolve_code, rest_of_code
from facilitator.models.interactions import log_interaction, restore_interaction, void_interaction
from facilitator.models.roster import find_participant, set_present
from facilitator.models.rounds import add_round, start_round
from facilitator.models.store import SessionStore


def test_gini_is_zero_when_everyone_speaks_equally_and_high_for_one_voice() -> None:
    assert gini([3, 3, 3, 3]) == 0
    assert gini([0, 0, 0, 12]) == pytest.approx(0.75)
    assert gini([]) == 0 and gini([0, 0]) == 0


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=2, max_size=40))
def test_gini_matches_the_pairwise_definition(values: list[int]) -> None:
    n, total = len(values), sum(values)
    expected = 0.0 if total == 0 else sum(abs(a - b) for a in values for b in values) / (2 * n * total)
    assert gini(values) == pytest.approx(expected, abs=1e-9)


def test_equity_reading_in_plain_words() -> None:
    assert equity_reading(0.1, 5, 10) == "evenly shared"
    assert equity_reading(0.6, 5, 10) == "dominated by a few voices"
    assert equity_reading(0.0, 5, 0) == "nobody has spoken yet"


def test_resolve_code_waits_only_where_a_code_starts_another() -> None:
    codes = {"al", "bs", "ab", "abc"}
    assert resolve_code("al", codes) == ("done", "al")
    assert resolve_code("a", codes) == ("more", None)
    assert resolve_code("ab", codes) == ("wait", "ab")
    assert resolve_code("abc", codes) == ("done", "abc")
    assert resolve_code("zz", codes) == ("unknown", None)


def test_unique_prefixes_pick_a_code_and_leave_its_rest_to_skip() -> None:
    codes = {"al", "bs", "an", "ann"}
    assert resolve_code("b", codes) == ("more", None)  # exact codes only by default
    assert resolve_code("b", codes, unique_prefix=True) == ("done", "bs")
    assert resolve_code("a", codes, unique_prefix=True) == ("more", None)
    assert resolve_code("an", codes, unique_prefix=True) == ("wait", "an")
    assert resolve_code("z", codes, unique_prefix=True) == ("unknown", None)
    assert rest_of_code("b", "bs") == "s" and rest_of_code("bs", "bs") == ""


def test_board_counts_spoke_addressed_kinds_and_mutual_pairs(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="ana") as store:
        al, bs, cd = (find_participant(store, c) for c in ("al", "bs", "cd"))
        board = read_board(store)
        log_interaction(store, "speak", al, None)
        log_interaction(store, "speak", bs, al)
        log_interaction(store, "ask", al, bs)
        log_interaction(store, "silence", None)
        assert len(sync_board(store, board)) == 4
        summary = summarise(board.total, [al.id, bs.id, cd.id])
        rows = {r.participant_id: r for r in summary.rows}
        assert (rows[al.id].spoke, rows[al.id].addressed, rows[al.id].turns) == (2, 1, 1)
        assert rows[al.id].by_kind == {"speak": 1, "ask": 1}
        assert rows[bs.id].share == pytest.approx(1 / 3)
        assert summary.not_spoken == [cd.id]
        assert summary.states == {"silence": 1}
        assert [(m.a_to_b, m.b_to_a) for m in mutual_pairs(board.total)] == [(1, 1)]


def test_board_follows_new_entries_voids_and_restores_from_another_process(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="ana") as mine, \
            SessionStore.open(small_session, identity="ben") as other:
        al, bs = find_participant(other, "al"), find_participant(other, "bs")
        board = read_board(mine)
        first = log_interaction(other, "speak", al, bs)
        log_interaction(other, "speak", bs, al)
        assert len(sync_board(mine, board)) == 2
        assert board.total.spoke[al.id] == 1 and board.total.addressed[al.id] == 1
        void_interaction(other, first.id)
        sync_board(mine, board)
        assert board.total.spoke[al.id] == 0 and board.total.addressed[bs.id] == 0
        assert board.voided == {first.id}
        newest, oldest = recent_entries(mine, 2)
        assert newest.voided_at is None and oldest.id == first.id and oldest.voided_at
        restore_interaction(other, first.id)
        sync_board(mine, board)
        assert board.total.spoke[al.id] == 1
        # Applying the same state twice counts once.
        sync_board(mine, board)
        assert board.total.entries == 2


def test_board_keeps_groups_and_rounds_apart(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        al, bs = find_participant(store, "al"), find_participant(store, "bs")
        first = start_round(store)
        log_interaction(store, "speak", al, None, group_id=None)
        add_round(store, "Second")
        second = start_round(store)
        log_interaction(store, "speak", bs, None, group_id=None)
        board = read_board(store, [round_scope(first.id), round_scope(second.id)])
        assert board.tally(round_scope(first.id)).spoke[al.id] == 1
        assert board.tally(round_scope(second.id)).spoke[al.id] == 0
        summary = summarise(board.tally(round_scope(first.id)), [al.id, bs.id],
                            board.tally(round_scope(second.id)))
        assert summary.not_spoken == [al.id]


def test_report_gains_tallies_by_kind_equity_and_who_has_not_spoken(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        al, bs, dp = (find_participant(store, c) for c in ("al", "bs", "dp"))
        start_round(store)
        log_interaction(store, "speak", al, None)
        log_interaction(store, "ask", al, bs)
        set_present(store, dp.id, False)
        report = build_report(store)
    ana = next(p for p in report["participants"] if p["name"] == "Ana Lopez")
    assert ana["by_kind"] == {"ask": 1, "speak": 1} and ana["turns"] == 1
    assert set(report["equity"]) >= {"gini", "reading"} and report["equity"]["gini"] > 0.5
    assert report["not_spoken"] == ["Bob Smith", "Cleo Diaz"]  # Dev is absent


@pytest.mark.parametrize("module", ["facilitator.core.tally", "facilitator.core.tally_keys",
                                    "facilitator.analysis.tallies"])
def test_the_tally_core_imports_no_ui_and_analysis_no_store(module: str) -> None:
    import subprocess
    import sys

    code = (f"import sys, {module}; "
            "print(','.join(m for m in ('textual', 'rich') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
    import facilitator.analysis.tallies as tallies

    assert "SessionStore" not in vars(tallies)  # records in, results out

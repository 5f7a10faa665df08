"""The tally keeps up with the file by reading only what changed: the screen paints
before the log is read, the board follows the file's feed of changed entries, and
mutual pairs are ranked from the pairs that moved (same answers as counting all)."""

from __future__ import annotations

import random
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from facilitator.analysis.tallies import MutualPair, Tally, mutual_pairs
from facilitator.app import make_app
from facilitator.core.tally import read_board, sync_board
from facilitator.models.interactions import log_interaction, void_interaction
from facilitator.models.records import Interaction
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionStore
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_cards import TallyCards
from facilitator.widgets.tally_panels import TallyBar
from tests.test_tally_screen import live, text


def every_mutual_pair(tally: Tally, people: set[int] | None, limit: int = 10) -> list[MutualPair]:
    """The ranking counted from every pair, as it was before it was kept incrementally."""
    found = []
    for (a, b), n in tally.pairs.items():
        if a < b and n > 0 and (people is None or (a in people and b in people)):
            back = tally.pairs.get((b, a), 0)
            if back > 0:
                found.append(MutualPair(a, b, n, back))
    found.sort(key=lambda m: (-min(m.a_to_b, m.b_to_a), -(m.a_to_b + m.b_to_a), m.a, m.b))
    return found[:limit]


def test_mutual_pairs_kept_incrementally_match_counting_every_pair() -> None:
    rnd = random.Random(3)
    tally, counted = Tally(), []
    for step in range(3000):
        if counted and rnd.random() < 0.3:  # an undo of any earlier entry
            tally.apply(counted.pop(rnd.randrange(len(counted))), -1, "speak")
        else:
            source, target = rnd.sample(range(10), 2)
            entry = Interaction(step, "2026-12-01T10:00:00", source, target, "speak",
                                None, None, "ana", None, None, None)
            tally.apply(entry, 1, "speak")
            counted.append(entry)
        people = None if step % 2 else {0, 2, 4, 5, 7}
        if rnd.random() < 0.4:
            assert mutual_pairs(tally, people) == every_mutual_pair(tally, people)


def test_the_board_reads_an_undo_elsewhere_from_the_feed_as_that_one_entry(
        small_session: Path) -> None:
    with SessionStore.open(small_session, identity="ana") as mine, \
            SessionStore.open(small_session, identity="ben") as other:
        al, bs = find_participant(other, "al"), find_participant(other, "bs")
        entries = [log_interaction(other, "speak", al, bs) for _ in range(5)]
        board = read_board(mine)
        void_interaction(other, entries[2].id)
        changed = sync_board(mine, board)
        assert [(e.id, e.voided_by) for e in changed] == [(entries[2].id, "ben")]
        assert board.total.spoke[al.id] == 4
        # Any writer's change reaches the feed, plain sqlite3 too.
        with closing(sqlite3.connect(small_session)) as raw:
            raw.execute("UPDATE interactions SET voided_at = NULL, voided_by = NULL WHERE id = ?",
                        (entries[2].id,))
            raw.commit()
        assert [e.id for e in sync_board(mine, board)] == [entries[2].id]
        assert board.total.spoke[al.id] == 5
        # A row deleted under us (never by facilitator): the board counts afresh.
        with closing(sqlite3.connect(small_session)) as raw:
            raw.execute("DELETE FROM interactions WHERE id = ?", (entries[0].id,))
            raw.commit()
        sync_board(mine, board)
        assert board.total.spoke[al.id] == 4 and entries[0].id not in board.entries


async def test_the_screen_paints_and_takes_codes_before_the_log_is_read(
        small_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SessionStore.open(small_session, identity="ben") as other:
        al, bs = find_participant(other, "al"), find_participant(other, "bs")
        log_interaction(other, "speak", al, None)
    release = threading.Event()

    def slow_read_board(store: SessionStore):  # type: ignore[no-untyped-def]
        release.wait(10)  # the log is big: the worker is still reading it
        return read_board(store)

    monkeypatch.setattr("facilitator.screens.tally.read_board", slow_read_board)
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        assert "reading the log" in text(screen, TallyBar)
        assert "Reading the session's log" in text(screen, TallyCards)
        await pilot.press("b", "s")  # a turn, addressed to Ana (the last speaker)
        assert live(small_session)[-1][:3] == ("bs", "al", "speak")
        release.set()
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.live.board is not None:
                break
        await pilot.pause()
        assert "2 entries" in text(screen, TallyBar)
        cards = text(screen, TallyCards)
        assert "1 spoke · 1 addr" in cards and "1 spoke · 0 addr" in cards

"""`facilitator open` opens the file and counts the tally in a thread while the app's
code loads (core.opening): the counts made there are the file's, the board taken
from them follows the file like any board, refusals are the same sentences, and
a screen whose counts are not ready yet paints first and takes them later."""

from __future__ import annotations

import gc
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from facilitator.analysis.tallies import WHOLE_SESSION, round_scope
from facilitator.app import make_app
from facilitator.core.opening import Opening, pause_collecting, resume_collecting
from facilitator.core.tally import LiveTally, read_board
from facilitator.core.tally_start import count_ahead
from facilitator.models.aggregates import (
    entry_counts, packed_scope_counts, packed_session_counts, scope_counts, unpack_counts,
    unpack_session_counts)
from facilitator.models.interactions import log_interaction, restore_interaction, void_interaction
from facilitator.models.roster import find_participant
from facilitator.models.rounds import current_round, start_round
from facilitator.models.store import SessionError, SessionStore
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_cards import TallyCards
from facilitator.widgets.tally_panels import TallyBar
from tests.conftest import facilitator_command
from tests.test_tally_incremental import board_started, figures
from tests.test_tally_screen import text


def test_packed_counts_are_the_grouped_counts_even_for_hostile_kinds(small_session: Path) -> None:
    """The packed text SQLite makes reads back as the same rows, whatever a kind's
    text holds (a comma, a space, ESC, bytes that are not UTF-8, nothing); a
    kind's text comes out through the store's text rule, as every text does."""
    with SessionStore.open(small_session, identity="ana") as store:
        al, bs = find_participant(store, "al"), find_participant(store, "bs")
        for _ in range(3):
            log_interaction(store, "speak", al, bs)
        log_interaction(store, "ask", bs, None)
        log_interaction(store, "silence", None, None)
    with closing(sqlite3.connect(small_session)) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        for kind in ("a,b c", "\x1b[31mred", ""):
            raw.execute("INSERT INTO interactions (at, source_id, target_id, kind, logged_by)"
                        " VALUES ('2026-01-01T00:00:00Z', 1, 2, ?, 'raw')", (kind,))
        raw.execute("INSERT INTO interactions (at, source_id, target_id, kind, logged_by)"
                    " VALUES ('2026-01-01T00:00:00Z', 1, 2, CAST(x'fffe' AS TEXT), 'raw')")
        raw.commit()
    with SessionStore.open(small_session, identity="ana", read_only=True) as store:
        expected = sorted(map(tuple, scope_counts(store, WHOLE_SESSION, 10**9)), key=repr)
        got = sorted(unpack_counts(packed_scope_counts(store, WHOLE_SESSION, 10**9)), key=repr)
        assert got == expected
        assert any(k == "␛[31mred" for _s, _t, k, _n in got)
        assert any(k == "\ufffd\ufffd" for _s, _t, k, _n in got)
        empty = packed_scope_counts(store, round_scope(999), 10**9)
        assert list(unpack_counts(empty)) == []
        # The report's whole-session counts are packed the same way.
        whole = unpack_session_counts(packed_session_counts(store))
        assert sorted(whole.rows(), key=repr) == sorted(map(tuple, entry_counts(store)), key=repr)


def test_a_board_started_from_counts_made_ahead_catches_up_with_the_file(
        small_session: Path) -> None:
    """Counted ahead on a second connection, then entries logged, undone and brought
    back by another process before the screen takes the counts: the board holds
    exactly what one counted from the file now holds."""
    with SessionStore.open(small_session, identity="ana") as mine, \
            SessionStore.open(small_session, identity="ben") as other:
        start_round(other)
        al, bs, cd = (find_participant(other, c) for c in ("al", "bs", "cd"))
        first = [log_interaction(other, "speak", al, bs).id for _ in range(4)]
        log_interaction(other, "build-on", cd, al)
        reader = mine.reader()
        ahead = count_ahead(reader)
        reader.close()
        void_interaction(other, first[0])
        void_interaction(other, first[1])
        restore_interaction(other, first[1])
        log_interaction(other, "ask", bs, cd)
        live = LiveTally(mine)
        live.refresh(load=False)
        live.start_from(ahead)
        live.refresh(load=False)
        assert live.board is not None
        scopes = list(ahead.packed)
        assert scopes == [WHOLE_SESSION, round_scope(current_round(mine).id)]
        fresh = read_board(mine, scopes)
        for scope in scopes:
            assert figures(live.board.tally(scope)) == figures(fresh.tally(scope)), scope
        assert live.board.tally(WHOLE_SESSION).entries == 5


def test_counts_made_before_a_merge_rewrote_entries_are_not_used(small_session: Path) -> None:
    """A roster merge rewrites old entries in place: a board started from counts made
    before it is dropped and counted again."""
    from facilitator.models.roster_merge import merge_participants

    with SessionStore.open(small_session, identity="ana") as mine, \
            SessionStore.open(small_session, identity="ben") as other:
        al, bs, dp = (find_participant(other, c) for c in ("al", "bs", "dp"))
        log_interaction(other, "speak", dp, al)
        reader = mine.reader()
        ahead = count_ahead(reader)
        reader.close()
        merge_participants(other, dp, bs)
        live = LiveTally(mine)
        live.refresh(load=False)
        live.start_from(ahead)
        live.refresh(load=False)
        assert live.board is None  # counted again when the screen asks (load)
        live.refresh()
        assert live.board is not None
        assert live.tally(WHOLE_SESSION).spoke.get(bs.id) == 1


def test_an_opening_refused_is_the_same_sentence(tmp_path: Path) -> None:
    opening = Opening(tmp_path / "missing.db", identity="ana", count=True)
    with pytest.raises(SessionError, match="There is no session file"):
        make_app(tmp_path / "missing.db", identity="ana", screen="tally", opening=opening)
    assert opening.counted_if_ready() is None
    assert not (tmp_path / "missing.db").exists()


def test_the_command_refuses_a_missing_file_in_one_sentence(tmp_path: Path) -> None:
    done = subprocess.run([*facilitator_command(), "open", str(tmp_path / "nope.db"),
                           "--screen", "tally"], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "There is no session file" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr + done.stdout


async def test_the_first_frame_shows_the_counts_made_ahead(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="ben") as other:
        al, bs = find_participant(other, "al"), find_participant(other, "bs")
        log_interaction(other, "speak", al, bs)
        log_interaction(other, "speak", bs, al)
    opening = Opening(small_session, identity="ana", count=True)
    opening.counted.result(timeout=30)
    app = make_app(small_session, identity="ana", screen="tally", opening=opening)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        assert screen.live.board is not None
        assert app.opening is None  # taken
        assert "2 entries" in text(screen, TallyBar)
        assert text(screen, TallyCards).count("1 spoke · 1 addr") == 2


async def test_a_screen_waits_for_counts_still_being_made_and_then_shows_them(
        small_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts not ready at the first frame: the screen says it is reading, takes
    codes, and shows the counts once the thread has made them."""
    import threading

    from facilitator.core import tally_start as core_tally

    with SessionStore.open(small_session, identity="ben") as other:
        log_interaction(other, "speak", find_participant(other, "al"), None)
    release = threading.Event()
    real = core_tally.count_ahead

    def slow(store):  # type: ignore[no-untyped-def]
        release.wait(30)
        return real(store)

    monkeypatch.setattr(core_tally, "count_ahead", slow)
    opening = Opening(small_session, identity="ana", count=True)
    app = make_app(small_session, identity="ana", screen="tally", opening=opening)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        assert screen.live.board is None
        assert "Reading the session's log" in text(screen, TallyCards)
        await pilot.press("b", "s")  # Bob's turn, to Ana: written at once
        release.set()
        await board_started(pilot, screen)
        assert "2 entries" in text(screen, TallyBar)
        assert "1 spoke · 1 addr" in text(screen, TallyCards)


async def test_counts_that_fail_in_the_thread_are_counted_on_the_screen(
        small_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from facilitator.core import tally_start as core_tally

    with SessionStore.open(small_session, identity="ben") as other:
        log_interaction(other, "speak", find_participant(other, "al"), None)

    def failing(store):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(core_tally, "count_ahead", failing)
    opening = Opening(small_session, identity="ana", count=True)
    assert opening.counted.exception(timeout=30) is not None
    app = make_app(small_session, identity="ana", screen="tally", opening=opening)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await board_started(pilot, screen)
        assert "1 entry" in text(screen, TallyBar)


def test_collecting_resumes_after_start_up_only_if_start_up_paused_it() -> None:
    assert gc.isenabled()
    resume_collecting()  # not paused: nothing changes
    assert gc.isenabled()
    try:
        pause_collecting()
        assert not gc.isenabled()
        resume_collecting()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()

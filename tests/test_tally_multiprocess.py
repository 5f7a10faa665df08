"""A second real process logs while the tally screen is open: the entry shows up,
and the screen's count equals the file's after every poll."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from contextlib import closing
import sys
from pathlib import Path

from facilitator.app import make_app
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_panels import FeedPanel, NotSpokenPanel, TallyBar
from tests.conftest import facilitator_command


async def test_entries_logged_and_voided_by_another_process_appear_on_screen(
        small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        await pilot.press("a", "l")
        subprocess.run([*facilitator_command(), "log", str(small_session), "cd", "dp",
                        "--kind", "ask", "--as", "ben"], check=True, capture_output=True)
        feed = ""
        for _ in range(20):  # the app polls PRAGMA data_version about 4 times a second
            await pilot.pause(0.5)
            feed = str(screen.query_one(FeedPanel).render())
            if "Cleo D. asked Dev P. ·ben" in feed:
                break
        assert "Cleo D. asked Dev P. ·ben" in feed
        assert "Cleo Diaz" not in str(screen.query_one(NotSpokenPanel).render())

        # A void from another process (python -c through the same core function).
        code = ("import sys; from facilitator.models.store import SessionStore;"
                "from facilitator.models.interactions import void_interaction;"
                "s = SessionStore.open(sys.argv[1], identity='ben');"
                "void_interaction(s, s.scalar('SELECT MAX(id) FROM interactions'))")
        subprocess.run([sys.executable, "-c", code, str(small_session)], check=True)
        waiting = ""
        for _ in range(20):
            await pilot.pause(0.5)
            waiting = str(screen.query_one(NotSpokenPanel).render())
            if "Cleo Diaz" in waiting:
                break
        assert "Cleo Diaz" in waiting  # her only entry was voided: she has not spoken


def file_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM interactions"
                                " WHERE voided_at IS NULL").fetchone()[0])


def bar_count(screen: TallyScreen) -> int:
    bar = str(screen.query_one(TallyBar).render())
    found = re.search(r"(\d+) entries", bar)
    assert found, bar
    return int(found.group(1))


async def test_an_entry_committed_just_before_our_keystroke_is_never_skipped(
        small_session: Path) -> None:
    """Another process commits between our last poll and our keystroke: the board used
    to jump past its id with our own entry, and the screen stayed short for good."""
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        for ours in ("al", "bs", "al", "bs", "al"):
            # subprocess.run blocks the event loop: the app cannot poll in between,
            # so ben's commit lands after our last poll and before our keys.
            subprocess.run([*facilitator_command(), "log", str(small_session), "cd", "dp",
                            "--kind", "ask", "--as", "ben"], check=True, capture_output=True)
            await pilot.press(*ours)
            assert bar_count(screen) == file_count(small_session)  # after our own write
            await pilot.pause(0.3)  # a poll (every 0.25 s)
            assert bar_count(screen) == file_count(small_session)
        assert file_count(small_session) == 10
        assert str(screen.query_one(FeedPanel).render()).count("Cleo D. asked Dev P. ·ben") == 5

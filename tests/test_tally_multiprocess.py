"""A second real process logs while the tally screen is open: the entry shows up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from facilitator.app import make_app
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_panels import FeedPanel, NotSpokenPanel
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

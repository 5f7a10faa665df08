"""Fixing a wrong entry from three entries ago in a few keys, on the tally screen;
the real `facilitator void` / `restore` from another process followed at once."""

from __future__ import annotations

import subprocess
from pathlib import Path

from burst import burst, typed

from facilitator.app import make_app
from facilitator.models.interactions import get_interaction, log_interaction
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionStore
from facilitator.screens.entries import EntriesScreen
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_entries import TallyEntries
from facilitator.widgets.tally_panels import FeedPanel, NotSpokenPanel
from tests.conftest import facilitator_command


def four_entries(path: Path) -> list[int]:
    """al→bs, bs→cd, cd→al, al→cd: the first is the one to fix, three entries ago."""
    with SessionStore.open(path, identity="ana") as store:
        p = {c: find_participant(store, c) for c in ("al", "bs", "cd")}
        return [log_interaction(store, "speak", p[a], p[b]).id
                for a, b in (("al", "bs"), ("bs", "cd"), ("cd", "al"), ("al", "cd"))]


def entries_in_file(path: Path) -> list[tuple[object, ...]]:
    with SessionStore.open(path) as store:
        return [tuple(r) for r in store.rows("SELECT * FROM interactions ORDER BY id")]


def listed(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(TallyEntries).render())


async def test_fix_the_target_of_an_entry_three_back_in_a_few_keys(small_session: Path) -> None:
    ids = four_entries(small_session)
    app = make_app(small_session, identity="sam", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # ctrl+e, three down, Enter, Tab Tab to "To whom", replace the code, Enter.
        await burst(pilot, "ctrl+e", "down", "down", "down", "enter", "tab", "tab",
                    "ctrl+u", *typed("dev"), "enter")
        assert isinstance(app.screen, EntriesScreen)
        said = str(app.screen.query_one("#entries-said").render())
        assert said.startswith(f"Corrected #{ids[0]} (Ana Lopez → Bob Smith, spoke to): now #")
        assert "Ana Lopez → Dev Patel, spoke to" in listed(app)
        with SessionStore.open(small_session) as store:
            old = get_interaction(store, ids[0])
            new = get_interaction(store, int(store.scalar("SELECT MAX(id) FROM interactions")))
            assert old.voided_by == "sam" and new.replaces_id == ids[0]
            assert new.target_id == find_participant(store, "dp").id and new.logged_by == "sam"
            assert new.at == old.at
            for later in ids[1:]:
                assert get_interaction(store, later).voided_at is None  # untouched
        await burst(pilot, "escape")
        assert isinstance(app.screen, TallyScreen)
        feed = str(app.screen.query_one(FeedPanel).render())
        assert "Ana L. spoke to Dev P." in feed
        # The tally screen's ctrl+z undoes the correction: both entries as they were.
        await burst(pilot, "ctrl+z")
        with SessionStore.open(small_session) as store:
            assert get_interaction(store, ids[0]).voided_at is None
            assert store.scalar("SELECT COUNT(*) FROM live_interactions") == 4


async def test_void_and_bring_back_any_entry_with_v(small_session: Path) -> None:
    ids = four_entries(small_session)
    app = make_app(small_session, identity="sam", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "ctrl+e", "down", "down", "v")
        said = str(app.screen.query_one("#entries-said").render())
        assert said == f"Undid #{ids[1]} (Bob Smith → Cleo Diaz, spoke to)."
        assert f"#{ids[1]}" in listed(app) and "undone by sam" in listed(app)
        with SessionStore.open(small_session) as store:
            assert get_interaction(store, ids[1]).voided_by == "sam"
        await burst(pilot, "v")  # the same entry, still picked: brought back
        assert str(app.screen.query_one("#entries-said").render()).startswith(
            f"Brought back #{ids[1]}")
        await burst(pilot, "ctrl+z")  # undoes the bringing back, here too
        with SessionStore.open(small_session) as store:
            assert get_interaction(store, ids[1]).voided_at is not None


async def test_a_refused_correction_keeps_the_form_and_the_file(small_session: Path) -> None:
    four_entries(small_session)
    before = entries_in_file(small_session)
    app = make_app(small_session, identity="sam", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "ctrl+e", "enter", "tab", "tab", "ctrl+u", *typed("nobody"), "enter")
        error = str(app.screen.query_one("#form-error").render())
        assert "No participant is called or coded 'nobody'" in error
        await burst(pilot, "escape", "escape")
    assert entries_in_file(small_session) == before


async def test_read_only_can_browse_but_not_change(small_session: Path) -> None:
    four_entries(small_session)
    app = make_app(small_session, identity="sam", screen="tally", read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "ctrl+e", "v")
        assert "read-only" in str(app.screen.query_one("#entries-said").render())
        await burst(pilot, "enter")
        assert isinstance(app.screen, EntriesScreen)  # no form opened


async def test_void_from_the_command_line_reaches_an_open_app_at_once(small_session: Path) -> None:
    ids = four_entries(small_session)
    app = make_app(small_session, identity="sam", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await burst(pilot, "ctrl+e")
        # Bob's only entry as a speaker, voided by a co-facilitator's real process.
        result = subprocess.run([*facilitator_command(), "void", str(small_session), str(ids[1]),
                                 "--as", "kim"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert f"Undid #{ids[1]} (Bob Smith → Cleo Diaz, spoke to)." in result.stdout
        for _ in range(20):  # the modal polls PRAGMA data_version four times a second
            await pilot.pause(0.25)
            if "undone by kim" in listed(app):
                break
        assert "undone by kim" in listed(app)
        await burst(pilot, "escape")
        waiting = ""
        for _ in range(20):
            await pilot.pause(0.25)
            waiting = str(app.screen.query_one(NotSpokenPanel).render())
            if "Bob Smith" in waiting:
                break
        assert "Bob Smith" in waiting  # his only turn was undone: he has not spoken
        subprocess.run([*facilitator_command(), "restore", str(small_session), str(ids[1]),
                        "--as", "kim"], check=True, capture_output=True)
        for _ in range(20):
            await pilot.pause(0.25)
            waiting = str(app.screen.query_one(NotSpokenPanel).render())
            if "Bob Smith" not in waiting:
                break
        assert "Bob Smith" not in waiting

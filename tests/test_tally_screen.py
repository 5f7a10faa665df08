"""The tally screen driven with Pilot: what a facilitator types and sees."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.models.groups import create_group
from facilitator.models.roster import find_participant, set_present
from facilitator.models.rounds import add_round, start_round
from facilitator.models.session import create_session
from facilitator.models.store import SessionStore
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_cards import TallyCards
from facilitator.widgets.tally_panels import (
    EquityPanel, FeedPanel, NotSpokenPanel, TallyBar)
from facilitator.widgets.tally_prompt import TallyPrompt
from facilitator.widgets.session_header import SessionHeader

PEOPLE = ("Ana Lopez", "Bob Smith", "Cleo Diaz", "Dev Patel", "Eva Kim", "Finn Ode")


@pytest.fixture
def grouped_session(tmp_path: Path) -> Path:
    """Six people (al bs cd dp ek fo), a running 20-minute round, two groups of three."""
    path = tmp_path / "grouped.db"
    with create_session(path, "Grouped", roster=[(n, {}) for n in PEOPLE]) as store:
        add_round(store, "Round one", 20)
        round_ = start_round(store)
        ids = [find_participant(store, c).id for c in ("al", "bs", "cd", "dp", "ek", "fo")]
        create_group(store, "Soil", round_.id, ids[:3])
        create_group(store, "Water", round_.id, ids[3:])
    return path


def live(path: Path, sql: str = "SELECT s.code, t.code, i.kind, i.group_id, i.voided_at"
         " FROM interactions i LEFT JOIN participants s ON s.id = i.source_id"
         " LEFT JOIN participants t ON t.id = i.target_id ORDER BY i.id") -> list[tuple]:
    with SessionStore.open(path) as store:
        return [tuple(r) for r in store.rows(sql)]


def text(screen: TallyScreen, widget: type) -> str:
    found = screen.query_one(widget)
    return found.text() if isinstance(found, TallyCards) else str(found.render())


async def test_three_codes_record_three_turns_chained_to_the_previous_speaker(
        small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "l", "b", "s", "c", "d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        cards = text(screen, TallyCards)
        assert "al Ana Lopez" in cards and "1 spoke · 1 addr" in cards
        assert "Cleo D." in text(screen, FeedPanel)
        assert "Dev Patel" in text(screen, NotSpokenPanel)
    rows = live(small_session)
    assert [(s, t, k) for s, t, k, _, _ in rows] == [
        ("al", None, "speak"), ("bs", "al", "speak"), ("cd", "bs", "speak")]


async def test_bad_codes_absent_people_and_self_turns_log_nothing(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        set_present(store, find_participant(store, "dp").id, False)
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("b", "q")
        assert "No one has the code 'bq'" in text(screen, TallyPrompt)
        await pilot.press("d", "p")
        assert "Dev Patel is marked absent" in text(screen, TallyPrompt)
        await pilot.press("a", "l", "a", "l")
        assert "already speaking" in text(screen, TallyPrompt)
        assert "Dev Patel" not in text(screen, TallyCards)  # absent: no card
    assert len(live(small_session)) == 1


async def test_explicit_entry_with_kind_target_and_note(small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "a", "l")
        assert "s speak a ask" in text(app.screen, TallyPrompt)  # the codebook's keys
        await pilot.press("a", "b", "s")
        await pilot.press(*"why now", "enter")
        await pilot.press("slash", "c", "d", "enter", "space", "enter")  # turn to the group
        await pilot.pause()
        assert "Ana L. asked Bob S. ·ana\n      “why now”" in text(app.screen, FeedPanel)  # the note on its own line
    assert live(small_session, "SELECT kind, note, target_id FROM interactions ORDER BY id") == [
        ("ask", "why now", find_id(small_session, "bs")), ("speak", None, None)]


def find_id(path: Path, code: str) -> int:
    with SessionStore.open(path) as store:
        return find_participant(store, code).id


async def test_group_states_and_pause_reset_the_turn_chain(small_session: Path) -> None:
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "l", "full_stop", "b", "s", "tilde", "plus", "minus")
        await pilot.press("c", "d", "space", "d", "p")
        await pilot.pause()
        assert "silence 1" in text(app.screen, EquityPanel)
    assert [(s, t, k) for s, t, k, _, _ in live(small_session)] == [
        ("al", None, "speak"), (None, None, "silence"), ("bs", None, "speak"),
        (None, None, "cross-talk"), (None, None, "energy-up"), (None, None, "energy-down"),
        ("cd", None, "speak"), ("dp", None, "speak")]


async def test_undo_voids_and_redo_restores_own_entries(small_session: Path) -> None:
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "l", "b", "s", "ctrl+z")
        await pilot.pause()
        feed = app.screen.query_one(FeedPanel).render()
        assert "1 spoke · 0 addr" in text(app.screen, TallyCards)  # Ana no longer addressed
        struck = [span for span in getattr(feed, "spans", []) if "strike" in str(span.style)]
        assert struck, "the voided entry is struck through in the feed"
        await pilot.press("c", "d")  # the chain went back to Ana
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+y")  # voids cd, then al; al comes back
        await pilot.pause()
        assert "Ana L. spoke to the group" in text(app.screen, FeedPanel)
    rows = live(small_session)
    assert [(s, t) for s, t, *_ in rows] == [("al", None), ("bs", "al"), ("cd", "al")]
    assert [v is None for *_, v in rows] == [True, False, False]


async def test_switching_the_observed_group_shows_its_members_and_tags_entries(
        grouped_session: Path) -> None:
    app = make_app(grouped_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert "the whole session" in text(screen, TallyBar)
        assert "Finn Ode" in text(screen, TallyCards)
        await pilot.press("right_square_bracket")
        assert "Soil" in text(screen, TallyBar)
        assert "Finn Ode" not in text(screen, TallyCards)
        await pilot.press("a", "l", "f", "o")
        assert "Finn Ode is not in Soil" in text(screen, TallyPrompt)
        await pilot.press("right_square_bracket", "f", "o", "left_square_bracket",
                          "left_square_bracket", "b", "s")
        await pilot.pause()
    groups = dict(live(grouped_session, "SELECT name, id FROM groups"))
    assert [(s, t, g) for s, t, _, g, _ in live(grouped_session)] == [
        ("al", None, groups["Soil"]), ("fo", None, groups["Water"]), ("bs", None, groups["Soil"])]


async def test_round_start_end_and_the_timer_from_the_file(grouped_session: Path) -> None:
    with SessionStore.open(grouped_session) as store:  # started 25 minutes ago: 5 over
        past = (datetime.now(timezone.utc) - timedelta(minutes=25)).isoformat()
        store.transact(lambda c: c.execute("UPDATE rounds SET started_at = ?", (past,)))
    app = make_app(grouped_session, screen="tally")
    notes: list[str] = []
    # Before the app starts: on a loaded machine the first tick can come first.
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(1.2)
        assert "Round one 5:0" in text(app.screen, SessionHeader)  # the one timer: the header's
        assert "over" in text(app.screen, SessionHeader) and "over" not in text(app.screen, TallyBar)
        assert sum(n.startswith("Time is up for Round one") for n in notes) == 1
        await pilot.press("ctrl+r")  # a round changes for everyone: it asks first
        assert "End Round one now, for everyone?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        assert "between rounds (Round one ended)" in text(app.screen, TallyBar)
        await pilot.press("ctrl+r", "n")  # no: nothing changes
        assert "Round one ended" in text(app.screen, TallyBar)
        await pilot.press("ctrl+r", "y")
        assert "Round 2" in text(app.screen, TallyBar)
        await pilot.pause(1.2)
        assert sum(n.startswith("Time is up for Round one") for n in notes) == 1  # once
    with SessionStore.open(grouped_session) as store:
        assert store.scalar("SELECT name FROM rounds r JOIN session s"
                            " ON s.current_round_id = r.id") == "Round 2"


async def test_prefix_codes_need_enter_and_escape_cancels(tmp_path: Path) -> None:
    path = tmp_path / "prefix.db"
    with create_session(path, "Prefix") as store:
        from facilitator.models.roster import add_participant
        add_participant(store, "Ann", code="an")
        add_participant(store, "Anna", code="ann")
        add_participant(store, "Bo", code="bo")
    app = make_app(path, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "n")
        assert "Enter takes 'an'" in text(app.screen, TallyPrompt)
        await pilot.press("enter", "a", "n", "n", "a", "escape", "b", "o")
        await pilot.pause()
    assert [(s, t) for s, t, *_ in live(path)] == [
        ("an", None), ("ann", "an"), ("bo", "ann")]


async def test_keys_still_reach_the_prompt_when_it_lost_the_focus(small_session: Path) -> None:
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.set_focus(None)
        await pilot.press("a", "l", "b", "s")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one(TallyPrompt)
    assert [(s, t) for s, t, *_ in live(small_session)] == [("al", None), ("bs", "al")]

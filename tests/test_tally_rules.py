"""The tally's rules as a facilitator meets them: turns chain only within a table,
undirected kinds count once for both people, undo respects co-facilitators, and
rounds ask first and leave entries 'between rounds' once they end."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from facilitator.analysis.tallies import mutual_pairs, summarise
from facilitator.core.tally import entry_change, read_board
from facilitator.models.interactions import log_interaction, restore_interaction, void_interaction
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionError, SessionStore
from facilitator.app import make_app
from facilitator.widgets.tally_panels import FeedPanel, TallyBar
from facilitator.widgets.tally_prompt import TallyPrompt
from tests.test_tally_screen import grouped_session, live, text  # noqa: F401 (fixture)
from tests.test_tally_views import counts


def add_undirected_kind(path: Path) -> None:
    """'w': worked with, a pair kind without a direction."""
    with SessionStore.open(path) as store:
        store.transact(lambda c: c.execute(
            "INSERT INTO kinds (name, key, label, directed, scope, is_turn, position)"
            " VALUES ('pair-work', 'w', 'worked with', 0, 'pair', 0, 99)"))


def file_rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return [tuple(r) for r in conn.execute(sql)]


# ---------------------------------------------------------------------- turns
async def test_whole_session_turns_link_only_people_at_the_same_table(
        grouped_session: Path) -> None:  # noqa: F811
    app = make_app(grouped_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        # Soil: al bs cd; Water: dp ek fo. Whole-session view.
        await pilot.press(*"aldpbscd")
        await pilot.press("right_square_bracket", *"al")  # Soil's own chain: cd spoke last
        await pilot.pause()
    groups = dict(live(grouped_session, "SELECT name, id FROM groups"))
    assert [(s, t, g) for s, t, _, g, _ in live(grouped_session)] == [
        ("al", None, groups["Soil"]),
        ("dp", None, groups["Water"]),   # another table: nobody is linked
        ("bs", None, groups["Soil"]),    # the previous speaker sat at Water
        ("cd", "bs", groups["Soil"]),    # same table: a turn to Bob
        ("al", "cd", groups["Soil"])]


# ---------------------------------------------------------------------- undirected kinds
def test_an_undirected_entry_counts_once_for_both_and_is_no_reciprocity(
        small_session: Path) -> None:
    add_undirected_kind(small_session)
    with SessionStore.open(small_session) as store:
        al, bs, cd = (find_participant(store, c) for c in ("al", "bs", "cd"))
        log_interaction(store, "pair-work", al, bs)
        log_interaction(store, "pair-work", bs, al)
        board = read_board(store)
    tally = board.total
    assert (tally.spoke[al.id], tally.spoke[bs.id]) == (2, 2)
    assert (tally.addressed[al.id], tally.addressed[bs.id]) == (0, 0)
    assert tally.by_kind[bs.id]["pair-work"] == 2
    assert tally.together == {(min(al.id, bs.id), max(al.id, bs.id)): 2}  # one undirected pair
    assert mutual_pairs(tally) == []  # both ways, but undirected: no reciprocity
    summary = summarise(tally, [al.id, bs.id, cd.id])
    assert summary.not_spoken == [cd.id] and summary.gini > 0
    assert tally.entries == 2


async def test_undirected_entry_on_screen_gives_both_one_and_nobody_addressed(
        small_session: Path) -> None:
    add_undirected_kind(small_session)
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "a", "w", "b", "enter")
        await pilot.pause()
        assert counts(app.screen)["al"] == (1, 0) and counts(app.screen)["bs"] == (1, 0)
        assert "Not spoken this round (2)" in str(app.screen.query_one("#tally-not-spoken").render())


# ---------------------------------------------------------------------- undo
def as_kim(path: Path, change: str, which: str) -> None:
    """Kim, a co-facilitator in her own process, voids or restores an entry."""
    code = ("import sys; from facilitator.models.store import SessionStore;"
            f"from facilitator.models.interactions import {change};"
            "s = SessionStore.open(sys.argv[1], identity='kim');"
            f"{change}(s, s.scalar('SELECT {which}(id) FROM interactions'))")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


async def test_undo_names_the_co_facilitator_who_undid_the_entry_since(
        small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"albs")
        as_kim(small_session, "void_interaction", "MAX")
        await pilot.press("ctrl+z")
        prompt = text(app.screen, TallyPrompt)
        assert "kim already undid Bob → Ana, spoke to; nothing was undone." in prompt
        assert file_rows(small_session, "SELECT voided_by FROM interactions ORDER BY id") == [
            (None,), ("kim",)]  # nothing written by ana
        await pilot.press("ctrl+z")  # ana's earlier entry: nobody touched it
        assert "Undid Ana → the group, spoke to." in text(app.screen, TallyPrompt)
        as_kim(small_session, "restore_interaction", "MIN")
        await pilot.press("ctrl+y")
        assert "kim already brought back Ana → the group, spoke to; nothing was redone" in text(
            app.screen, TallyPrompt)
    assert file_rows(small_session, "SELECT voided_at IS NULL FROM interactions ORDER BY id") == [
        (1,), (0,)]


def entry_rows(store: SessionStore) -> list[tuple]:
    return [tuple(r) for r in store.rows("SELECT * FROM interactions ORDER BY id")]


def test_undo_names_who_undid_and_brought_back_the_entry_since(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        ana, bob = find_participant(sam, "al"), find_participant(sam, "bs")
        entry = log_interaction(sam, "ask", ana, bob)
        change = entry_change(sam, entry.id, "Ana → Bob, asked")
        void_interaction(kim, entry.id)
        restore_interaction(kim, entry.id)
        before = entry_rows(kim)
        with pytest.raises(SessionError) as refused:
            change.undo()
        assert str(refused.value) == (
            "kim undid and brought back Ana → Bob, asked since; nothing was undone.")
        assert entry_rows(kim) == before
        assert tuple(kim.one("SELECT voided_by, restored_by FROM interactions")) == (None, "kim")


def test_redo_names_who_brought_back_or_undid_the_entry_again(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        ana, bob = find_participant(sam, "al"), find_participant(sam, "bs")
        entry = log_interaction(sam, "ask", ana, bob)
        change = entry_change(sam, entry.id, "Ana → Bob, asked")
        change.undo()
        restore_interaction(kim, entry.id)
        before = entry_rows(kim)
        assert change.redo is not None
        with pytest.raises(SessionError) as refused:
            change.redo()
        assert str(refused.value) == "kim already brought back Ana → Bob, asked; nothing was redone."
        assert entry_rows(kim) == before
        void_interaction(kim, entry.id)
        with pytest.raises(SessionError, match="^kim undid Ana → Bob, asked again since"):
            change.redo()
        # Sam's own undo, redo and undo again go through, each recorded with who.
        mine = entry_change(sam, log_interaction(sam, "ask", bob, ana).id, "Bob → Ana, asked")
        mine.undo()
        assert mine.redo is not None
        again = mine.redo()
        assert tuple(sam.one("SELECT voided_at, restored_by FROM interactions WHERE id = 2")) == (
            None, "sam")
        again.undo()
        assert sam.scalar("SELECT voided_by FROM interactions WHERE id = 2") == "sam"


async def test_undo_then_redo_say_what_they_did(small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "a", "a", "b", *" why", "enter", "ctrl+z")
        assert "Undid Ana → Bob, asked." in text(app.screen, TallyPrompt)
        await pilot.press("ctrl+y")
        assert "Redid Ana → Bob, asked." in text(app.screen, TallyPrompt)
        await pilot.press("ctrl+y")
        assert "Nothing to redo" in text(app.screen, TallyPrompt)
    assert file_rows(small_session, "SELECT kind, note, voided_at FROM interactions") == [
        ("ask", "why", None)]


# ---------------------------------------------------------------------- rounds
async def test_ending_a_round_asks_and_later_entries_are_between_rounds(
        grouped_session: Path) -> None:  # noqa: F811
    app = make_app(grouped_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"al", "ctrl+r")
        assert "End Round one now" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        assert "between rounds (Round one ended)" in text(app.screen, TallyBar)
        await pilot.press(*"bs")  # the chain of the ended round does not carry on
        await pilot.pause()
        feed = text(app.screen, FeedPanel)
        assert "— between rounds —" in feed and "— Round one —" in feed
        assert feed.index("between rounds") < feed.index("Bob S.") < feed.index("Round one")
    assert file_rows(grouped_session, "SELECT s.code, i.target_id, i.round_id FROM interactions i"
                     " JOIN participants s ON s.id = i.source_id ORDER BY i.id") == [
        ("al", None, 1), ("bs", None, None)]


async def test_ctrl_z_after_a_round_change_undoes_the_round_change(grouped_session: Path) -> None:  # noqa: F811
    app = make_app(grouped_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"al", "ctrl+r", "y", "ctrl+z")
        assert "Undid ending Round one." in text(app.screen, TallyPrompt)
        assert "between rounds" not in text(app.screen, TallyBar)
    assert file_rows(grouped_session, "SELECT ended_at, voided_at FROM rounds r, interactions") == [
        (None, None)]


async def test_at_80_columns_the_bar_shows_the_count_and_between_rounds(
        grouped_session: Path) -> None:  # noqa: F811
    app = make_app(grouped_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"al", "ctrl+r", "y", *"bs")
        await pilot.pause()
        seen = "".join(s.text for s in app.screen.query_one(TallyBar).render_line(0))
        assert "2 entries" in seen and "between rounds" in seen, seen

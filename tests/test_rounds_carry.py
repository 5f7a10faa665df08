"""Rounds that carry on: the next round starts with the same groups (and the goals
they are still working on, as the groups agreed) in one key, in open space from
scratch, or with suggested groups; the groups screen says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.core.rounds import KEEP, OPEN, SUGGEST, round_step, start_next_round
from facilitator.models.goals import add_goal, goals_by_group, goal_history, set_goal_status
from facilitator.models.groups import create_group, groups_of_round, move_to_group
from facilitator.models.roster import participants, set_present
from facilitator.models.rounds import add_round, current_round, start_round
from facilitator.models.store import SessionError, SessionStore
from facilitator.screens.confirm import ChoiceScreen


def two_tables(path: Path) -> dict[str, int]:
    """Round 1 running with Maps (Ana, Bob; two goals, one done) and Data (Cleo, Dev)."""
    with SessionStore.open(path, identity="sam") as store:
        add_round(store, "Round 1", 20)
        add_round(store, "Round 2", 20)
        first = start_round(store)
        who = {p.code: p.id for p in participants(store)}
        maps = create_group(store, "Maps", first.id, [who["al"], who["bs"]])
        data = create_group(store, "Data", first.id, [who["cd"], who["dp"]])
        add_goal(store, maps.id, "Draw the river basin", set_by="Ana")
        done = add_goal(store, maps.id, "Pick a scale")
        set_goal_status(store, done, "done")
        add_goal(store, data.id, "Find the 2019 survey")
    return who


def members(store: SessionStore, round_id: int) -> dict[str, set[str]]:
    names = {p.id: p.name for p in participants(store)}
    return {g.name: {names[i] for i in g.member_ids} for g in groups_of_round(store, round_id)}


def test_keep_starts_the_next_round_with_the_same_tables_and_their_unfinished_goals(
        small_session: Path) -> None:
    two_tables(small_session)
    with SessionStore.open(small_session, identity="kim") as store:
        step = round_step(store)
        assert [c.key for c in step.choices] == ["e", "k", "o", "s"]
        keep = next(c.label for c in step.choices if c.key == KEEP)
        assert keep == ("keep the 2 groups of Round 1 (4 people) and their 2 unfinished goals"
                        " (as the groups agreed)")
        said, change = start_next_round(store, KEEP)
        assert said == "Round 2 started with the 2 groups kept, with 2 goals kept as the groups agreed."
        second = current_round(store)
        assert second.name == "Round 2" and second.opened_with == "kept"
        assert members(store, second.id) == {"Maps": {"Ana Lopez", "Bob Smith"},
                                             "Data": {"Cleo Diaz", "Dev Patel"}}
        kept = goals_by_group(store, [g.id for g in groups_of_round(store, second.id)])
        texts = sorted(g.text for found in kept.values() for g in found)
        assert texts == ["Draw the river basin", "Find the 2019 survey"]  # the done one stays
        river = next(g for found in kept.values() for g in found if g.text.startswith("Draw"))
        assert river.set_by == "Ana" and river.round_id == second.id  # still the group's words
        (record,) = goal_history(store, river.id)
        assert (record.field, record.by, record.old_value, record.new_value) == (
            "carried", "kim", "Maps in Round 1", "kept, as the group agreed")
        # The first round's groups and goals are untouched.
        assert members(store, second.id - 1) == members(store, second.id)

        assert change.undo() == "Round 2 is planned again."
        assert current_round(store).name == "Round 1"
        assert groups_of_round(store, second.id) == []
        assert store.scalar("SELECT COUNT(*) FROM goals") == 3
        assert store.scalar("SELECT opened_with FROM rounds WHERE id = ?", (second.id,)) is None


def test_undoing_a_kept_start_is_refused_when_someone_moved_people_since(
        small_session: Path) -> None:
    who = two_tables(small_session)
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        _, change = start_next_round(sam, KEEP)
        second = current_round(kim)
        data = next(g for g in groups_of_round(kim, second.id) if g.name == "Data")
        move_to_group(kim, who["al"], data.id)  # Ana walks to the other table
        with pytest.raises(SessionError, match="kim moved Ana Lopez to Data since"):
            change.undo()
        assert current_round(sam).name == "Round 2"  # nothing was undone
        assert len(groups_of_round(sam, second.id)) == 2


def test_keep_leaves_absent_people_and_empty_tables_out(small_session: Path) -> None:
    who = two_tables(small_session)
    with SessionStore.open(small_session, identity="sam") as store:
        set_present(store, who["cd"], False)
        set_present(store, who["dp"], False)
        said, _ = start_next_round(store, KEEP)
        assert said.startswith("Round 2 started with the 1 group kept, with 1 goal kept")
        assert members(store, current_round(store).id) == {"Maps": {"Ana Lopez", "Bob Smith"}}


def test_open_space_closes_groups_made_early_and_its_undo_reopens_them(
        small_session: Path) -> None:
    who = two_tables(small_session)
    with SessionStore.open(small_session, identity="sam") as store:
        planned = store.scalar("SELECT id FROM rounds WHERE name = 'Round 2'")
        create_group(store, "Early bird", planned, [who["al"]])
        step = round_step(store)
        assert any(c.key == OPEN and "the 1 group already made for Round 2 close" in c.label
                   for c in step.choices)
        said, change = start_next_round(store, OPEN)
        assert said == "Round 2 started: open space, nobody grouped yet."
        assert groups_of_round(store, planned) == []
        assert current_round(store).opened_with == "open space"
        change.undo()
        assert members(store, planned) == {"Early bird": {"Ana Lopez"}}


def test_suggested_needs_groups_made_for_the_round(small_session: Path) -> None:
    two_tables(small_session)
    with SessionStore.open(small_session, identity="sam") as store:
        assert round_step(store).suggest_first
        with pytest.raises(SessionError, match="No groups are made for the next round yet"):
            start_next_round(store, SUGGEST)
        assert current_round(store).name == "Round 1"  # nothing started


def test_nothing_to_keep_is_one_sentence_and_starts_nothing(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as store:
        add_round(store, "Round 1")
        assert KEEP not in [c.key for c in round_step(store).choices]
        with pytest.raises(SessionError, match="There are no groups to keep"):
            start_next_round(store, KEEP)
        assert current_round(store) is None


async def test_one_key_keeps_the_groups_and_the_groups_screen_says_so(
        small_session: Path) -> None:
    two_tables(small_session)
    app = make_app(small_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("k")
        await pilot.pause()
        assert app.screen is screen
        title = str(screen.query_one("#groups-title").render())
        assert title.startswith("Round 2 (current, kept groups): 2 groups, 0 ungrouped")
        assert [g.name for g in screen.groups] == ["Maps", "Data"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert current_round(app.store).name == "Round 1"


async def test_s_with_nothing_prepared_shows_the_suggestions_and_starts_nothing(
        small_session: Path) -> None:
    two_tables(small_session)
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "groups"
        assert app.screen.suggesting
        assert current_round(app.store).name == "Round 1"

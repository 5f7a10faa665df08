"""Regression tests for what exploratory testing of the groups and goals screens,
and their commands, found (an open-space day run from scratch, goals reported
back, hostile input, an empty session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static

from facilitator.app import make_app
from facilitator.core import group_plans as plans
from facilitator.models.groups import groups_of_round
from facilitator.models.rounds import rounds
from facilitator.models.store import SessionError, SessionStore
from tests.goals_helpers import make_goals_session

SIZE = (80, 24)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def shown_text(widget: Widget) -> str:
    """What a widget shows on screen right now, all its lines joined."""
    width, height = widget.size
    lines = widget.render_lines(Region(0, 0, width, height))
    return " ".join("".join(seg.text for seg in line if isinstance(seg, Segment)) for line in lines)


# ---------------------------------------------------------------- groups prompt
async def test_a_typo_in_a_topic_keeps_the_line_open_with_what_was_typed(small_session: Path):
    """Before, a bad code closed the line and lost it; the letters typed on then ran
    the screen's keys (o opened 'start the next round')."""
    app = make_app(small_session, identity="ana", screen="groups")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Climate data @zz")
        await pilot.press("enter")
        await pilot.pause()
        prompt = app.screen.query_one("#groups-prompt", Input)
        assert prompt.display and prompt.has_focus
        assert prompt.value == "Climate data @zz"
        # Fix the code and Enter: the topic is there with its convener.
        await pilot.press("backspace", "backspace", "a", "l", "enter")
        await pilot.pause()
        assert not prompt.display
    with SessionStore.open(small_session) as store:
        names = [g.name for g in groups_of_round(store, None)]
        assert names == ["Climate data"]
        assert rounds(store) == []  # no stray key started a round


# ---------------------------------------------------------------- nobody present
def test_a_proposal_for_nobody_is_refused_and_applying_nothing_writes_nothing(empty_session: Path):
    with SessionStore.open(empty_session, identity="ana") as store:
        inputs = plans.proposal_inputs(store, 4)
        with pytest.raises(SessionError, match="Nobody is present"):
            inputs.form("new-ties", 4)
        with pytest.raises(SessionError, match="Nobody is present"):
            plans.apply_groups(store, [], "random")
        assert rounds(store) == []


async def test_suggestions_with_nobody_present_say_so_and_a_applies_nothing(empty_session: Path):
    """Before, both panels showed empty groupings and a made a new, empty round."""
    app = make_app(empty_session, identity="ana", screen="groups")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one("#proposal-left")
        assert "Nobody is present" in shown_text(panel)
        await pilot.press("a")
        await pilot.pause()
    with SessionStore.open(empty_session) as store:
        assert rounds(store) == []


# ---------------------------------------------------------------- goals at 80 columns
async def test_card_title_shows_the_whole_topic_name_at_80_columns(tmp_path: Path):
    """The card title is where the topic under the column cursor shows in full
    (the matrix header abbreviates it); at 80 columns it was cut after 'topic'."""
    path = tmp_path / "goals.db"
    with make_goals_session(path) as store:
        from facilitator.models.goals import add_essential

        add_essential(store, "Accessibility for everyone")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("down", "right", "right", "right")  # Dunes; the fourth topic
        await pilot.pause()
        title = pilot.app.screen.query_one("#goals-card-title", Static)
        assert title.size.width < 60  # the card beside the progress panel
        assert "Accessibility for everyone" in str(title.render())
        # It needs two lines at this width, and gets them.
        assert title.size.height == 2


async def test_summary_keeps_the_open_challenges_when_topics_are_neglected(tmp_path: Path):
    path = tmp_path / "goals.db"
    with make_goals_session(path) as store:
        from facilitator.models.challenges import raise_challenge
        from facilitator.models.goals import add_essential
        from tests.goals_helpers import group_id, topic_id

        add_essential(store, "Accessibility")
        raise_challenge(store, group_id(store, "Dunes"), topic_id(store, "Safety"), "How?")
        raise_challenge(store, group_id(store, "Forest"), topic_id(store, "Safety"), "Why?")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.pause()
        summary = pilot.app.screen.query_one("#goals-summary", Static)
        assert "2 open challenges" in shown_text(summary)


# ---------------------------------------------------------------- shared first names
async def test_suggestions_tell_apart_people_who_share_a_first_name(tmp_path: Path):
    """The panel lists first names; with two Annas it read 'Anna, Anna' and nobody
    could tell who goes where (with 200 'Person NNN' it was all 'Person')."""
    from facilitator.models.roster import add_participant
    from facilitator.models.session import create_session

    path = tmp_path / "annas.db"
    with create_session(path, "Annas") as store:
        for name in ("Anna Berg", "Anna Cruz", "Ben Ode", "Cleo Diaz"):
            add_participant(store, name, {})
        codes = {r[0]: r[1] for r in store.rows("SELECT name, code FROM participants")}
    app = make_app(path, identity="ana", screen="groups")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one("#proposal-left", Static).render())
        assert f"Anna ({codes['Anna Berg']})" in shown
        assert f"Anna ({codes['Anna Cruz']})" in shown
        assert "Ben" in shown and f"({codes['Ben Ode']})" not in shown  # unique: no code


# ---------------------------------------------------------------- goals --list, empty
def test_goals_list_of_a_session_without_groups_says_so(empty_session: Path):
    """It printed nothing at all and exited 0, which reads like a failure."""
    from click.testing import CliRunner

    from facilitator.cli import cli

    result = CliRunner().invoke(cli, ["goals", str(empty_session), "--list"])
    assert result.exit_code == 0
    assert "No groups yet" in result.output


async def test_all_rounds_view_without_groups_does_not_speak_of_this_round(empty_session: Path):
    async with make_app(empty_session, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("v")  # no round: the next view is all rounds
        await pilot.pause()
        assert "All rounds" in str(pilot.app.screen.query_one("#goals-summary", Static).render())
        title = str(pilot.app.screen.query_one("#goals-card-title", Static).render())
        assert title.startswith("No groups yet")


# ---------------------------------------------------------------- read-only
@pytest.mark.parametrize(("screen", "key", "line"), [
    ("groups", "n", "#groups-prompt"),
    ("goals", "a", "#goals-entry-input"),
])
async def test_read_only_says_so_before_any_typing(tmp_path: Path, screen: str, key: str,
                                                    line: str):
    """Before, the line opened, took a whole topic or goal, and only then said
    read-only (and on the groups screen stayed open with it)."""
    path = tmp_path / "goals.db"
    make_goals_session(path).close()
    notes: list[str] = []
    app = make_app(path, identity="obs", read_only=True, screen=screen)
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await pilot.press(key)
        await pilot.pause()
        assert not app.screen.query_one(line, Input).has_focus
        assert any("read-only" in note for note in notes)

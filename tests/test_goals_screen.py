"""The goals screen driven as a facilitator would, at 80x24."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from facilitator.app import make_app
from facilitator.models import challenges as asked
from facilitator.models import goals as core
from facilitator.models.store import SessionStore
from tests.goals_helpers import group_id, make_goals_session

SIZE = (80, 24)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def card_lines(screen) -> list[str]:
    card = screen.query_one("#goals-card", OptionList)
    return [str(card.get_option_at_index(i).prompt) for i in range(card.option_count)]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def session(tmp_path: Path) -> Path:
    path = tmp_path / "goals.db"
    make_goals_session(path).close()
    return path


def read(path: Path) -> SessionStore:
    return SessionStore.open(path, identity="check")


async def test_two_goals_recorded_as_the_group_reports_back(tmp_path):
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("down")  # second group: Dunes
        await pilot.press("a")
        await type_text(pilot, "Build a shelter")
        await pilot.press("enter")
        await type_text(pilot, "Sleep outside")
        await pilot.press("enter", "escape")
        await pilot.pause()
        lines = card_lines(pilot.app.screen)
        assert any("Build a shelter" in line for line in lines)
        assert any("Sleep outside" in line for line in lines)
        assert "Dunes" in text_of(pilot.app.screen, "#goals-card-title")
        await pilot.press("l", "down", "enter", "escape")  # the goal just entered: Consent
        await pilot.pause()
    with read(path) as store:
        recorded = core.goals(store)
        assert [(g.text, g.group_id, g.logged_by) for g in recorded] == [
            ("Build a shelter", group_id(store, "Dunes"), "ana"),
            ("Sleep outside", group_id(store, "Dunes"), "ana")]
        assert [g.essential_ids for g in recorded] == [(), (core.find_essential(store, "Consent").id,)]


async def test_linking_a_goal_clears_the_neglect_mark(tmp_path):
    path = session(tmp_path)
    with read(path) as store:
        core.add_goal(store, group_id(store, "Tide pools"), "Map the rocks")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert "! nobody covers: Safety, Consent, Curriculum" in text_of(screen, "#goals-summary")
        assert "!Safety" in text_of(screen, "#goals-header")
        await pilot.press("tab", "l", "enter", "escape")  # Safety is the first topic
        await pilot.pause()
        assert "! nobody covers: Consent, Curriculum" in text_of(screen, "#goals-summary")
        assert "!Safety" not in text_of(screen, "#goals-header")
        assert "→ Safety" in card_lines(screen)[0]
        await pilot.press("ctrl+z")  # undo the link
        await pilot.pause()
        assert "Safety" in text_of(screen, "#goals-summary")
    with read(path) as store:
        assert [(e.field, e.old_value, e.new_value) for e in core.goal_history(store)] == [
            ("essential", None, "Safety"), ("essential", "Safety", None)]


async def test_status_key_moves_the_goal_on_and_undo_brings_it_back(tmp_path):
    path = session(tmp_path)
    with read(path) as store:
        goal_id = core.add_goal(store, group_id(store, "Tide pools"), "Map the rocks")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("tab", "s", "s")
        await pilot.pause()
        assert "done" in card_lines(pilot.app.screen)[0]
        assert "●" in text_of(pilot.app.screen, "#goals-progress")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "in progress" in card_lines(pilot.app.screen)[0]
        assert notes(pilot.app)[-1] == "Undid the status change of 'Map the rocks' (to done)."
    with read(path) as store:
        assert core.get_goal(store, goal_id).status == "in progress"
        assert len(core.goal_history(store, goal_id)) == 3  # the undo is history too


async def test_challenge_a_group_on_the_topic_under_the_cursor_then_note_its_answer(tmp_path):
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await pilot.press("down", "down", "right", "right")  # Forest, Curriculum
        await pilot.press("c")
        assert "Forest on Curriculum" in str(screen.query_one("#goals-entry-prompt").render())
        await type_text(pilot, "Where is module 3")
        await pilot.press("enter")
        await pilot.pause()
        assert "? open" in card_lines(screen)[0]
        assert "·?" in str(screen.matrix.get_option_at_index(2).prompt)
        await pilot.press("r")
        await type_text(pilot, "On the walk back")
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ answered" in card_lines(screen)[0]
        assert "their answer: On the walk back (noted by ana)" in card_lines(screen)[0]
    with read(path) as store:
        (challenge,) = asked.challenges(store)
        assert (challenge.status, challenge.response) == ("answered", "On the walk back")
        assert core.find_essential(store, "Curriculum").id == challenge.essential_id


async def test_typed_text_is_shown_as_typed_never_as_markup(tmp_path):
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("a")
        pilot.app.screen.query_one("#goals-entry-input", Input).value = "[bold]x[/] \x1b[31mred"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert "[bold]x[/]" in card_lines(pilot.app.screen)[0]


async def test_an_empty_goal_writes_nothing_and_says_why(tmp_path):
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("a", "space", "enter")
        await pilot.pause()
        assert any("own words" in str(n.message) for n in pilot.app._notifications)
    with read(path) as store:
        assert core.goals(store) == []


async def test_everything_fits_at_80x24_and_other_rounds_can_be_seen(demo_session):
    async with make_app(demo_session, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        for selector in ("#goals-summary", "#goals-header", "#goals-matrix", "#goals-card",
                         "#goals-progress"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.right <= 80 and region.bottom <= 23, selector
        assert text_of(screen, "#goals-summary").startswith("Mixed groups")
        await pilot.press("v")
        await pilot.pause()
        assert text_of(screen, "#goals-summary").startswith("Opening circle")
        await pilot.press("v")
        await pilot.pause()
        summary = text_of(screen, "#goals-summary")
        assert summary.startswith("Open space") and "! nobody covers: Evaluation" in summary
        rows = [str(screen.matrix.get_option_at_index(i).prompt)
                for i in range(screen.matrix.option_count)]
        assert any(row.startswith("! Data sharing") and "✓" in row for row in rows)


async def test_an_answer_recorded_by_a_co_facilitator_shows_up(tmp_path):
    path = session(tmp_path)
    with read(path) as store:
        challenge_id = asked.raise_challenge(store, group_id(store, "Tide pools"), None, "Why here?")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert "? open" in card_lines(screen)[0]
        # A second real process, as a co-facilitator over SSH would run it.
        done = subprocess.run(
            [sys.executable, "-c", "from facilitator.cli import main; main()", "answer",
             str(path), str(challenge_id), "--text", "The tide is out until four", "--as", "bo"],
            capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        for _ in range(40):
            await pilot.pause(0.5)
            if "✓ answered" in card_lines(screen)[0]:
                break
        assert "their answer: The tide is out until four (noted by bo)" in card_lines(screen)[0]
        assert "open challenge" not in text_of(screen, "#goals-summary")


async def test_many_topics_scroll_sideways_instead_of_wrapping(tmp_path):
    path = session(tmp_path)
    with read(path) as store:
        for number in range(4, 13):
            core.add_essential(store, f"Topic {number}")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        width = screen.matrix.content_region.width
        rows = [str(screen.matrix.get_option_at_index(i).prompt) for i in range(3)]
        assert all(len(row) <= width for row in rows)
        assert "Topic 12" not in text_of(screen, "#goals-header")
        await pilot.press(*["left"])  # wraps round to the last topic
        await pilot.pause()
        header = text_of(screen, "#goals-header")
        assert "‹" in header and len(header) <= width
        assert "topic !Topic 12" in text_of(screen, "#goals-card-title")


async def test_history_of_a_goal_shows_who_changed_what(tmp_path):
    path = session(tmp_path)
    with read(path) as store:
        goal_id = core.add_goal(store, group_id(store, "Tide pools"), "Map the rocks", "Cleo")
    with SessionStore.open(path, identity="bo") as store:
        core.set_goal_status(store, goal_id, "done")
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        assert "(set by Cleo)" in card_lines(pilot.app.screen)[0]
        await pilot.press("tab", "h")
        await pilot.pause()
        lines = str(pilot.app.screen.query_one("#history-lines", Static).render())
        assert "recorded: Map the rocks" in lines and "bo  Round 1  status: open → done" in lines
        await pilot.press("escape")
        assert pilot.app.screen.SCREEN_NAME == "goals"


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_topic_added_live_is_undone_with_ctrl_z_while_nothing_links_to_it(tmp_path):
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await pilot.press("n")
        await type_text(pilot, "Ethics")
        await pilot.press("enter")
        await pilot.pause()
        assert "Ethics" in text_of(screen, "#goals-summary")  # nobody covers it yet
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Undid the new topic Ethics." in notes(pilot.app)  # says which
        assert "Ethics" not in text_of(screen, "#goals-summary")
        assert "Ethics" not in text_of(screen, "#goals-header")
        # Once a goal links to it, undo refuses to remove it and says why.
        await pilot.press("n")
        await type_text(pilot, "Budget")
        await pilot.press("enter", "a")
        await type_text(pilot, "Count the costs")
        await pilot.press("enter", "escape")
        await pilot.press("l", "up", "enter", "escape")  # up wraps to the last topic: Budget
        await pilot.pause()
        assert "→ Budget" in card_lines(screen)[0]
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")  # link, new goal, new topic
        await pilot.pause()
        assert "Undid the new topic" in notes(pilot.app)[-1]
        await pilot.press("n")
        await type_text(pilot, "Ethics")
        await pilot.press("enter")
        with read(path) as store:
            core.link_goal(store, core.add_goal(store, group_id(store, "Dunes"), "Be fair"),
                           core.find_essential(store, "Ethics").id)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "the topic stays" in notes(pilot.app)[-1]
    with read(path) as store:
        assert [e.name for e in core.essential_topics(store)] == [
            "Safety", "Consent", "Curriculum", "Ethics"]


async def test_who_reports_is_given_once_and_goals_are_recorded_as_set_by_them(tmp_path):
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        prompt = lambda: str(screen.query_one("#goals-entry-prompt").render())  # noqa: E731
        await pilot.press("down", "a")  # Dunes; the group itself until someone reports
        assert prompt() == "Goal of Dunes:"
        await pilot.press("ctrl+r")  # works while the goal line is open
        assert prompt() == "Who reports for Dunes?"
        await type_text(pilot, "Cleo")
        await pilot.press("enter")
        assert prompt() == "Goal of Dunes (by Cleo):"
        await type_text(pilot, "Build a shelter")
        await pilot.press("enter")
        await type_text(pilot, "Sleep outside")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert "(set by Cleo)" in card_lines(screen)[1]
        await pilot.press("ctrl+r")
        assert screen.query_one("#goals-entry-input", Input).value == "Cleo"  # prefilled
        await pilot.press("ctrl+u", "enter")  # empty: the group itself
        assert prompt() == "Goal of Dunes:"
        await type_text(pilot, "Cook together")
        await pilot.press("enter", "escape")
        await pilot.pause()
    with read(path) as store:
        assert [(g.text, g.set_by) for g in core.goals(store)] == [
            ("Build a shelter", "Cleo"), ("Sleep outside", "Cleo"), ("Cook together", None)]
        core.add_goal(store, group_id(store, "Forest"), "Learn the trees", "Dev")
    # A reopened screen (or a co-facilitator) continues with the latest goal's reporter.
    async with make_app(path, identity="bo", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "a")
        assert str(pilot.app.screen.query_one("#goals-entry-prompt").render()) == (
            "Goal of Forest (by Dev):")


async def test_the_title_says_which_rounds_the_coverage_spans_the_report_spans_all(demo_session):
    with read(demo_session) as store:
        from facilitator.core.report import build_report

        session_wide = build_report(store)["neglected"]
    async with make_app(demo_session, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        summary = text_of(screen, "#goals-summary")
        assert summary.startswith("Mixed groups · current round · ! nobody covers: Safety")
        assert summary.index("Evaluation") + len("Evaluation") <= 78  # fits at 80 columns
        await pilot.press("v")
        await pilot.pause()
        assert text_of(screen, "#goals-summary").startswith("Opening circle · earlier round")
        await pilot.press("v", "v")
        await pilot.pause()
        summary = text_of(screen, "#goals-summary")
        assert summary.startswith("All rounds · ")
        # All rounds on screen = the report; the current round alone neglects more.
        assert f"! nobody covers: {', '.join(session_wide)}" in summary
        assert session_wide == ["Evaluation"]

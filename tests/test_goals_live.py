"""The goals screen in a live room: a burst of goals lands as typed, and undo
never overwrites what a co-facilitator recorded since."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from burst import burst, typed

from facilitator.app import make_app
from facilitator.core import goals as writes
from facilitator.models import challenges as asked
from facilitator.models import goals as core
from facilitator.models.store import SessionError, SessionStore
from tests.goals_helpers import group_id, make_goals_session, topic_id

SIZE = (80, 24)


def session(tmp_path: Path) -> Path:
    path = tmp_path / "goals.db"
    make_goals_session(path).close()
    return path


def two(path: Path) -> tuple[SessionStore, SessionStore]:
    return SessionStore.open(path, identity="sam"), SessionStore.open(path, identity="kim")


async def test_a_burst_of_goals_with_who_reports_lands_as_typed(tmp_path: Path) -> None:
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Letters that are keys of this screen (a, c, e, l, n, p, r, s, v, h) all
        # go into the line; Enter keeps it open for the next goal; ctrl+r says who
        # reports, and the goals after it are theirs.
        await burst(pilot, "down", "a", *typed("Scale a reef chart"), "enter",
                    *typed("Help everyone"), "enter", "ctrl+r", *typed("Cleo"), "enter",
                    *typed("Share a plan"), "enter", "escape")
        assert not pilot.app.screen.entry_line.accepting
    with SessionStore.open(path) as store:
        recorded = [(g.text, g.set_by) for g in core.goals(store, [group_id(store, "Dunes")])]
    assert recorded == [("Scale a reef chart", None), ("Help everyone", None),
                        ("Share a plan", "Cleo")]


async def test_a_challenge_typed_at_speed_keeps_its_letters(tmp_path: Path) -> None:
    path = session(tmp_path)
    async with make_app(path, identity="ana", screen="goals").run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, "c", *typed("and safety, please"), "backspace", "e", "enter",
                    "n", *typed("Access"), "enter")
    with SessionStore.open(path) as store:
        assert [c.text for c in asked.challenges(store)] == ["and safety, please"]
        assert "Access" in [t.name for t in core.essential_topics(store)]


def test_kims_undo_of_a_status_does_not_overwrite_sams_later_done(tmp_path: Path) -> None:
    path = session(tmp_path)
    sam, kim = two(path)
    with sam, kim:
        goal = core.add_goal(sam, group_id(sam, "Dunes"), "Build a shelter")
        kims = writes.edit_goal(kim, goal, "status", "in progress")
        writes.edit_goal(sam, goal, "status", "done")
        with pytest.raises(SessionError) as refused:
            kims.undo()
        assert str(refused.value) == "sam set 'Build a shelter' to done since; nothing was undone."
        assert core.get_goal(kim, goal).status == "done"
        # Sam's own undo goes through, and is in the history with who did it.
        history = core.goal_history(sam, goal)
        assert [(h.by, h.new_value) for h in history] == [("kim", "in progress"), ("sam", "done")]


def test_an_undo_is_itself_an_edit_in_the_history(tmp_path: Path) -> None:
    path = session(tmp_path)
    sam, kim = two(path)
    with sam, kim:
        goal = core.add_goal(sam, group_id(sam, "Dunes"), "Build a shelter")
        change = writes.edit_goal(sam, goal, "text", "Build two shelters")
        writes.edit_goal(kim, goal, "progress", "Half done")  # another field: not the same thing
        change.undo()
        assert core.get_goal(sam, goal).text == "Build a shelter"
        edits = [(h.by, h.field, h.new_value) for h in core.goal_history(sam, goal)]
    assert edits == [("sam", "text", "Build two shelters"), ("kim", "progress", "Half done"),
                     ("sam", "text", "Build a shelter")]


@pytest.mark.parametrize("what", ["link", "answer", "challenge", "goal"])
def test_other_goal_undos_refuse_after_kim_changed_the_same_thing(tmp_path: Path,
                                                                   what: str) -> None:
    path = session(tmp_path)
    sam, kim = two(path)
    with sam, kim:
        dunes = group_id(sam, "Dunes")
        goal = core.add_goal(kim, dunes, "Build a shelter")
        safety = topic_id(sam, "Safety")
        challenge = asked.raise_challenge(kim, dunes, safety, "And safety?")
        if what == "link":
            change = writes.link(sam, goal, safety, True)
            core.unlink_goal(kim, goal, safety)
            core.link_goal(kim, goal, safety)
            expected = "kim linked 'Build a shelter' to Safety since"
        elif what == "answer":
            change = writes.answer(sam, challenge, "We wear helmets.")
            asked.answer_challenge(kim, challenge, "Helmets and a first-aid kit.")
            expected = "kim noted another answer since"
        elif what == "challenge":
            _, change = writes.raise_challenge(sam, dunes, None, "Who decides?")
            mine = max(c.id for c in asked.challenges(sam))
            asked.answer_challenge(kim, mine, "We vote.")
            expected = "kim noted the group's answer since"
        else:
            _, change = writes.add_goal(sam, dunes, "Sleep outside", None)
            mine = max(g.id for g in core.goals(sam))
            core.set_goal_status(kim, mine, "done")
            expected = "kim edited this goal since"
        before = [kim.rows(f"SELECT * FROM {t} ORDER BY rowid") for t in
                  ("goals", "goal_history", "goal_essentials", "challenges")]
        with pytest.raises(SessionError, match=expected):
            change.undo()
        after = [kim.rows(f"SELECT * FROM {t} ORDER BY rowid") for t in
                 ("goals", "goal_history", "goal_essentials", "challenges")]
        assert after == before


SECOND_PROCESS = """
import sys
from facilitator.models import goals as core
from facilitator.models.store import SessionStore
with SessionStore.open(sys.argv[1], identity="kim") as kim:
    core.set_goal_status(kim, int(sys.argv[2]), "dropped")
"""


async def test_ctrl_z_on_the_screen_names_kim_from_another_process(tmp_path: Path) -> None:
    path = session(tmp_path)
    with SessionStore.open(path, identity="sam") as sam:
        goal = core.add_goal(sam, group_id(sam, "Tide pools"), "Map the pools")
    messages: list[str] = []
    app = make_app(path, identity="sam", screen="goals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify = lambda message, **kw: messages.append(message)  # type: ignore[method-assign]
        await burst(pilot, "tab", "s")  # the card, its first goal: open -> in progress
        with SessionStore.open(path) as store:
            assert core.get_goal(store, goal).status == "in progress"
        subprocess.run([sys.executable, "-c", SECOND_PROCESS, str(path), str(goal)],
                       check=True, timeout=60)
        await burst(pilot, "ctrl+z")
    with SessionStore.open(path) as store:
        assert core.get_goal(store, goal).status == "dropped"
    assert "kim set 'Map the pools' to dropped since; nothing was undone." in messages, messages

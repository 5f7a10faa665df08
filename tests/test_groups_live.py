"""The groups screen in a live room: keys typed in one burst land where they
were typed, and undo respects what co-facilitators changed since."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from burst import burst, typed
from test_groups_screen import members_by_name

from facilitator.app import make_app
from facilitator.core import groups as edits
from facilitator.core.changes import Change
from facilitator.models.groups import groups_of_round
from facilitator.models.rounds import current_round
from facilitator.models.store import SessionError, SessionStore
from facilitator.screens.groups import GroupsScreen


def groups_of(path: Path, code: str) -> list[str]:
    """The open groups of the current round someone is in, as the file says."""
    with SessionStore.open(path) as store:
        return sorted(r[0] for r in store.rows(
            'SELECT cm."group" FROM current_members cm JOIN participants p'
            " ON p.id = cm.participant_id JOIN groups g ON g.id = cm.group_id"
            " JOIN session s ON s.current_round_id = g.round_id"
            " WHERE p.code = ? AND g.closed_at IS NULL", (code,)))


async def test_a_burst_of_moves_lands_exactly_as_typed(demo_session: Path) -> None:
    app = make_app(demo_session, identity="sam", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        before = members_by_name(demo_session)
        # j, then the codes at once (over SSH this is one read); the letters r, s,
        # g, c are keys of this screen too, and 2 and 3 switch screens outside a line.
        await burst(pilot, "j", *typed("mr 2"), "enter", "j", *typed("cw 3"), "enter",
                    "j", *typed("rj  sv 4"), "backspace", "4", "enter")
        assert app.screen is screen
        after = members_by_name(demo_session)
        assert "mr" in after["Mixed 2"] and "cw" in after["Mixed 3"]
        assert {"rj", "sv"} <= after["Mixed 4"]
        assert set(after) == set(before)  # nothing closed, renamed or split on the way
        assert sum(len(m) for m in after.values()) == sum(len(m) for m in before.values())
        assert screen.line.accepting is False and screen.line.display is False
        # Three moves, three undo steps, newest first.
        await burst(pilot, "ctrl+z", "ctrl+z", "ctrl+z")
        assert members_by_name(demo_session) == before


async def test_a_topic_typed_with_screen_keys_in_it_keeps_every_letter(demo_session: Path) -> None:
    app = make_app(demo_session, identity="sam", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "n", *typed("Open data jrsgcx @cw"), "enter")
        assert members_by_name(demo_session)["Open data jrsgcx"] == {"cw"}


async def test_a_failed_line_reopens_with_what_was_typed_and_escape_drops_it(
        demo_session: Path) -> None:
    app = make_app(demo_session, identity="sam", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = members_by_name(demo_session)
        await burst(pilot, "j", *typed("cw 99"), "enter")
        line = app.screen.line
        assert line.accepting and line.value == "cw 99"
        await burst(pilot, "escape", "j", *typed("cw 1"), "enter")
        assert members_by_name(demo_session) == before  # cw was in Mixed 1 already
        assert not line.accepting


def test_sam_cannot_undo_a_move_that_kim_changed_since(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        shown = groups_of_round(sam, current_round(sam).id)
        _, sams = edits.move(sam, "mr 2", shown)
        edits.move(kim, "mr 3", groups_of_round(kim, current_round(kim).id))
        name = sam.scalar("SELECT name FROM participants WHERE code = 'mr'")
        with pytest.raises(SessionError) as refused:
            sams.undo()
        assert str(refused.value) == f"kim moved {name} to Mixed 3 since; nothing was undone."
    assert groups_of(demo_session, "mr") == ["Mixed 3"]  # one group, Kim's


def test_an_undo_nobody_interfered_with_goes_through_and_stays_in_the_history(
        demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        shown = groups_of_round(sam, current_round(sam).id)
        _, sams = edits.move(sam, "mr 2", shown)
        edits.move(kim, "cw 3", shown)  # someone else: not the same thing
        sams.undo()
        voided = sam.rows("SELECT voided_by FROM memberships WHERE voided_at IS NOT NULL")
    assert groups_of(demo_session, "mr") == ["Mixed 1"]
    assert groups_of(demo_session, "cw") == ["Mixed 3"]
    assert [r[0] for r in voided] == ["sam", "sam"]  # the undo is visible, with who


@pytest.mark.parametrize("step", ["topic", "split", "merge", "close", "ungroup", "rename"])
def test_every_group_edit_refuses_an_undo_after_kim_changed_it(demo_session: Path,
                                                                step: str) -> None:
    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        shown = groups_of_round(sam, current_round(sam).id)
        first = shown[0]
        code = sam.scalar("SELECT code FROM participants WHERE id = ?", (first.member_ids[0],))
        if step == "topic":
            _, change = edits.new_topic(sam, "Bird tracking @cw", first.round_id)
            edits.move(kim, f"mr {len(shown) + 1}", groups_of_round(kim, first.round_id))
        elif step == "split":
            _, change = edits.split(sam, first, f"Spin off @{code}")
            edits.move(kim, f"{code} 2", groups_of_round(kim, first.round_id))
        elif step == "merge":
            _, change = edits.merge(sam, first, "2", shown)
            edits.move(kim, "nr 3", groups_of_round(kim, first.round_id))
        elif step == "close":
            _, change = edits.close(sam, first)
            edits.move(kim, f"{code} 2", groups_of_round(kim, first.round_id))
        elif step == "ungroup":
            _, change = edits.leave(sam, code, first.round_id)
            edits.move(kim, f"{code} 3", groups_of_round(kim, first.round_id))
        else:
            _, change = edits.rename(sam, first, "Climate")
            edits.rename(kim, first, "Climate data")
        before = kim.rows("SELECT * FROM memberships ORDER BY id")
        names = kim.rows("SELECT name, closed_at, voided_at FROM groups ORDER BY id")
        with pytest.raises(SessionError, match="since; nothing was undone"):
            change.undo()
        assert kim.rows("SELECT * FROM memberships ORDER BY id") == before
        assert kim.rows("SELECT name, closed_at, voided_at FROM groups ORDER BY id") == names


SECOND_PROCESS = """
import sys
from facilitator.core import groups as edits
from facilitator.core.changes import Change
from facilitator.models.groups import groups_of_round
from facilitator.models.rounds import current_round
from facilitator.models.store import SessionStore
with SessionStore.open(sys.argv[1], identity="kim") as kim:
    edits.move(kim, "mr 3", groups_of_round(kim, current_round(kim).id))
"""


async def test_sam_moves_kim_moves_in_another_process_sam_undoes(demo_session: Path) -> None:
    app = make_app(demo_session, identity="sam", screen="groups")
    messages: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.notify = lambda message, **kw: messages.append(message)  # type: ignore[method-assign]
        await burst(pilot, "j", *typed("mr 2"), "enter")
        assert groups_of(demo_session, "mr") == ["Mixed 2"]
        subprocess.run([sys.executable, "-c", SECOND_PROCESS, str(demo_session)], check=True,
                       timeout=60)
        await burst(pilot, "ctrl+z")
        assert groups_of(demo_session, "mr") == ["Mixed 3"]
        assert any(m.startswith("kim moved") and m.endswith("since; nothing was undone.")
                   for m in messages), messages
        assert isinstance(app.screen, GroupsScreen)


def test_a_keep_apart_rule_kim_released_is_not_set_again_by_sams_undo(
        demo_session: Path) -> None:
    from facilitator.core import group_plans as plans

    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        (a, b), added, change = edits.toggle_rule(sam, "apart", "mr cw")
        assert added
        edits.toggle_rule(kim, "apart", "cw,mr")  # the CLI's way of writing a pair, same rule
        with pytest.raises(SessionError, match="Someone released that keep-apart rule since"):
            change.undo()
        assert plans.pair_rules(kim, plans.KEEP_APART) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_bursts_of_moves_end_where_they_were_typed(demo_session: Path,
                                                                 seed: int) -> None:
    """A property: whatever moves are typed, in one burst, each lands in order, so
    everyone ends in the group their last move named, in exactly one group."""
    import random

    rng = random.Random(seed)
    with SessionStore.open(demo_session) as store:
        shown = groups_of_round(store, current_round(store).id)
        codes = {r[0]: r[1] for r in store.rows("SELECT id, code FROM participants")}
    expected = {codes[pid]: g.name for g in shown for pid in g.member_ids}
    keys: list[str] = []
    for _ in range(8):
        movers = rng.sample(sorted(expected), rng.randint(1, 3))
        number = rng.randint(1, len(shown))
        keys += ["j", *typed(" ".join(movers) + f" {number}"), "enter"]
        for code in movers:
            expected[code] = shown[number - 1].name
    app = make_app(demo_session, identity="sam", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, *keys)
    for code, group in expected.items():
        assert groups_of(demo_session, code) == [group], code


def group_rows(store: SessionStore) -> tuple[list[tuple], list[tuple]]:
    """Every row of groups and memberships: what a refused undo must leave alone."""
    return ([tuple(r) for r in store.rows("SELECT * FROM groups ORDER BY id")],
            [tuple(r) for r in store.rows("SELECT * FROM memberships ORDER BY id")])


def refused(change: Change, store: SessionStore) -> str:
    """Run an undo that must be refused; the sentence, once the file is seen unchanged."""
    before = group_rows(store)
    with pytest.raises(SessionError) as error:
        change.undo()
    assert group_rows(store) == before
    return str(error.value)


def test_undo_of_a_rename_names_who_renamed_it_since(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        first = groups_of_round(sam, current_round(sam).id)[0]
        _, change = edits.rename(sam, first, "Maps")
        edits.rename(kim, first, "Data maps")
        assert refused(change, kim) == "kim renamed Maps to Data maps since; nothing was undone."
        assert kim.one("SELECT renamed_by FROM groups WHERE id = ?", (first.id,))[0] == "kim"


def test_undo_of_a_topic_names_who_renamed_or_closed_it_since(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        round_id = current_round(sam).id
        _, renamed = edits.new_topic(sam, "Maps", round_id)
        topic = next(g for g in groups_of_round(kim, round_id) if g.name == "Maps")
        edits.rename(kim, topic, "Data maps")
        assert refused(renamed, kim) == (
            "kim renamed a group of this step to Data maps since; nothing was undone.")
        _, closed = edits.new_topic(sam, "Birds", round_id)  # nobody in it: no membership event
        topic = next(g for g in groups_of_round(kim, round_id) if g.name == "Birds")
        edits.close(kim, topic)
        assert refused(closed, kim) == "kim closed Birds since; nothing was undone."
        row = kim.one("SELECT closed_by FROM groups WHERE id = ?", (topic.id,))
        assert row[0] == "kim"


def test_undo_of_a_close_names_who_reopened_it_since(demo_session: Path) -> None:
    from facilitator.models.groups import close_group, undo_batch

    with SessionStore.open(demo_session, identity="sam") as sam, \
            SessionStore.open(demo_session, identity="kim") as kim:
        round_id = current_round(sam).id
        edits.new_topic(sam, "Birds", round_id)
        topic = next(g for g in groups_of_round(sam, round_id) if g.name == "Birds")
        _, change = edits.close(sam, topic)
        closed_at = sam.scalar("SELECT closed_at FROM groups WHERE id = ?", (topic.id,))
        # Kim reopens it (an undo of hers, or another front end, says the file).
        undo_batch(kim, "", reopen=((topic.id, closed_at),))
        assert refused(change, kim) == "kim reopened Birds since; nothing was undone."
        close_group(kim, topic.id)
        assert refused(change, kim) == (
            "kim reopened Birds and kim closed it again since; nothing was undone.")
        assert kim.one("SELECT reopened_by, closed_by FROM groups WHERE id = ?",
                       (topic.id,))[:] == ("kim", "kim")


def test_an_undone_close_records_who_reopened_it(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="sam") as sam:
        first = groups_of_round(sam, current_round(sam).id)[0]
        _, change = edits.close(sam, first)
        assert sam.one("SELECT closed_by FROM groups WHERE id = ?", (first.id,))[0] == "sam"
        change.undo()
        row = sam.one("SELECT closed_at, closed_by, reopened_by FROM groups WHERE id = ?",
                      (first.id,))
        assert tuple(row) == (None, None, "sam")

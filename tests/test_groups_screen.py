"""The groups screen driven by keys, as a facilitator would."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.models.groups import groups_of_round
from facilitator.models.rounds import current_round
from facilitator.models.store import SessionStore
from facilitator.screens.groups import GroupsScreen


def members_by_name(path: Path, round_id: int | None = None) -> dict[str, set[str]]:
    with SessionStore.open(path) as store:
        if round_id is None:
            round_id = current_round(store).id
        names = {r[0]: r[1] for r in store.rows("SELECT id, code FROM participants")}
        return {g.name: {names[i] for i in g.member_ids} for g in groups_of_round(store, round_id)}


async def say(pilot, key: str, text: str) -> None:
    """Press a key that opens the prompt, type a line, press Enter."""
    await pilot.press(key)
    await pilot.pause()
    keys = ["space" if ch == " " else ch for ch in text]
    await pilot.press(*keys, "enter")
    await pilot.pause()


async def test_self_selected_topic_move_and_undo(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GroupsScreen)
        before = len(screen.groups)
        await say(pilot, "n", "Bird tracking @cw")
        assert members_by_name(demo_session)["Bird tracking"] == {"cw"}
        await say(pilot, "j", "id mr " + str(before + 1))
        assert members_by_name(demo_session)["Bird tracking"] == {"cw", "id", "mr"}
        with SessionStore.open(demo_session) as store:
            moves = store.scalar("SELECT COUNT(*) FROM memberships m JOIN participants p"
                                 " ON p.id = m.participant_id WHERE p.code = 'mr'"
                                 " AND m.action = 'left' AND m.voided_at IS NULL")
        assert moves >= 1  # the law of two feet left a trace
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert members_by_name(demo_session)["Bird tracking"] == {"cw"}
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Bird tracking" not in members_by_name(demo_session)


async def test_bad_input_says_so_and_changes_nothing(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = members_by_name(demo_session)
        await say(pilot, "j", "cw 99")
        # The line stays open with what was typed, to fix it or drop it (Escape).
        assert app.screen.query_one("#groups-prompt").value == "cw 99"
        await pilot.press("escape")
        await say(pilot, "j", "nobody 1")
        assert members_by_name(demo_session) == before
        await pilot.press("escape")
        assert app.screen.query_one("#groups-prompt").display is False


async def test_suggest_side_by_side_apply_and_undo(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        left = str(screen.query_one("#proposal-left").render())
        right = str(screen.query_one("#proposal-right").render())
        assert "new-ties" in left and "new pairs" in left
        assert "random" in right and "repeated" in right
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "mixed" in str(screen.query_one("#proposal-right").render())
        with SessionStore.open(demo_session) as store:
            rounds_before = store.scalar("SELECT COUNT(*) FROM rounds")
        await pilot.press("a")
        await pilot.pause()
        with SessionStore.open(demo_session) as store:
            assert store.scalar("SELECT COUNT(*) FROM rounds") == rounds_before + 1
            applied = store.scalar("SELECT COUNT(*) FROM groups WHERE formed_by = 'new-ties'"
                                   " AND voided_at IS NULL AND round_id = (SELECT MAX(id) FROM rounds)")
        assert applied == len(screen.groups) > 0
        assert screen.loose == []
        await pilot.press("ctrl+z")
        await pilot.pause()
        with SessionStore.open(demo_session) as store:
            # The round the apply created is gone again, its groups voided.
            assert store.scalar("SELECT COUNT(*) FROM rounds") == rounds_before
            assert store.scalar("SELECT COUNT(*) FROM groups WHERE voided_at IS NULL"
                                " AND round_id IS NULL") == 0
            assert store.scalar("SELECT COUNT(*) FROM memberships WHERE voided_at IS NULL"
                                " AND group_id IN (SELECT id FROM groups WHERE voided_at IS NOT NULL)") == 0


async def test_rename_split_merge_close_by_keys(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        first = screen.groups[0]
        codes = members_by_name(demo_session)[first.name]
        mover = sorted(codes)[0]
        await pilot.press("r", *["backspace"] * 40)
        await pilot.press(*"Rivers", "enter")
        await pilot.pause()
        assert "Rivers" in members_by_name(demo_session)
        await say(pilot, "s", f"Estuaries @{mover}")
        groups = members_by_name(demo_session)
        assert groups["Estuaries"] == {mover} and mover not in groups["Rivers"]
        count = len(screen.groups)
        await say(pilot, "g", str(count))  # merge the new group back into the highlighted one
        assert "Estuaries" not in members_by_name(demo_session)
        assert mover in members_by_name(demo_session)["Rivers"]
        await pilot.press("c")
        await pilot.pause()
        assert "Rivers" not in members_by_name(demo_session)
        assert len(screen.loose) == len(codes)  # the closed group's people are ungrouped, in view
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert members_by_name(demo_session)["Rivers"] == codes
        assert screen.loose == []

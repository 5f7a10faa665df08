"""The roster screen: remove a mistyped participant, merge two entries for one
person, find people as they type them; undo through ctrl+z."""

from __future__ import annotations

from pathlib import Path

from burst import burst, typed

from facilitator.app import make_app
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import add_participant, find_participant, participants
from facilitator.models.store import SessionStore


def names_in_file(path: Path) -> list[str]:
    with SessionStore.open(path) as store:
        return [p.name for p in participants(store)]


def capture(app) -> list[str]:  # type: ignore[no-untyped-def]
    said: list[str] = []
    app.notify = lambda message, **kw: said.append(str(message))
    return said


async def test_merge_a_typo_into_the_right_person_and_undo(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        typo = add_participant(store, "Ana Lopes")  # sorts first: lopes < lopez
        log_interaction(store, "speak", typo, find_participant(store, "bs"))
    app = make_app(small_session, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        said = capture(app)
        await pilot.pause()
        await burst(pilot, "x")  # she has an entry: remove says to merge
        assert "Ana Lopes has 1 entry; nothing was removed. Merge them" in said[-1]
        await burst(pilot, "m", *typed("ana lopez"), "enter")
        assert said[-1] == ("Merged Ana Lopes (ao) into Ana Lopez (al): moved 1 entry,"
                            " 0 memberships.")
        assert "Ana Lopes" not in names_in_file(small_session)
        table = app.screen.query_one("#roster-table")
        assert table.row_count == 4  # the screen shows what the file holds
        with SessionStore.open(small_session) as store:
            assert store.scalar("SELECT as_source FROM tallies WHERE name = 'Ana Lopez'") == 1
        await burst(pilot, "ctrl+z")
        assert said[-1].startswith("Undid merging Ana Lopes into Ana Lopez.")
        assert "Ana Lopes" in names_in_file(small_session)
        assert table.row_count == 5


async def test_merge_form_keeps_what_was_typed_when_refused(small_session: Path) -> None:
    app = make_app(small_session, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "m", *typed("nobody"), "enter")
        error = str(app.screen.query_one("#form-error").render())
        assert "No participant is called or coded 'nobody'" in error
        await burst(pilot, "escape")
    assert len(names_in_file(small_session)) == 4


async def test_remove_and_undo_on_the_screen(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        add_participant(store, "Aaron Typo")  # sorts first
    app = make_app(small_session, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        said = capture(app)
        await pilot.pause()
        await burst(pilot, "x")
        assert said[-1].startswith("Removed Aaron Typo (at) from the roster")
        assert "Aaron Typo" not in names_in_file(small_session)
        await burst(pilot, "ctrl+z")
        assert "Aaron Typo" in names_in_file(small_session)


async def test_find_ignores_case_and_accents(tmp_path: Path) -> None:
    from facilitator.models.session import create_session

    path = tmp_path / "room.db"
    with create_session(path, "Room") as store:
        for name in ("José Núñez", "Łukasz Wójcik", "Åsa Berg", "Bea Adams"):
            add_participant(store, name)
    app = make_app(path, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#roster-table")
        # Å sorts with the A's: Åsa before Bea, Łukasz with the L's.
        assert [str(table.get_row_at(i)[1]) for i in range(4)] == [
            "Åsa Berg", "Bea Adams", "José Núñez", "Łukasz Wójcik"]
        for text, found in (("jose", "José Núñez"), ("LUK", "Łukasz Wójcik"),
                            ("asa", "Åsa Berg")):
            await pilot.press("slash", *text)
            await pilot.pause()
            assert table.row_count == 1 and str(table.get_row_at(0)[1]) == found
            await burst(pilot, "escape")


async def test_a_look_alike_typed_in_the_add_form_is_refused(small_session: Path) -> None:
    app = make_app(small_session, identity="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "a", *typed("ANA LOPEZ\u200b"), "enter")
        error = str(app.screen.query_one("#form-error").render())
        assert "looks the same as Ana Lopez, already on the roster" in error
        await burst(pilot, "escape")
    assert len(names_in_file(small_session)) == 4

"""The live core's foundation, as co-facilitators meet it: one group per round kept
by the file itself, rounds that change only after a yes and can be undone (unless
someone changed them since), entries between rounds, one failure path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.core.rounds import end_running_round, round_step, start_next_round
from facilitator.models.groups import create_group, current_group_of
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import participants
from facilitator.models.rounds import add_round, current_round
from facilitator.models.store import READ_ONLY, SessionError, SessionStore, store_error
from facilitator.screens.base import SessionScreen, WorkerFailed
from facilitator.screens.confirm import ChoiceScreen


def people(store: SessionStore) -> dict[str, int]:
    return {p.code: p.id for p in participants(store)}


# ---------------------------------------------------------------- the file's own rules
def test_the_file_refuses_a_person_in_two_groups_of_one_round(small_session: Path) -> None:
    """Whatever writes (this app, a script, sqlite3), nobody is in two open groups
    of one round: the write is refused whole, with one sentence."""
    with SessionStore.open(small_session, identity="sam") as store:
        round_ = add_round(store, "Round 1")
        who = people(store)
        one = create_group(store, "Maps", round_.id, [who["al"]])
        two = create_group(store, "Data", round_.id, [who["bs"]])
        with pytest.raises(SessionError, match="only one group of a round; nothing was changed"):
            store.transact(lambda c: c.execute(
                "INSERT INTO memberships (at, participant_id, group_id, action, logged_by)"
                " VALUES ('2026-01-01', ?, ?, 'joined', 'script')", (who["al"], two.id)))
        assert store.scalar("SELECT COUNT(*) FROM current_members WHERE participant_id = ?",
                            (who["al"],)) == 1
        assert current_group_of(store.conn, who["al"], round_.id) == one.id


def test_a_plain_sqlite3_client_is_held_to_the_same_rule(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        round_ = add_round(store, "Round 1")
        who = people(store)
        create_group(store, "Maps", round_.id, [who["al"]])
        two = create_group(store, "Data", round_.id, [])
    raw = sqlite3.connect(small_session)
    with pytest.raises(sqlite3.IntegrityError, match="only one group of a round"):
        raw.execute("INSERT INTO memberships (at, participant_id, group_id, action)"
                    " VALUES ('x', ?, ?, 'joined')", (who["al"], two.id))
    raw.close()


def test_store_errors_become_one_sentence() -> None:
    path = Path("s.db")
    assert "full" in str(store_error(path, sqlite3.OperationalError("database or disk is full")))
    assert "I/O" in str(store_error(path, sqlite3.OperationalError("disk I/O error")))
    assert "damaged" in str(store_error(path, sqlite3.DatabaseError(
        "database disk image is malformed")))
    assert store_error(path, sqlite3.OperationalError("no such column: x")) is None  # our bug


# ---------------------------------------------------------------- rounds
def test_round_start_is_undone_only_while_nobody_changed_rounds(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as sam, \
            SessionStore.open(small_session, identity="kim") as kim:
        add_round(sam, "Opening", 20)
        add_round(sam, "Deep dive", 30)
        said, started = start_next_round(sam)
        assert said == "Opening started." and current_round(kim).name == "Opening"
        assert started.undo() == "Opening is planned again."
        assert current_round(kim) is None
        _, sams = start_next_round(sam)
        start_next_round(kim)  # Kim moves the room on to the next round
        with pytest.raises(SessionError, match="kim started Deep dive since; nothing was undone"):
            sams.undo()
        assert current_round(sam).name == "Deep dive"


def test_round_with_entries_cannot_be_unstarted(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as store:
        add_round(store, "Opening")
        _, started = start_next_round(store)
        who = {p.code: p for p in participants(store)}
        log_interaction(store, "speak", who["al"], who["bs"])
        with pytest.raises(SessionError, match="1 entry was logged in Opening since it started"):
            started.undo()
        assert current_round(store).running


def test_entries_after_a_round_ends_are_between_rounds(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="sam") as store:
        add_round(store, "Opening")
        start_next_round(store)
        who = {p.code: p for p in participants(store)}
        during = log_interaction(store, "speak", who["al"], who["bs"])
        end_running_round(store)
        after = log_interaction(store, "speak", who["bs"], who["al"])
        assert during.round_id is not None
        assert after.round_id is None  # not the ended round
        assert "End Opening" not in round_step(store).question  # it offers the next start


async def test_ctrl_r_asks_first_and_escape_changes_nothing(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        add_round(store, "Opening")
    app = make_app(small_session, identity="sam", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.action_round()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert current_round(app.store) is None
        screen.action_round()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert current_round(app.store).name == "Opening"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert current_round(app.store) is None
        assert any("Undid starting Opening" in n.message for n in app._notifications)


# ---------------------------------------------------------------- one failure path
async def test_read_only_refuses_in_one_sentence(small_session: Path) -> None:
    app = make_app(small_session, read_only=True, screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.write(lambda: pytest.fail("a read-only screen wrote")) is False
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == READ_ONLY


async def test_a_failed_worker_is_one_sentence_and_the_app_runs_on(small_session: Path) -> None:
    app = make_app(small_session, screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        def boom() -> None:
            raise ValueError("layout exploded")

        worker = app.screen.run_worker(boom, name="the layout", thread=True, exit_on_error=False)
        with pytest.raises(Exception):
            await worker.wait()
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Something went wrong in the layout") for m in messages)
        assert WorkerFailed  # the message the handler takes


async def test_the_app_closes_its_store_on_exit(small_session: Path) -> None:
    app = make_app(small_session, screen="roster")
    async with app.run_test(size=(80, 24)):
        pass
    with pytest.raises(sqlite3.ProgrammingError):
        app.store.conn.execute("SELECT 1")

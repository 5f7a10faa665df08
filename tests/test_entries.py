"""Correcting any entry: void, restore and correct, with undo and redo, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.core.entries import correct_entry, recent_lines, restore_entry, void_entry
from facilitator.core.tally import read_board
from facilitator.models.interactions import get_interaction, log_interaction
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionError, SessionStore


def logged(path: Path, *pairs: tuple[str, str]) -> list[int]:
    with SessionStore.open(path) as store:
        return [log_interaction(store, "speak", find_participant(store, a),
                                find_participant(store, b)).id for a, b in pairs]


def counted(store: SessionStore) -> int:
    return int(store.scalar("SELECT COUNT(*) FROM live_interactions"))


def test_void_an_entry_three_back_leaves_the_later_ones(small_session: Path) -> None:
    ids = logged(small_session, ("al", "bs"), ("bs", "cd"), ("cd", "dp"), ("dp", "al"))
    with SessionStore.open(small_session, identity="Ana") as store:
        said, change = void_entry(store, ids[0])
        assert said == f"Undid #{ids[0]} (Ana Lopez → Bob Smith, spoke to)."
        assert counted(store) == 3
        entry = get_interaction(store, ids[0])
        assert entry.voided_by == "Ana" and entry.voided_at
        assert [line.voided for line in recent_lines(store)] == [False, False, False, True]
        assert read_board(store).total.by_kind.get(find_participant(store, "al").id, {}) == {}
        change.undo()  # ctrl+z brings it back
        assert counted(store) == 4
        again = change.redo()
        assert counted(store) == 3
        again.undo()
        assert counted(store) == 4


def test_void_and_restore_from_the_command_line(small_session: Path) -> None:
    ids = logged(small_session, ("al", "bs"), ("bs", "cd"))
    result = CliRunner().invoke(cli, ["void", str(small_session), str(ids[0]), "--as", "Bo"])
    assert result.exit_code == 0, result.output
    assert f"Undid #{ids[0]} (Ana Lopez → Bob Smith, spoke to)." in result.output
    assert f"facilitator restore {small_session} {ids[0]}" in result.output
    result = CliRunner().invoke(cli, ["void", str(small_session), str(ids[0])])
    assert result.exit_code == 1 and "Bo already undid" in result.output
    result = CliRunner().invoke(cli, ["restore", str(small_session), str(ids[0]), "--as", "Cy"])
    assert result.exit_code == 0
    assert f"Brought back #{ids[0]} (Ana Lopez → Bob Smith, spoke to)." in result.output
    with SessionStore.open(small_session) as store:
        entry = get_interaction(store, ids[0])
        assert entry.voided_at is None and entry.restored_by == "Cy"
    result = CliRunner().invoke(cli, ["restore", str(small_session), str(ids[1])])
    assert result.exit_code == 1 and "counts already; nothing was changed" in result.output
    before = small_session.read_bytes()
    result = CliRunner().invoke(cli, ["void", str(small_session), "999"])
    assert result.exit_code == 1 and "No entry has id 999." in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["void", str(small_session), "abc"])
    assert result.exit_code == 2
    assert small_session.read_bytes() == before


def test_void_takes_the_number_as_log_printed_it(small_session: Path) -> None:
    ids = logged(small_session, ("al", "bs"))
    result = CliRunner().invoke(cli, ["void", str(small_session), f"#{ids[0]}"])
    assert result.exit_code == 0, result.output
    with SessionStore.open(small_session) as store:
        assert get_interaction(store, ids[0]).voided_at is not None
    result = CliRunner().invoke(cli, ["restore", str(small_session), f"#{ids[0]}"])
    assert result.exit_code == 0, result.output
    for bad in ("#", "#x", "0", "twelve"):
        result = CliRunner().invoke(cli, ["void", str(small_session), bad])
        assert result.exit_code == 2 and "e.g. 12 or #12" in result.output, bad


def test_correct_kind_target_and_note_is_a_void_plus_a_new_entry(small_session: Path) -> None:
    ids = logged(small_session, ("al", "bs"), ("bs", "cd"), ("cd", "dp"))
    with SessionStore.open(small_session, identity="Ana") as store:
        said, change = correct_entry(store, ids[0], "ask", "ana", "cleo", "about funding")
        old = get_interaction(store, ids[0])
        new_id = int(store.scalar("SELECT MAX(id) FROM interactions"))
        new = get_interaction(store, new_id)
        assert said.startswith(f"Corrected #{ids[0]} (Ana Lopez → Bob Smith, spoke to): now #{new_id}")
        assert old.voided_by == "Ana"
        assert (new.kind, new.target_id, new.note) == ("ask", find_participant(store, "cd").id,
                                                       "about funding")
        assert (new.replaces_id, new.logged_by, new.at, new.round_id, new.group_id) == (
            old.id, "Ana", old.at, old.round_id, old.group_id)
        assert counted(store) == 3
        change.undo()
        assert get_interaction(store, ids[0]).voided_at is None
        assert get_interaction(store, new_id).voided_at is not None
        assert counted(store) == 3
        change.redo()
        assert get_interaction(store, ids[0]).voided_at is not None
        assert get_interaction(store, new_id).voided_at is None
        # To the whole group: an empty target or the word "group".
        correct_entry(store, ids[1], "", "bob", "group", "")
        latest = get_interaction(store, int(store.scalar("SELECT MAX(id) FROM interactions")))
        assert latest.target_id is None and latest.kind == "speak"


def test_a_correction_is_refused_when_it_changes_nothing_or_is_wrong(small_session: Path) -> None:
    ids = logged(small_session, ("al", "bs"))
    with SessionStore.open(small_session) as store:
        before = store.scalar("SELECT COUNT(*) FROM interactions")
        with pytest.raises(SessionError, match="already says; nothing was changed"):
            correct_entry(store, ids[0], "speak", "al", "bs", "")
        with pytest.raises(SessionError, match="Someone cannot address themselves"):
            correct_entry(store, ids[0], "", "al", "ana", "")
        with pytest.raises(SessionError, match="'shout' is not a kind"):
            correct_entry(store, ids[0], "shout", "al", "bs", "")
        with pytest.raises(SessionError, match="No participant is called or coded 'zz'"):
            correct_entry(store, ids[0], "", "zz", "bs", "")
        void_entry(store, ids[0])
        with pytest.raises(SessionError, match="restore it before correcting it"):
            correct_entry(store, ids[0], "ask", "al", "bs", "")
        assert store.scalar("SELECT COUNT(*) FROM interactions") == before


def test_an_undo_refuses_once_a_co_facilitator_changed_the_entry(small_session: Path) -> None:
    ids = logged(small_session, ("al", "bs"))
    with SessionStore.open(small_session, identity="Ana") as ana, \
            SessionStore.open(small_session, identity="Bo") as bo:
        _, change = void_entry(ana, ids[0])
        restore_entry(bo, ids[0])  # Bo brought it back meanwhile
        with pytest.raises(SessionError, match="Bo already brought back"):
            change.undo()
        _, fix = correct_entry(ana, ids[0], "ask", "al", "bs", "")
        new_id = int(ana.scalar("SELECT MAX(id) FROM interactions"))
        void_entry(bo, new_id)  # Bo undid the corrected entry
        with pytest.raises(SessionError, match="Bo already undid"):
            fix.undo()
        assert get_interaction(ana, ids[0]).voided_at is not None  # both or neither


def test_after_a_correction_three_back_the_next_turn_still_goes_to_the_last_speaker(
        small_session: Path) -> None:
    from facilitator.core.tally import LiveTally
    from facilitator.core.tally_keys import Turn

    ids = logged(small_session, ("al", "bs"), ("bs", "cd"), ("cd", "dp"))
    with SessionStore.open(small_session) as store:
        correct_entry(store, ids[0], "", "al", "cd", "")  # Ana spoke to Cleo, not Bob
        live = LiveTally(store)
        live.refresh()
        bob = find_participant(store, "bs")
        assert live.previous_speaker(None) == find_participant(store, "cd").id
        live.log(Turn(bob, None))
        latest = get_interaction(store, int(store.scalar("SELECT MAX(id) FROM interactions")))
        assert latest.target_id == find_participant(store, "cd").id  # Cleo spoke last

"""Remove a mistyped participant; merge two entries for one person (and undo both)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.core import roster as changes
from facilitator.models.goals import add_goal
from facilitator.models.groups import create_group, group_names_now
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import add_participant, find_participant, participants
from facilitator.models.rounds import add_round, start_round
from facilitator.models.store import SessionError, SessionStore


def invoke(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args))


def names(store: SessionStore) -> list[str]:
    return [p.name for p in participants(store)]


def test_remove_someone_with_nothing_logged(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        add_participant(store, "Ada Lovleace")
    result = invoke("roster", str(small_session), "--remove", "ada lov")
    assert result.exit_code == 0, result.output
    assert "Removed Ada Lovleace (ao) from the roster." in result.output
    with SessionStore.open(small_session) as store:
        assert "Ada Lovleace" not in names(store)
        row = store.one("SELECT name, removed_by, merged_into FROM removed_participants")
        assert tuple(row) == ("Ada Lovleace", "tester", None)


def test_remove_refuses_someone_with_entries_and_says_to_merge(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        log_interaction(store, "speak", find_participant(store, "al"), find_participant(store, "bs"))
    before = small_session.read_bytes()
    result = invoke("roster", str(small_session), "--remove", "ana")
    assert result.exit_code == 1
    assert "Ana Lopez has 1 entry; nothing was removed. Merge them" in result.output
    assert small_session.read_bytes() == before


def test_merge_moves_every_entry_membership_convener_and_goal(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="Ana") as store:
        typo = add_participant(store, "Zoe Muler")
        zoe = add_participant(store, "Zoë Müller")
        al, bs = find_participant(store, "al"), find_participant(store, "bs")
        start_round(store, add_round(store, "Round 1").id)
        round_id = int(store.scalar("SELECT current_round_id FROM session"))
        table = create_group(store, "Table 1", round_id, [typo.id, al.id])
        store.transact(lambda c: c.execute("UPDATE groups SET convener_id = ? WHERE id = ?",
                                           (typo.id, table.id)))
        add_goal(store, table.id, "Map the data", set_by=typo.code)
        log_interaction(store, "speak", typo, bs)
        log_interaction(store, "ask", al, typo)
        log_interaction(store, "speak", typo, zoe)  # between the two: cannot stay
        counted_before = store.scalar("SELECT COUNT(*) FROM live_interactions")
        said, change = changes.merge(store, "zoe muler", "zoë müller")
        assert (typo.code, zoe.code) == ("zm", "zu")
        assert said == ("Merged Zoe Muler (zm) into Zoë Müller (zu): moved 3 entries,"
                        " 1 membership, 1 convened topic, 1 goal set. 1 entry between the two"
                        " (one addressing the other) undone.")
        assert "Zoe Muler" not in names(store)
        assert group_names_now(store)[zoe.id] == "Table 1"
        assert store.scalar("SELECT convener_id FROM groups WHERE id = ?", (table.id,)) == zoe.id
        assert store.scalar("SELECT set_by FROM goals") == "zu"
        assert store.scalar("SELECT COUNT(*) FROM live_interactions") == counted_before - 1
        assert store.scalar("SELECT as_source FROM tallies WHERE name = 'Zoë Müller'") == 1
        assert store.scalar("SELECT as_target FROM tallies WHERE name = 'Zoë Müller'") == 1
        # Undo puts everything back as it was.
        assert change.undo() == "Zoe Muler (zm) is back on the roster."
        back = find_participant(store, "zm")
        assert back.id == typo.id
        assert group_names_now(store)[typo.id] == "Table 1" and zoe.id not in group_names_now(store)
        assert store.scalar("SELECT set_by FROM goals") == "zm"
        assert store.scalar("SELECT convener_id FROM groups WHERE id = ?", (table.id,)) == typo.id
        assert store.scalar("SELECT COUNT(*) FROM live_interactions") == counted_before
        assert store.scalar("SELECT restored_by FROM removed_participants") == "Ana"


def test_merge_refuses_two_people_in_different_open_groups(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        start_round(store, add_round(store, "Round 1").id)
        round_id = int(store.scalar("SELECT current_round_id FROM session"))
        create_group(store, "Table 1", round_id, [find_participant(store, "al").id])
        create_group(store, "Table 2", round_id, [find_participant(store, "bs").id])
    before = small_session.read_bytes()
    result = invoke("roster", str(small_session), "--merge", "ana", "bob")
    assert result.exit_code == 1
    assert "Ana Lopez is in Table 1 and Bob Smith in Table 2 of Round 1" in result.output
    assert small_session.read_bytes() == before


def test_merge_usage_and_unknown_names(small_session: Path) -> None:
    before = small_session.read_bytes()
    result = invoke("roster", str(small_session), "--merge", "ana", "ana lopez")
    assert result.exit_code == 1 and "are the same person; nothing was merged" in result.output
    result = invoke("roster", str(small_session), "--merge", "ana", "nobody")
    assert result.exit_code == 1 and "No participant is called or coded 'nobody'" in result.output
    result = invoke("roster", str(small_session), "--remove", "ana", "--merge", "bob", "cleo")
    assert result.exit_code == 2
    assert small_session.read_bytes() == before


def test_undo_of_a_removal_refuses_once_the_name_is_taken(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        add_participant(store, "Ada Lovleace")
        _, change = changes.remove(store, "ada")
        add_participant(store, "ADA LOVLEACE")
        with pytest.raises(SessionError, match="looks the same as ADA LOVLEACE"):
            change.undo()


def test_restore_from_the_command_line_undoes_a_merge(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        typo = add_participant(store, "Ana Lopes")
        log_interaction(store, "speak", typo, find_participant(store, "bs"))
    assert invoke("roster", str(small_session), "--merge", "ana lopes", "al").exit_code == 0
    result = invoke("roster", str(small_session), "--restore", "ANA LOPES")
    assert result.exit_code == 0, result.output
    assert "Ana Lopes (ao) is back on the roster." in result.output
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT as_source FROM tallies WHERE name = 'Ana Lopes'") == 1
        assert store.scalar("SELECT as_source FROM tallies WHERE name = 'Ana Lopez'") == 0
    result = invoke("roster", str(small_session), "--restore", "ana lopes")
    assert result.exit_code == 1 and "was removed from the roster (or they are back" in result.output


async def test_an_open_tally_screen_follows_a_merge_from_another_process(
        small_session: Path) -> None:
    import subprocess

    from facilitator.app import make_app
    from facilitator.widgets.tally_cards import TallyCards
    from tests.conftest import facilitator_command

    with SessionStore.open(small_session) as store:
        typo = add_participant(store, "Ana Lopes")
        for target in ("bs", "cd"):
            log_interaction(store, "speak", typo, find_participant(store, target))
    app = make_app(small_session, identity="sam", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        cards = app.screen.query_one(TallyCards)
        result = subprocess.run([*facilitator_command(), "roster", str(small_session), "--merge",
                                 "ana lopes", "ana lopez", "--as", "kim"],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        shown = {}
        for _ in range(20):  # the app polls PRAGMA data_version about 4 times a second
            await pilot.pause(0.25)
            shown = {card.name: card.spoke for card in cards.cards}
            if shown.get("Ana Lopez") == 2:
                break
        assert shown.get("Ana Lopez") == 2 and "Ana Lopes" not in shown


def test_whom_to_merge_into_is_someone_else(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="Ana") as store:
        add_participant(store, "Zoe Muler")
        zoe = add_participant(store, "Zoë Müller")
    # "zoe" fits both, but the typo cannot be merged into itself: it means Zoë Müller.
    result = invoke("roster", str(small_session), "--merge", "Zoe Muler", "zoe")
    assert result.exit_code == 0, result.output
    assert f"into Zoë Müller ({zoe.code})" in result.output
    with SessionStore.open(small_session) as store:
        assert "Zoe Muler" not in names(store)

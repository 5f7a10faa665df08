"""Groups in the session file: self-organised edits, history, apply and undo, report, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.core.report import build_report
from facilitator.cli import cli
from facilitator.core import group_plans as plans
from facilitator.models.groups import (
    close_group,
    groups_of_round,
    merge_groups,
    move_people,
    new_batch,
    propose_topic,
    rename_group,
    shared_group_pairs,
    split_group,
    undo_batch,
    ungrouped,
)
from facilitator.models.roster import find_participant, set_present
from facilitator.models.rounds import add_round, start_round
from facilitator.models.store import SessionError, SessionStore


@pytest.fixture
def store(small_session: Path):
    with SessionStore.open(small_session, identity="tester") as opened:
        yield opened


def ids(store: SessionStore, *codes: str) -> list[int]:
    return [find_participant(store, c).id for c in codes]


def test_marketplace_topics_moves_and_history(store: SessionStore) -> None:
    round_ = start_round(store)
    al, bs, cd, dp = ids(store, "al", "bs", "cd", "dp")
    birds = propose_topic(store, "Bird tracking", round_.id, convener_id=al)
    fire = propose_topic(store, "Fire maps", round_.id, convener_id=bs)
    move_people(store, [cd, dp], birds.id)
    assert ungrouped(store, round_.id) == []
    move_people(store, [dp], fire.id)  # the law of two feet
    now = {g.name: set(g.member_ids) for g in groups_of_round(store, round_.id)}
    assert now == {"Bird tracking": {al, cd}, "Fire maps": {bs, dp}}
    events = store.rows("SELECT action FROM memberships WHERE participant_id = ? ORDER BY id", (dp,))
    assert [e[0] for e in events] == ["joined", "left", "joined"]
    # dp met both groups, so dp shares a group with al, cd and bs.
    assert set(shared_group_pairs(store)) >= {tuple(sorted((dp, al))), tuple(sorted((dp, bs)))}


def test_rename_split_merge_close_and_their_undo(store: SessionStore) -> None:
    round_ = start_round(store)
    al, bs, cd, dp = ids(store, "al", "bs", "cd", "dp")
    group = propose_topic(store, "Data", round_.id, convener_id=al)
    move_people(store, [bs, cd, dp], group.id)
    assert rename_group(store, group.id, "Open data") == "Data"
    batch = new_batch()
    other = split_group(store, group.id, "Data ethics", [cd, dp], batch)
    assert set(other.member_ids) == {cd, dp} and other.formed_by == "split"
    with pytest.raises(SessionError, match="Only members"):
        split_group(store, group.id, "X", [cd])
    merge_batch = new_batch()
    merged_at = merge_groups(store, group.id, other.id, merge_batch)
    assert {g.name for g in groups_of_round(store, round_.id)} == {"Open data"}
    undo_batch(store, merge_batch, reopen=((other.id, merged_at),))
    assert {g.name: len(g.member_ids) for g in groups_of_round(store, round_.id)} == {
        "Open data": 2, "Data ethics": 2}
    close_batch = new_batch()
    closed_at = close_group(store, other.id, close_batch)
    assert set(ungrouped(store, round_.id)) == {cd, dp}
    undo_batch(store, close_batch, reopen=((other.id, closed_at),))
    assert ungrouped(store, round_.id) == []
    with pytest.raises(SessionError, match="needs a name"):
        rename_group(store, group.id, "   ")


def test_apply_goes_to_the_planned_round_and_undoes_in_one_step(store: SessionStore) -> None:
    start_round(store)
    planned = add_round(store, "Afternoon")
    set_present(store, ids(store, "dp")[0], False)
    proposal = plans.propose(store, "random", 2, seed=1)
    applied = plans.apply_groups(store, proposal.groups, "random")
    assert applied.round_id == planned.id
    groups = groups_of_round(store, planned.id)
    assert sorted(len(g.member_ids) for g in groups) == [1, 2] or sorted(
        len(g.member_ids) for g in groups) == [3]
    assert {g.formed_by for g in groups} == {"random"}
    applied.undo(store)
    assert groups_of_round(store, planned.id) == []
    assert store.scalar("SELECT COUNT(*) FROM memberships WHERE voided_at IS NULL") == 0


def test_apply_without_a_planned_round_makes_a_new_one(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="tester") as store:
        before = store.scalar("SELECT COUNT(*) FROM rounds")
        proposal = plans.propose(store, "new-ties", 4, seed=2)
        applied = plans.apply_groups(store, proposal.groups, "new-ties")
        assert store.scalar("SELECT COUNT(*) FROM rounds") == before + 1
        present = store.scalar("SELECT COUNT(*) FROM participants WHERE present = 1")
        members = [i for g in groups_of_round(store, applied.round_id) for i in g.member_ids]
        assert sorted(members) == sorted(set(members)) and len(members) == present


def test_pair_rules_are_stored_as_settings_and_kept(store: SessionStore) -> None:
    al, bs, cd, dp = ids(store, "al", "bs", "cd", "dp")
    plans.set_pair_rule(store, plans.KEEP_APART, al, bs)
    plans.set_pair_rule(store, plans.KEEP_TOGETHER, cd, al)
    assert plans.pair_rules(store, plans.KEEP_APART) == [(al, bs)]
    for seed in range(5):
        proposal = plans.propose(store, "random", 2, seed=seed)
        where = {i: n for n, g in enumerate(proposal.groups) for i in g}
        assert where[al] == where[cd] and where[al] != where[bs]


def test_report_shows_every_rounds_groups(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="tester") as store:
        report = build_report(store)
        rounds = {r["round"]: r["groups"] for r in report["groups"]}
        assert len(rounds) == store.scalar("SELECT COUNT(*) FROM rounds")
        entry = next(g for groups in rounds.values() for g in groups)
        assert set(entry) >= {"name", "members", "formed_by"}
        assert all(isinstance(m, str) for m in entry["members"])


def test_cli_proposes_without_writing_then_applies(demo_session: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["groups", str(demo_session), "--form", "new-ties", "--size", "4",
                                 "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out["quality"]) >= {"new_pairs", "repeat_pairs", "interacted_pairs", "sizes"}
    assert out["applied_to"] is None and all(isinstance(n, str) for g in out["groups"] for n in g)
    with SessionStore.open(demo_session) as store:
        rounds_before = store.scalar("SELECT COUNT(*) FROM rounds")
    text = runner.invoke(cli, ["groups", str(demo_session), "--form", "mixed", "--size", "5",
                               "--by", "organisation", "--apply"])
    assert text.exit_code == 0, text.output
    assert "Applied as the groups of" in text.output
    with SessionStore.open(demo_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM rounds") == rounds_before + 1
        assert store.scalar("SELECT COUNT(*) FROM groups WHERE formed_by = 'mixed'") > 0


def test_cli_bad_input_is_one_sentence_and_writes_nothing(demo_session: Path) -> None:
    runner = CliRunner()
    base = ["groups", str(demo_session), "--size", "4", "--apply"]
    for args, message in ((["--form", "mixed", "--by", "shoe size"], "No participant has the tag"),
                          (["--form", "random", "--together", "zzz,yyy"], "No participant"),
                          (["--form", "random", "--together", "ao"], "two people")):
        result = runner.invoke(cli, base + args)
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output
    with SessionStore.open(demo_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM groups WHERE formed_by IN ('random', 'mixed')") == 0
    assert runner.invoke(cli, ["groups", str(demo_session), "--form", "nope", "--size", "4"]).exit_code == 2


def test_undoing_an_apply_removes_the_round_it_created(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="tester") as store:
        names = [r[0] for r in store.rows("SELECT name FROM rounds ORDER BY position")]
        proposal = plans.propose(store, "new-ties", 4, seed=2)
        applied = plans.apply_groups(store, proposal.groups, "new-ties")
        assert applied.created_round
        assert applied.undo(store) is True
        assert [r[0] for r in store.rows("SELECT name FROM rounds ORDER BY position")] == names
        # The voided groups stay for the record, no longer tied to any round.
        assert store.scalar("SELECT COUNT(*) FROM groups WHERE batch = ? AND round_id IS NULL"
                            " AND voided_at IS NOT NULL", (applied.batch,)) == len(proposal.groups)
        again = plans.apply_groups(store, proposal.groups, "new-ties")
        assert store.scalar("SELECT name FROM rounds WHERE id = ?", (again.round_id,)) \
            == f"Round {len(names) + 1}"


def test_undoing_an_apply_keeps_a_round_that_came_into_use(demo_session: Path) -> None:
    with SessionStore.open(demo_session, identity="tester") as store:
        proposal = plans.propose(store, "random", 4, seed=3)
        applied = plans.apply_groups(store, proposal.groups, "random")
        start_round(store, applied.round_id)  # someone started it meanwhile
        assert applied.undo(store) is False
        assert store.scalar("SELECT COUNT(*) FROM rounds WHERE id = ?", (applied.round_id,)) == 1
        assert groups_of_round(store, applied.round_id) == []


def test_undoing_an_apply_to_a_planned_round_keeps_that_round(store: SessionStore) -> None:
    start_round(store)
    planned = add_round(store, "Afternoon")
    applied = plans.apply_groups(store, plans.propose(store, "random", 2, seed=1).groups, "random")
    assert not applied.created_round and applied.undo(store) is False
    assert store.scalar("SELECT name FROM rounds WHERE id = ?", (planned.id,)) == "Afternoon"


def test_saved_rules_never_contradict_each_other(tmp_path):
    """Through the CLI too: a pair kept together cannot also be saved as kept apart."""
    from click.testing import CliRunner

    from facilitator.cli import cli
    from facilitator.models.session import create_session
    from facilitator.models.roster import add_participant

    path = tmp_path / "rules.db"
    with create_session(path, "Rules") as store:
        for name in ("Ana Lopez", "Bob Smith", "Cleo Diaz", "Dev Patel"):
            add_participant(store, name)
    run = CliRunner().invoke
    first = run(cli, ["groups", str(path), "--form", "random", "--size", "2",
                      "--together", "al,bs", "--save-rules"])
    assert first.exit_code == 0, first.output
    second = run(cli, ["groups", str(path), "--form", "random", "--size", "2",
                       "--apart", "al,bs", "--save-rules"])
    assert second.exit_code == 1
    assert "kept together" in second.output or "both" in second.output

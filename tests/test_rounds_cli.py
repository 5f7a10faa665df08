"""`facilitator round`: the round key's choices from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models.groups import groups_of_round
from facilitator.models.rounds import current_round
from facilitator.models.store import SessionStore
from tests.test_rounds_carry import members, two_tables


def test_round_says_what_it_offers_then_keeps_the_groups(small_session: Path) -> None:
    two_tables(small_session)
    runner = CliRunner()
    shown = runner.invoke(cli, ["round", str(small_session)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("Round 1: ")
    assert "--keep: keep the 2 groups of Round 1 (4 people)" in shown.output
    assert "--suggested: needs groups made for the next round first" in shown.output
    done = runner.invoke(cli, ["round", str(small_session), "--keep", "--as", "kim"])
    assert done.exit_code == 0, done.output
    assert done.output == ("Round 2 started with the 2 groups kept, with 2 goals kept as the"
                           " groups agreed.\n")
    with SessionStore.open(small_session) as store:
        second = current_round(store)
        assert second.started_by == "kim" and second.opened_with == "kept"
        assert members(store, second.id) == {"Maps": {"Ana Lopez", "Bob Smith"},
                                             "Data": {"Cleo Diaz", "Dev Patel"}}


def test_round_refusals_are_one_sentence_and_change_nothing(small_session: Path) -> None:
    two_tables(small_session)
    runner = CliRunner()
    assert runner.invoke(cli, ["round", str(small_session), "--end"]).exit_code == 0
    again = runner.invoke(cli, ["round", str(small_session), "--end"])
    assert again.exit_code == 1 and "No round is running; nothing was ended." in again.output
    suggested = runner.invoke(cli, ["round", str(small_session), "--suggested"])
    assert suggested.exit_code == 1 and "nothing was started" in suggested.output
    assert "Traceback" not in again.output + suggested.output
    with SessionStore.open(small_session) as store:
        assert current_round(store).name == "Round 1"
        assert groups_of_round(store, current_round(store).id + 1) == []

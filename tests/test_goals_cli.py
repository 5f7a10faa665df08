"""`facilitator goals`, `challenge` and `answer` through click's CliRunner, and the
report's goals keys: the issue's whole story on the demo session."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models import goals as core
from facilitator.models.store import SessionStore
from tests.goals_helpers import make_goals_session


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def session(tmp_path: Path) -> str:
    path = tmp_path / "goals.db"
    make_goals_session(path).close()
    return str(path)


def test_add_goal_with_topics_and_list_it(tmp_path):
    path = session(tmp_path)
    result = run("goals", path, "--group", "tide pools", "--add", "Map the rocks",
                 "--covers", "safety", "--covers", "Cons", "--set-by", "Cleo", "--as", "bo")
    assert result.exit_code == 0, result.output
    assert result.output == "Goal 1 recorded for Tide pools (covers Safety, Consent).\n"
    listing = run("goals", path, "--list").output
    assert "goal 1 [open] Map the rocks  covers: Safety, Consent" in listing
    assert "Curriculum: ! no group" in listing
    data = json.loads(run("goals", path, "--list", "--json").output)
    tide = next(g for g in data["goals"] if g["group"] == "Tide pools")
    assert tide["goals"][0]["set_by"] == "Cleo" and tide["goals"][0]["logged_by"] == "bo"
    assert data["neglected"] == ["Curriculum"]
    assert data["coverage"]["Safety"][0]["group"] == "Tide pools"


def test_an_unknown_topic_or_group_records_nothing(tmp_path):
    path = session(tmp_path)
    result = run("goals", path, "--group", "Tide pools", "--add", "x", "--covers", "Ethics")
    assert result.exit_code == 1
    assert "No essential topic is called 'Ethics' (known: Safety, Consent, Curriculum)" in result.output
    result = run("goals", path, "--group", "Moon", "--add", "x")
    assert result.exit_code == 1 and "No group is called 'Moon'" in result.output
    with SessionStore.open(path) as store:
        assert core.goals(store) == []


def test_usage_errors_exit_2(tmp_path):
    path = session(tmp_path)
    assert run("goals", path).exit_code == 2
    assert run("goals", path, "--add", "x").exit_code == 2
    assert run("goals", path, "--list", "--add", "x", "--group", "Dunes").exit_code == 2
    assert run("answer", path, "one", "--text", "x").exit_code == 2


def test_challenge_then_answer(tmp_path):
    path = session(tmp_path)
    result = run("challenge", path, "--group", "Forest", "--topic", "curriculum",
                 "--text", "Where does module 3 fit?", "--as", "ana")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Challenge 1 raised to Forest about Curriculum")
    assert "challenge 1 [open] about Curriculum: Where does module 3 fit?" in run(
        "goals", path, "--list").output
    result = run("answer", path, "1", "--text", "We teach it on the walk back.", "--as", "bo")
    assert result.exit_code == 0 and result.output == "Answer recorded for challenge 1 (Forest).\n"
    (challenge,) = json.loads(run("goals", path, "--list", "--json").output)["challenges"]
    assert challenge["status"] == "answered" and challenge["noted_by"] == "bo"
    assert challenge["answer"] == "We teach it on the walk back."
    missing = run("answer", path, "9", "--text", "x")
    assert missing.exit_code == 1 and "No challenge has id 9" in missing.output


def test_the_demo_story_ends_up_in_the_report(demo_session):
    """Two goals as a group reports back, linked to topics; the neglected topic is
    challenged; the group's answer comes later; the report shows all of it."""
    path = str(demo_session)
    for text, topic in (("Check in with every volunteer after a call-out", "Safety"),
                        ("Invite the schools to the debrief", "Inclusion")):
        assert run("goals", path, "--group", "Mixed 1", "--add", text, "--covers", topic).exit_code == 0
    report = json.loads(run("report", path, "--json").output)
    assert "Evaluation" in report["neglected"] and "Safety" not in report["neglected"]
    assert run("challenge", path, "--group", "Mixed 1", "--topic", "Evaluation",
               "--text", "How will you know it worked?").exit_code == 0
    challenge_id = json.loads(run("goals", path, "--list", "--json").output)["challenges"][-1]["id"]
    assert run("answer", path, str(challenge_id), "--text", "We ask the volunteers in a month.").exit_code == 0
    report = json.loads(run("report", path, "--json").output)
    mixed = next(g for g in report["goals"] if g["group"] == "Mixed 1")
    assert [g["covers"] for g in mixed["goals"]] == [["Safety"], ["Inclusion"]]
    assert any(e["group"] == "Mixed 1" for e in report["coverage"]["Inclusion"])
    last = report["challenges"][-1]
    assert (last["group"], last["topic"], last["status"], last["answer"]) == (
        "Mixed 1", "Evaluation", "answered", "We ask the volunteers in a month.")

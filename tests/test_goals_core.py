"""Goals, history of edits, links to essential topics, challenges, coverage and
progress per round: the core that the screen, the CLI and the report share."""

from __future__ import annotations

import pytest
from tests.goals_helpers import group_id, make_goals_session, topic_id

from facilitator.analysis.coverage import coverage_matrix, progress_by_round
from facilitator.core.report import build_report
from facilitator.models import challenges as ch
from facilitator.models import goals as g
from facilitator.models.groups import create_group, groups_of_round
from facilitator.models.rounds import current_round, rounds, start_round
from facilitator.models.store import SessionError


@pytest.fixture
def store(tmp_path):
    store = make_goals_session(tmp_path / "s.db")
    yield store
    store.close()


def matrix(store):
    groups = groups_of_round(store, current_round(store).id)
    return coverage_matrix(groups, g.essential_topics(store), g.goals(store), ch.challenges(store))


def test_goal_is_recorded_in_the_groups_words_with_links(store):
    tide = group_id(store, "Tide pools")
    goal_id = g.add_goal(store, tide, "  Map the rocks  ", "Cleo", [topic_id(store, "Safety")])
    goal = g.get_goal(store, goal_id)
    assert (goal.text, goal.status, goal.set_by, goal.logged_by) == ("Map the rocks", "open", "Cleo", "ana")
    assert goal.essential_ids == (topic_id(store, "Safety"),)
    assert goal.round_id == current_round(store).id


def test_empty_goal_or_unknown_group_writes_nothing(store):
    with pytest.raises(SessionError, match="own words"):
        g.add_goal(store, group_id(store, "Dunes"), "   ")
    with pytest.raises(SessionError, match="No group"):
        g.add_goal(store, 999, "x")
    assert g.goals(store) == []


def test_every_edit_keeps_its_history(store):
    goal_id = g.add_goal(store, group_id(store, "Dunes"), "Build a shelter")
    assert g.edit_goal(store, goal_id, status="in progress", progress="half the frame") == [
        "status", "progress"]
    assert g.edit_goal(store, goal_id, text="Build a shelter for four") == ["text"]
    assert g.edit_goal(store, goal_id, status="in progress") == []  # no change, no row
    history = g.goal_history(store, goal_id)
    assert [(e.field, e.old_value, e.new_value) for e in history] == [
        ("status", "open", "in progress"), ("progress", None, "half the frame"),
        ("text", "Build a shelter", "Build a shelter for four")]
    assert all(e.by == "ana" and e.round_id == current_round(store).id and e.at for e in history)
    assert g.get_goal(store, goal_id).updated_at


def test_bad_status_or_empty_text_changes_nothing(store):
    goal_id = g.add_goal(store, group_id(store, "Dunes"), "Build a shelter")
    with pytest.raises(SessionError, match="status is one of"):
        g.edit_goal(store, goal_id, status="finished")
    with pytest.raises(SessionError):
        g.edit_goal(store, goal_id, text=" ", status="done")
    assert g.get_goal(store, goal_id).status == "open"
    assert g.goal_history(store) == []


def test_link_and_unlink_are_history_too(store):
    goal_id = g.add_goal(store, group_id(store, "Forest"), "Learn the trees")
    safety = topic_id(store, "Safety")
    assert g.link_goal(store, goal_id, safety) is True
    assert g.link_goal(store, goal_id, safety) is False
    assert g.unlink_goal(store, goal_id, safety) is True
    assert [(e.field, e.old_value, e.new_value) for e in g.goal_history(store, goal_id)] == [
        ("essential", None, "Safety"), ("essential", "Safety", None)]


def test_a_fresh_goal_can_be_taken_back_an_edited_one_cannot(store):
    tide = group_id(store, "Tide pools")
    fresh = g.add_goal(store, tide, "typo")
    g.remove_fresh_goal(store, fresh)
    kept = g.add_goal(store, tide, "Count crabs")
    g.set_goal_status(store, kept, "done")
    with pytest.raises(SessionError, match="dropped"):
        g.remove_fresh_goal(store, kept)
    assert [x.text for x in g.goals(store)] == ["Count crabs"]


def test_coverage_shows_neglected_topics_and_groups_covering_none(store):
    tide, dunes = group_id(store, "Tide pools"), group_id(store, "Dunes")
    safety, consent = topic_id(store, "Safety"), topic_id(store, "Consent")
    g.add_goal(store, tide, "Map the rocks", essential_ids=[safety])
    g.add_goal(store, dunes, "Ask before photos", essential_ids=[consent, safety])
    m = matrix(store)
    assert [e.name for e in m.neglected] == ["Curriculum"]
    assert m.groups_covering_none == (group_id(store, "Forest"),)
    assert m.covering(safety) == [tide, dunes]
    assert m.cell(tide, safety).mark == "●" and m.cell(tide, consent).mark == "·"


def test_a_dropped_goal_no_longer_covers_its_topic(store):
    tide = group_id(store, "Tide pools")
    goal_id = g.add_goal(store, tide, "Map the rocks", essential_ids=[topic_id(store, "Safety")])
    g.set_goal_status(store, goal_id, "dropped")
    assert "Safety" in [e.name for e in matrix(store).neglected]


def test_challenge_lifecycle_open_then_answered(store):
    forest, curriculum = group_id(store, "Forest"), topic_id(store, "Curriculum")
    cid = ch.raise_challenge(store, forest, curriculum, "Where does module 3 fit?")
    assert matrix(store).cell(forest, curriculum).mark == "·?"
    assert ch.challenges(store, open_only=True)[0].status == "open"
    with pytest.raises(SessionError, match="answer needs"):
        ch.answer_challenge(store, cid, "  ")
    ch.answer_challenge(store, cid, "We teach it on the walk back.")
    c = ch.get_challenge(store, cid)
    assert (c.status, c.response, c.noted_by) == ("answered", "We teach it on the walk back.", "ana")
    assert matrix(store).cell(forest, curriculum).mark == "·✓"
    assert ch.challenges(store, open_only=True) == []
    with pytest.raises(SessionError, match="stays on record"):
        ch.withdraw_challenge(store, cid)
    ch.reopen_challenge(store, cid)
    assert ch.get_challenge(store, cid).status == "open"


def test_challenge_needs_a_sentence_and_a_real_group(store):
    with pytest.raises(SessionError, match="sentence"):
        ch.raise_challenge(store, group_id(store, "Forest"), None, " ")
    with pytest.raises(SessionError, match="No group"):
        ch.raise_challenge(store, 999, None, "Why?")
    with pytest.raises(SessionError, match="No challenge"):
        ch.answer_challenge(store, 42, "Because.")
    assert ch.challenges(store) == []


def test_group_names_prefer_the_current_round_and_refuse_ambiguity(store):
    first = current_round(store)
    old_tide = group_id(store, "Tide pools")
    second = start_round(store)
    new_tide = create_group(store, "Tide pools", second.id).id
    assert g.group_named(store, "tide POOLS") == new_tide
    create_group(store, "Tide pools", second.id)
    with pytest.raises(SessionError, match="Several groups"):
        g.group_named(store, "Tide pools")
    assert g.group_named(store, "Dunes") == group_id(store, "Dunes")  # only in round 1
    assert g.group_named(store, str(old_tide)) == old_tide
    with pytest.raises(SessionError, match="No group is called"):
        g.group_named(store, "Moon")
    assert first.id != second.id


def test_topics_resolve_by_name_or_unique_beginning(store):
    assert g.find_essential(store, "safety").name == "Safety"
    assert g.find_essential(store, "Cur").name == "Curriculum"
    with pytest.raises(SessionError, match="known: Safety, Consent, Curriculum"):
        g.find_essential(store, "Ethics")
    g.add_essential(store, "Ethics")
    assert g.find_essential(store, "ethics").source == "live"
    with pytest.raises(SessionError, match="already"):
        g.add_essential(store, "ETHICS")


def test_progress_per_round_is_replayed_from_history(store):
    tide = group_id(store, "Tide pools")
    a = g.add_goal(store, tide, "A")
    b = g.add_goal(store, tide, "B")
    g.set_goal_status(store, a, "in progress")
    start_round(store)
    g.set_goal_status(store, a, "done")
    g.add_goal(store, tide, "C")
    g.set_goal_status(store, b, "dropped")
    progress = progress_by_round(rounds(store), g.goals(store), g.goal_history(store))
    assert [p.name for p in progress] == ["Round 1", "Round 2"]
    assert progress[0].counts == {"open": 1, "in progress": 1, "done": 0, "dropped": 0}
    assert progress[1].counts == {"open": 1, "in progress": 0, "done": 1, "dropped": 1}
    assert (progress[1].changes, progress[1].new_goals) == (2, 1)
    assert progress[1].marks() == "●○✗"


def test_report_has_goals_coverage_neglected_and_challenges(store):
    tide, forest = group_id(store, "Tide pools"), group_id(store, "Forest")
    goal_id = g.add_goal(store, tide, "Map the rocks", "the group", [topic_id(store, "Safety")])
    g.set_goal_status(store, goal_id, "in progress")
    cid = ch.raise_challenge(store, forest, topic_id(store, "Consent"), "Who agreed to the hike?")
    ch.answer_challenge(store, cid, "Everyone, by a show of hands.")
    report = build_report(store)
    tide_entry = next(e for e in report["goals"] if e["group"] == "Tide pools")
    assert tide_entry["goals"][0]["covers"] == ["Safety"]
    assert tide_entry["goals"][0]["history"][0]["new"] == "in progress"
    assert report["coverage"]["Safety"][0]["group"] == "Tide pools"
    assert report["neglected"] == ["Consent", "Curriculum"]
    assert report["challenges"][0]["status"] == "answered"
    assert report["challenges"][0]["answer"] == "Everyone, by a show of hands."
    assert report["challenges"][0]["topic"] == "Consent"


def test_a_topic_added_live_can_be_taken_back_until_something_refers_to_it(store):
    fresh = g.add_essential(store, "Ethics")
    g.remove_fresh_essential(store, fresh)
    assert [e.name for e in g.essential_topics(store)] == ["Safety", "Consent", "Curriculum"]
    linked, challenged = g.add_essential(store, "Ethics"), g.add_essential(store, "Budget")
    g.add_goal(store, group_id(store, "Dunes"), "Ask first", essential_ids=[linked])
    ch.raise_challenge(store, group_id(store, "Forest"), challenged, "Who pays?")
    for topic in (linked, challenged):
        with pytest.raises(SessionError, match="the topic stays"):
            g.remove_fresh_essential(store, topic)
    assert [e.name for e in g.essential_topics(store)][-2:] == ["Ethics", "Budget"]

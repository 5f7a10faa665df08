"""Explicit entries in four keystrokes plus Enter: codes picked by their first letters
among the observed group, the rest of a full code skipped; turn mode stays exact."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.models.groups import create_group
from facilitator.models.roster import add_participant, find_participant
from facilitator.models.rounds import add_round, start_round
from facilitator.models.session import create_session
from facilitator.widgets.tally_prompt import TallyPrompt
from tests.test_tally_screen import live, text


def entries(path: Path) -> list[tuple]:
    return live(path, "SELECT s.code, i.kind, t.code, i.note FROM interactions i"
                " LEFT JOIN participants s ON s.id = i.source_id"
                " LEFT JOIN participants t ON t.id = i.target_id ORDER BY i.id")


async def test_one_letter_per_person_four_keys_and_enter(small_session: Path) -> None:
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "a")
        assert "al Ana Lopez" in text(app.screen, TallyPrompt)  # the name, as it resolves
        await pilot.press("a", "b")
        assert "al Ana Lopez · ask · bs Bob Smith" in text(app.screen, TallyPrompt)
        await pilot.press("enter")
        await pilot.press("slash", "c", "h", "space", "enter")  # Cleo helped the group
        await pilot.pause()
    assert entries(small_session) == [("al", "ask", "bs", None), ("cd", "help", None, None)]


async def test_full_codes_still_work_their_extra_letters_are_skipped(small_session: Path) -> None:
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "a", "l", "a", "b", "s", "enter")
        await pilot.press("slash", "d", "p", "b", "c", "enter")  # dp built on cd (prefix)
        # Full codes for who and to whom, then a note: "l" ends Ana's code, "later" is the note.
        await pilot.press("slash", "b", "s", "n", "a", "l", *"later", "enter")
        await pilot.pause()
    assert entries(small_session) == [
        ("al", "ask", "bs", None), ("dp", "build-on", "cd", None),
        ("bs", "answer", "al", "later")]


async def test_prefixes_are_unique_among_the_observed_group_only(tmp_path: Path) -> None:
    path = tmp_path / "prefix.db"
    with create_session(path, "Prefixes") as store:
        for name in ("Ana Lopez", "Alex Berg", "Bob Smith", "Cleo Diaz"):  # al ab bs cd
            add_participant(store, name)
        add_round(store, "One", 20)
        round_ = start_round(store)
        ids = {c: find_participant(store, c).id for c in ("al", "ab", "bs", "cd")}
        create_group(store, "Soil", round_.id, [ids["al"], ids["bs"]])
        create_group(store, "Water", round_.id, [ids["ab"], ids["cd"]])
    app = make_app(path, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        # The whole session: "a" could be Ana or Alex, so it waits and says who.
        await pilot.press("slash", "a")
        prompt = text(app.screen, TallyPrompt)
        assert "Ana Lopez" in prompt and "Alex Berg" in prompt
        await pilot.press("b", "a", "c", "enter")  # ab: Alex asked Cleo
        # In Soil only Ana starts with "a".
        await pilot.press("right_square_bracket", "slash", "a", "n", "b", "enter")
        await pilot.pause()
    assert entries(path) == [("ab", "ask", "cd", None), ("al", "answer", "bs", None)]


async def test_turn_mode_keeps_exact_codes_and_says_so(small_session: Path) -> None:
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert entries(small_session) == []  # one letter is not a turn
        assert "full code = turn" in text(app.screen, TallyPrompt)
        await pilot.press("l", "b", "s")
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "never shortened" in help_text and "first letters" in help_text
    assert [(s, k, t) for s, k, t, _ in entries(small_session)] == [
        ("al", "speak", None), ("bs", "speak", "al")]

"""Messages and help: one message on screen at a time (the newest), all of them one
key away (ctrl+l); every screen's help says what its words mean, not only its keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from facilitator.app import make_app
from facilitator.core.screens import SCREEN_NAMES
from facilitator.screens.help import CONCEPTS, HelpScreen
from facilitator.screens.messages import MessagesScreen


async def test_a_newer_message_replaces_the_older_and_ctrl_l_lists_them_all(
        small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for said in ("First [bold]hint[/bold]", "Second hint", "Third hint"):
            screen.hint(said)
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Third hint"]
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, MessagesScreen)
        text = str(app.screen.query_one(Static).render())
        # Newest first, and a hint's text as typed (never read as markup).
        assert text.index("Third hint") < text.index("Second hint") < text.index(
            "First [bold]hint[/bold]")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize("name", SCREEN_NAMES)
async def test_help_explains_the_screens_words(small_session: Path, name: str) -> None:
    app = make_app(small_session, identity="ana", screen=name)
    async with app.run_test(size=(80, 90)) as pilot:  # tall: the whole help in view
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = ["".join(seg.text for seg in strip).strip(" │")
                 for strip in app.screen._compositor.render_strips()]
        shown = " ".join(" ".join(lines).split())
        for word, meaning in CONCEPTS[name]:
            # Each word with its sentence: beside its key, or among the screen's words.
            assert word in shown and " ".join(meaning.split()[:4]) in shown, word
        assert "Ctrl+l" in shown or "Ctrl+L" in shown  # the messages key is listed


def test_the_words_people_asked_about_are_explained() -> None:
    words = {name: [w for w, _ in CONCEPTS[name]] for name in CONCEPTS}
    assert "Window" in words["network"] and "Ties" in words["network"]
    assert "Topic column" in words["goals"]
    assert all(meaning.endswith(".") for entries in CONCEPTS.values() for _, meaning in entries)

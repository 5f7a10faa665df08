"""The command palette (ctrl+p) lists every action of every screen and of the app
(export, report, a new round ...) by name, and nothing of Textual's internals."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from facilitator.app import make_app
from facilitator.core.screens import SCREEN_NAMES
from facilitator.models.rounds import add_round, current_round
from facilitator.models.store import SessionStore
from facilitator.screens.confirm import ChoiceScreen
from facilitator.screens.report import ReportScreen


def titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_the_palette_lists_every_screens_actions_and_no_textual_internals(
        small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = titles(app)
        for wanted in ("Go to network", "New round", "Report", "Messages", "Help", "Quit",
                       "Add", "Here/absent", "Groups: Suggest", "Goals: Challenge",
                       "Tally: Explicit entry", "Network: Window", "Network: Ties"):
            assert wanted in listed, wanted
        for internal in ("Copy selected text", "Focus Next", "Focus Previous", "Theme",
                         "Screenshot", "Keys", "Maximize"):
            assert not any(internal.lower() in t.lower() for t in listed), internal
        # Keys that only edit a line being typed are not commands.
        assert not any(t.endswith(("Enter", "Cancel", "Delete letter")) for t in listed)
        assert len(listed) == len(set(listed))  # each once


async def test_another_screens_action_switches_to_it_first(small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "Groups: Suggest")
        command.callback()
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "groups"
        assert app.screen.suggesting


async def test_typing_in_the_palette_finds_new_round_and_report(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        add_round(store, "Opening", 10)
    app = make_app(small_session, identity="ana", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"new round")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # the round dialog, from the roster
        await pilot.press("o")
        await pilot.pause()
        assert current_round(app.store).name == "Opening"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "Small test session" in app.screen.text and "Ana Lopez" in app.screen.text


async def test_every_app_action_is_listed_by_itself(small_session: Path) -> None:
    """A feature that adds an app action (export, say) needs no palette code."""
    import facilitator.app
    from facilitator.app import FacilitatorApp

    class WithExtra(FacilitatorApp):
        CSS_PATH = str(Path(facilitator.app.__file__).parent / "styles" / "app.tcss")

        def action_export_everything(self) -> None:
            """Write every format next to the session file."""

    store = SessionStore.open(small_session, identity="ana")
    app = WithExtra(store, screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "Export everything")
        assert command.help == "Write every format next to the session file."
    assert SCREEN_NAMES  # every screen is covered above

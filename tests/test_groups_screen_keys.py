"""The groups screen, second part: rounds, rules, suggestions off the UI thread, footer."""

from __future__ import annotations

from pathlib import Path

from test_groups_screen import members_by_name, say  # noqa: F401  (plain-name helpers)

from facilitator.app import make_app
from facilitator.models.store import SessionStore
from facilitator.screens.groups import GroupsScreen


def round_names(path: Path) -> list[str]:
    with SessionStore.open(path) as store:
        return [r[0] for r in store.rows("SELECT name FROM rounds ORDER BY position")]


async def suggest(pilot) -> GroupsScreen:
    """Open the suggestions and wait until both proposals are computed."""
    await pilot.press("p")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def title(screen: GroupsScreen) -> str:
    return str(screen.query_one("#groups-title").render())


async def test_undo_of_an_apply_removes_the_round_it_made(demo_session: Path) -> None:
    before = round_names(demo_session)
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        current = title(app.screen)
        await suggest(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert round_names(demo_session) == before + [f"Round {len(before) + 1}"]
        assert title(app.screen).startswith(f"Round {len(before) + 1}")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert round_names(demo_session) == before
        assert title(app.screen) == current  # back on the round it showed before

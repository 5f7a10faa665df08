"""Names as people type them on the screens: network focus and the roster."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import add_participant
from facilitator.models.session import create_session
from facilitator.models.store import SessionStore


def room(tmp_path: Path) -> Path:
    path = tmp_path / "room.db"
    with create_session(path, "Room") as store:
        people = [add_participant(store, n) for n in
                  ("Zoë Müller", "José Núñez", "Łukasz Wójcik", "Åsa Berg")]
        for a, b in zip(people, people[1:]):
            log_interaction(store, "speak", a, b)
    return path


async def test_network_focus_finds_people_as_typed_and_says_when_nobody_fits(
        tmp_path: Path) -> None:
    path = room(tmp_path)
    app = make_app(path, identity="sam", screen="network")
    said: list[str] = []
    app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        with SessionStore.open(path) as store:
            lukasz = store.scalar("SELECT id FROM participants WHERE code = 'lw'")
        await pilot.press("f", *"luk", "enter")
        await pilot.pause()
        assert app.screen.focus_id == lukasz
        await pilot.press("f", *"qx", "enter")
        await pilot.pause()
        assert any("No participant is called or coded 'qx'" in s for s in said)
        assert app.screen.focus_id == lukasz  # unchanged by a miss

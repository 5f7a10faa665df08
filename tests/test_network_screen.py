"""The network screen driven with Pilot: picture, findings, filters, replay, focus."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.models.interactions import log_interaction
from facilitator.models.layout import stored_layout
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionStore
from facilitator.widgets.network_canvas import NetworkCanvas
from facilitator.widgets.network_panels import FilterBar, NetworkSide
from facilitator.widgets.network_timeline import TimelineBar


def canvas_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(NetworkCanvas).text()


def side_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(NetworkSide).text()


def bar_text(app, widget) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(widget).render())


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the workers (reading the log, the picture, layout, findings: each
    may start the next) until none is left (a replaced one counts as done)."""
    from textual.worker import WorkerCancelled

    for _ in range(50):
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            await pilot.pause()  # a message a worker posted may start another
            if all(worker.is_finished for worker in app.workers):
                break
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
    await pilot.pause()


async def test_demo_shows_a_sociogram_and_findings(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        picture = canvas_text(app)
        assert "●" in picture and "Amara" in picture
        side = side_text(app)
        assert "Findings" in side
        assert "Hubs:" in side and "Brokers:" in side
        assert "Isolated:" in side or "No one is isolated" in side
    with SessionStore.open(demo_session) as store:
        assert stored_layout(store)[1] is not None  # shared with co-facilitators


async def test_filters_change_the_picture_and_say_so(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        before = canvas_text(app)
        await pilot.press("k")
        await settle(app, pilot)
        assert "kind speak" in bar_text(app, FilterBar)
        await pilot.press("r")
        await settle(app, pilot)
        assert "round all" not in bar_text(app, FilterBar)
        assert canvas_text(app) != before
        await pilot.press("w")
        await settle(app, pilot)
        assert "last 5 min" in bar_text(app, FilterBar)
        await pilot.press("c")
        await settle(app, pilot)
        assert "kind all  round all  group all  time all" in bar_text(app, FilterBar)
        assert canvas_text(app) == before


async def test_replay_scrubs_through_the_session(demo_session: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The replay's timer never fires on its own here: a loaded machine must not
    # finish the replay between two keys (the bar's ticks are tested by hand).
    monkeypatch.setattr("facilitator.widgets.network_timeline.REPLAY_SECONDS", 3600)
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        live = bar_text(app, TimelineBar)
        assert "live" in live
        total = int(live.split("/")[1].split()[0])
        await pilot.press("left", "left")
        await settle(app, pilot)
        shown = int(bar_text(app, TimelineBar).split("/")[0].split()[-1])
        assert shown < total
        await pilot.press("p")  # replay from the start
        await settle(app, pilot)
        assert "playing" in bar_text(app, TimelineBar)
        await pilot.press("p")  # pause
        await settle(app, pilot)
        paused = bar_text(app, TimelineBar)
        assert "paused" in paused
        await pilot.press(*["left"] * 21)  # back to the very start
        await settle(app, pilot)
        assert " 0/" in bar_text(app, TimelineBar)
        assert canvas_text(app).count("○") == 24  # nobody has a tie yet, all in place
        await pilot.press("full_stop")  # one interaction later
        await settle(app, pilot)
        assert " 1/" in bar_text(app, TimelineBar)
        assert canvas_text(app).count("○") == 22
        await pilot.press("l")
        await settle(app, pilot)
        assert "live" in bar_text(app, TimelineBar)


async def test_focus_shows_a_persons_ego_network(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.press(*"ao", "enter")
        await settle(app, pilot)
        assert "focus Amara Okafor" in bar_text(app, FilterBar)
        side = side_text(app)
        assert "Amara Okafor (ao)" in side and "Ties with" in side and "Betweenness" in side
        assert "◉" in canvas_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Findings" in side_text(app)
        await pilot.press("f", *"zzz", "enter")  # nobody: one sentence, nothing changes
        await settle(app, pilot)
        assert "focus none" in bar_text(app, FilterBar)


async def test_a_new_interaction_from_another_process_appears(small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "No interactions" in side_text(app)
        with SessionStore.open(small_session, identity="bob") as other:
            log_interaction(other, "speak", find_participant(other, "al"),
                            find_participant(other, "bs"))
        await pilot.pause(0.6)  # the app polls the file about four times a second
        await settle(app, pilot)
        assert "1 interaction made 1 tie among 4 people" in side_text(app)
        assert any(arrow in canvas_text(app) for arrow in "→↘↓↙←↖↑↗")


async def test_usable_at_80x24(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        canvas = app.screen.query_one(NetworkCanvas)
        assert canvas.size.width >= 40 and canvas.size.height >= 15
        assert "Amara" in canvas_text(app)
        await pilot.press("v")  # hide the panel: the picture takes the whole width
        await settle(app, pilot)
        assert canvas.size.width >= 78


def test_networkx_is_not_imported_at_start_up() -> None:
    import subprocess
    import sys

    code = ("import sys, facilitator.app, facilitator.cli, facilitator.screens.network; "
            "print('networkx' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


async def test_people_are_coloured_by_group(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        canvas = app.screen.query_one(NetworkCanvas)
        picture = canvas.picture
        assert picture is not None
        groups = {g for row in picture.groups for g in row if g is not None}
        assert len(groups) >= 2  # the demo's current round has several groups
        styles = {str(canvas._style("node", g)) for g in groups}
        assert len(styles) >= 2
        assert str(canvas._style("isolate", None)) not in styles

"""The timeline bar owns the replay (cursor, playing, timer) and tells the screen
where it went; a new layout is a Change whose undo respects co-facilitators."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.core.layout import apply_relayout, plan_relayout
from facilitator.core.network import LiveNetwork
from facilitator.models.layout import layout_seed, stored_layout
from facilitator.models.store import SessionStore
from facilitator.widgets.network_timeline import Replay, TimelineBar
from tests.test_network_screen import settle


def test_replay_steps_scrubs_and_plays_to_live() -> None:
    replay = Replay()
    assert replay.shown(40) == 40 and replay.cursor is None
    replay.step(40, -1)
    assert replay.cursor == 39
    replay.scrub(40, -1)
    assert replay.cursor == 37  # a twentieth of the log
    replay.step(40, 10)
    assert replay.cursor is None  # forward past the end: live again
    replay.start()
    assert (replay.cursor, replay.playing) == (0, True)
    frames = 0
    while replay.playing:
        replay.tick(120)
        frames += 1
    assert replay.cursor is None and frames == 61  # sixty frames, then live


async def test_the_bar_plays_on_its_own_timer_and_posts_where_it_went(
        demo_session: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The timer is the bar's own; the test ticks it by hand instead of waiting.
    monkeypatch.setattr("facilitator.widgets.network_timeline.REPLAY_SECONDS", 3600)
    messages: list[object] = []
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(TimelineBar)
        total = bar.total
        assert total > 0 and bar.cursor is None
        await pilot.press("comma")
        await pilot.pause()
        assert bar.cursor == total - 1
        moved = [m for m in messages if isinstance(m, TimelineBar.Moved)]
        assert moved and moved[-1].cursor == total - 1
        assert f" {total - 1}/{total}" in str(bar.render())
        await pilot.press("p")  # plays on from where it is
        assert bar.playing and bar.cursor == total - 1
        await pilot.press("p")  # pauses
        assert not bar.playing and bar.cursor == total - 1
        await pilot.press("l", "p")  # live, then play from the start
        assert bar.playing and bar.cursor == 0
        bar.tick()  # the timer's tick, driven by hand
        await pilot.pause()
        assert bar.cursor == max(1, total // 60)
        await pilot.press("l")
        await pilot.pause()
        assert bar.cursor is None and not bar.playing
        assert "live" in str(bar.render())
        assert not hasattr(app.screen, "cursor")  # the screen holds no replay state


async def test_undoing_a_new_layout_after_a_co_facilitator_laid_it_out_again_is_refused(
        demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.pause()
        with SessionStore.open(demo_session, identity="kim") as kim:
            live = LiveNetwork()
            live.refresh(kim)
            relayout = plan_relayout(kim, live.view().ties, live.signature())
            apply_relayout(kim, relayout, relayout.job.run())
            kims = stored_layout(kim), layout_seed(kim, 7)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert "kim laid the network out afresh since; nothing was changed." in said
        with SessionStore.open(demo_session) as other:
            assert (stored_layout(other), layout_seed(other, 7)) == kims

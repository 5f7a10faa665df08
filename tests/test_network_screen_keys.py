"""Network screen keys added after the first version: laying the network out afresh
(shared, undoable), the group marks when colour is off, the default tie filter."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.models.layout import layout_seed, stored_layout
from facilitator.models.store import SessionStore
from tests.test_network_screen import canvas_text, settle


async def test_n_lays_the_network_out_afresh_for_everyone_and_ctrl_z_undoes(
        demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        with SessionStore.open(demo_session) as other:
            before, signature = stored_layout(other)
            seed = layout_seed(other, 7)
        picture = canvas_text(app)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.pause(0.1)
        with SessionStore.open(demo_session) as other:  # a co-facilitator's view
            after, new_signature = stored_layout(other)
            assert after != before and new_signature == signature
            assert layout_seed(other, 7) == seed + 1
        assert canvas_text(app) != picture
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        with SessionStore.open(demo_session) as other:
            assert stored_layout(other) == (before, signature)
            assert layout_seed(other, 7) == seed
        assert canvas_text(app) == picture


async def test_a_read_only_viewer_cannot_change_the_shared_layout(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:  # store the layout once
        await settle(app, pilot)
    with SessionStore.open(demo_session) as other:
        before = stored_layout(other)
    app = make_app(demo_session, identity="viewer", screen="network", read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert any("read-only" in str(n.message) for n in app._notifications)
    with SessionStore.open(demo_session) as other:
        assert stored_layout(other) == before


async def test_without_colour_groups_have_their_own_mark_shape_and_a_legend(
        demo_session: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from facilitator.analysis.sociogram import GROUP_MARKS
    from facilitator.widgets.network_panels import GroupLegend

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        picture = canvas_text(app)
        shapes = {mark for mark in GROUP_MARKS if mark in picture}
        assert len(shapes) >= 3  # the demo's current round has four groups
        legend = str(app.screen.query_one(GroupLegend).render())
        assert "●Mixed 1" in legend and "■Mixed 2" in legend and "▲Mixed 3" in legend
        assert "Amara" in picture  # labels stay legible next to the new marks


async def test_with_colour_the_legend_names_the_groups_with_dots(demo_session: Path) -> None:
    from facilitator.widgets.network_panels import GroupLegend

    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "■" not in canvas_text(app)
        assert "●Mixed 1  ●Mixed 2" in str(app.screen.query_one(GroupLegend).render())


def test_plain_cli_output_tells_groups_apart_by_shape(demo_session: Path) -> None:
    from tests.network_helpers import run

    out = run("network", str(demo_session), "--width", "100", "--height", "24")
    assert "\x1b[" not in out
    assert "Groups: ●Mixed 1  ■Mixed 2  ▲Mixed 3  ◆Mixed 4" in out
    picture = out.split("Legend:")[0]
    assert "■" in picture and "▲" in picture


async def test_a_busy_picture_hides_one_off_ties_by_default_and_says_so(
        demo_session: Path) -> None:
    from facilitator.widgets.network_canvas import NetworkCanvas
    from facilitator.widgets.network_panels import FilterBar, NetworkSide

    def bar() -> str:
        return str(app.screen.query_one(FilterBar).render())

    from facilitator.analysis.network import tie_counts
    from facilitator.core.network import load_network

    with SessionStore.open(demo_session) as store:
        ties = tie_counts(load_network(store))
    every = len(ties.pairs())
    repeated = sum(1 for u, v in ties.pairs()
                   if ties.counts.get((u, v), 0) + ties.counts.get((v, u), 0) >= 2)
    assert every > 3 * len(ties.node_ids) and repeated < every  # the demo is busy
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        canvas = app.screen.query_one(NetworkCanvas)
        assert f"ties 2+ ({repeated} of {every})" in bar()
        assert len(canvas.edges) == repeated
        assert all(e.weight >= 2 for e in canvas.edges.values())
        # The findings still count every tie.
        assert f"made {every} ties" in app.screen.query_one(NetworkSide).text()
        busy = canvas_text(app)
        await pilot.press("t")  # every tie
        await settle(app, pilot)
        assert "ties all" in bar() and len(canvas.edges) == every
        assert canvas_text(app) != busy
        await pilot.press("t")  # 2+ by choice, whatever the filter
        await pilot.press("r")  # the opening round: most ties are one-off
        await settle(app, pilot)
        assert "ties 2+" in bar()
        await pilot.press("c")  # back to the default: a quiet round shows every tie
        await pilot.press("r")
        await settle(app, pilot)
        assert "ties all" in bar()
        await pilot.press("c")
        await settle(app, pilot)
        assert canvas_text(app) == busy
        # A focused person's one-off ties are drawn too.
        ids = [e for e in canvas.edges.values()]
        await pilot.press("f", *"uma", "enter")
        await settle(app, pilot)
        focused = app.screen.focus_id
        mine = [e for e in canvas.edges.values() if focused in (e.source, e.target)]
        assert mine and any(e.weight == 1 for e in mine)
        assert len(canvas.edges) > len(ids)

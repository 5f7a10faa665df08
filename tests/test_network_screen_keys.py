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

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

"""The network screen never waits for the log on the UI thread: it draws the stored
layout before the log is read, and a filter key's picture is worked out by a
worker, of which only the latest is painted."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from facilitator.analysis import network as network_analysis
from facilitator.app import make_app
from facilitator.widgets.network_panels import FilterBar
from tests.test_network_screen import bar_text, canvas_text, settle, side_text


async def test_the_stored_layout_shows_before_the_log_is_read(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:  # store the layout once
        await settle(app, pilot)
        findings = side_text(app)
    release = threading.Event()
    from facilitator.core import network as core_network

    real = core_network.read_snapshot

    def slow_read(store):  # type: ignore[no-untyped-def]
        release.wait(10)  # a big log: the worker is still reading
        return real(store)

    monkeypatch.setattr("facilitator.screens.network.read_snapshot", slow_read)
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Amara" in canvas_text(app)  # people at their stored places
        assert "Reading the session's log" in side_text(app)
        release.set()
        await settle(app, pilot)
        assert side_text(app) == findings


async def test_only_the_latest_filter_key_is_painted(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        first_key_counting = threading.Event()
        release = threading.Event()
        real = network_analysis.tie_counts
        calls = []

        def gated(data, flt=network_analysis.NetworkFilter()):  # type: ignore[no-untyped-def]
            calls.append(flt)
            if len(calls) == 1:  # the first key's count is slow and comes back last
                first_key_counting.set()
                release.wait(10)
            return real(data, flt)

        monkeypatch.setattr("facilitator.screens.network.tie_counts", gated)
        await pilot.press("k")
        assert first_key_counting.wait(10)
        await pilot.press("k")  # the next kind, while the first is still counted
        await settle(app, pilot)
        second = bar_text(app, FilterBar)
        picture = canvas_text(app)
        release.set()
        await settle(app, pilot)
        assert bar_text(app, FilterBar) == second and canvas_text(app) == picture
        assert len(calls) == 2 and calls[0].kinds != calls[1].kinds
        assert f"kind {', '.join(sorted(calls[1].kinds))} " in second

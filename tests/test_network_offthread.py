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


async def test_the_findings_wait_for_a_big_picture_drawn_in_a_worker(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big network's picture is drawn in a worker; the findings (another worker,
    as slow) start once it is painted, not beside it: two at once would slow the
    picture and keep the UI thread from Python's lock."""
    from facilitator.widgets import network_canvas

    monkeypatch.setattr(network_canvas, "BUILD_IN_WORKER", -1)  # every picture in a worker
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        before = side_text(app)
        drawing, release, analysed = threading.Event(), threading.Event(), threading.Event()
        real_build, real_analyse = network_canvas._build, network_analysis.analyse

        def slow_build(*args):  # type: ignore[no-untyped-def]
            drawing.set()
            release.wait(10)
            return real_build(*args)

        def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
            analysed.set()
            return real_analyse(*args, **kwargs)

        monkeypatch.setattr(network_canvas, "_build", slow_build)
        monkeypatch.setattr(network_analysis, "analyse", watched)
        await pilot.press("k")
        assert drawing.wait(10)
        await pilot.pause(0.3)
        assert not analysed.is_set()  # the picture is still being drawn
        release.set()
        await settle(app, pilot)
        assert analysed.is_set()
        assert "kind speak" in bar_text(app, FilterBar)
        assert side_text(app) and side_text(app) != before  # this filter's findings


async def test_the_findings_come_when_the_picture_could_not_be_drawn(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from facilitator.widgets import network_canvas

    monkeypatch.setattr(network_canvas, "BUILD_IN_WORKER", -1)
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        before = side_text(app)

        def boom(*args):  # type: ignore[no-untyped-def]
            raise RuntimeError("Boom")

        monkeypatch.setattr(network_canvas, "_build", boom)
        await pilot.press("k")
        await settle(app, pilot)
        assert app.is_running
        assert side_text(app) and side_text(app) != before  # the findings did not wait forever

"""A failing worker of the network screen (layout, findings, new layout, the
canvas's drawing) leaves the app running in front of the room, with one sentence
on screen from the app's one handler, and the screen still answers keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.models.layout import clear_layout
from facilitator.models.store import SessionStore
from facilitator.widgets.network_panels import FilterBar


class Boom(RuntimeError):
    pass


def boom(*args: object, **kwargs: object) -> None:
    raise Boom("the test made this worker fail")


async def until_workers_done(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait on a condition (every worker finished, failed ones included), not a pause."""
    for _ in range(400):
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            break
    await pilot.pause()


def failure_sentences(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications if "Boom" in str(n.message)]


#: worker name -> (module attribute the worker runs, whether it runs before `n`).
CASES = {
    "the network layout": ("facilitator.analysis.network_view.update_layout", None),
    "the network findings": ("facilitator.analysis.network.analyse", None),
    "the new layout": ("facilitator.analysis.network_view.update_layout", "n"),
    "the network picture": ("facilitator.widgets.network_canvas._build", None),
}


@pytest.mark.parametrize("worker", sorted(CASES))
async def test_a_failing_network_worker_is_one_sentence_and_the_app_keeps_running(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch, worker: str) -> None:
    target, key = CASES[worker]
    with SessionStore.open(demo_session) as store:
        clear_layout(store)  # so the layout worker has work to do
    if worker == "the network picture":
        monkeypatch.setattr("facilitator.widgets.network_canvas.BUILD_IN_WORKER", -1)
    if key is None:
        monkeypatch.setattr(target, boom)
    app = make_app(demo_session, identity="ana", screen="network")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_workers_done(app, pilot)
        if key is not None:
            monkeypatch.setattr(target, boom)
            await pilot.press(key)
            await until_workers_done(app, pilot)
        sentences = failure_sentences(app)
        assert len(sentences) == 1, sentences
        assert sentences[0].startswith(f"Something went wrong in {worker} (Boom:")
        assert "the app keeps running" in sentences[0]
        assert "Traceback" not in sentences[0] and "\n" not in sentences[0]
        # Still running, still answering keys.
        assert app.is_running and app.return_code is None
        await pilot.press("k")
        await pilot.pause()
        assert "kind speak" in str(app.screen.query_one(FilterBar).render())
    assert app.return_code in (None, 0)

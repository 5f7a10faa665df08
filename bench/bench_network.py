"""Network figures on a big session (200 participants, 5,000 distinct ties):
- the layout a worker computes from scratch, and its gentle update after a new tie,
  against reading the same ties with plain sqlite3 (the `edges` view);
- the findings a worker computes (betweenness, communities ...), same reference;
- the network screen after one new interaction from another process: from the app's
  poll noticing it to the first paint (only new entries fetched, only the new tie
  drawn), against a keystroke-to-paint in a bare Textual app."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

PEOPLE = 200
TIES = 5000
REDRAWS = 10


def big_session(folder: Path) -> Path:
    from facilitator.models.interactions import insert_interaction
    from facilitator.models.roster import add_participants
    from facilitator.models.session import create_session

    path = folder / "big-network.db"
    store = create_session(path, "Big network")
    people = add_participants(store, [(f"Person {i:03d}", {}) for i in range(PEOPLE)])
    ids = [p.id for p in people]
    rng = random.Random(1)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < TIES:
        u, v = rng.sample(ids, 2)
        pairs.add((u, v))

    def body(conn: sqlite3.Connection) -> None:
        for n, (u, v) in enumerate(sorted(pairs)):
            insert_interaction(conn, kind="speak", source_id=u, target_id=v, group_id=None,
                               round_id=None, logged_by="bench", note=None,
                               at=f"2025-05-01T{9 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000+00:00")

    store.transact(body)
    store.close()
    return path


def timed(action, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sqlite_edges(path: Path) -> float:
    def read() -> None:
        conn = sqlite3.connect(path)
        conn.execute("SELECT * FROM edges").fetchall()
        conn.close()
    return timed(read, 7)


def watch_paints(app) -> list[float]:  # type: ignore[no-untyped-def]
    """Record when the app hands a screen update to the terminal (turned into terminal
    text here, as a terminal run would: that cost counts too)."""
    stamps: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is not None and hasattr(renderable, "render_segments"):
            renderable.render_segments(app.console)
            stamps.append(time.perf_counter())

    app._display = timed_display
    return stamps


async def bare_keystroke() -> float:
    """The reference: a key press in a bare Textual app that updates one line, from
    the key to the first paint (Pilot's idle polling not counted)."""
    from bench.reference import BareApp


    app = BareApp()
    stamps = watch_paints(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        times = []
        for _ in range(REDRAWS * 2):
            stamps.clear()
            t0 = time.perf_counter()
            await pilot.press("s")
            await pilot.pause()
            if stamps:
                times.append(stamps[0] - t0)
        return statistics.median(times)


async def settled(app, pilot, canvas) -> None:  # type: ignore[no-untyped-def]
    """Wait until the layout, findings and any full redraw in workers are done."""
    from textual.worker import WorkerCancelled

    for _ in range(400):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # replaced by a newer job: wait for that one
            continue
        await pilot.pause(0.02)
        if not canvas.building and not any(w.is_running for w in app.workers):
            return


async def screen_redraw(path: Path) -> tuple[float, float, int, int]:
    """After a new interaction is in the file (logged by another process): the median
    time from the app noticing it (its poll) to the first paint, the median time the
    UI thread spends on it (re-read, ties, drawing), how many of those redraws drew
    on top of the picture, and how many re-read the whole log."""
    from facilitator.app import make_app
    from facilitator.models.interactions import log_interaction
    from facilitator.models.roster import participants
    from facilitator.models.store import SessionStore
    from facilitator.widgets.network_canvas import NetworkCanvas

    app = make_app(path, identity="bench", screen="network")
    stamps = watch_paints(app)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        canvas = screen.query_one(NetworkCanvas)
        await settled(app, pilot, canvas)
        if hasattr(screen, "tie_weight"):
            # The worst case: every tie drawn (a busy picture hides one-off ties by
            # default, and each new tie here is a one-off).
            screen.tie_weight = 1
            screen.redraw()
            await settled(app, pilot, canvas)
        other = SessionStore.open(path, identity="other")
        people = participants(other)
        reads = getattr(getattr(screen, "live", None), "full_reads", 0)
        paints, ui_times, incremental = [], [], 0
        for n in range(REDRAWS):
            # Existing people who have talked before: a new tie between them.
            log_interaction(other, "speak", people[n], people[-1 - n])
            before = canvas.canvas
            stamps.clear()
            t0 = time.perf_counter()
            app.poll_for_changes()  # what the app's timer runs: notices, refreshes
            ui_times.append(time.perf_counter() - t0)
            incremental += canvas.canvas is before
            await pilot.pause()
            if stamps:
                paints.append(stamps[0] - t0)
            # Then the layout update and a full redraw run in workers.
            await settled(app, pilot, canvas)
        reads = getattr(getattr(screen, "live", None), "full_reads", REDRAWS) - reads
        other.close()
    return statistics.median(paints), statistics.median(ui_times), incremental, reads


def main() -> None:
    from facilitator.analysis.layout import update_layout
    from facilitator.analysis.network import analyse, tie_counts
    from facilitator.analysis.network_view import sociogram_specs
    from facilitator.core.layout import layout_job
    from facilitator.core.network import load_network
    from facilitator.analysis.sociogram import render_sociogram
    from facilitator.models.store import SessionStore

    with tempfile.TemporaryDirectory() as folder:
        path = big_session(Path(folder))
        reference_sql = sqlite_edges(path)
        with SessionStore.open(path) as store:
            data = load_network(store)
            job = layout_job(store, data)
        layout_seconds = timed(job.run, 3)
        positions = job.run()
        nodes = list(job.node_ids)
        extra = (nodes[0], nodes[-1]) if (nodes[0], nodes[-1]) not in job.pairs else (nodes[1], nodes[-2])
        gentle_seconds = timed(lambda: update_layout(nodes, set(job.pairs) | {extra}, positions, job.seed), 3)
        ties = tie_counts(data)
        findings_seconds = timed(lambda: analyse(data, ties), 1)
        nodes_spec, edges_spec = sociogram_specs(data, ties)
        full_draw_seconds = timed(lambda: render_sociogram(nodes_spec, edges_spec, positions, 64, 26), 1)
        reference_key = asyncio.run(bare_keystroke())
        paint_seconds, redraw_seconds, incremental, reads = asyncio.run(screen_redraw(path))
    print(f"network layout from scratch, {PEOPLE} people {TIES} ties (worker): "
          f"{layout_seconds / reference_sql:.1f} x sqlite3 edges query")
    print(f"network layout update after a new tie (worker): "
          f"{gentle_seconds / reference_sql:.1f} x sqlite3 edges query")
    print(f"network findings, betweenness and communities (worker): "
          f"{findings_seconds / reference_sql:.1f} x sqlite3 edges query")
    print(f"network full redraw after the layout moved (worker): "
          f"{full_draw_seconds / reference_sql:.1f} x sqlite3 edges query")
    print(f"network new interaction to paint: "
          f"{paint_seconds / reference_key:.1f} x bare Textual keystroke to paint "
          f"({incremental}/{REDRAWS} drawn on top of the picture, {reads} full reads of the log)")
    print(f"   (absolute, this machine: layout {layout_seconds:.2f} s, update {gentle_seconds:.2f} s, "
          f"findings {findings_seconds:.2f} s, full redraw {full_draw_seconds:.2f} s, "
          f"new interaction to paint {paint_seconds * 1000:.1f} ms of which UI-thread work "
          f"{redraw_seconds * 1000:.1f} ms, sqlite3 {reference_sql * 1000:.1f} ms, "
          f"keystroke to paint {reference_key * 1000:.1f} ms)")


if __name__ == "__main__":
    main()

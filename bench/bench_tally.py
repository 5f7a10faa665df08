"""Bench: a tally keystroke on a big session against a bare Textual app's keystroke.

40 participants, 20,000 interactions. Each figure is the median time from a key press
to the last screen update it caused (entry committed durably, tallies and panels
redrawn and turned into terminal text), divided by the same measure for a bare Textual
app whose key handler only updates one line of text, measured in the same run.

    .venv/bin/python bench/bench_tally.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App  # noqa: E402

from facilitator.models.groups import create_group  # noqa: E402
from facilitator.models.interactions import insert_interaction  # noqa: E402
from facilitator.models.rounds import add_round, start_round  # noqa: E402
from facilitator.models.session import create_session  # noqa: E402

from bench.reference import BareApp  # noqa: E402

PEOPLE, ENTRIES, ROUNDS = 40, 20_000, 30
SIZE = (100, 30)
FRAME_MS = 1000 / 60


def build_session(path: Path) -> list[str]:
    """A big session: 40 people in 4 groups, 20,000 entries. Returns the codes."""
    rnd = random.Random(7)
    store = create_session(path, "Bench", roster=[(f"Person {i:02d} Example", {})
                                                   for i in range(PEOPLE)])
    add_round(store, "Long round", 90)
    round_ = start_round(store)
    people = [(r["id"], r["code"]) for r in store.rows("SELECT id, code FROM participants")]
    ids = [p for p, _ in people]
    for g in range(4):
        create_group(store, f"Group {g + 1}", round_.id, ids[g::4])
    kinds = ["speak"] * 6 + ["ask", "answer", "help", "build-on"]

    def body(conn: object) -> None:
        for i in range(ENTRIES):
            source, target = rnd.sample(ids, 2)
            insert_interaction(conn, kind=rnd.choice(kinds), source_id=source,  # type: ignore[arg-type]
                               target_id=target if rnd.random() < 0.8 else None,
                               group_id=None, round_id=round_.id, logged_by="bench", note=None)
        conn.execute("UPDATE interactions SET voided_at = at WHERE id % 41 = 0")  # type: ignore[attr-defined]

    store.transact(body)
    store.close()
    return [code for _, code in people]


def watch_redraws(app: App[None]) -> list[float]:
    """Record when the app hands a screen update to the terminal. Headless apps skip
    the write, so the update is turned into terminal text here, as a terminal run
    would (that cost counts too)."""
    stamps: list[float] = []
    display = app._display

    def timed_display(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None and hasattr(renderable, "render_segments"):
            renderable.render_segments(app.console)
            stamps.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    return stamps


async def timed(app: App[None], keys: list[list[str]]) -> list[float]:
    """Milliseconds from each group's last key press to the last redraw it caused.

    Pilot's own waiting (it polls for idle) is not counted: only the time until the
    app had handled the key and painted the result."""
    times = []
    stamps = watch_redraws(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        for group in keys:
            *lead, last = group
            if lead:
                await pilot.press(*lead)
                await pilot.pause()
            stamps.clear()
            start = time.perf_counter()
            await pilot.press(last)
            await pilot.pause()
            if stamps:
                times.append((stamps[-1] - start) * 1000)
    return times


async def run() -> list[str]:
    from facilitator.app import make_app

    lines = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        codes = build_session(path)
        bare = await timed(BareApp(), [["x"]] * ROUNDS)
        pairs = [[codes[i % 2][0], codes[i % 2][1]] for i in range(ROUNDS)]
        turn = await timed(make_app(path, identity="bench", screen="tally"), pairs)
        state = await timed(make_app(path, identity="bench", screen="tally"),
                            [["full_stop"]] * ROUNDS)
        undo = await timed(make_app(path, identity="bench", screen="tally"),
                           [[codes[2][0], codes[2][1], "ctrl+z"] for _ in range(ROUNDS)])
        reference = statistics.median(bare)
        for name, sample in (("tally_turn_keystroke", turn), ("tally_group_state_key", state),
                             ("tally_undo_key", undo)):
            ms = statistics.median(sample)
            lines.append(
                f"{name}: {ms / reference:.2f} x bare Textual keystroke "
                f"({ms:.1f} ms vs {reference:.1f} ms, +{(ms - reference) / FRAME_MS:.2f} frames"
                f" at 60 Hz; {PEOPLE} people, {ENTRIES} entries, committed and redrawn)")
    return lines


def main() -> None:
    for line in asyncio.run(run()):
        print(line)


if __name__ == "__main__":
    main()

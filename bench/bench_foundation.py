"""Foundation figures: start-up to first paint and memory against a bare Textual app;
one logged interaction against a plain sqlite3 insert with the same durability."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP = """
import resource, sys, time
t0 = time.perf_counter()
import asyncio
{imports}
async def main():
    app = {factory}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
asyncio.run(main())
"""
BARE = STARTUP.format(
    imports="from textual.app import App\nfrom textual.widgets import Static, Footer",
    factory="type('Bare', (App,), {'compose': lambda self: iter([Static('hello'), Footer()])})()")


def run_child(code: str, *args: str) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss)


def median_of(runs: int, code: str) -> tuple[float, int]:
    results = [run_child(code) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    from bench.reference import committed_insert_seconds
    from facilitator.models.demo import build_demo
    from facilitator.models.interactions import log_interaction
    from facilitator.models.roster import participants

    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.db"
        build_demo(demo).close()
        ours = STARTUP.format(imports="from facilitator.app import make_app",
                              factory=f"make_app({str(demo)!r}, screen='roster')")
        bare_time, bare_rss = median_of(5, BARE)
        our_time, our_rss = median_of(5, ours)
        print(f"startup to first paint (roster): {our_time / bare_time:.2f} x bare Textual app "
              f"({our_time * 1000:.0f} ms vs {bare_time * 1000:.0f} ms)")
        print(f"peak memory at start: {our_rss / bare_rss:.2f} x bare Textual app "
              f"({our_rss // 1024} MB vs {bare_rss // 1024} MB)")

        from facilitator.models.store import SessionStore

        store = SessionStore.open(demo)
        people = participants(store)
        n = 300
        reference = committed_insert_seconds(Path(folder) / "raw.db", n)
        t0 = time.perf_counter()
        for i in range(n):
            log_interaction(store, "speak", people[i % 20], people[(i + 1) % 20])
        ours_log = (time.perf_counter() - t0) / n
        print(f"log one interaction (committed, synchronous=FULL): {ours_log / reference:.2f} x "
              f"plain sqlite3 insert ({ours_log * 1e6:.0f} us vs {reference * 1e6:.0f} us)")
        store.close()

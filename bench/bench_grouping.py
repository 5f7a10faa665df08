"""Group formation figures.

- new-ties for 200 people (3 earlier rounds) in seconds, and as a ratio against
  a reference measured in the same run: a pure-Python loop over every pair of the
  200 people ten times (about what a naive pair scan of the room costs).
- Quality: repeated pairs of the fast search against the long simulated annealing
  (the reference search), summed over 24 to 60 people with 2-3 earlier rounds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator.analysis.grouping import form_groups  # noqa: E402
from tests.groups_helpers import people, random_history, spread_history  # noqa: E402


def pair_loop(count: int) -> float:
    start = time.perf_counter()
    total = 0
    for _ in range(10):
        for a in range(count):
            for b in range(a + 1, count):
                total += a ^ b
    return time.perf_counter() - start


def timed(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    crowd = people(200, seed=1)
    history = spread_history(crowd, 3, 5, seed=2)
    reference = statistics.median(pair_loop(200) for _ in range(5))
    for method in ("new-ties", "random", "mixed"):
        seconds = timed(lambda: form_groups(crowd, method, 5, history=history, seed=3,
                                            by=("organisation", "role")))
        print(f"grouping {method} 200 people: {seconds / reference:.2f} x reference"
              f" (pair loop x10, {reference * 1000:.1f} ms; {seconds * 1000:.0f} ms)")
    crowded = spread_history(crowd, 6, 10, seed=4)
    seconds = timed(lambda: form_groups(crowd, "new-ties", 10, history=crowded, seed=3), runs=3)
    print(f"grouping new-ties 200 people, 6 earlier rounds of 10: {seconds / reference:.2f} x reference"
          f" ({seconds * 1000:.0f} ms)")
    ui_thread_figure(reference)
    ours = long = 0
    for count in (24, 36, 48, 60):
        for rounds in (2, 3):
            size = 6 if count <= 36 else 5
            group = people(count, seed=count)
            for make in (random_history, spread_history):
                h = make(group, rounds, size, seed=count + rounds)
                ours += form_groups(group, "new-ties", size, history=h).quality.repeat_pairs
                long += form_groups(group, "new-ties", size, history=h,
                                    reference=True).quality.repeat_pairs
    ratio = ours / long if long else (1.0 if ours == 0 else float("inf"))
    print(f"grouping new-ties repeated pairs: {ratio:.3f} x reference"
          f" (long annealing; {ours} vs {long} over 16 cases)")


def ui_thread_figure(reference: float) -> None:
    """The groups screen reads a proposal's inputs on the UI thread and forms it in
    a worker: the UI-thread part, on a 200-person session file with 3 applied rounds."""
    import tempfile

    from facilitator.core import group_plans as plans
    from facilitator.models.roster import add_participants
    from facilitator.models.rounds import start_round
    from facilitator.models.session import create_session

    with tempfile.TemporaryDirectory() as folder:
        store = create_session(Path(folder) / "big.db", "Bench", identity="bench")
        add_participants(store, [(f"Person {i}", {"organisation": "ABCDE"[i % 5],
                                                  "role": "xyz"[i % 3]}) for i in range(200)])
        for seed in range(3):
            applied = plans.apply_groups(store, plans.propose(store, "random", 5, seed=seed).groups,
                                         "random")
            start_round(store, applied.round_id)
        read = timed(lambda: plans.proposal_inputs(store, 5))
        inputs = plans.proposal_inputs(store, 5)
        formed = timed(lambda: inputs.form("mixed", 5, by=("organisation", "role")), runs=3)
        store.close()
    print(f"grouping screen UI-thread part 200 people: {read / reference:.2f} x reference"
          f" ({read * 1000:.1f} ms on the UI thread; the worker's mixed search {formed * 1000:.0f} ms)")


if __name__ == "__main__":
    main()

"""Goals figures: recording a goal against a plain sqlite3 insert with the same
durability; a status change on the goals screen (write, refresh of matrix, card and
progress, repaint) against a keystroke in a bare Textual app; the coverage matrix
and progress of a large session against reading its goal rows with sqlite3."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

KEYS = 30


async def bare_keystroke() -> float:
    from bench.reference import BareApp


    async with BareApp().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        t0 = time.perf_counter()
        for _ in range(KEYS):
            await pilot.press("s")
        return (time.perf_counter() - t0) / KEYS


async def goals_keystroke(path: Path) -> float:
    from facilitator.app import make_app

    async with make_app(path, identity="bench", screen="goals").run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        t0 = time.perf_counter()
        for _ in range(KEYS):
            await pilot.press("s")
        return (time.perf_counter() - t0) / KEYS


def big_session(folder: Path) -> Path:
    """40 groups in 4 rounds, 12 topics, 400 goals with 1,200 status edits."""
    from facilitator.models.goals import add_essential, add_goal, set_goal_status
    from facilitator.models.groups import create_group
    from facilitator.models.rounds import start_round
    from facilitator.models.session import create_session

    path = folder / "big.db"
    store = create_session(path, "Big")
    topics = [add_essential(store, f"Topic {i}") for i in range(12)]
    goal_ids = []
    for _ in range(4):
        round_ = start_round(store)
        for g in range(10):
            group = create_group(store, f"Group {round_.position}.{g}", round_.id)
            for k in range(10):
                goal_ids.append(add_goal(store, group.id, f"Goal {k}", None,
                                         [topics[(g + k) % 12]] if k % 3 else []))
        for goal_id in goal_ids[-100:]:
            for status in ("in progress", "done", "in progress"):
                set_goal_status(store, goal_id, status)
    store.close()
    return path


def main() -> None:
    from bench.reference import committed_insert_seconds
    from facilitator.analysis.coverage import coverage_matrix, progress_by_round
    from facilitator.models import goals as core
    from facilitator.models.challenges import challenges
    from facilitator.models.demo import build_demo
    from facilitator.models.groups import all_groups, groups_of_round
    from facilitator.models.rounds import current_round, rounds
    from facilitator.models.store import SessionStore

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        demo = folder / "demo.db"
        build_demo(demo).close()

        # Recording a goal, committed with synchronous=FULL.
        n = 200
        reference = committed_insert_seconds(folder / "raw.db", n)
        store = SessionStore.open(demo, identity="bench")
        group = groups_of_round(store, current_round(store).id)[0]  # type: ignore[union-attr]
        t0 = time.perf_counter()
        for i in range(n):
            core.add_goal(store, group.id, f"Goal {i}")
        ours = (time.perf_counter() - t0) / n
        store.close()
        print(f"record a goal (committed, synchronous=FULL): {ours / reference:.2f} x plain sqlite3 "
              f"insert ({ours * 1e6:.0f} us vs {reference * 1e6:.0f} us)")

        # A status change on the screen, with the group's card full of goals.
        bare = asyncio.run(bare_keystroke())
        screen = asyncio.run(goals_keystroke(demo))
        print(f"goals screen status key (write + refresh + paint): {screen / bare:.2f} x bare "
              f"Textual keystroke ({screen * 1000:.1f} ms vs {bare * 1000:.1f} ms)")

        # Coverage and progress of a large session.
        big = big_session(folder)
        store = SessionStore.open(big)
        t0 = time.perf_counter()
        for _ in range(5):
            store.conn.execute("SELECT * FROM goals").fetchall()
        reference = (time.perf_counter() - t0) / 5
        t0 = time.perf_counter()
        for _ in range(5):
            groups = all_groups(store)
            goal_list = core.goals(store)
            coverage_matrix(groups, core.essential_topics(store), goal_list, challenges(store))
            progress_by_round(rounds(store), goal_list, core.goal_history(store))
        ours = (time.perf_counter() - t0) / 5
        store.close()
        print(f"coverage + progress, 40 groups x 12 topics, 400 goals: {ours / reference:.1f} x "
              f"sqlite3 SELECT of the goal rows ({ours * 1000:.1f} ms vs {reference * 1000:.2f} ms)")


if __name__ == "__main__":
    main()

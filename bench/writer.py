"""A co-facilitator's process that logs entries, for the busy-file figures:

    python bench/writer.py FILE SECONDS RATE [PAUSE_FILE]

logs speaking turns between two people of the roster through facilitator's own
log_interaction (BEGIN IMMEDIATE, synchronous=FULL, retried while locked), RATE a
second (0: as fast as it can) for SECONDS, idle while PAUSE_FILE exists, then
prints how many it committed."""

from __future__ import annotations

import os
import sys
import time

from facilitator.models.interactions import log_interaction
from facilitator.models.roster import participants
from facilitator.models.store import SessionStore


def main() -> None:
    path, seconds, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    pause = sys.argv[4] if len(sys.argv) > 4 else None
    store = SessionStore.open(path, identity=f"writer-{os.getpid()}")
    people = participants(store)
    committed = 0
    deadline = time.perf_counter() + seconds
    gap = 1.0 / rate if rate else 0.0
    next_at = time.perf_counter()
    while time.perf_counter() < deadline:
        if pause and os.path.exists(pause):
            time.sleep(0.02)
            next_at = time.perf_counter()
            continue
        if gap:
            delay = next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            next_at += gap
        a = people[(committed + os.getpid()) % len(people)]
        b = people[(committed + os.getpid() + 1) % len(people)]
        log_interaction(store, "speak", a, b)
        committed += 1
    store.close()
    print(committed)


if __name__ == "__main__":
    main()

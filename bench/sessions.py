"""Big session files for the bench, built fast and the same way every run.

`build_session(path, people, entries)` makes a session as a long day would leave it:
`people` participants (tagged by organisation and role), rounds of self-organised
groups of about six, and `entries` interactions, most of them inside the speaker's
group of the round, some to the whole group, some across groups, a few whole-group
states, one in forty undone. The codebook is the default one plus one undirected
kind (working in pairs), so every way of counting is exercised. The log is written
with one executemany in one transaction (as an import would), not entry by entry.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2025, 5, 1, 8, 0, tzinfo=timezone.utc)


def build_session(path: Path, people: int, entries: int, rounds: int = 12,
                  group_size: int = 6, seed: int = 1) -> Path:
    """Create `path` (which must not exist) and return it."""
    from facilitator.models.groups import create_group
    from facilitator.models.rounds import add_round, start_round
    from facilitator.models.session import create_session

    rnd = random.Random(seed)
    orgs = ["Acme", "Beta", "Civic", "Delta", "Echo", "Forum", "Guild", "Hive"]
    roles = ["lead", "member", "member", "member", "observer"]
    roster = [(f"Person {i:04d} {orgs[i % len(orgs)]}",
               {"organisation": orgs[i % len(orgs)], "role": roles[i % len(roles)]})
              for i in range(people)]
    store = create_session(path, f"Bench {people} people {entries} entries", roster=roster,
                           identity="bench")
    try:
        store.transact(lambda c: c.execute(
            "INSERT INTO kinds (name, key, label, directed, scope, is_turn, position)"
            " VALUES ('pair-work', 'w', 'worked in pairs with', 0, 'pair', 0, 99)"))
        ids = [r[0] for r in store.rows("SELECT id FROM participants ORDER BY id")]
        plan: list[tuple[int, list[tuple[int, list[int]]]]] = []
        for r in range(rounds):
            round_ = add_round(store, f"Round {r + 1}", 45)
            start_round(store, round_.id)
            shuffled = ids[:]
            rnd.shuffle(shuffled)
            groups = []
            for g, first in enumerate(range(0, len(shuffled), group_size)):
                members = shuffled[first:first + group_size]
                if len(members) < 2 and groups:  # a lone leftover joins the last group
                    groups[-1][1].extend(members)
                    continue
                group = create_group(store, f"R{r + 1} table {g + 1}", round_.id, members)
                groups.append((group.id, members))
            plan.append((round_.id, groups))
        per_round = max(1, entries // rounds)
        kinds = ["speak"] * 10 + ["ask", "answer", "help", "build-on", "challenge", "introduce",
                                  "pair-work"]

        def rows():  # type: ignore[no-untyped-def]
            for n in range(entries):
                round_id, groups = plan[min(n // per_round, rounds - 1)]
                group_id, members = groups[rnd.randrange(len(groups))]
                at = (START + timedelta(milliseconds=300 * n)).isoformat(timespec="milliseconds")
                roll = rnd.random()
                if roll < 0.01:
                    yield (at, None, None, rnd.choice(["silence", "cross-talk"]), group_id,
                           round_id, "bench", None)
                    continue
                source = rnd.choice(members)
                if roll < 0.10:
                    target = None
                elif roll < 0.12:
                    target = rnd.choice(ids)
                else:
                    target = rnd.choice(members)
                if target == source:
                    target = None
                yield (at, source, target, rnd.choice(kinds), group_id, round_id, "bench", None)

        def body(conn):  # type: ignore[no-untyped-def]
            conn.executemany(
                "INSERT INTO interactions (at, source_id, target_id, kind, group_id, round_id,"
                " logged_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
            conn.execute("UPDATE interactions SET voided_at = at, voided_by = 'bench'"
                         " WHERE id % 40 = 0")

        store.transact(body)
    finally:
        store.close()
    return path

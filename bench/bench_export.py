"""Export figures: the interactions CSV of 1M entries against `sqlite3 -csv` of the
same query on the same file (the issue's bound: at most 1.5x), and its peak memory
at 100k and at 1M entries (flat: it streams). Self-contained: the reference is the
sqlite3 shell, run here."""

from __future__ import annotations

import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTRIES = int(__import__("os").environ.get("BENCH_EXPORT_ENTRIES", "1000000"))
RUNS = 3

#: The export of the interactions file alone, in a child process: seconds, peak RSS (kB).
OURS = """
import os, resource, sys, time
from pathlib import Path
from facilitator.export.csv_export import write_csv
from facilitator.export.files import ExportFiles
from facilitator.export.tables import INTERACTIONS
from facilitator.models.store import SessionStore
t0, c0 = time.perf_counter(), os.times()
with SessionStore.open(sys.argv[1], read_only=True) as store:
    files = ExportFiles(Path(sys.argv[2]), ["interactions.csv"], force=True)
    write_csv(files, "interactions.csv", INTERACTIONS, store)
    files.commit()
c1 = os.times()
print(time.perf_counter() - t0, c1.user + c1.system - c0.user - c0.system,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def build_session(path: Path, entries: int) -> None:
    """A session of 24 people, the default codebook, three rounds and groups, and
    `entries` interactions (notes on one in ten, some of them formula-like)."""
    from facilitator.models.roster import add_participant
    from facilitator.models.session import create_session

    with create_session(path, "Export bench") as store:
        for number in range(24):
            add_participant(store, f"Person {number:02d} Zoë", {"organisation": f"Org {number % 4}"})
    conn = sqlite3.connect(path)
    rng = random.Random(7)
    kinds = [r[0] for r in conn.execute("SELECT name FROM kinds WHERE scope = 'pair'")]
    with conn:
        rounds = []
        for position, name in enumerate(("Opening", "Open space", "Mixed"), start=1):
            rounds.append(conn.execute("INSERT INTO rounds (position, name) VALUES (?, ?)",
                                       (position, name)).lastrowid)
        groups = [conn.execute("INSERT INTO groups (name, round_id, created_at) VALUES (?, ?, ?)",
                               (f"Group {g}", rounds[g % 3], "2026-12-01T09:00:00.000+00:00")).lastrowid
                  for g in range(9)]
        # One note in ten entries, one note in five formula-like (2 % of the entries have a cell to neutralise).
        notes = ["=1+2", "café", "plain note", "asked about funding", "Zoë's point, again"]

        def rows():  # type: ignore[no-untyped-def]
            for i in range(entries):
                source = rng.randrange(1, 25)
                target = rng.choice([t for t in (rng.randrange(1, 25),) if t != source] or [None])
                group = rng.choice(groups)
                note = rng.choice(notes) if i % 10 == 0 else None
                at = f"2026-12-01T{9 + i * 8 // entries:02d}:{i // 1000 % 60:02d}:{i % 60:02d}.000+00:00"
                yield (at, source, target, rng.choice(kinds), group, rounds[groups.index(group) % 3],
                       "bench", note)

        conn.executemany("INSERT INTO interactions (at, source_id, target_id, kind, group_id,"
                         " round_id, logged_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def sqlite3_seconds(path: Path, sql: str, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the sqlite3 shell writing the query as CSV."""
    import os

    with open(out, "wb") as handle:
        t0, c0 = time.perf_counter(), os.times()
        subprocess.run(["sqlite3", "-csv", "-header", str(path), sql], stdout=handle, check=True)
        c1 = os.times()
        return (time.perf_counter() - t0,
                c1.children_user + c1.children_system - c0.children_user - c0.children_system)


def ours(path: Path, out: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of our export of the file, and its peak RSS (kB)."""
    done = subprocess.run([sys.executable, "-c", OURS, str(path), str(out)], capture_output=True,
                          text=True, check=True)
    seconds, cpu, rss = done.stdout.split()
    return float(seconds), float(cpu), int(rss)


def main() -> None:
    from facilitator.export.tables import INTERACTIONS_SQL

    if shutil.which("sqlite3") is None:
        print("   skipped: the sqlite3 shell is not installed (the reference)")
        return
    sql = " ".join(INTERACTIONS_SQL.split())
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        small, large = base / "100k.db", base / "1m.db"
        build_session(small, ENTRIES // 10)
        build_session(large, ENTRIES)
        refs = [sqlite3_seconds(large, sql, base / "ref.csv") for _ in range(RUNS)]
        runs = [ours(large, base / "out") for _ in range(RUNS)]
        ref_wall, ref_cpu = (statistics.median(r[i] for r in refs) for i in (0, 1))
        our_wall, our_cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        rss_large = max(r[2] for r in runs)
        rss_small = ours(small, base / "out-small")[2]
        ref_size = (base / "ref.csv").stat().st_size
        our_size = (base / "out" / "interactions.csv").stat().st_size
        # CPU time is the figure: on a shared machine wall time mostly measures the others.
        print(f"interactions CSV, {ENTRIES:,} entries: {our_cpu / ref_cpu:.2f} x sqlite3 -csv"
              f" of the same query in CPU time ({our_cpu:.2f} s vs {ref_cpu:.2f} s; bound 1.5 x);"
              f" wall {our_wall / ref_wall:.2f} x ({our_wall:.2f} s vs {ref_wall:.2f} s);"
              f" {our_size / 1e6:.0f} MB vs {ref_size / 1e6:.0f} MB written")
        print(f"peak memory of that export: {rss_large / rss_small:.2f} x the same at"
              f" {ENTRIES // 10:,} entries ({rss_large // 1024} MB vs {rss_small // 1024} MB: flat)")

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()

"""Command-line figures, each process against its reference, interleaved A B A B:

- `facilitator report --json` on 1M entries against the sqlite3 shell running the
  queries the report needs (the grouped count of the log and the small tables), and
  its peak memory (target: under 150 MB, at most 2x the sqlite3 shell's time);
- `facilitator network` on 1M entries, same reference and memory target;
- `facilitator groups --form new-ties` for 200 people with a 100k history (the
  search's own time read in-process too: target under 0.3 s);
- `facilitator import` of 100k rows against the sqlite3 shell's `.import` of the
  same CSV (target: at most 3x); printed with it, for scale, the shell's own time to
  put that CSV into the session's log (.import, then INSERT ... SELECT into the
  indexed table);
- `facilitator log`, the whole process, against `python -c "import sqlite3, click"`
  (target: at most 2x).

Peak memory is each child's own ru_maxrss (os.wait4)."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reference import Sample, figure, interleaved, run_measured  # noqa: E402
from bench.sessions import build_session  # noqa: E402

PYTHON = sys.executable
FACILITATOR = str(Path(sys.executable).with_name("facilitator"))
SQLITE3 = shutil.which("sqlite3") or "sqlite3"
BIG = 1_000_000
RUNS = 5
#: Pairs for the 1M-entry figures (each run takes seconds).
LONG_RUNS = 3

#: The whole session's counts, as count_ahead makes them: the log grouped by
#: (source, target, kind, round) off interactions_counts, packed into a text per
#: column; then the latest entry between people (off interactions_at).
COUNTS_SQL = """
SELECT group_concat(ifnull(source_id, 'null')), group_concat(ifnull(target_id, 'null')),
 group_concat(hex(kind)), group_concat(ifnull(round_id, 'null')), group_concat(ifnull(n, 'null'))
 FROM (SELECT source_id, target_id, kind, round_id, COUNT(*) AS n, NULL AS last_at
 FROM interactions INDEXED BY interactions_counts WHERE voided_at IS NULL
 GROUP BY source_id, target_id, kind, round_id);
SELECT at FROM interactions INDEXED BY interactions_at WHERE voided_at IS NULL
 AND source_id IS NOT NULL AND kind IN (SELECT name FROM kinds WHERE scope = 'pair')
 ORDER BY at DESC LIMIT 1;
"""
#: What the report reads, as the sqlite3 shell would run it: the counts, the undone
#: entries' number, then every small table.
REPORT_SQL = COUNTS_SQL + """SELECT COUNT(*) FROM interactions WHERE voided_at IS NOT NULL;
SELECT * FROM session; SELECT * FROM kinds; SELECT * FROM participants; SELECT * FROM rounds;
SELECT * FROM groups; SELECT * FROM current_members; SELECT * FROM memberships;
SELECT * FROM goals; SELECT * FROM goal_history; SELECT * FROM goal_essentials;
SELECT * FROM essentials; SELECT * FROM challenges; SELECT * FROM layout; SELECT * FROM settings;
"""
#: What the network reads: the counts, then the tables its picture needs.
NETWORK_SQL = COUNTS_SQL + """SELECT * FROM session; SELECT * FROM kinds; SELECT * FROM participants; SELECT * FROM rounds;
SELECT * FROM groups; SELECT * FROM current_members; SELECT * FROM layout; SELECT * FROM settings;
"""


def timed(argv: list[str], memory: list[int] | None = None, stdin: Path | None = None):  # type: ignore[no-untyped-def]
    def run() -> float:
        done = run_measured(argv, stdin_path=stdin)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:3])} ... exited {done.returncode}")
        if memory is not None:
            memory.append(done.peak_kib)
        return done.seconds
    return run


def large_figures(folder: Path, size: int) -> list[str]:
    path = build_session(folder / "big.db", 200, size)
    label = f"{size // 1000}k entries" if size < BIG else f"{size // BIG}M entries"
    report_sql = folder / "report.sql"
    report_sql.write_text(REPORT_SQL)
    network_sql = folder / "network.sql"
    network_sql.write_text(NETWORK_SQL)
    lines = []
    ours_mem: list[int] = []
    ref_mem: list[int] = []
    ours, ref = interleaved(timed([FACILITATOR, "report", str(path), "--json"], ours_mem),
                            timed([SQLITE3, str(path)], ref_mem, report_sql), LONG_RUNS)
    peak = max(ours_mem) / 1024
    lines.append(figure(f"report --json, 200 people, {label}", ours, ref,
                        "sqlite3 shell running the report's queries", target=2.0, scale=1, unit="s")
                 + f"\n     peak memory {peak:.0f} MB (sqlite3 {max(ref_mem) / 1024:.0f} MB)"
                   f" [target < 150 MB: {'met' if peak < 150 else 'NOT met'}]")
    # The first run lays the network out and stores the layout, as a first look would.
    run_measured([FACILITATOR, "network", str(path)])
    ours_mem, ref_mem = [], []
    ours, ref = interleaved(timed([FACILITATOR, "network", str(path)], ours_mem),
                            timed([SQLITE3, str(path)], ref_mem, network_sql), LONG_RUNS)
    peak = max(ours_mem) / 1024
    lines.append(figure(f"network CLI, 200 people, {label}", ours, ref,
                        "sqlite3 shell running the network's queries", scale=1, unit="s")
                 + f"\n     peak memory {peak:.0f} MB (sqlite3 {max(ref_mem) / 1024:.0f} MB)"
                   f" [target < 150 MB: {'met' if peak < 150 else 'NOT met'}]")
    return lines


def grouping_figures(folder: Path) -> list[str]:
    from facilitator.core import group_plans as plans
    from facilitator.models.store import SessionStore

    lines = []
    for name, group_size in (("tables of 6", 6), ("tables of 12: most pairs have met", 12)):
        path = build_session(folder / f"groups-{group_size}.db", 200, 100_000,
                             group_size=group_size)
        ours, ref = interleaved(
            timed([FACILITATOR, "groups", str(path), "--form", "new-ties", "--size", "6"]),
            timed([PYTHON, "-c", "import sqlite3, click"]), RUNS)
        with SessionStore.open(path, read_only=True) as store:
            def search() -> float:
                started = time.perf_counter()
                plans.proposal_inputs(store, 6).form("new-ties", 6)
                return time.perf_counter() - started
            inner = Sample(tuple(search() for _ in range(RUNS)))
        lines.append(figure(f"new-ties grouping CLI, 200 people, 100k history ({name})", ours, ref,
                            'python -c "import sqlite3, click"')
                     + f"\n     read + search in-process {inner.show()} [target < 300 ms: "
                       f"{'met' if inner.median < 0.3 else 'NOT met'}]")
    return lines


def import_figure(folder: Path) -> list[str]:
    """100k rows from a CSV into a session that has the roster, against sqlite3's
    .import of the same file into a new table. Each run gets a fresh copy. When
    facilitator refuses a file that big, that is said, and the largest share of it
    that it takes (a quarter, then less) is measured instead."""
    source = build_session(folder / "import-source.db", 200, 106_000)  # 100k kept after undo
    conn = sqlite3.connect(source)
    rows = conn.execute(
        "SELECT s.name, t.name, i.kind, i.at, '' FROM interactions i"
        " JOIN participants s ON s.id = i.source_id LEFT JOIN participants t ON t.id = i.target_id"
        " WHERE i.voided_at IS NULL ORDER BY i.id LIMIT 100000").fetchall()
    conn.close()
    empty = build_session(folder / "import-empty.db", 200, 0, rounds=1)
    counter = [0]
    lines: list[str] = []

    def write(count: int) -> Path:
        table = folder / f"rows-{count}.csv"
        with open(table, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["source", "target", "kind", "timestamp", "note"])
            writer.writerows(rows[:count])
        return table

    def on_a_copy(prefix: str, run):  # type: ignore[no-untyped-def]
        """run(path) on a fresh copy of the empty session, removed afterwards."""
        counter[0] += 1
        target = folder / f"{prefix}-{counter[0]}.db"
        shutil.copy(empty, target)
        try:
            return run(target)
        finally:
            target.unlink()

    def ours_for(table: Path):  # type: ignore[no-untyped-def]
        def ours() -> float:
            done = on_a_copy("import", lambda target: run_measured(
                [FACILITATOR, "import", str(target), str(table)]))
            if done.returncode != 0:
                raise RefusedImport(done.stdout.decode(errors="replace").strip()[:200])
            return done.seconds
        return ours

    def reference_for(table: Path):  # type: ignore[no-untyped-def]
        def reference() -> float:
            script = folder / "import.sql"
            script.write_text(f"PRAGMA synchronous=FULL;\n.import --csv {table} imported\n")
            done = on_a_copy("raw", lambda target: run_measured([SQLITE3, str(target)],
                                                                stdin_path=script))
            return done.seconds
        return reference

    def into_the_log_for(table: Path):  # type: ignore[no-untyped-def]
        """For scale, not the figure: the sqlite3 shell putting the same CSV into the
        session's log, as the import must (its indexes and foreign keys): .import into a
        temporary table, then one INSERT ... SELECT that finds each name's id."""
        def into_the_log() -> float:
            script = folder / "into-log.sql"
            script.write_text(
                f"PRAGMA synchronous=FULL;\nPRAGMA foreign_keys=ON;\n"
                f".import --csv --schema temp {table} imported\n"
                "BEGIN IMMEDIATE;\n"
                "INSERT INTO interactions (at, source_id, target_id, kind, round_id, logged_by)"
                " SELECT i.timestamp, s.id, t.id, i.kind, (SELECT current_round_id FROM session),"
                " 'bench' FROM temp.imported i JOIN participants s ON s.name = i.source"
                " LEFT JOIN participants t ON t.name = i.target ORDER BY i.rowid;\n"
                "COMMIT;\n")
            done, count = on_a_copy("log", lambda target: (
                run_measured([SQLITE3, str(target)], stdin_path=script), entries_in(target)))
            if done.returncode != 0 or count != len(rows):
                raise RuntimeError(f"the sqlite3 shell wrote {count} entries: "
                                   f"{done.stdout.decode(errors='replace')[:200]}")
            return done.seconds
        return into_the_log

    count = len(rows)
    while count >= 1000:
        table = write(count)
        # Three runs interleaved, A B C A B C: ours, the figure's reference, the scale.
        ours, reference, into_the_log = ours_for(table), reference_for(table), into_the_log_for(table)
        samples: tuple[list[float], list[float], list[float]] = ([], [], [])
        try:
            for _ in range(RUNS):
                for sample, run in zip(samples, (ours, reference, into_the_log)):
                    sample.append(run())
        except RefusedImport as refused:
            lines.append(f"import of {count // 1000}k rows ({table.stat().st_size:,} bytes): "
                         f"refused: {refused}")
            count //= 4 if count == len(rows) else 2
            continue
        ours_sample, ref, log = (Sample(tuple(s)) for s in samples)
        lines.append(figure(f"import of {count // 1000}k rows", ours_sample, ref,
                            "sqlite3 shell .import of the same CSV", target=3.0, scale=1,
                            unit="s")
                     + f"\n     for scale: the sqlite3 shell putting the same CSV into the session's"
                       f" log (its indexes and foreign keys) {log.show(1, 's')},"
                       f" {log.median / ref.median:.2f}x .import")
        break
    return lines


def entries_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM interactions").fetchone()[0])
    finally:
        conn.close()


class RefusedImport(Exception):
    """facilitator import said no (its sentence is the message)."""


def log_figure(folder: Path) -> list[str]:
    path = build_session(folder / "log.db", 40, 1000)
    memory: list[int] = []
    ours, ref = interleaved(timed([FACILITATOR, "log", str(path), "pa", "pb"], memory),
                            timed([PYTHON, "-c", "import sqlite3, click"]), 15)
    return [figure("facilitator log, the whole process", ours, ref,
                   'python -c "import sqlite3, click"', target=2.0,
                   extra=f"peak memory {max(memory) // 1024} MB")]


def main() -> None:
    quick = os.environ.get("BENCH_QUICK") == "1"
    global RUNS, LONG_RUNS
    if quick:
        RUNS, LONG_RUNS = 3, 2
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for block in (log_figure, grouping_figures, import_figure,
                      lambda f: large_figures(f, 200_000 if quick else BIG)):
            try:
                for line in block(folder):
                    print(line, flush=True)
            except Exception as error:  # one broken figure must not hide the others
                print(f"   failed: {type(error).__name__}: {str(error)[:300]}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()

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



"""What every bench figure shares: references measured in the same run, interleaved
with ours in pairs (A B A B ...), so a busy machine slows both alike; each figure as
min / median / max and a ratio of medians; peak memory of child processes.

General helpers, for any bench_*.py:
- `interleaved(ours, reference, runs)`: call both alternately, return both samples;
- `Sample` (min / median / max / p95) and `figure(...)`, the one line a figure prints;
- `run_measured(argv)`: one child process's wall time and peak memory (its own
  rusage, from os.wait4, not the sum of every child);
- `BareApp`, a bare Textual app, and `committed_insert_seconds`, a plain sqlite3 write.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static


@dataclass(frozen=True)
class Sample:
    """Measurements of one thing (seconds, bytes ... as given)."""

    values: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    @property
    def p95(self) -> float:
        ranked = sorted(self.values)
        return ranked[min(len(ranked) - 1, round(0.95 * (len(ranked) - 1)))]

    def show(self, scale: float = 1000.0, unit: str = "ms") -> str:
        digits = 0 if self.median * scale >= 100 else 1
        return "/".join(f"{v * scale:.{digits}f}" for v in (self.min, self.median, self.max)) + f" {unit}"


def interleaved(ours: Callable[[], float], reference: Callable[[], float],
                runs: int) -> tuple[Sample, Sample]:
    """Run ours and the reference alternately, A B A B ..., `runs` times each; each
    call returns its own measurement."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(ours())
        b.append(reference())
    return Sample(tuple(a)), Sample(tuple(b))


def ratio(ours: Sample, reference: Sample) -> float:
    """The ratio of medians (how many times the reference's typical figure)."""
    return ours.median / reference.median if reference.median else float("inf")


def figure(name: str, ours: Sample, reference: Sample, reference_name: str, *,
           target: float | None = None, scale: float = 1000.0, unit: str = "ms",
           extra: str = "") -> str:
    """One printed figure: the ratio of medians, its target, both min/median/max."""
    value = ratio(ours, reference)
    verdict = ""
    if target is not None:
        verdict = f" [target <= {target:g}x: {'met' if value <= target else 'NOT met'}]"
    line = (f"{name}: {value:.2f}x {reference_name}{verdict}\n"
            f"     ours {ours.show(scale, unit)}  vs  {reference.show(scale, unit)}"
            f" (min/median/max, {len(ours.values)} pairs)")
    return line + (f"; {extra}" if extra else "")


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    peak_kib: int  # the child's own peak resident memory
    returncode: int
    stdout: bytes


def run_measured(argv: Sequence[str], *, stdin_path: str | Path | None = None,
                 cwd: str | Path | None = None) -> ProcessRun:
    """Run one child to its end with its output to a temporary file: wall time and its
    own peak memory (os.wait4 gives that child's rusage alone)."""
    import tempfile

    with tempfile.TemporaryFile() as out:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            started = time.perf_counter()
            child = subprocess.Popen(list(argv), stdin=stdin, stdout=out,
                                     stderr=subprocess.STDOUT, cwd=cwd)
            _pid, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdin_path:
                stdin.close()  # type: ignore[union-attr]
        out.seek(0)
        return ProcessRun(seconds, int(usage.ru_maxrss), child.returncode, out.read())


class BareApp(App[None]):
    """A key press changes one line of text; nothing else happens."""

    count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def on_key(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))


def committed_insert_seconds(path: Path, n: int) -> float:
    """Seconds per plain sqlite3 insert of one small row, each in its own BEGIN
    IMMEDIATE ... COMMIT, WAL and synchronous=FULL like a session file."""
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (at TEXT, a INTEGER, b INTEGER, kind TEXT)")
        t0 = time.perf_counter()
        for i in range(n):
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO t VALUES (?, ?, ?, ?)", ("x", i, i + 1, "speak"))
            raw.execute("COMMIT")
        return (time.perf_counter() - t0) / n
    finally:
        raw.close()

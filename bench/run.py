"""`make bench`: run every bench/bench_*.py and print its figures.

Each figure is a ratio against a reference measured in the same run, interleaved
with ours in pairs (a bare Textual app in tmux, the sqlite3 shell, a bare Python
process), so shared, noisy machines still give honest numbers. See
docs/performance.md for what each figure means and the latest run.

    python bench/run.py            every bench, full sizes (about 15 minutes)
    python bench/run.py --quick    fewer runs, smaller files (a few minutes)
    python bench/run.py screen cli only bench_screen.py and bench_cli.py
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description="Run facilitator's benchmarks.")
    parser.add_argument("names", nargs="*", help="only these benches (bench_NAME.py)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs and smaller files: a rough look in a few minutes")
    args = parser.parse_args()
    if args.quick:
        os.environ["BENCH_QUICK"] = "1"  # each bench reads it
    # What a person runs has its bytecode (pip writes it; `make demo` writes it for
    # this editable install): measure that, not a launch that compiles every module
    # again because PYTHONDONTWRITEBYTECODE is set where the bench runs.
    import compileall

    compileall.compile_dir(str(HERE.parent / "facilitator"), quiet=1)
    sys.path.insert(0, str(HERE.parent))
    failed = 0
    started_all = time.perf_counter()
    for path in sorted(HERE.glob("bench_*.py")):
        if args.names and path.stem.removeprefix("bench_") not in args.names:
            continue
        print(f"== {path.stem}", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        started = time.perf_counter()
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception as error:  # one broken bench must not hide the others
            failed += 1
            print(f"   failed: {type(error).__name__}: {error}")
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print(f"== all done in {time.perf_counter() - started_all:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

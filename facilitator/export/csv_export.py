"""CSV export: one file per table and per view, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from facilitator.models.store import SessionError, SessionStore, store_error

#: A cell starting with one of these would run as a formula in Excel/LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXPORTED_VIEWS = ("live_interactions", "tallies", "edges", "current_members")


def neutralise(value: object) -> object:
    """Make a cell that a spreadsheet would run as a formula show as text instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(store: SessionStore, out_dir: str | Path) -> list[Path]:
    """Write <table>.csv for every table and view; returns the files written.

    UTF-8 with a byte-order mark, so Excel and LibreOffice both read accents right."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SessionError(f"{out} is a file, not a folder.")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    tmp: Path | None = None
    try:
        db = store.db()
        names = [t for t in db.table_names() if not t.startswith("sqlite_")] + list(EXPORTED_VIEWS)
        for name in names:
            cursor = store.conn.execute(f'SELECT * FROM "{name}"')
            header = [d[0] for d in cursor.description]
            path = out / f"{name}.csv"
            tmp = path.with_suffix(".csv.tmp")
            with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                for row in cursor:
                    writer.writerow([neutralise(v) for v in row])
            tmp.replace(path)  # a reader never sees half a file
            tmp = None
            written.append(path)
    except sqlite3.Error as error:
        # A damaged file (or a full disk) is one sentence, never a traceback.
        sentence = store_error(store.path, error)
        if sentence is None:
            raise
        said = str(sentence).rstrip(".")
        raise SessionError(f"{said}; the export stopped after {len(written)} files.") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)  # no half-written file left behind
    return written

"""Reading an interactions CSV: a hand-made observations file, or the
interactions.csv that `facilitator export` writes.

Every column is one this module knows, or the file is refused, naming the column:
a typo'd "timestmp" would otherwise drop every time silently. The rows are kept as
the csv module gives them (lists of cells, with the line each starts on): a file of
a whole session has 100k of them, and models.interactions_import checks them in one
loop without making a record of each."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from facilitator.models.errors import SessionError
from facilitator.models.text import MAX_LOG_FILE_BYTES, SAVE_AS_CSV_UTF8, read_text_file, visible

#: Columns read, and what they hold. "timestamp" is the older name of "at".
COLUMNS = {
    "source": "who did it (name or code)", "target": "whom (empty: the whole group)",
    "kind": "a kind of the codebook (default: a speaking turn)",
    "at": "when (ISO 8601; default: now)", "timestamp": "when (the older name of 'at')",
    "note": "a note", "round": "the round's name (empty: between rounds)",
    "group": "the group's name within its round", "logged_by": "who logged it",
    "voided_at": "when it was undone (empty: it counts)", "voided_by": "who undid it",
    # Written by export, read and left aside: the new session numbers and labels its own.
    "id": "the entry's number in the exported file", "kind_label": "the kind's label",
}
REQUIRED = ("source", "target")

class InteractionsTable:
    """The rows of an interactions CSV as read: the columns (lower case), and for
    each row that is not blank its cells (as the file has them, padded to the
    columns) and the line it starts on. Kept as lists, one per row: no record
    object per row."""

    __slots__ = ("columns", "records", "lines")

    def __init__(self, columns: list[str], records: list[list[str]], lines: list[int]) -> None:
        self.columns = columns
        self.records = records
        self.lines = lines

    def __len__(self) -> int:
        return len(self.records)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a whole file's rows are made: each of
    100k lists or tuples counts towards its next pass, and each pass walks all of them
    again (a tenth of a 100k-row import, measured in whole processes). Those rows
    hold strings, numbers and tuples of them, never a cycle; the collector runs again
    after, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_interactions_csv(path: Path) -> InteractionsTable:
    """Rows of an interactions CSV; blank lines skipped; unknown columns refused."""
    with collector_paused():
        return _read(path)


def _read(path: Path) -> InteractionsTable:
    text = read_text_file(path, not_utf8_hint=SAVE_AS_CSV_UTF8, max_bytes=MAX_LOG_FILE_BYTES)
    # newline="": the csv module splits rows itself, at \n and \r only (str.splitlines
    # would also split at U+2028 and U+2029 inside a cell); a quoted line break stays.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise SessionError(f"{visible(path.name)} is empty; nothing was imported.")
        columns = [c.strip().lower() for c in header]
        for column in columns:
            if column not in COLUMNS:
                shown = column or "(a column with no name)"
                raise SessionError(
                    f"{visible(path.name)} line 1: unknown column {shown!r}; the columns are "
                    f"{', '.join(c for c in COLUMNS if c not in ('id', 'kind_label'))};"
                    " nothing was imported.")
        doubled = sorted({c for c in columns if columns.count(c) > 1})
        if doubled or ("at" in columns and "timestamp" in columns):
            which = doubled[0] if doubled else "at and timestamp"
            raise SessionError(f"{visible(path.name)} line 1: the column {which} is there twice;"
                               " nothing was imported.")
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise SessionError(f"{visible(path.name)} line 1: missing column(s) {', '.join(missing)};"
                               " nothing was imported.")
        width = len(columns)
        padding = [""] * width
        records: list[list[str]] = []
        lines: list[int] = []
        add_record, add_line = records.append, lines.append
        for record in reader:
            # Blank (every cell empty or spaces, however many) exactly when the cells
            # joined are; a first cell with something in it settles it at once.
            first = record[0] if record else ""
            if (not first or first.isspace()) and not "".join(record).strip():
                continue
            cells = len(record)
            if cells != width:
                if cells > width:
                    raise SessionError(f"{visible(path.name)} line {reader.line_num}: {cells} cells"
                                       f" but {width} columns; nothing was imported.")
                record += padding[cells:]  # a short row: its missing cells are empty
            add_record(record)
            add_line(reader.line_num)
    except csv.Error as error:
        # An unterminated quote, a NUL byte.
        raise SessionError(f"{visible(path.name)} line {reader.line_num}: {visible(str(error))};"
                           " nothing was imported.") from None
    return InteractionsTable(columns, records, lines)

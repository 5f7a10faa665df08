"""CSV lines built by SQLite, neutralised by the one Python rule only where needed:
how a million entries stream at close to the sqlite3 shell's speed.

Every text cell is quoted (its quotes doubled), numbers are not: the style of
csv.QUOTE_NONNUMERIC, which every spreadsheet, Gephi and Python's csv read. SQLite
builds each whole line with one printf() call ("%w" doubles double quotes), and
for long tables joins a chunk of lines with group_concat, so Python receives one
string per few thousand rows instead of a tuple per row.

Neutralising stays one rule, models.cells.neutralise, in Python. SQLite only
sorts the cells out cheaply: a cell whose first character is one of
= @ + - ' tab CR LF (a superset of what the rule changes) goes through the rule,
registered on the connection as a SQL function (register_functions); every
other cell is written as it is. Risky cells are a few in a hundred, so the rule
runs a few thousand times for a million entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from facilitator.models.cells import neutralise

RISKY = "=@+-'\t\r\n"

#: The SQL function that applies models.cells.neutralise to one cell.
NEUTRALISE = "facilitator_neutralise"

#: GLOB pattern of a cell starting with a risky character. "-" first in the class
#: is itself (not a range); the apostrophe is doubled for the SQL literal.
_RISKY_START = "'[-" + RISKY.replace("-", "").replace("'", "''") + "]*'"


def register_functions(conn: sqlite3.Connection) -> None:
    """Make line_sql's expressions runnable on `conn` (idempotent)."""
    conn.create_function(NEUTRALISE, 1, neutralise, deterministic=True)


def cell_sql(expression: str) -> str:
    """One text cell's value, neutralised: the rule runs only on risky starts."""
    return (f"CASE WHEN {expression} GLOB {_RISKY_START} THEN {NEUTRALISE}({expression})"
            f" ELSE ifnull({expression}, '') END")


def line_sql(columns: Sequence[str], texts: frozenset[str], raw: bool = False,
             clean: frozenset[str] = frozenset()) -> str:
    """One SQL expression: the CSV line of a row (without its line ending), every
    text cell neutralised (needs register_functions on the connection). The
    columns are names (quoted here), or with raw=True expressions such as `s.name`.
    `clean` text columns are known to hold no risky start (has_risky_start said so
    of the small table they come from): quoted, but not tested row by row."""
    formats, args = [], []
    for column in columns:
        quoted = column if raw else '"' + column.replace('"', '""') + '"'
        if column in texts:
            formats.append('"%w"')
            args.append(f"ifnull({quoted}, '')" if column in clean else cell_sql(quoted))
        else:
            formats.append("%s")
            args.append(f"ifnull({quoted}, '')")
    return f"printf('{','.join(formats)}', {', '.join(args)})"


def risky_starts_sql(table: str, column: str) -> str:
    """A query: does any value of table.column start with a risky character?"""
    return f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} GLOB {_RISKY_START})"


def format_row(row: Sequence[object], quoted: Sequence[bool]) -> str:
    """A row built in Python, in the same style as line_sql (neutralised)."""
    cells = []
    for value, text in zip(row, quoted):
        if value is None:
            cells.append('""' if text else "")
        elif text or isinstance(value, str):
            cells.append('"' + str(neutralise(str(value))).replace('"', '""') + '"')
        else:
            cells.append(str(value))
    return ",".join(cells)

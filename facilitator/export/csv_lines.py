"""CSV lines built by SQLite, neutralised in Python only where needed: how a
million entries stream at close to the sqlite3 shell's speed.

Every text cell is quoted (its quotes doubled), numbers are not: the style of
csv.QUOTE_NONNUMERIC, which every spreadsheet, Gephi and Python's csv read. SQLite
builds each whole line with one printf() call ("%w" doubles double quotes), so
Python receives one string per row instead of a tuple of cells. Because every
text cell is quoted and every quote inside a cell is doubled, a cell starts with
a risky character exactly where the text shows `,"X` or a line starts `"X` (X one
of = @ + - ' tab CR LF): one regex pass over a whole chunk finds those cells, and
only they are neutralised (models.cells.neutralise, the one rule)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from facilitator.models.cells import neutralise

RISKY = "=@+-'\t\r\n"


def line_sql(columns: Sequence[str], texts: frozenset[str]) -> str:
    """One SQL expression: the CSV line of a row (without its line ending)."""
    formats, args = [], []
    for column in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        formats.append('"%w"' if column in texts else "%s")
        args.append(f"ifnull({quoted}, '')")
    return f"printf('{','.join(formats)}', {', '.join(args)})"


#: A quoted cell whose first character is risky. It starts after a comma or at a
#: line start; inside a cell every quote is doubled, so `,"` followed by a risky
#: character never occurs there: only real cell starts match.
_RISKY_CELL = re.compile('([,\n])"([' + re.escape(RISKY) + '](?:[^"]|"")*)"')


def _neutralise_cell(match: re.Match[str]) -> str:
    value = match.group(2).replace('""', '"')
    return match.group(1) + '"' + str(neutralise(value)).replace('"', '""') + '"'


def neutralise_text(text: str) -> str:
    """CSV text (lines from line_sql) with every risky cell neutralised: one regex
    pass over a whole chunk, touching only the cells that start riskily."""
    # A leading newline makes the first line's first cell a cell start like the
    # others (a pattern without ^ lets the regex engine skip ahead quickly).
    return _RISKY_CELL.sub(_neutralise_cell, "\n" + text)[1:]


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

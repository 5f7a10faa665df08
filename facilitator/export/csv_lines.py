"""CSV lines built by SQLite, neutralised in Python only where needed: how a
million entries stream at close to the sqlite3 shell's speed.

Every text cell is quoted (its quotes doubled), numbers are not: the style of
csv.QUOTE_NONNUMERIC, which every spreadsheet, Gephi and Python's csv read. SQLite
builds each whole line with one printf() call ("%w" doubles double quotes), so
Python receives one string per row instead of a tuple of cells. Because every
text cell is quoted and every quote inside a cell is doubled, a cell starts with
a risky character exactly where the text shows `,"X` or a line starts `"X` (X one
of = @ + - ' tab CR LF): a few substring searches over a whole chunk find them,
and only the lines that have one are taken apart and neutralised
(models.cells.neutralise, the one rule)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from facilitator.models.cells import neutralise

RISKY = "=@+-'\t\r\n"
_AT_START = tuple('"' + x for x in RISKY)
_QUOTED_CELL = re.compile(r'(^|,)"((?:[^"]|"")*)"')


def line_sql(columns: Sequence[str], texts: frozenset[str]) -> str:
    """One SQL expression: the CSV line of a row (without its line ending)."""
    formats, args = [], []
    for column in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        formats.append('"%w"' if column in texts else "%s")
        args.append(f"ifnull({quoted}, '')")
    return f"printf('{','.join(formats)}', {', '.join(args)})"


#: A risky character just inside the opening quote of a cell (after a comma or at
#: a line start): inside a cell every quote is doubled, so this is never a false
#: cell start; a match only costs the line a closer look.
_RISKY_START = re.compile('[,\n]"[' + re.escape(RISKY) + ']')


def has_risky_cell(text: str) -> bool:
    """Whether some cell of these lines starts with a character to neutralise."""
    return text.startswith(_AT_START) or _RISKY_START.search(text) is not None


def _neutralise_cell(match: re.Match[str]) -> str:
    value = match.group(2).replace('""', '"')
    return match.group(1) + '"' + str(neutralise(value)).replace('"', '""') + '"'


def neutralise_lines(lines: list[str]) -> list[str]:
    """The lines with every risky quoted cell neutralised: one search over the
    whole chunk finds the few lines to take apart; the others are untouched."""
    text = "\r\n".join(lines)
    hits = [m.end() - 2 for m in _RISKY_START.finditer(text)]  # where the quote is
    if text.startswith(_AT_START):
        hits.append(0)
    if not hits:
        return lines
    starts = list(accumulate((len(line) + 2 for line in lines), initial=0))
    out = list(lines)
    for index in {bisect_right(starts, at) - 1 for at in hits}:
        out[index] = _QUOTED_CELL.sub(_neutralise_cell, out[index])
    return out


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

"""Spreadsheet-safe CSV cells, both ways: what export writes and import reads back.

A spreadsheet runs a cell as a formula when it starts with = or @ (and tab, CR or
LF start the injection tricks), or with + or - followed by anything but a plain
number: "+41 22 000" becomes =41 22 000 in Excel. Those cells get one leading
apostrophe. A lone "+" or "-", and numbers such as "-5" or "+3.5", are left as
they are: no spreadsheet runs them.

So that reading back is exact, a value that already starts with apostrophes
before such a start ("'=x") gets one more, and `restore` takes exactly one off
whenever the rest would have been neutralised: restore(neutralise(v)) == v for
every text. The same rule is written in SQL (neutralised_sql) for streaming.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "@", "\t", "\r", "\n")
SIGNS = ("+", "-")
_NUMBER = frozenset("0123456789.")


def _runs_as_formula(text: str) -> bool:
    if not text:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    if text.startswith(SIGNS) and len(text) > 1:
        return not all(c in _NUMBER for c in text[1:])
    return False


def needs_neutralising(text: str) -> bool:
    """Whether a spreadsheet would run this cell (after any leading apostrophes)."""
    return _runs_as_formula(text.lstrip("'"))


def neutralise(value: object) -> object:
    """The cell as written to CSV: text a spreadsheet would run gets a leading "'"."""
    if isinstance(value, str) and needs_neutralising(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The value a neutralised cell stood for (exactly the inverse of neutralise)."""
    if text.startswith("'") and needs_neutralising(text[1:]):
        return text[1:]
    return text


def neutralised_sql(column: str) -> str:
    """A SQL expression giving `column` as neutralise() would (NULL stays NULL).

    Used so the interactions file streams straight from the cursor to csv.writer."""
    t = f"ltrim({column}, '''')"
    return (f"CASE WHEN substr({t}, 1, 1) IN ('=', '@', char(9), char(13), char(10))"
            f" OR (substr({t}, 1, 1) IN ('+', '-') AND length({t}) > 1"
            f" AND substr({t}, 2) GLOB '*[^0-9.]*')"
            f" THEN '''' || {column} ELSE {column} END")

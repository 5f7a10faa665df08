"""Spreadsheet-safe CSV cells, both ways: what export writes and import reads back.

A spreadsheet runs a cell as a formula when it starts with = or @ (and tab, CR or
LF start the injection tricks), or with + or - followed by anything but a plain
number: "+41 22 000" becomes =41 22 000 in Excel. Those cells get one leading
apostrophe. A lone "+" or "-", and numbers such as "-5" or "+3.5", are left as
they are: no spreadsheet runs them.

So that reading back is exact, a value that already starts with apostrophes
before such a start ("'=x") gets one more, and `restore` takes exactly one off
whenever the rest would have been neutralised: restore(neutralise(v)) == v for
every text. export/csv_lines.py applies it while streaming.
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

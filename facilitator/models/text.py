"""User text as the session file keeps it: one clean line, never control codes.

Names, goals, notes and answers are shown in other people's terminals; an escape
sequence typed or pasted into one must never reach those terminals raw. So control
characters are kept as their visible pictures (ESC becomes ␛): shown as typed,
harmlessly, in the app, the CLI, the CSV export and in sqlite3."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from facilitator.models.store import SessionError

MAX_TEXT_LENGTH = 2000
#: How many of a file's problems one error sentence lists.
MAX_PROBLEMS_SHOWN = 5
#: What a CSV that is not UTF-8 needs, as spreadsheets name it.
SAVE_AS_CSV_UTF8 = "; save it as CSV UTF-8"


def clean_text(text: object, what: str, *, max_length: int = MAX_TEXT_LENGTH,
               required: bool = True, empty: str | None = None) -> str:
    """Whitespace (tabs and newlines too) collapsed to single spaces, control codes
    made visible; SessionError naming `what` if it is empty (when required; `empty`
    overrides that sentence) or too long."""
    value = visible(" ".join(str(text if text is not None else "").split()))
    if required and not value:
        raise SessionError(empty or f"{what[:1].upper()}{what[1:]} cannot be empty.")
    if len(value) > max_length:
        raise SessionError(f"{what[:1].upper()}{what[1:]} is {len(value)} characters long; "
                           f"the limit is {max_length}.")
    return value


def visible(text: str) -> str:
    """Control characters replaced by Unicode's control pictures (ESC -> ␛, DEL -> ␡);
    C1 controls by the replacement character."""
    out = []
    for ch in text:
        if unicodedata.category(ch) != "Cc":
            out.append(ch)
        elif ord(ch) < 0x20:
            out.append(chr(0x2400 + ord(ch)))
        elif ord(ch) == 0x7F:
            out.append("\u2421")
        else:
            out.append("\ufffd")
    return "".join(out)


def read_text_file(path: Path, *, not_utf8_hint: str = "") -> str:
    """The text of a file a user gives us (roster, template, observations), a BOM
    dropped; SessionError in one sentence when it is missing or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SessionError(f"There is no file at {path}.") from None
    except UnicodeDecodeError:
        raise SessionError(f"{path.name} is not UTF-8 text{not_utf8_hint}.") from None


def problems_error(problems: list[str], outcome: str) -> SessionError:
    """The problems found in a file as one sentence (the first few, each naming its
    line), ending with what that means, e.g. 'nothing was imported'."""
    extra = len(problems) - MAX_PROBLEMS_SHOWN
    more = f" (and {extra} more)" if extra > 0 else ""
    shown = "; ".join(p.rstrip(".") for p in problems[:MAX_PROBLEMS_SHOWN])
    return SessionError(f"{shown}{more}; {outcome}.")

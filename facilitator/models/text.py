"""User text as the session file keeps it: one clean line, never control codes.

Names, goals, notes and answers are shown in other people's terminals; an escape
sequence typed or pasted into one must never reach those terminals raw. So control
characters are kept as their visible pictures (ESC becomes ␛): shown as typed,
harmlessly, in the app, the CLI, the CSV export and in sqlite3."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from facilitator.models.errors import SessionError

MAX_TEXT_LENGTH = 2000
#: Who is logging (--as, $FACILITATOR_AS, $USER, an SSH key's comment): shown in
#: every header and on every entry, so it stays short.
MAX_IDENTITY_LENGTH = 60
#: The largest roster, template or interactions file read, checked before reading:
#: 2 MB is some 20,000 people or entries, far beyond any session.
MAX_FILE_BYTES = 2_000_000
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


def clean_identity(text: object, source: str) -> str:
    """A name to log under, by the one text rule: blanks collapsed, control codes made
    visible, at most MAX_IDENTITY_LENGTH characters; `source` says where it came from
    (--as, $USER) in the sentence that refuses it."""
    value = visible(" ".join(str(text if text is not None else "").split()))
    if not value:
        raise SessionError(f"The name to log under ({source}) cannot be empty.")
    if len(value) > MAX_IDENTITY_LENGTH:
        raise SessionError(f"The name to log under ({source}) is {len(value)} characters long; "
                           f"the limit is {MAX_IDENTITY_LENGTH}.")
    return value


def shown(text: object) -> str:
    """The one rendering rule: what any terminal is given for a text from a person or
    a file (or from a row written by an older version, or by sqlite3 directly): line
    breaks kept, every other control character as its visible picture."""
    return "\n".join(visible(line) for line in str(text if text is not None else "").split("\n"))


def text_from_file(data: bytes) -> str:
    """How every text is read from a session file (the store's text_factory): bytes
    that are not UTF-8 become U+FFFD instead of an error, and a control character
    (from an older version, or a row written with sqlite3 directly) comes out as its
    visible picture, line breaks kept. So no screen, CLI line or export can hand a
    terminal a raw control character from the file, whichever code draws it."""
    text = data.decode("utf-8", "replace")
    return text if text.isprintable() else shown(text)


def visible(text: str) -> str:
    """Control characters replaced by Unicode's control pictures (ESC -> ␛, DEL -> ␡);
    C1 controls, and lone surrogates (from a YAML escape or from bytes that were not
    UTF-8 in a command line), by the replacement character."""
    if text.isprintable():  # the common case, at C speed
        return text
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # A surrogate pair written as two escapes becomes its character; a lone one U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category != "Cc" and category != "Cs":
            out.append(ch)
        elif ord(ch) < 0x20:
            out.append(chr(0x2400 + ord(ch)))
        elif ord(ch) == 0x7F:
            out.append("\u2421")
        else:
            out.append("\ufffd")
    return "".join(out)


def read_text_file(path: Path, *, not_utf8_hint: str = "", max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of a file a user gives us (roster, template, observations), a BOM
    dropped; SessionError in one sentence when it is missing, not a regular file (a
    FIFO or a device is never opened: it could block forever), larger than
    `max_bytes` (checked before reading) or not UTF-8."""
    shown_path = visible(str(path))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SessionError(f"There is no file at {shown_path}.") from None
    except OSError as error:
        raise SessionError(f"{shown_path} cannot be read: {error.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise SessionError(f"{shown_path} is a folder, not a file.")
    if not stat.S_ISREG(info.st_mode):
        raise SessionError(f"{shown_path} is not a regular file (a FIFO, socket or device); "
                           "give the path of a file.")
    if info.st_size > max_bytes:
        raise SessionError(f"{visible(path.name)} is {info.st_size:,} bytes; the limit is "
                           f"{max_bytes:,} bytes; nothing was read.")
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, the open
        # does not wait for a writer; the read stops at the limit either way.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SessionError(f"{shown_path} is not a regular file; give the path of a file.")
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise SessionError(f"{shown_path} cannot be read: permission denied.") from None
    except OSError as error:
        raise SessionError(f"{shown_path} cannot be read: {error.strerror}.") from None
    if len(data) > max_bytes:
        raise SessionError(f"{visible(path.name)} is larger than {max_bytes:,} bytes, the limit; "
                           "nothing was read.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SessionError(f"{visible(path.name)} line {line} is not UTF-8 text{not_utf8_hint}.") from None


def problems_error(problems: list[str], outcome: str) -> SessionError:
    """The problems found in a file as one sentence (the first few, each naming its
    line), ending with what that means, e.g. 'nothing was imported'."""
    extra = len(problems) - MAX_PROBLEMS_SHOWN
    more = f" (and {extra} more)" if extra > 0 else ""
    shown = "; ".join(p.rstrip(".") for p in problems[:MAX_PROBLEMS_SHOWN])
    return SessionError(f"{shown}{more}; {outcome}.")

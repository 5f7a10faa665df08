"""What every command shares: one-sentence errors, exit codes, opening a store."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from facilitator.models.store import SessionError, SessionStore, store_error
from facilitator.models.text import visible

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    """Print one sentence to stderr and exit 1 (the operation failed)."""
    click.echo(f"facilitator: {plain(message)}", err=True)
    sys.exit(1)


def reports_errors(command: F) -> F:
    """Turn SessionError (and the file system's errors) into one sentence and exit 1."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SessionError as error:
            fail(str(error))
        except sqlite3.Error as error:
            # A store error that reached a command without passing the store's own
            # mapping (a raw cursor, sqlite-utils): the same one sentence.
            sentence = store_error(Path(str(kwargs.get("path") or "the session file")), error)
            if sentence is None:
                raise  # our own SQL is wrong: a bug, let it show
            fail(str(sentence))
        except BrokenPipeError:
            # `facilitator network ... | head`: the reader has gone; not an error.
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except PermissionError as error:
            fail(f"{error.filename or 'a file'} cannot be written: permission denied.")
        except OSError as error:
            fail(f"{error.filename or 'a file'}: {error.strerror or error}.")
    return wrapper  # type: ignore[return-value]


def open_store(path: str, identity: str | None = None, read_only: bool = False) -> SessionStore:
    """The store a command works on; a write that has to wait for another process's
    lock says so on stderr (once), instead of waiting in silence."""
    store = SessionStore.open(path, identity=identity, read_only=read_only)
    store.on_wait = lambda sentence: click.echo(f"facilitator: {sentence}", err=True)
    return store


def plain(text: object) -> str:
    """Text for a terminal: line breaks kept, other control characters shown as the
    core shows them (models.text.visible), never interpreted."""
    return "\n".join(visible(line) for line in str(text).split("\n"))


# readable=False: the store says in its own sentence (exit 1) that a file cannot be read.
session_path = click.argument("path", type=click.Path(dir_okay=False, readable=False))
as_option = click.option("--as", "identity", metavar="NAME",
                         help="Who is logging (default: $FACILITATOR_AS or your user name).")

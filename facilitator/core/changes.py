"""Undoable changes: what a facilitator did, and how to take it back.

A Change is returned by the core function that made it. Its undo runs in one
write transaction that first checks that nobody has changed the same thing
since; if someone has, it raises SessionError with one sentence naming them and
writes nothing. The file keeps both the change and its undo as events with who
and when (memberships, goal history, voided entries, rounds), or, for changes
made in place, the latest one's who and when beside it (a group's renamed_by,
closed_by, reopened_by; a participant's changed_by; an entry's restored_by)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Change(NamedTuple):
    """One step a facilitator can undo (ctrl+z) and possibly redo (ctrl+y)."""

    #: Completes the sentence "Undid ...": "the move of Ana to Group 2".
    what: str
    #: Takes the change back; may return one more sentence to say. Raises
    #: SessionError, writing nothing, when someone changed the same thing since.
    undo: Callable[[], str | None]
    #: Makes it again after an undo, returning the Change to undo next time.
    redo: Callable[[], "Change"] | None = None

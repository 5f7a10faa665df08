"""Where a tally board starts: the file's moment, and the counts the tally screen
shows first, made ahead on another connection while the app's code loads
(core.opening).

Kept apart from core.tally, and importing only what SQL needs (the models' reads
and the scopes' names), because the opening thread imports it while the UI thread
imports Textual: every module this one pulled in would be imported in that race,
and the counts, which SQLite makes without Python's lock, would start later."""

from __future__ import annotations

from typing import NamedTuple

from facilitator.analysis.tallies import WHOLE_SESSION, Scope, round_scope
from facilitator.models.aggregates import Packed, packed_scope_counts, voided_ids
from facilitator.models.interactions import rewrite_stamp
from facilitator.models.rounds import current_round
from facilitator.models.store import SessionStore


def board_moment(store: SessionStore) -> tuple[int, list[int], int]:
    """The file's moment for a board: its highest id, the undone entries up to it,
    the feed's position (one snapshot)."""
    with store.reading():
        last_id = int(store.scalar("SELECT COALESCE(MAX(id), 0) FROM interactions"))
        return last_id, voided_ids(store, last_id), store.feed_position()


class CountedStart(NamedTuple):
    """A board's start counted ahead, on another connection (core.opening): the
    file's moment, its rewrite stamp and the grouped counts of the whole session
    and of the current round (packed: models.aggregates), all from one snapshot."""

    moment: tuple[int, list[int], int]
    rewrites: tuple[object, ...]
    packed: dict[Scope, Packed]


def count_ahead(store: SessionStore) -> CountedStart:
    """What the tally screen counts first, read in one snapshot."""
    with store.reading():
        moment = board_moment(store)
        current = current_round(store)
        scopes = (WHOLE_SESSION, round_scope(current.id if current else None))
        return CountedStart(moment, rewrite_stamp(store),
                            {scope: packed_scope_counts(store, scope, moment[0]) for scope in scopes})

"""Speaking turns: who spoke last in each group and round, so that typing the next
speaker's code records the edge previous -> current.

The chain lives in memory of the observing process (a pause is not an event in the
file), but it starts from the file: the last live entry of the group and round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitator.models.records import Interaction
from facilitator.models.store import SessionStore

#: (round_id, group_id): None stands for "no round" / "the whole session".
TurnKey = tuple[int | None, int | None]


def last_speaker(store: SessionStore, round_id: int | None, group_id: int | None,
                 *, any_group: bool = False) -> int | None:
    """The source of the latest live entry of this group (any group with any_group)
    and round, or None when there is none or it is a whole-group state (a silence
    resets the chain, its source is empty).

    Uses the (round_id, group_id) index; cost does not grow with the log."""
    if any_group:
        row = store.one("SELECT source_id FROM interactions WHERE round_id IS ?"
                        " AND voided_at IS NULL ORDER BY id DESC LIMIT 1", (round_id,))
    else:
        row = store.one("SELECT source_id FROM interactions WHERE round_id IS ? AND group_id IS ?"
                        " AND voided_at IS NULL ORDER BY id DESC LIMIT 1", (round_id, group_id))
    return None if row is None else row["source_id"]  # type: ignore[no-any-return]


@dataclass
class TurnTracker:
    """The previous speaker per (round, group). A pause or a whole-group state resets it."""

    previous: dict[TurnKey, int | None] = field(default_factory=dict)

    def get(self, key: TurnKey) -> int | None:
        return self.previous.get(key)

    def known(self, key: TurnKey) -> bool:
        return key in self.previous

    def set(self, key: TurnKey, speaker_id: int | None) -> None:
        self.previous[key] = speaker_id

    def pause(self, key: TurnKey) -> None:
        """The next turn addresses the whole group."""
        self.previous[key] = None

    def observe(self, entry: Interaction, key: TurnKey) -> None:
        """Follow an entry logged here or elsewhere: a pair entry makes its source the
        previous speaker; a whole-group state (no source) resets the chain."""
        self.previous[key] = entry.source_id


def resolve_code(typed: str, codes: set[str] | frozenset[str], *,
                 unique_prefix: bool = False) -> tuple[str, str | None]:
    """What a half-typed participant code means so far.

    Returns ("done", code) when typed is a code and no longer code starts with it
    (log at once), ("wait", code) when it is a code but also the start of a longer
    one (Enter takes it), ("more", None) when it is only the start of codes, and
    ("unknown", None) when no code starts with it.

    With unique_prefix, the start of exactly one code already picks it ("done"):
    one letter is enough when no one else's code starts with it. The caller then
    swallows the rest of that code if it is typed anyway (see rest_of_code). Turn
    mode does not use it: there, consecutive letters are consecutive speakers, and
    "a" then "l" could mean Ana (al) or Ana then Lea.
    """
    matches = [code for code in codes if code.startswith(typed)]
    longer = any(code != typed for code in matches)
    if typed in codes:
        return ("wait", typed) if longer else ("done", typed)
    if unique_prefix and len(matches) == 1:
        return ("done", matches[0])
    return ("more", None) if matches else ("unknown", None)


def rest_of_code(typed: str, code: str) -> str:
    """The letters of code still to come after typed: swallowed if typed next, so a
    code typed in full gives the same entry as its unique prefix."""
    return code[len(typed):] if code.startswith(typed) else ""

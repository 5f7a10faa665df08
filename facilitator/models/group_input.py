"""What a facilitator types on the groups screen, read into people and words.

"Climate data @al" is a topic with its convener; "al bs 2" moves al and bs to
group 2. Codes are resolved like everywhere else (code, name or unique prefix)."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.models.roster import find_participant
from facilitator.models.store import SessionError, SessionStore


@dataclass(frozen=True)
class Typed:
    people: tuple[int, ...]
    text: str                 # the words that are not people
    number: int | None = None  # a trailing group number, if any


def read_mentions(store: SessionStore, typed: str) -> Typed:
    """Split "Topic words @al @bs" into the people mentioned and the topic."""
    people, words = [], []
    for word in typed.split():
        if word.startswith("@") and len(word) > 1:
            people.append(find_participant(store, word[1:]).id)
        else:
            words.append(word)
    return Typed(tuple(dict.fromkeys(people)), " ".join(words))


def read_moves(store: SessionStore, typed: str) -> Typed:
    """Split "al bs 2" into people (codes or names) and the group number at the end."""
    words = typed.replace(",", " ").split()
    if not words or not words[-1].isdigit():
        raise SessionError("Type the codes, then the group number, e.g. al bs 2.")
    number = int(words.pop())
    if not words:
        raise SessionError("Say who moves: their codes before the group number, e.g. al bs 2.")
    people = [find_participant(store, w.lstrip("@")).id for w in words]
    return Typed(tuple(dict.fromkeys(people)), "", number)


def read_people(store: SessionStore, typed: str) -> tuple[int, ...]:
    """People by code or name, separated by spaces or commas."""
    words = typed.replace(",", " ").split()
    if not words:
        raise SessionError("Type at least one code.")
    return tuple(dict.fromkeys(find_participant(store, w.lstrip("@")).id for w in words))


def read_pair(store: SessionStore, typed: str,
              usage: str = "Type the codes of two different people, e.g. al bs.") -> tuple[int, int]:
    """Exactly two different people, e.g. "al bs" or "al,bs", for a keep-together
    or keep-apart rule: the one reading of a pair for the screen and the CLI.
    `usage` is the sentence for anything else."""
    words = typed.replace(",", " ").replace(";", " ").split()
    if len(words) != 2:
        raise SessionError(usage)
    people = read_people(store, " ".join(words))
    if len(people) != 2:
        raise SessionError(usage)
    return people[0], people[1]

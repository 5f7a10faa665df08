"""Random valid tally entry sequences, as a facilitator would type them, and the
entries they must log: shared by the state-machine, Pilot and tmux property tests.

The model here is written from the rules as a facilitator reads them (help text),
not from the state machine's code: full codes in turn mode (Enter after a code that
starts another), unique prefixes or full codes in explicit mode, the rest of a
prefix-picked code typed in full where the next key would be that letter anyway."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from facilitator.models.roster import add_participant
from facilitator.models.session import create_session

#: Codes chosen to make the hard cases common: al/ab share a letter, an starts ann
#: (Enter needed), b picks Ben whose rest is a kind key (c: challenge), d picks Dan
#: (rest s: speak), m picks Mo.
ROSTER = (("Ana Lopez", "al"), ("Alex Berg", "ab"), ("Ben Cruz", "bc"), ("Dan Smith", "ds"),
          ("Ann Noor", "an"), ("Anna Nyx", "ann"), ("Mo Ode", "mo"))
CODES = tuple(code for _, code in ROSTER)
PAIR_KEYS = {"s": "speak", "a": "ask", "n": "answer", "h": "help", "b": "build-on",
             "c": "challenge", "i": "introduce", "x": "cut-off"}
STATE_KEYS = {".": "silence", "~": "cross-talk", "+": "energy-up", "-": "energy-down"}
NOTE_ALPHABET = "abcdlmnosxyzABQ0123456789.,!?-"


def make_session(path: Path) -> Path:
    with create_session(path, "Burst") as store:
        for name, code in ROSTER:
            add_participant(store, name, code=code)
    return path


#: What the file must hold: (source code, kind, target code, note).
Row = tuple[str | None, str, str | None, str | None]


@dataclass(frozen=True)
class Typed:
    keys: list[str]      # single characters, or "enter"
    rows: list[Row]      # the entries they log, in order
    outcomes: list[tuple]  # ("turn", code) / ("explicit", ...) / ("state", kind) / ("pause",)


def unique_prefix(code: str) -> str | None:
    for n in range(1, len(code) + 1):
        prefix = code[:n]
        if [c for c in CODES if c.startswith(prefix)] == [code]:
            return prefix
    return None


def pick(code: str, next_key: str, use_prefix: bool) -> list[str]:
    """Keys that pick code in explicit mode, given the key typed after them."""
    prefix = unique_prefix(code)
    if prefix is None:
        return [*code, "enter"]       # an: also the start of ann
    if use_prefix and prefix != code and code[len(prefix)] != next_key:
        return list(prefix)
    return list(code)


@st.composite
def entry_sequences(draw: st.DrawFn, max_entries: int = 10, explicit_only: bool = False) -> Typed:
    keys: list[str] = []
    rows: list[Row] = []
    outcomes: list[tuple] = []
    previous: str | None = None     # the turn chain (no groups: one room)
    for _ in range(draw(st.integers(1, max_entries))):
        what = "explicit" if explicit_only else draw(
            st.sampled_from(["turn", "turn", "explicit", "explicit", "state", "pause"]))
        if what == "turn":
            code = draw(st.sampled_from([c for c in CODES if c != previous]))
            keys += [*code] + (["enter"] if any(c != code and c.startswith(code) for c in CODES)
                               else [])
            rows.append((code, "speak", previous, None))
            outcomes.append(("turn", code))
            previous = code
        elif what == "state":
            key = draw(st.sampled_from(sorted(STATE_KEYS)))
            keys.append(key)
            rows.append((None, STATE_KEYS[key], None, None))
            outcomes.append(("state", STATE_KEYS[key]))
            previous = None
        elif what == "pause":
            keys.append(" ")
            outcomes.append(("pause",))
            previous = None
        else:
            source = draw(st.sampled_from(CODES))
            kind_key = draw(st.sampled_from(sorted(PAIR_KEYS) + ["enter"]))
            kind = PAIR_KEYS.get(kind_key, "speak")
            target = draw(st.one_of(st.none(), st.sampled_from([c for c in CODES if c != source])))
            words = draw(st.lists(st.text(NOTE_ALPHABET, min_size=1, max_size=6), max_size=3))
            note = " ".join(words)
            keys.append("/")
            keys += pick(source, kind_key, draw(st.booleans()))
            keys.append(kind_key)
            after_target = note[0] if note else "enter"
            if target is None:
                keys.append(" ")  # the whole group
            else:
                keys += pick(target, after_target, draw(st.booleans()))
            keys += [*note, "enter"]
            rows.append((source, kind, target, note or None))
            outcomes.append(("explicit", source, kind, target, note or None))
            previous = source
    return Typed(keys, rows, outcomes)

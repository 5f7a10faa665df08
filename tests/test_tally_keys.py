"""The tally's keys to entries, driven straight into the state machine (no app, no
file): microseconds an example, so the property runs many."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from facilitator.core.tally_keys import (
    Command, Explicit, GroupState, Observe, Pause, TallyKeys, Turn, keys_of)
from facilitator.models.codebook import DEFAULT_CODEBOOK
from facilitator.models.groups import Group
from facilitator.models.records import Participant
from facilitator.models.store import READ_ONLY
from tests.tally_helpers import ROSTER, Typed, entry_sequences

PEOPLE = [Participant(i + 1, name, code) for i, (name, code) in enumerate(ROSTER)]
BY_CODE = {p.code: p for p in PEOPLE}


def machine(read_only: bool = False, groups: list[Group] | None = None) -> TallyKeys:
    keys = TallyKeys()
    keys.configure(PEOPLE, list(DEFAULT_CODEBOOK), DEFAULT_CODEBOOK[0], groups or [], read_only)
    return keys


def press_all(keys: TallyKeys, typed: list[str]) -> list[object]:
    out: list[object] = []
    for key in typed:
        out += keys.press(key) or []
    return out


def summary(outcome: object) -> tuple:
    if isinstance(outcome, Turn):
        return ("turn", outcome.person.code)
    if isinstance(outcome, Explicit):
        return ("explicit", outcome.source.code, outcome.kind.name,
                outcome.target.code if outcome.target else None, outcome.note)
    if isinstance(outcome, GroupState):
        return ("state", outcome.kind.name)
    if isinstance(outcome, Pause):
        return ("pause",)
    return (type(outcome).__name__,)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry_sequences(max_entries=12))
def test_any_valid_sequence_gives_exactly_the_entries_typed(typed: Typed) -> None:
    keys = machine()
    assert [summary(o) for o in press_all(keys, typed.keys)] == typed.outcomes
    assert keys.draft is None and keys.typed == ""  # nothing left half-typed


def test_a_prefix_picks_a_person_and_the_rest_of_the_code_is_swallowed() -> None:
    keys = machine()
    assert press_all(keys, keys_of("/m")) == []
    assert "mo Mo Ode" in keys.view().typed  # the name shows as soon as it is picked
    out = press_all(keys, keys_of("oaal\r"))  # o: the rest of mo; a: ask; al: Ana
    assert [summary(o) for o in out] == [("explicit", "mo", "ask", "al", None)]


def test_a_letter_that_could_be_the_rest_of_a_code_or_a_kind_says_which_it_took() -> None:
    keys = machine()
    press_all(keys, keys_of("/b"))  # Ben Cruz, bc
    assert "a first 'c' is the rest of bc" in keys.view().keys  # said before the key
    press_all(keys, ["c"])
    view = keys.view()
    assert "'c' taken as the rest of bc (not challenge)" in view.message
    assert keys.draft is not None and keys.draft.step == "kind"  # still asks for the kind
    out = press_all(keys, keys_of("cd\r"))  # c: challenge now, d: Dan, no note
    assert [summary(o) for o in out] == [("explicit", "bc", "challenge", "ds", None)]


def test_the_rest_of_a_target_code_is_swallowed_before_the_note_and_the_prompt_says_so() -> None:
    keys = machine()
    press_all(keys, keys_of("/mad"))  # Mo asked Dan (d)
    assert "a first 's' is the rest of ds" in keys.view().keys
    press_all(keys, ["s"])
    assert "'s' taken as the rest of ds (not the note)" in keys.view().message
    out = press_all(keys, keys_of("so\r"))
    assert [summary(o) for o in out] == [("explicit", "mo", "ask", "ds", "so")]


def test_turn_mode_codes_are_exact_and_enter_takes_a_code_that_starts_another() -> None:
    keys = machine()
    assert press_all(keys, ["a"]) == []
    out = press_all(keys, keys_of("lan"))
    assert [summary(o) for o in out] == [("turn", "al")]
    assert "Enter takes 'an'" in keys.view().message
    assert [summary(o) for o in press_all(keys, ["enter"])] == [("turn", "an")]
    # A letter that continues no code ends the waiting code too: an, then mo.
    assert [summary(o) for o in press_all(keys, keys_of("anmo"))] == [("turn", "an"), ("turn", "mo")]
    assert [summary(o) for o in press_all(keys, keys_of("ann"))] == [("turn", "ann")]


def test_enter_then_slash_together_start_an_explicit_entry() -> None:
    keys = machine()
    out = press_all(keys, keys_of("al\r/mad\r"))
    assert [summary(o) for o in out] == [("turn", "al"), ("pause",),
                                         ("explicit", "mo", "ask", "ds", None)]


def test_read_only_refuses_at_the_first_key_and_switching_groups_still_works() -> None:
    groups = [Group(10, "Soil", 1, "self", None, (1, 2)), Group(11, "Water", 1, "self", None, (3,))]
    keys = machine(read_only=True, groups=groups)
    for key in ("a", "/", ".", " ", "enter"):
        assert keys.press(key) == [] and keys.view().message == READ_ONLY, key
    assert keys.press("]") == [Observe(10)] and keys.observed == 10
    assert "read-only" in keys.view().keys


def test_observed_group_limits_prefixes_and_people() -> None:
    groups = [Group(10, "Soil", 1, "self", None, (BY_CODE["al"].id, BY_CODE["ds"].id))]
    keys = machine(groups=groups)
    press_all(keys, ["]"])
    out = press_all(keys, keys_of("/aad\r"))  # in Soil, "a" is Ana alone
    assert [summary(o) for o in out] == [("explicit", "al", "ask", "ds", None)]
    assert out[0].group_id == 10  # type: ignore[attr-defined]
    press_all(keys, keys_of("mo"))
    assert "Mo Ode is not in Soil" in keys.view().message


def test_escape_backspace_and_undo_keys() -> None:
    keys = machine()
    press_all(keys, keys_of("/ma"))
    press_all(keys, ["backspace"])  # back to the kind
    assert keys.draft is not None and keys.draft.step == "kind"
    press_all(keys, ["escape"])
    assert keys.draft is None and "Cancelled" in keys.view().message
    assert keys.press("ctrl+z") == [Command("undo")] and keys.press("ctrl+y") == [Command("redo")]
    assert keys.press("R") is None and keys.press("4") is None  # the screen's and the app's


def test_a_paste_goes_only_into_an_open_note_made_harmless() -> None:
    keys = machine()
    keys.paste("al ds")
    assert "Pasted text is ignored" in keys.view().message and keys.draft is None
    press_all(keys, keys_of("/mad"))
    keys.paste("why\x1b[31m now\n")
    out = press_all(keys, ["enter"])
    assert [summary(o) for o in out] == [("explicit", "mo", "ask", "ds", "why␛[31m now")]

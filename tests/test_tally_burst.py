"""Keys in one burst (as over SSH, where many keys reach the app in one read) log
exactly what was typed: through Pilot, as one burst into the driver, and once
through tmux in a single send-keys."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from facilitator.app import make_app
from facilitator.core.tally_keys import keys_of
from tests.conftest import facilitator_command
from tests.tally_helpers import Row, Typed, entry_sequences, make_session
from tests.tmux import Tmux


def rows(path: Path) -> list[Row]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT s.code, i.kind, t.code, i.note FROM interactions i"
            " LEFT JOIN participants s ON s.id = i.source_id"
            " LEFT JOIN participants t ON t.id = i.target_id"
            " WHERE i.voided_at IS NULL ORDER BY i.id")]


def key_event(key: str) -> events.Key:
    """The Key event a terminal's bytes become (what Pilot.press builds)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(app: App[None], keys: list[str]) -> None:
    """Every key handed to the app at once, with no waiting in between."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        driver.send_message(event)


async def settle(pilot: object, path: Path, expected: int) -> None:
    """Wait until the file holds the expected number of entries, then a little more
    (to catch any extra entry a late key would log)."""
    for _ in range(100):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if len(rows(path)) >= expected:
            break
    await pilot.pause(0.2)  # type: ignore[attr-defined]


def run_app(path: Path, keys: list[str], expected: int, *, as_burst: bool) -> None:
    async def drive() -> None:
        app = make_app(path, identity="ana", screen="tally")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if as_burst:
                await burst(app, keys)
            else:
                await pilot.press(*keys)
            await settle(pilot, path, expected)

    asyncio.run(drive())


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(typed=entry_sequences(max_entries=8), as_burst=st.booleans())
def test_random_entries_fed_through_pilot_land_exactly_as_typed(
        tmp_path_factory: pytest.TempPathFactory, typed: Typed, as_burst: bool) -> None:
    path = make_session(tmp_path_factory.mktemp("burst") / "burst.db")
    run_app(path, typed.keys, len(typed.rows), as_burst=as_burst)
    assert rows(path) == typed.rows, typed.keys


def test_ten_explicit_entries_in_one_burst_log_those_ten(tmp_path: Path) -> None:
    path = make_session(tmp_path / "ten.db")
    # One letter per person where that is enough, full codes elsewhere, a rest of a
    # code that is also a kind key (bc: c), Enter and / arriving together: all at once.
    text = ("/mad\r/dam\r/bccal\r/aba mo\r/mnds\r/anncab\r/an\rhmo why\r/bxds\r"
            "/al\r ok\r/dsc \r")
    run_app(path, keys_of(text), 10, as_burst=True)
    assert rows(path) == [
        ("mo", "ask", "ds", None), ("ds", "ask", "mo", None), ("bc", "challenge", "al", None),
        ("ab", "ask", None, "mo"), ("mo", "answer", "ds", None), ("ann", "challenge", "ab", None),
        ("an", "help", "mo", "why"), ("bc", "cut-off", "ds", None),
        ("al", "speak", None, "ok"), ("ds", "challenge", None, None)]


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    terminal = Tmux(100, 30)
    yield terminal
    terminal.close()


@settings(max_examples=1, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(typed=entry_sequences(max_entries=10, explicit_only=True).filter(lambda t: len(t.rows) >= 6))
def test_random_entries_in_one_tmux_send_keys_land_exactly_as_typed(
        tmp_path: Path, tmux: Tmux, typed: Typed) -> None:
    path = make_session(tmp_path / "tmux.db")
    window = tmux.start(f"{facilitator_command()[0]} open {path} --screen tally --as ana")
    screen = tmux.wait_for(window, lambda s: "Observing" in s and "Ana Lopez" in s)
    assert "Observing" in screen, screen
    text = "".join("\r" if key == "enter" else key for key in typed.keys)
    tmux.keys(window, text, literal=True)  # one write to the terminal
    deadline = time.monotonic() + 15
    while len(rows(path)) < len(typed.rows) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert rows(path) == typed.rows, typed.keys

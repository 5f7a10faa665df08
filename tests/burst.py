"""Keys as they reach the app over SSH: several in one read, nothing waited for
between them (Pilot.press waits until the app is idle after every key, which
hides the races a real terminal shows)."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App


def _key_event(app: App, key: str) -> events.Key:
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    return event


def typed(text: str) -> list[str]:
    """The key names that type `text` (space is 'space')."""
    return ["space" if ch == " " else ch for ch in text]


async def burst(pilot, *keys: str) -> None:
    """Send all keys to the app in one go, as one read from the terminal, then
    wait until everything they started has settled."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        driver.send_message(_key_event(app, key))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()

"""Presence in the file: read-only processes are present too, stale rows go, and the
header warns when two processes work under one name."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.models.presence import PRESENCE_STALE, Presence, others_present, touch_presence
from facilitator.models.store import SessionStore, default_identity
from facilitator.widgets.session_header import SessionHeader


def rows(path: Path) -> list[tuple[str, str]]:
    with SessionStore.open(path, read_only=True) as store:
        return [(r["who"], r["screen"]) for r in store.rows(
            "SELECT who, screen FROM presence ORDER BY who")]


def test_a_read_only_observer_is_present_without_changing_the_session(small_session: Path) -> None:
    observer = SessionStore.open(small_session, identity="obs", read_only=True)
    observer.pid += 1  # another process than the one that looks below
    presence = Presence(observer)
    presence.heartbeat("tally")
    assert rows(small_session) == [("obs", "tally, read-only")]
    with SessionStore.open(small_session, identity="ana") as ana:
        assert others_present(ana) == [("obs", "tally, read-only")]
    assert observer.read_only  # the observer's own connection still cannot write
    presence.close()
    presence.close()  # twice is harmless (a signal and then the unmount)
    assert rows(small_session) == []
    observer.close()


def test_stale_rows_are_not_shown_and_whoever_sees_them_deletes_them(small_session: Path) -> None:
    gone = SessionStore.open(small_session, identity="gone")
    gone.pid += 1000  # another process, as the presence table sees it
    touch_presence(gone, "tally")
    long_ago = (datetime.now(timezone.utc) - PRESENCE_STALE - timedelta(seconds=1)).isoformat(
        timespec="milliseconds")
    gone.transact(lambda c: c.execute("UPDATE presence SET last_seen = ?", (long_ago,)))
    here = SessionStore.open(small_session, identity="bob")
    here.pid += 2000
    touch_presence(here, "groups")
    ana = SessionStore.open(small_session, identity="ana")
    presence = Presence(ana)
    assert presence.others() == [("bob", "groups")]
    assert rows(small_session) == [("bob", "groups")]  # the stale row was deleted
    for store in (gone, here, ana):
        store.close()


def test_identity_comes_from_as_then_the_environment_then_the_login(
        monkeypatch: pytest.MonkeyPatch, small_session: Path) -> None:
    monkeypatch.setenv("FACILITATOR_AS", "sam")
    monkeypatch.setenv("USER", "shared-account")
    assert default_identity() == "sam"
    monkeypatch.delenv("FACILITATOR_AS")
    assert default_identity() == "shared-account"
    with SessionStore.open(small_session, identity="ana") as store:
        assert store.identity == "ana"


async def test_the_header_warns_when_another_process_has_the_same_name(small_session: Path) -> None:
    twin = SessionStore.open(small_session, identity="ana")
    twin.pid += 1
    touch_presence(twin, "tally")
    app = make_app(small_session, identity="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.update_header()
        await pilot.pause()
        text = str(app.screen.query_one(SessionHeader).render())
        assert "you: ana (name open twice: use --as)" in text
        assert "with: ana (tally)" in text
    twin.close()
    alone = make_app(small_session, identity="bob")
    async with alone.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        alone.update_header()
        await pilot.pause()
        assert "twice" not in str(alone.screen.query_one(SessionHeader).render())

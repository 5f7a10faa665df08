"""One timer, in the header, and one 'time is up' notice per round, the same in
every co-facilitator's app, because both come from the file's round."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from facilitator.app import make_app
from facilitator.models.rounds import add_round, start_round
from facilitator.models.store import SessionStore
from facilitator.widgets.session_header import SessionHeader
from facilitator.widgets.tally_panels import TallyBar


def over_time(path: Path, minutes_ago: int = 25, planned: float = 20) -> None:
    with SessionStore.open(path, identity="sam") as store:
        add_round(store, "Round 1", planned)
        start_round(store)
        past = (datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)).isoformat()
        store.transact(lambda c: c.execute("UPDATE rounds SET started_at = ?", (past,)))


async def notices_of(path: Path, who: str, screen: str, ticks: int = 3) -> tuple[list[str], str, str]:
    app = make_app(path, identity=who, screen=screen)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(ticks):  # the header's tick, driven by hand
            app.update_header()
            await pilot.pause()
        header = str(app.screen.query_one(SessionHeader).render())
        bar = str(app.screen.query_one(TallyBar).render()) if screen == "tally" else ""
        return [s.text for s in app.said if s.text.startswith("Timer")], header, bar


async def test_every_co_facilitator_gets_the_same_notice_once(small_session: Path) -> None:
    over_time(small_session)
    sams, header, bar = await notices_of(small_session, "sam", "tally")
    kims, _, _ = await notices_of(small_session, "kim", "groups")
    assert len(sams) == 1 and sams == kims
    assert sams[0].startswith("Timer: Time is up for Round 1 (20 min planned).")
    assert "Round 1 5:0" in header and "over" in header  # the one timer, in the header
    assert "over" not in bar and "left" not in bar  # the tally bar no longer counts


async def test_more_time_for_the_round_gives_a_new_notice_when_it_runs_over_again(
        small_session: Path) -> None:
    over_time(small_session)
    app = make_app(small_session, identity="sam", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        app.update_header()
        await pilot.pause()
        with SessionStore.open(small_session) as store:  # a co-facilitator extends it
            store.transact(lambda c: c.execute("UPDATE rounds SET planned_minutes = 24"))
        app.update_header()
        app.update_header()
        await pilot.pause()
        said = [s.text for s in app.said if s.text.startswith("Timer")]
        assert [s.split(" (")[1][:6] for s in said] == ["20 min", "24 min"]


async def test_no_notice_while_time_is_left(small_session: Path) -> None:
    over_time(small_session, minutes_ago=5)
    notices, header, _ = await notices_of(small_session, "sam", "roster")
    assert notices == [] and "left" in header

"""The tally keeps up with the file by reading only what changed: the screen paints
before the log is read, the board follows the file's feed of changed entries, and
mutual pairs are ranked from the pairs that moved (same answers as counting all)."""

from __future__ import annotations

import random
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from facilitator.analysis.tallies import MutualPair, Tally, mutual_pairs
from facilitator.app import make_app
from facilitator.core.tally import read_board, sync_board
from facilitator.models.interactions import log_interaction, void_interaction
from facilitator.models.records import Interaction
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionStore
from facilitator.screens.tally import TallyScreen
from facilitator.widgets.tally_cards import TallyCards
from facilitator.widgets.tally_panels import TallyBar
from tests.test_tally_screen import live, text


def every_mutual_pair(tally: Tally, people: set[int] | None, limit: int = 10) -> list[MutualPair]:
    """The ranking counted from every pair, as it was before it was kept incrementally."""
    found = []
    for (a, b), n in tally.pairs.items():
        if a < b and n > 0 and (people is None or (a in people and b in people)):
            back = tally.pairs.get((b, a), 0)
            if back > 0:
                found.append(MutualPair(a, b, n, back))
    found.sort(key=lambda m: (-min(m.a_to_b, m.b_to_a), -(m.a_to_b + m.b_to_a), m.a, m.b))
    return found[:limit]


def test_mutual_pairs_kept_incrementally_match_counting_every_pair() -> None:
    rnd = random.Random(3)
    tally, counted = Tally(), []
    for step in range(3000):
        if counted and rnd.random() < 0.3:  # an undo of any earlier entry
            tally.apply(counted.pop(rnd.randrange(len(counted))), -1, "speak")
        else:
            source, target = rnd.sample(range(10), 2)
            entry = Interaction(step, "2026-12-01T10:00:00", source, target, "speak",
                                None, None, "ana", None, None, None)
            tally.apply(entry, 1, "speak")
            counted.append(entry)
        people = None if step % 2 else {0, 2, 4, 5, 7}
        if rnd.random() < 0.4:
            assert mutual_pairs(tally, people) == every_mutual_pair(tally, people)


def test_the_board_reads_an_undo_elsewhere_from_the_feed_as_that_one_entry(
        small_session: Path) -> None:
    with SessionStore.open(small_session, identity="ana") as mine, \
            SessionStore.open(small_session, identity="ben") as other:
        al, bs = find_participant(other, "al"), find_participant(other, "bs")
        entries = [log_interaction(other, "speak", al, bs) for _ in range(5)]
        board = read_board(mine)
        void_interaction(other, entries[2].id)
        changed = sync_board(mine, board)
        assert [(e.id, e.voided_by) for e in changed] == [(entries[2].id, "ben")]
        assert board.total.spoke[al.id] == 4
        # Any writer's change reaches the feed, plain sqlite3 too.
        with closing(sqlite3.connect(small_session)) as raw:
            raw.execute("UPDATE interactions SET voided_at = NULL, voided_by = NULL WHERE id = ?",
                        (entries[2].id,))
            raw.commit()
        assert [e.id for e in sync_board(mine, board)] == [entries[2].id]
        assert board.total.spoke[al.id] == 5
        # A row deleted under us (never by facilitator): the board counts afresh.
        with closing(sqlite3.connect(small_session)) as raw:
            raw.execute("DELETE FROM interactions WHERE id = ?", (entries[0].id,))
            raw.commit()
        sync_board(mine, board)
        assert board.total.spoke[al.id] == 4 and board.total.entries == 4


async def board_started(pilot, screen: TallyScreen) -> None:  # type: ignore[no-untyped-def]
    """Once the screen's board is counted (a condition, not a fixed pause), and drawn."""
    for _ in range(100):
        await pilot.pause(0.05)
        if screen.live.board is not None:
            break
    await pilot.pause()


async def test_the_screen_paints_and_takes_codes_before_the_log_is_read(
        small_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SessionStore.open(small_session, identity="ben") as other:
        al, bs = find_participant(other, "al"), find_participant(other, "bs")
        log_interaction(other, "speak", al, None)
    release = threading.Event()
    load_board = TallyScreen.load_board

    def later(screen: TallyScreen) -> None:
        # The first frame is drawn before the board starts: hold it until released.
        if release.is_set():
            load_board(screen)
        else:
            screen.set_timer(0.05, screen.load_board)

    monkeypatch.setattr(TallyScreen, "load_board", later)
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TallyScreen)
        assert "reading the log" in text(screen, TallyBar)
        assert "Reading the session's log" in text(screen, TallyCards)
        await pilot.press("b", "s")  # a turn, addressed to Ana (the last speaker)
        assert live(small_session)[-1][:3] == ("bs", "al", "speak")
        release.set()
        await board_started(pilot, screen)
        assert "2 entries" in text(screen, TallyBar)
        cards = text(screen, TallyCards)
        assert "1 spoke · 1 addr" in cards and "1 spoke · 0 addr" in cards


def counted_one_by_one(store: SessionStore, board, scope) -> Tally:  # type: ignore[no-untyped-def]
    """A scope's tally counted from every live entry of the file, one at a time."""
    from facilitator.analysis.tallies import scopes_of
    from facilitator.core.tally import COLUMNS

    tally = Tally()
    for row in store.rows(f"SELECT {COLUMNS} FROM interactions WHERE voided_at IS NULL"):
        entry = Interaction.from_row(row)
        if scope in scopes_of(entry):
            tally.apply(entry, 1, board.turn_kind, entry.kind not in board.undirected)
    return tally


def figures(tally: Tally) -> tuple[object, ...]:
    def live(counter):  # type: ignore[no-untyped-def]
        return {k: v for k, v in counter.items() if v}
    return (tally.entries, live(tally.spoke), live(tally.addressed), live(tally.turns),
            {p: live(c) for p, c in tally.by_kind.items() if live(c)}, live(tally.pairs),
            live(tally.together), live(tally.states), mutual_pairs(tally))


def test_a_board_started_from_grouped_counts_keeps_the_counts_of_every_entry(
        small_session: Path) -> None:
    """Scopes counted in SQL at different moments, then moved by entries, undos and
    redos from another process (and a row deleted under it), always hold exactly
    what counting every live entry of the file gives."""
    from facilitator.analysis.tallies import WHOLE_SESSION, group_scope, round_scope
    from facilitator.core.tally import count_scopes
    from facilitator.models.groups import create_group
    from facilitator.models.interactions import restore_interaction
    from facilitator.models.rounds import start_round

    rnd = random.Random(5)
    with SessionStore.open(small_session, identity="ana") as mine, \
            SessionStore.open(small_session, identity="ben") as other:
        people = [find_participant(other, c) for c in ("al", "bs", "cd", "dp")]
        first = start_round(other)
        group = create_group(other, "Table", round_id=first.id)
        kinds = ["speak", "ask", "build-on", "silence"]
        logged: list[int] = []
        board = read_board(mine, [WHOLE_SESSION])
        scopes = [WHOLE_SESSION, group_scope(group.id), group_scope(None), round_scope(first.id),
                  round_scope(None)]
        for step in range(160):
            roll = rnd.random()
            if logged and roll < 0.2:
                void_interaction(other, rnd.choice(logged))
            elif logged and roll < 0.3:
                try:
                    restore_interaction(other, rnd.choice(logged))
                except Exception:
                    pass  # not undone: nothing to bring back
            else:
                kind = rnd.choice(kinds)
                source, target = rnd.sample(people, 2)
                entry = log_interaction(other, kind, None if kind == "silence" else source,
                                        None if kind == "silence" or rnd.random() < 0.2 else target,
                                        group_id=group.id if rnd.random() < 0.6 else None)
                logged.append(entry.id)
            if step == 60:
                with closing(sqlite3.connect(small_session)) as raw:
                    raw.execute("DELETE FROM interactions WHERE id = ?", (logged.pop(0),))
                    raw.commit()
            if step % 7 == 0:
                count_scopes(mine, board, scopes[:1 + step // 30])
            sync_board(mine, board)
            for scope in board.scopes:
                assert figures(board.tally(scope)) == figures(counted_one_by_one(mine, board, scope)), (
                    step, scope)
        assert len(board.scopes) == len(scopes)


async def test_a_board_that_cannot_be_counted_is_one_sentence_and_counted_later(
        small_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The grouped counts failing (a file gone bad under the app) is said in the
    prompt line, never a traceback; the next refresh counts again."""
    from facilitator.core import tally as core_tally

    with SessionStore.open(small_session, identity="ben") as other:
        log_interaction(other, "speak", find_participant(other, "al"), None)
    real = core_tally.start_board
    failing = [True]

    def start_board(*args):  # type: ignore[no-untyped-def]
        if failing[0]:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(*args)

    monkeypatch.setattr(core_tally, "start_board", start_board)
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        for _ in range(20):
            await pilot.pause()
            if "damaged" in str(screen.prompt.render()) or "malformed" in str(screen.prompt.render()):
                break
        assert screen.live.board is None
        said = " ".join(str(w.render()) for w in screen.prompt.query("*")) + str(screen.prompt.render())
        assert "damaged" in said or "malformed" in said, said
        failing[0] = False
        await board_started(pilot, screen)
        assert "1 entry" in text(screen, TallyBar)


async def test_the_side_panels_show_their_first_counts_whole(demo_session: Path) -> None:
    """The panels grow from their one-line "…" once the board is counted: every
    line of them is on screen (the equity and pairs panels once stayed one line)."""
    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await board_started(pilot, screen)
        for _ in range(40):
            await pilot.pause(0.02)
            seen = "\n".join("".join(seg.text for seg in strip)
                             for strip in screen._compositor.render_strips())
            if "⇄" in seen and "Top voice" in seen:
                break
        assert "Top voice" in seen and "⇄" in seen, seen


async def test_the_cards_are_on_screen_whole_once_counted(demo_session: Path) -> None:
    """The cards grow from the one line "Reading the session's log…": each card's
    four lines are on screen at 80x24, and scrolling the cards shows the later
    ones, made as they come into view (a card grid once stayed one line tall)."""
    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await board_started(pilot, screen)
        await pilot.pause(0.1)
        seen = "\n".join("".join(seg.text for seg in strip)
                         for strip in screen._compositor.render_strips())
        assert seen.count(" spoke · ") >= 4 and seen.count("%") >= 4, seen
        cards = screen.query_one(TallyCards)
        last = cards.cards[-1]
        assert last.name not in seen  # the demo has more people than fit
        screen.query_one("#tally-left").scroll_end(animate=False)
        await pilot.pause(0.1)
        seen = "\n".join("".join(seg.text for seg in strip)
                         for strip in screen._compositor.render_strips())
        assert f"{last.code} {last.name[:8]}" in seen, seen


async def test_cards_on_screen_follow_every_turn(demo_session: Path) -> None:
    """After turns for people in different rows of cards, typed one after another,
    every card in view on screen shows what the board counts: a card that changed
    after others had been redrawn alone is redrawn too."""
    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await board_started(pilot, screen)
        cards = screen.query_one(TallyCards)
        per_row = cards.columns(cards.size.width)
        codes = [cards.cards[i].code for i in (0, 2 * per_row, 1, per_row, 0, per_row + 1, 2)]
        for code in codes:
            await pilot.press(*code)
            await pilot.pause()
        await pilot.pause(0.1)
        region = cards.region
        shown = ["".join(seg.text for seg in strip)[region.x:region.right].rstrip()
                 for strip in screen._compositor.render_strips()[region.y:region.y + 14]]
        assert shown == cards.text().splitlines()[:14]

"""The live network follows the file by reading only what is new, and always agrees
with a fresh read of the whole log; the screen draws a new interaction on top of the
picture instead of redrawing it."""

from __future__ import annotations

import random
from pathlib import Path

from facilitator.analysis.network import NetworkFilter, selected_entries, tie_counts
from facilitator.core.network import LiveNetwork, load_network
from facilitator.models.groups import create_group
from facilitator.models.interactions import log_interaction, restore_interaction, void_interaction
from facilitator.models.roster import add_participant, find_participant, participants
from facilitator.models.store import SessionStore
from tests.test_network_screen import canvas_text, settle


def agrees(live: LiveNetwork, store: SessionStore, filters: list[NetworkFilter]) -> None:
    fresh = load_network(store)
    assert live.data is not None
    assert [e.id for e in live.data.entries] == [e.id for e in fresh.entries]
    for flt in filters:
        expected = tie_counts(fresh, flt)
        got = live.view(flt).ties
        assert got.counts == expected.counts, flt
        assert got.node_ids == expected.node_ids, flt
        assert got.entries == expected.entries and got.last_at == expected.last_at, flt
        assert dict(got.to_group) == dict(expected.to_group), flt
        assert got.pairs() == expected.pairs(), flt
        assert live.total(flt) == len(selected_entries(fresh, flt)), flt


def test_live_network_agrees_with_a_full_read_through_every_kind_of_change(
        small_session: Path) -> None:
    rng = random.Random(3)
    with SessionStore.open(small_session, identity="ana") as store:
        people = participants(store)
        live = LiveNetwork()
        live.refresh(store)
        filters = [NetworkFilter(), NetworkFilter(kinds=frozenset({"ask"})),
                   NetworkFilter(window_minutes=5), NetworkFilter(until=3)]
        logged: list[int] = []
        voided: list[int] = []
        kinds: dict[int, str] = {}
        undos = 0
        for step in range(60):
            action = rng.random()
            kind = ""
            if action < 0.6 or not logged:
                source, target = rng.sample(people, 2)
                kind = rng.choice(["speak", "ask", "silence"])  # silence: a group state
                at = "2025-05-01T08:00:00.000+00:00" if rng.random() < 0.1 else None
                logged.append(log_interaction(store, kind, source, target, at=at).id)
                kinds[logged[-1]] = kind
            elif action < 0.75:
                voided.append(logged.pop(rng.randrange(len(logged))))
                void_interaction(store, voided[-1])
                kind = kinds[voided[-1]]  # undoing a group state changes no tie either
                undos += kind != "silence"
            elif action < 0.85 and voided:
                logged.append(voided.pop())
                restore_interaction(store, logged[-1])
                kind = kinds[logged[-1]]
                undos += kind != "silence"
            elif action < 0.92:
                people.append(add_participant(store, f"Newcomer {step}"))
            else:
                group = create_group(store, f"Table {step}", None, [p.id for p in people[:2]])
                filters.append(NetworkFilter(group_id=group.id))
            # A group state (silence) is not between people: the network is unchanged.
            assert live.refresh(store) == (kind != "silence")
            agrees(live, store, filters)
        assert not live.refresh(store)  # nothing new: nothing read, nothing redrawn
        # Only voids and restores of entries between people re-read the log; new
        # entries are fetched alone, back-dated ones included.
        assert live.full_reads == 1 + undos


def test_a_new_interaction_grows_the_view_and_names_the_new_tie(small_session: Path) -> None:
    with SessionStore.open(small_session, identity="ana") as store:
        al, bs, cd = (find_participant(store, code) for code in ("al", "bs", "cd"))
        log_interaction(store, "speak", al, bs)
        live = LiveNetwork()
        live.refresh(store)
        before = live.view().ties
        signature = live.signature()
        log_interaction(store, "speak", cd, al)
        assert live.refresh(store)
        view = live.view()
        assert view.previous is before and view.touched == {(al.id, cd.id)}
        assert live.view() is view  # asking twice gives the same answer
        assert live.full_reads == 1
        assert live.signature() != signature
        log_interaction(store, "ask", al, cd)  # a heavier tie: same layout fingerprint
        live.refresh(store)
        assert live.signature() == live.signature() and live.view().touched == {(al.id, cd.id)}


async def test_the_screen_draws_a_new_interaction_without_re_reading_the_log(
        small_session: Path) -> None:
    from facilitator.app import make_app
    from facilitator.widgets.network_canvas import NetworkCanvas

    with SessionStore.open(small_session, identity="bob") as other:
        log_interaction(other, "speak", find_participant(other, "al"), find_participant(other, "bs"))
    app = make_app(small_session, identity="ana", screen="network")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        canvas = screen.query_one(NetworkCanvas)
        drawn = canvas.canvas
        before = canvas_text(app)
        assert before.count("○") == 2  # Cleo and Dev have no tie yet
        with SessionStore.open(small_session, identity="bob") as other:
            log_interaction(other, "speak", find_participant(other, "al"),
                            find_participant(other, "bs"))
        screen.refresh_data()  # what the app's poll does when the file changed
        assert screen.live.full_reads == 1
        assert canvas.canvas is drawn  # drawn on top, not redrawn
        assert canvas_text(app) != before  # one interaction became two: a solid line
        with SessionStore.open(small_session, identity="bob") as other:
            log_interaction(other, "speak", find_participant(other, "cd"),
                            find_participant(other, "dp"))
        screen.refresh_data()
        assert canvas.canvas is drawn and canvas_text(app).count("○") == 0
        await settle(app, pilot)  # the layout worker then moves them into the network
        assert screen.live.full_reads == 1
        with SessionStore.open(small_session, identity="bob") as other:
            void_interaction(other, other.scalar("SELECT max(id) FROM interactions"))
        screen.refresh_data()
        await settle(app, pilot)
        assert screen.live.full_reads == 2  # an undo elsewhere: read afresh (by a worker)
        assert canvas_text(app).count("○") == 2

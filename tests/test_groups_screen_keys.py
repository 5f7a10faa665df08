"""The groups screen, second part: rounds, rules, suggestions off the UI thread, footer."""

from __future__ import annotations

from pathlib import Path

from test_groups_screen import members_by_name, say  # noqa: F401  (plain-name helpers)

from facilitator.app import make_app
from facilitator.models.store import SessionStore
from facilitator.screens.groups import GroupsScreen


def round_names(path: Path) -> list[str]:
    with SessionStore.open(path) as store:
        return [r[0] for r in store.rows("SELECT name FROM rounds ORDER BY position")]


async def suggest(pilot) -> GroupsScreen:
    """Open the suggestions and wait until both proposals are computed."""
    await pilot.press("p")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def title(screen: GroupsScreen) -> str:
    return str(screen.query_one("#groups-title").render())


async def test_undo_of_an_apply_removes_the_round_it_made(demo_session: Path) -> None:
    before = round_names(demo_session)
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        current = title(app.screen)
        await suggest(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert round_names(demo_session) == before + [f"Round {len(before) + 1}"]
        assert title(app.screen).startswith(f"Round {len(before) + 1}")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert round_names(demo_session) == before
        assert title(app.screen) == current  # back on the round it showed before


async def test_suggestions_are_formed_in_a_worker_while_keys_still_work(
        demo_session: Path, monkeypatch) -> None:
    import threading

    from facilitator.core import group_plans as plans

    release = threading.Event()
    form = plans.ProposalInputs.form

    def slow_form(self, *args, **kwargs):
        release.wait(timeout=10)  # held until the test has looked at the screen
        return form(self, *args, **kwargs)

    monkeypatch.setattr(plans.ProposalInputs, "form", slow_form)
    before = round_names(demo_session)
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert "computing…" in str(screen.query_one("#proposal-left").render())
        await pilot.press("a")  # applying now would apply nothing: it says so
        await pilot.press("plus")  # keys still work: a bigger size is asked for at once
        await pilot.pause()
        assert screen.group_size == 5 and "computing…" in str(screen.query_one("#proposal-right").render())
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        left = str(screen.query_one("#proposal-left").render())
        assert "new pairs" in left and "size 5" in left  # the stale size-4 answer was dropped
        assert round_names(demo_session) == before  # the early "a" wrote nothing


async def test_a_failing_worker_is_reported_not_fatal(demo_session: Path, monkeypatch) -> None:
    from facilitator.core import group_plans as plans

    def broken(self, *args, **kwargs):
        raise RuntimeError("search exploded")

    monkeypatch.setattr(plans.ProposalInputs, "form", broken)
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await suggest(pilot)
        assert "Could not compute the suggestions: search exploded" in str(
            screen.query_one("#proposal-left").render())
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.suggesting


async def test_keep_together_and_apart_by_keys(demo_session: Path) -> None:
    from facilitator.core import group_plans as plans

    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await suggest(pilot)
        rules = screen.query_one("#rules")
        assert "Together: nobody" in str(rules.render())
        await say(pilot, "k", "cw id")
        await say(pilot, "d", "cw mr")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(rules.render())
        assert "cw Chen + id Ines" in shown and "Apart: cw Chen + mr Mateo" in shown
        with SessionStore.open(demo_session) as store:
            people = {r[0]: r[1] for r in store.rows("SELECT code, id FROM participants")}
            assert plans.pair_rules(store, plans.KEEP_TOGETHER) == [
                tuple(sorted((people["cw"], people["id"])))]
        for side in ("left", "right"):  # both proposals respect the rules
            groups = screen.proposals[side].groups
            where = {pid: n for n, g in enumerate(groups) for pid in g}
            assert where[people["cw"]] == where[people["id"]] != where[people["mr"]]
        await say(pilot, "d", "cw id")  # contradicts a rule: refused, nothing written
        await pilot.press("escape")  # the refused line stays open until dropped
        await say(pilot, "k", "id cw")  # the same pair again releases it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Together: nobody" in str(rules.render())
        await pilot.press("ctrl+z")  # undo brings the rule back
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cw Chen + id Ines" in str(rules.render())
        with SessionStore.open(demo_session) as store:
            assert plans.pair_rules(store, plans.KEEP_APART) == [
                tuple(sorted((people["cw"], people["mr"])))]


async def test_start_the_next_round_from_the_groups_screen(demo_session: Path) -> None:
    before = round_names(demo_session)
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert title(screen).startswith(f"{before[-1]} (current)")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert title(screen).startswith(f"{before[-2]} (ended; now in {before[-1]})")
        await suggest(pilot)
        await pilot.press("a")  # the suggestion becomes the groups of a new, planned round
        await pilot.pause()
        new = f"Round {len(before) + 1}"
        assert title(screen).startswith(f"{new} (planned; now in {before[-1]})")
        planned = {g.id for g in screen.groups}
        await pilot.press("o")  # the same one-key confirmation as on every screen
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question").render())
        assert question.startswith(f"End {before[-1]} now, for everyone?")
        await pilot.press("escape")  # a second thought: nothing changes
        await pilot.pause()
        assert app.screen is screen and title(screen).startswith(f"{new} (planned")
        await pilot.press("o", "y")  # the running round ends first
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question").render())
        assert f"Start {new} with its {len(planned)} groups now, for everyone?" in question
        await pilot.press("y")
        await pilot.pause()
        assert title(screen).startswith(f"{new} (current, suggested groups)")  # says how it opened
        assert {g.id for g in screen.groups} == planned and screen.loose == []
        with SessionStore.open(demo_session) as store:
            current = store.scalar("SELECT r.name FROM rounds r JOIN session s"
                                   " ON s.current_round_id = r.id")
            ended = store.scalar("SELECT ended_at FROM rounds WHERE name = ?", (before[-1],))
        assert current == new and ended is not None
        # The start is a change like any other: ctrl+z takes it back (the groups
        # stay planned for that round), and the undo stack was not cleared by it.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert round_names(demo_session) == before + [new]
        with SessionStore.open(demo_session) as store:
            current = store.scalar("SELECT r.name FROM rounds r JOIN session s"
                                   " ON s.current_round_id = r.id")
            started = store.scalar("SELECT started_at FROM rounds WHERE name = ?", (new,))
        assert current == before[-1] and started is None
        assert len(screen.undo_stack) == 2  # the end, and the apply before it


def footer_keys(app) -> list[str]:
    """The keys a person sees in the footer: not scrolled away, not under the palette hint."""
    from facilitator.widgets.footer import SessionFooter

    footer = app.screen.query_one(SessionFooter)
    footer.render()  # the keys as the footer draws them at its width now
    return [k.key for k in footer.shown]


async def laid_out_footer_keys(pilot, wanted: set[str]) -> list[str]:
    """footer_keys once the footer shows `wanted` or 50 frames have passed (a
    loaded machine takes a few to lay it out): a condition, not a fixed pause."""
    for _ in range(50):
        await pilot.pause()
        shown = footer_keys(pilot.app)
        if wanted <= set(shown):
            return shown
    return footer_keys(pilot.app)


async def test_the_footer_at_80_columns_shows_the_keys_of_each_mode(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = await laid_out_footer_keys(pilot, {"n", "j", "ctrl+z", "p", "o"})
        assert {"n", "j", "ctrl+z", "p", "o"} <= set(shown), shown
        assert "ctrl+p" not in shown  # the palette hint is measured apart, on the right
        assert "a" not in shown  # suggestion keys only while suggesting
        await suggest(pilot)
        shown = await laid_out_footer_keys(pilot, {"a", "b", "t", "ctrl+z", "p"})
        assert {"a", "b", "t", "ctrl+z", "p"} <= set(shown), shown
        assert "n" not in shown
        panel = str(app.screen.query_one("#suggestions").query_one("#rules").render())
        assert "k, d" in panel  # the rule keys are named where the rules are
        await pilot.press("question_mark")  # help lists every key, shown or not
        await pilot.pause()
        helped = "".join(str(s.render()) for s in app.screen.query("Static"))
        for words in ("Keep together", "Keep apart", "Start/end round", "Rename", "Split", "Merge",
                      "Close", "View earlier round", "Bigger groups", "Reshuffle"):
            assert words in helped
        assert "left_square_bracket" not in helped  # keys read as typed: [ and ]
        assert "the same pair again removes" in helped  # the screen's own help text

"""Layout at 80x24 and wording: what a facilitator sees on each screen at the
smallest supported size, and sentences that read right."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.app import make_app
from facilitator.cli import cli
from facilitator.core.screens import SCREEN_NAMES
from facilitator.models.groups import create_group
from facilitator.models.presence import touch_presence
from facilitator.models.store import SessionStore
from facilitator.widgets.footer import SessionFooter, footer_bindings
from facilitator.widgets.session_header import SessionHeader


def visible(widget, y: int = 0) -> str:  # type: ignore[no-untyped-def]
    """The cells a person sees on one line of a widget."""
    return "".join(segment.text for segment in widget.render_line(y))


async def footer_after_layout(pilot):  # type: ignore[no-untyped-def]
    """The footer and the keys it shows once drawn (a condition, not a fixed pause)."""
    for _ in range(50):
        await pilot.pause()
        footer = pilot.app.screen.query_one(SessionFooter)
        if footer.shown and footer.size.width:
            return footer, footer.shown
    raise AssertionError("the footer showed no key")


@pytest.mark.parametrize("name", SCREEN_NAMES)
async def test_no_footer_key_is_cut_at_80_columns(demo_session: Path, name: str) -> None:
    app = make_app(demo_session, identity="ana", screen=name)
    async with app.run_test(size=(80, 24)) as pilot:
        footer, shown = await footer_after_layout(pilot)
        line = visible(footer)
        assert len(line) == 80 and line.rstrip().endswith("^p palette"), line
        palette_at = line.rindex("▏")
        for key in shown:  # each key shown whole, left of the palette key
            assert key.end <= palette_at and key.description in line[key.start:key.end], (
                key, line)
        offered = footer_bindings(app.screen)
        assert [b.key for b, _ in offered[:len(shown)]] == [k.key for k in shown]
        if len(offered) > len(shown):  # the next key would not have fitted whole
            binding = offered[len(shown)][0]
            needed = len(f" {app.get_key_display(binding)} {binding.description} ")
            assert shown[-1].end + needed > palette_at, (binding.key, line)


async def test_a_footer_key_clicked_is_pressed(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(200, 30)) as pilot:
        footer, shown = await footer_after_layout(pilot)
        fix = next(k for k in shown if k.key == "ctrl+e")
        await pilot.click(SessionFooter, offset=(fix.start + 1, 0))
        for _ in range(20):
            await pilot.pause()
            if app.screen is not footer.screen:
                break
        assert type(app.screen).__name__ == "EntriesScreen"


async def test_a_read_only_footer_offers_only_what_works(demo_session: Path) -> None:
    with SessionStore.open(demo_session):
        pass  # upgraded once, so a read-only open can read it
    app = make_app(demo_session, identity="obs", screen="tally", read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        _, keys = await footer_after_layout(pilot)
        described = {k.description for k in keys}
        assert "Pause" in described and "Next group" in described
        assert not described & {"Undo", "Redo", "Explicit entry", "Start/end round"}
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert "Undo" not in palette and "New round" not in palette
        assert "Roster: Add" not in palette and "Groups: Suggest" in palette
        await pilot.press("ctrl+z")  # the key still says why it does nothing
        await pilot.pause()
        prompt = "".join(seg.text for strip in app.screen._compositor.render_strips()[-4:]
                         for seg in strip)
        assert "read-only" in prompt.lower()


async def test_the_header_names_every_co_facilitator_at_80_columns(demo_session: Path) -> None:
    others = []
    for who, screen in (("sam", "tally"), ("kim", "groups")):
        store = SessionStore.open(demo_session, identity=who)
        store.pid += 1 + len(others)
        touch_presence(store, screen)
        others.append(store)
    app = make_app(demo_session, identity="ana", screen="roster")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(50):  # a condition, not a fixed pause: a loaded machine lays out late
            for store, screen in zip(others, ("tally", "groups")):
                touch_presence(store, screen)  # fresh heartbeats on a slow machine
            app.update_header()
            await pilot.pause()
            line = visible(app.screen.query_one(SessionHeader))
            if "with: kim, sam" in line:
                break
        assert "with: kim, sam" in line, line
        assert "you: ana" in line and "Wildlife" in line
    for store in others:
        store.close()


def test_ls_leaves_nothing_beside_the_sessions(demo_session: Path, small_session: Path,
                                               tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["ls", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "24 participants" in result.output and "4 participants" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal, no -shm
    with SessionStore.open(small_session):  # a co-facilitator has it open: still listed
        result = CliRunner().invoke(cli, ["ls", str(tmp_path)])
        assert "Small test session" in result.output


def test_ls_says_1_participant(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "one.db"
    assert runner.invoke(cli, ["new", str(path), "--title", "One"]).exit_code == 0
    assert runner.invoke(cli, ["roster", str(path), "--add", "Solo Person"]).exit_code == 0
    result = runner.invoke(cli, ["ls", str(tmp_path)])
    assert "1 participant  0 interactions" in result.output, result.output


async def test_enter_on_an_ungrouped_person_keeps_their_code_when_typing_the_number(
        small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        create_group(store, "Maps", None, [1])
    app = make_app(small_session, identity="ana", screen="groups")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#ungrouped").focus()
        await pilot.pause()
        await pilot.press("enter", "1", "enter")  # Bob is highlighted first
        await pilot.pause()
        assert [g.member_ids for g in screen.groups] == [(1, 2)]
        title = str(screen.query_one("#groups-title").render())
        assert title.startswith("No round (groups outside rounds): 1 group, 2 ungrouped")


async def test_the_kind_list_reaches_cut_off_at_80_columns(small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "a", "l")
        await pilot.pause()
        lines = ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]
        assert any("x cut-off" in line for line in lines), lines[-4:]


async def test_a_note_in_recent_entries_is_whole_at_100_columns(small_session: Path) -> None:
    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "a", "l", "a", "b", "s", *"about the budget", "enter")
        await pilot.pause()
        lines = ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]
        assert any("“about the budget”" in line for line in lines)


def test_a_reporter_typed_as_a_code_is_recorded_by_name(small_session: Path) -> None:
    from facilitator.core.goals import who_reports

    with SessionStore.open(small_session) as store:
        assert who_reports(store, "BS") == "Bob Smith"  # a code means that person
        assert who_reports(store, "  the  whole table ") == "the whole table"  # as typed
        assert who_reports(store, "  ") is None  # the group itself


def test_plurals_and_possessives() -> None:
    from facilitator.models.wording import count_of, possessive

    assert count_of(1, "group") == "1 group" and count_of(2, "group") == "2 groups"
    assert count_of(1, "person", "people") == "1 person"
    assert count_of(0, "person", "people") == "0 people"
    assert possessive("households") == "households'" and possessive("Maps team") == "Maps team's"

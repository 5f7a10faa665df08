"""The app shell and the roster screen, driven with Textual's Pilot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import DataTable, Input

from facilitator.app import make_app
from facilitator.models.roster import participants
from facilitator.models.store import SessionStore
from facilitator.widgets.session_header import SessionHeader


def header_text(app: object) -> str:
    return str(app.screen.query_one(SessionHeader).render())  # type: ignore[attr-defined]


def roster_names(app: object) -> list[str]:
    table = app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_header_shows_title_round_and_timer(demo_session: Path) -> None:
    app = make_app(demo_session, identity="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = header_text(app)
        assert "Wildlife emergency network unworkshop" in text
        assert "Mixed groups" in text and "left" in text
        assert "you: ana" in text


async def test_header_shows_who_else_is_connected(demo_session: Path) -> None:
    other = SessionStore.open(demo_session, identity="bob")
    from facilitator.models.presence import touch_presence

    other.pid += 1  # a second process, as the presence table sees it
    touch_presence(other, "tally")
    app = make_app(demo_session, identity="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        touch_presence(other, "tally")  # bob's heartbeat: on a slow machine the first one goes stale
        app.update_header()
        await pilot.pause()
        assert "with: bob (tally)" in header_text(app)
    other.close()


async def test_roster_lists_participants_with_codes(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert roster_names(app) == ["Ana Lopez", "Bob Smith", "Cleo Diaz", "Dev Patel"]
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[0]) == "al"


async def test_add_participant_by_keyboard(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        for ch in "[bold]Eve":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("tab", "tab")
        for ch in "role=host":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert "[bold]Eve" in roster_names(app)  # shown as typed, not as markup
    with SessionStore.open(small_session) as store:
        eve = [p for p in participants(store) if p.name == "[bold]Eve"][0]
        assert eve.tags == {"role": "host"}


async def test_add_participant_error_stays_in_the_form(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*["space" if ch == " " else ch for ch in "Ana Lopez"])
        await pilot.press("enter")
        await pilot.pause()
        assert "already on the roster" in str(app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert roster_names(app).count("Ana Lopez") == 1


async def test_mark_absent_and_undo(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "absent"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert str(table.get_row_at(0)[2]) == "yes"


async def test_switch_screens_with_digits_and_help(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert app.current_mode == "tally"
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "roster"
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Here/absent" in help_text and "Tally" in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "roster" and app.screen.__class__.__name__ == "RosterScreen"


async def test_too_small_terminal_says_so(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("too-small")
        assert app.screen.query_one("#too-small").display


async def test_entry_from_another_process_shows_within_a_second(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        subprocess.run([sys.executable, "-m", "facilitator.cli", "roster", str(small_session),
                        "--add", "Zara Quint"], check=True, capture_output=True)
        for _ in range(10):
            await pilot.pause(0.1)
            if "Zara Quint" in roster_names(app):
                break
        assert "Zara Quint" in roster_names(app)


async def test_read_only_refuses_changes_politely(small_session: Path) -> None:
    app = make_app(small_session, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert "read-only" in header_text(app)
    with SessionStore.open(small_session) as store:
        assert all(p.present for p in participants(store))


async def test_command_palette_offers_every_action(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        names = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Add", "Edit", "Here/absent", "Undo", "Go to tally", "Help"} <= names


async def test_roster_find_and_group_now(demo_session: Path) -> None:
    app = make_app(demo_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 24
        await pilot.press("slash", "m", "i", "x", "e", "d", " ", "2")
        await pilot.pause()
        assert table.row_count == 6  # everyone in Mixed 2, found by their group
        assert all(str(table.get_row_at(i)[3]) == "Mixed 2" for i in range(6))
        await pilot.press("enter", "space")  # the table keeps the filter and acts on it
        await pilot.pause()
        assert str(table.get_row_at(0)[2]) == "absent"
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 24


async def test_read_only_roster_says_so_before_any_form(small_session: Path) -> None:
    app = make_app(small_session, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "RosterScreen"  # no form opened
        assert any("read-only" in str(n.message) for n in app._notifications)

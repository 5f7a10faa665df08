"""Regressions found by exploratory testing of a live session (roster, tally, network,
CLI), each written as a user would notice it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from textual.widgets import DataTable

from facilitator.app import make_app
from facilitator.cli import cli
from facilitator.models.presence import touch_presence
from facilitator.models.store import SessionStore
from facilitator.widgets.session_header import SessionHeader


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def visible_line(widget: object, y: int = 0) -> str:
    """The cells a person sees on one line of a widget (not its full text)."""
    return "".join(segment.text for segment in widget.render_line(y))  # type: ignore[attr-defined]


async def test_header_at_80_columns_still_shows_the_co_facilitator(demo_session: Path) -> None:
    other = SessionStore.open(demo_session, identity="bob")
    other.pid += 1  # a second process, as the presence table sees it
    touch_presence(other, "tally")
    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        touch_presence(other, "tally")  # bob's heartbeat: on a slow machine the first one goes stale
        app.update_header()
        await pilot.pause()
        line = visible_line(app.screen.query_one(SessionHeader))
        assert "you: ana" in line
        assert "with: bob (tally)" in line
        assert "Wildlife" in line  # the title is shortened, not dropped
    other.close()


async def test_too_small_notice_follows_the_terminal_size(small_session: Path) -> None:
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.has_class("too-small")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.screen.has_class("too-small")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.has_class("too-small")


def test_import_row_with_more_cells_than_columns_is_one_sentence(demo_session: Path,
                                                                   tmp_path: Path) -> None:
    csv_file = tmp_path / "extra.csv"
    csv_file.write_text("source,target,kind\nao,bc,ask,extra,more\n", encoding="utf-8")
    before = run("report", str(demo_session)).output
    result = run("import", str(demo_session), str(csv_file))
    assert result.exit_code == 1
    assert "line 2" in result.output and "Traceback" not in result.output
    assert run("report", str(demo_session)).output == before


def test_import_keeps_a_line_break_inside_a_quoted_note_as_a_space(small_session: Path,
                                                                    tmp_path: Path) -> None:
    csv_file = tmp_path / "notes.csv"
    csv_file.write_text('source,target,kind,note\nal,bs,ask,"about\nfunding"\nbs,al,answer,ok\n',
                        encoding="utf-8")
    result = run("import", str(small_session), str(csv_file))
    assert result.exit_code == 0, result.output
    with SessionStore.open(small_session) as store:
        notes = [r["note"] for r in store.rows("SELECT note FROM interactions ORDER BY id")]
    assert notes == ["about funding", "ok"]


def test_roster_import_keeps_a_line_break_inside_a_quoted_name_as_a_space(
        small_session: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text('name,organisation\n"Eve\nMoss",Acme\n', encoding="utf-8")
    result = run("roster", str(small_session), "--import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "Eve Moss" in run("roster", str(small_session)).output


def test_import_refuses_a_timestamp_in_the_future(small_session: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "future.csv"
    csv_file.write_text("source,target,kind,timestamp\nal,bs,ask,2099-01-01T00:00:00\n",
                        encoding="utf-8")
    result = run("import", str(small_session), str(csv_file))
    assert result.exit_code == 1
    assert "line 2" in result.output and "future" in result.output
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT count(*) FROM interactions") == 0


async def test_roster_keeps_here_column_visible_with_a_very_long_name(small_session: Path) -> None:
    with SessionStore.open(small_session) as store:
        from facilitator.models.roster import add_participant

        add_participant(store, "Verylong" * 9 + " Name")
    app = make_app(small_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        header = visible_line(table, 0)
        assert "Here" in header and "Spoke" in header


async def test_tally_refusal_says_nothing_logged_within_80_columns(demo_session: Path) -> None:
    from facilitator.widgets.tally_prompt import TallyPrompt

    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")  # observe Mixed 1
        await pilot.press("a", "o")  # Amara is in another group
        await pilot.pause()
        line = visible_line(app.screen.query_one(TallyPrompt), 0)
        assert "Amara Okafor" in line and "othing logged" in line


def test_import_stores_a_timestamp_with_an_offset_in_utc(small_session: Path,
                                                         tmp_path: Path) -> None:
    """Entries sort by their time as text; an offset kept as typed sorted wrongly."""
    csv_file = tmp_path / "offset.csv"
    csv_file.write_text("source,target,kind,timestamp\nal,bs,ask,2024-05-01T12:00:00+02:00\n",
                        encoding="utf-8")
    assert run("import", str(small_session), str(csv_file)).exit_code == 0
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT at FROM interactions") == "2024-05-01T10:00:00.000+00:00"


async def test_explicit_letters_matching_no_one_shown_say_so(demo_session: Path) -> None:
    from facilitator.widgets.tally_prompt import TallyPrompt

    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")  # observe Mixed 1: no code starts with a
        await pilot.press("slash", "a")
        await pilot.pause()
        line = visible_line(app.screen.query_one(TallyPrompt), 0)
        assert "no one shown here" in line


async def test_tally_feed_keeps_room_at_80x24_when_many_have_not_spoken(
        demo_session: Path) -> None:
    from facilitator.widgets.tally_panels import FeedPanel

    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # A new round (each change asks first, y confirms): nobody has spoken yet.
        await pilot.press("ctrl+r", "y", "ctrl+r", "y")
        await pilot.press("a", "o", "b", "c")
        await pilot.pause()
        feed = app.screen.query_one(FeedPanel)
        assert feed.region.height >= 3  # the heading and at least two entries
        assert "Ben C. spoke to Amara O." in visible_line(feed, 1)


async def test_help_text_wraps_to_the_box_at_80_columns(demo_session: Path) -> None:
    from textual.widgets import Static

    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        extra = list(app.screen.query(Static))[-1]
        text = str(extra.render())
        # One paragraph is one line of source text, wrapped by the box only.
        assert "addressed to the previous speaker" in text


async def test_a_bracketed_paste_on_the_tally_screen_logs_nothing(small_session) -> None:
    from textual import events

    from facilitator.app import make_app
    from facilitator.models.store import SessionStore

    app = make_app(small_session, identity="ana", screen="tally")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.post_message(events.Paste("\x1b[0m al bs cd"))
        await pilot.pause()
        assert "Pasted text is ignored" in app.screen.prompt.keys.message
    with SessionStore.open(small_session) as store:
        assert store.scalar("SELECT COUNT(*) FROM interactions") == 0

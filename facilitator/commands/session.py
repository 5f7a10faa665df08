"""The foundation's commands: new, open, demo, ls, roster, log (export, report and
import are in commands/exchange.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from facilitator.app import FacilitatorApp

from facilitator.commands.common import (
    as_option,
    fail,
    open_store,
    plain,
    reports_errors,
    session_path,
)
from facilitator.models.store import SessionError

from facilitator.core.screens import SCREEN_NAMES as SCREEN_CHOICES


@click.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--title", "-t", help="The session's title (default: the template's, else the file name).")
@click.option("--template", type=click.Path(dir_okay=False), help="A session template (YAML).")
@click.option("--roster", type=click.Path(dir_okay=False), help="Participants from a CSV or YAML file.")
@click.option("--share-group", metavar="GROUP",
              help="Let this Unix group open and change it (default: private to you).")
@reports_errors
def new(path: str | None, title: str | None, template: str | None, roster: str | None,
        share_group: str | None) -> None:
    """Create a new session file (never overwrites one).

    PATH defaults to sessions/YYYY-MM-DD-<title>.db. The file is private to you
    (mode 0600) unless --share-group names the co-facilitators' Unix group.

    \b
    Example:
        facilitator new --title "Open space day" \\
            --template sessions/templates/open-space.yaml --roster people.csv
    """
    from facilitator.models.roster_import import read_roster
    from facilitator.models.session import create_session, default_session_path
    from facilitator.models.templates import load_template

    # Everything is read and checked before the file is created.
    loaded = load_template(template) if template else None
    people = read_roster(roster) if roster else []
    if share_group:
        from facilitator.models.sharing import group_id

        group_id(share_group)  # an unknown group is refused before anything is written
    if path is None:
        target = default_session_path(title or (loaded.title if loaded else "") or "session")
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target = Path(path)
    with create_session(target, title, loaded, people) as store:
        count = store.scalar("SELECT COUNT(*) FROM participants")
    from facilitator.models.wording import count_of

    click.echo(plain(f"Created {target} with {count_of(count, 'participant')}."
                     f" Open it with: facilitator open {target}"))
    if share_group:
        from facilitator.models.sharing import share_with_group

        advice = share_with_group(target, share_group)
        click.echo(f"Group {share_group} may open and change it.")
        for sentence in advice:
            click.echo(sentence)


@click.command(name="open")
@session_path
@as_option
@click.option("--read-only", is_flag=True, help="Look without changing anything.")
@click.option("--no-mouse", is_flag=True, help="Keyboard only: do not capture the mouse.")
@click.option("--screen", type=click.Choice(SCREEN_CHOICES), default="roster", show_default=True,
              help="The screen to open on.")
@reports_errors
def open_(path: str, identity: str | None, read_only: bool, no_mouse: bool, screen: str) -> None:
    """Open a session in the app (several people may open the same file).

    \b
    Example:
        facilitator open sessions/demo.db --as Ana --screen tally
    """
    open_in_app(path, identity=identity, read_only=read_only, screen=screen, mouse=not no_mouse)


@click.command()
@click.argument("path", required=False, default="sessions/demo.db", type=click.Path(dir_okay=False))
@as_option
@click.option("--no-open", is_flag=True, help="Only build the demo file; do not open the app.")
@reports_errors
def demo(path: str, identity: str | None, no_open: bool) -> None:
    """Build a realistic demo session (if missing) and open it.

    24 participants from four organisations, three rounds, self-organised groups,
    goals, essential topics, a challenge and a few hundred interactions.

    \b
    Example:
        facilitator demo             # sessions/demo.db
        facilitator demo /tmp/d.db --no-open
    """
    from facilitator.models.demo import build_demo

    target = Path(path)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        build_demo(target).close()
        click.echo(plain(f"Built the demo session at {target}."))
    if no_open:
        return
    open_in_app(target, identity=identity, screen="tally")


#: How often at most Textual draws a screen again (its TEXTUAL_FPS; its own default
#: is 60). Textual draws on a grid of 1/FPS slots: a keystroke that comes just
#: after a frame (a co-facilitator's entry drawn by the poll) waits for the next
#: slot. At 60 that is up to 17 ms: with ten writers on the file, the turn key's
#: p95 inside the app was 15-28 ms against 10-11 at 120 (3.2 ms alone). Textual's
#: animations keep their own 60 a second. A TEXTUAL_FPS of the user's is kept.
FRAMES_PER_SECOND = "120"


def open_in_app(path: str | Path, *, identity: str | None, read_only: bool = False,
                screen: str, mouse: bool = True) -> None:
    """Open the session in the app and run it until it ends. The file is opened
    (and the tally counted) in a thread while the app's code loads: SQLite's work
    on the other core; the cycle collector waits until the app has started
    (core.opening)."""
    import os

    from facilitator.core.opening import Opening, pause_collecting

    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)  # read when Textual loads
    pause_collecting()
    opening = Opening(path, identity=identity, read_only=read_only, count=screen == "tally")
    from facilitator.app import make_app

    app = make_app(path, identity=identity, read_only=read_only, screen=screen, mouse=mouse,
                   opening=opening)
    run_app(app, mouse=mouse)


def run_app(app: "FacilitatorApp", **options: bool) -> None:
    """Run the app until it ends, and make sure the process ends with it.

    When the terminal goes away under the app (a closed window or a dropped connection),
    Textual's input thread can be left reading end-of-file forever: the process would
    stay, at full CPU, long after the app ended. Everything acknowledged is already
    committed, so then the process leaves at once."""
    import os
    import signal

    from facilitator.app import terminal_alive

    try:
        app.run(**options)
    finally:
        app.store.close()
        if not terminal_alive():
            sys.stdout.flush()
            os._exit(128 + (app.stopped_by_signal or signal.SIGHUP))
    if app.stopped_by_signal:  # SIGHUP/SIGTERM: the shell's convention, 128 + the signal
        raise SystemExit(128 + app.stopped_by_signal)


@click.command(name="ls")
@click.argument("folder", required=False, default="sessions", type=click.Path(file_okay=False))
@reports_errors
def ls(folder: str) -> None:
    """List the sessions in a folder: title, date, participants, interactions.

    \b
    Example:
        facilitator ls sessions
    """
    from facilitator.models.peek import glance
    from facilitator.models.session import session_info
    from facilitator.models.wording import count_of

    base = Path(folder)
    if not base.is_dir():
        fail(f"There is no folder {base}.")
    found = 0
    for path in sorted(base.glob("*.db")):
        try:
            with glance(path) as store:  # leaves no empty -wal and -shm beside it
                info = session_info(store)
                people = store.scalar("SELECT COUNT(*) FROM participants")
                logged = store.scalar("SELECT COUNT(*) FROM interactions WHERE voided_at IS NULL")
            click.echo(f"{plain(path)}  {plain(info.title)}  {info.created_at[:10]}  "
                       f"{count_of(people, 'participant')}  {count_of(logged, 'interaction')}")
        except SessionError as error:
            click.echo(f"{plain(path)}  (not readable: {plain(str(error))})")
        found += 1
    if not found:
        click.echo(plain(f"No sessions in {base}. Create one with: facilitator new"))


@click.command()
@session_path
@click.option("--add", "names", multiple=True, metavar="NAME", help="Add a participant (repeatable).")
@click.option("--import", "import_file", type=click.Path(dir_okay=False),
              help="Add everyone in a CSV or YAML roster (all or nothing).")
@click.option("--remove", "remove_name", metavar="NAME",
              help="Take a mistyped participant off the roster (only one with nothing logged).")
@click.option("--merge", "merge_names", nargs=2, metavar="FROM INTO",
              help="Two entries for one person: move everything of FROM to INTO, then remove FROM.")
@click.option("--restore", "restore_name", metavar="NAME",
              help="Undo the latest --remove or --merge of NAME: back on the roster, with all they had.")
@as_option
@reports_errors
def roster(path: str, names: tuple[str, ...], import_file: str | None, remove_name: str | None,
           merge_names: tuple[str, str] | None, restore_name: str | None,
           identity: str | None) -> None:
    """Show the roster, add participants, remove a mistyped one or merge two entries
    for one person. Names as people type them: case and accents do not matter
    (zoe finds Zoë Müller), and codes work too.

    \b
    Example:
        facilitator roster sessions/demo.db --add "Ada Lovelace" --add "Alan Turing"
        facilitator roster sessions/demo.db --import people.csv
        facilitator roster sessions/demo.db --remove "Ada Lovleace"
        facilitator roster sessions/demo.db --merge "Zoe Muler" "Zoë Müller"
        facilitator roster sessions/demo.db --restore "Zoe Muler"
    """
    from facilitator.models.roster import add_participants, format_tags, participants
    from facilitator.models.roster_import import read_roster

    people: list[tuple[str, dict[str, object]]] = [(name, {}) for name in names]
    if import_file:
        people += read_roster(import_file)
    if sum(map(bool, (people, remove_name, merge_names, restore_name))) > 1:
        raise click.UsageError("Give one of --add/--import, --remove, --merge or --restore at a time.")
    with open_store(path, identity) as store:
        if remove_name is not None or merge_names or restore_name is not None:
            from facilitator.core import roster as changes

            if restore_name is not None:
                said = changes.put_back(store, restore_name)
            elif remove_name is not None:
                said, _ = changes.remove(store, remove_name)
            else:
                said, _ = changes.merge(store, *merge_names)  # type: ignore[misc]
            click.echo(plain(said))
            return
        if people:
            added = add_participants(store, people)
            for person in added:
                click.echo(f"Added {plain(person.name)} ({person.code})")
            return
        for person in participants(store):
            state = "" if person.present else "  (absent)"
            click.echo(f"{person.code:4} {plain(person.name)}  {plain(format_tags(person.tags))}{state}")


@click.command()
@session_path
@click.argument("source", required=False)
@click.argument("target", required=False)
@click.option("--kind", "-k", default=None, help="A kind from the codebook (default: a speaking turn).")
@click.option("--note", "-n", help="A note to keep with the entry.")
@as_option
@reports_errors
def log(path: str, source: str | None, target: str | None, kind: str | None, note: str | None,
        identity: str | None) -> None:
    """Log one interaction; SOURCE and TARGET by name or code.

    Leave out TARGET for something addressed to the whole group, and SOURCE too
    for a whole-group state such as silence. Exits 0 only once it is committed.

    \b
    Example:
        facilitator log sessions/demo.db ao bc --kind ask --note "about funding"
        facilitator log sessions/demo.db --kind silence
    """
    from facilitator.models.codebook import find_kind, turn_kind
    from facilitator.models.interactions import log_interaction
    from facilitator.models.roster import find_participant

    with open_store(path, identity) as store:
        chosen = find_kind(store, kind) if kind else turn_kind(store)
        if chosen is None:
            raise SessionError(f"{kind!r} is not a kind in this session's codebook.")
        if chosen.scope == "group" and (source or target):
            raise SessionError(f"{chosen.name!r} is a whole-group state; leave out SOURCE and TARGET.")
        who = find_participant(store, source) if source else None
        whom = find_participant(store, target) if target and chosen.scope == "pair" else None
        entry = log_interaction(store, chosen, who, whom, note=note)
        if who is None:
            text = f"{chosen.label}"
        else:
            text = f"{who.name} {chosen.label} {whom.name if whom else 'the whole group'}"
        click.echo(f"Logged #{entry.id}: {plain(text)}" + (f" ({plain(note)})" if note else ""))


COMMANDS = [new, open_, demo, ls, roster, log]

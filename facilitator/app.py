"""The Textual app: screens, global keys, live refresh and presence.

Built by one factory, make_app, used by the CLI and the tests alike."""

from __future__ import annotations

import asyncio
import importlib
import signal
import sqlite3
import sys
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.notifications import Notify, SeverityLevel
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.worker import Worker

    from facilitator.core.opening import Opening
    from facilitator.screens.base import Written

    from facilitator.widgets.failures import WorkerFailed

from facilitator.core.opening import resume_collecting
from facilitator.core.screens import SCREEN_NAMES
from facilitator.widgets.terminal_input import terminal_alive
from facilitator.screens.messages import Said
from facilitator.models.presence import PRESENCE_HEARTBEAT, Presence
from facilitator.models.records import Round
from facilitator.models.rounds import (
    current_round, format_remaining, remaining_seconds, time_up_key)
from facilitator.models.session import session_info
from facilitator.models.store import SessionError, SessionStore

#: Every screen, in key order: name -> "module:Class". Loaded lazily, so start-up
#: pays only for the first screen.
SCREENS_BY_NAME: dict[str, str] = {
    name: f"facilitator.screens.{name}:{name.capitalize()}Screen" for name in SCREEN_NAMES
}
POLL_SECONDS = 0.25
#: When Python's cycle collector resumes after start-up (core.opening).
GC_RESUME_SECONDS = 1.0
#: Messages kept for the log (ctrl+l).
MESSAGES_KEPT = 200
MIN_WIDTH, MIN_HEIGHT = 80, 24


def load_screen_class(name: str) -> type[Screen[None]]:
    module_name, class_name = SCREENS_BY_NAME[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)  # type: ignore[no-any-return]


class FacilitatorApp(App[None]):
    """One open session: a screen per mode, refreshed when the file changes."""

    TITLE = "facilitator"
    CSS_PATH = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Help first: the footer shows app keys after the screen's, and at 80 columns
    # only the first few fit.
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("1", "show('roster')", "Roster", id="screen.roster"),
        Binding("2", "show('groups')", "Groups", id="screen.groups"),
        Binding("3", "show('goals')", "Goals", id="screen.goals"),
        Binding("4", "show('tally')", "Tally", id="screen.tally"),
        Binding("5", "show('network')", "Network", id="screen.network"),
        Binding("ctrl+q", "quit", "Quit", id="quit"),
        Binding("ctrl+l", "messages", "Messages", id="messages", show=False),
        Binding("ctrl+o", "export", "Export the session next to its file", id="export", show=False),
    ]

    def get_driver_class(self) -> Any:
        """Textual's driver, with pasted text kept whole (widgets/terminal_input.py)."""
        from facilitator.widgets.terminal_input import driver_class

        return driver_class(super().get_driver_class())

    def __init__(self, store: SessionStore, *, screen: str = "roster", mouse: bool = True,
                 opening: "Opening | None" = None):
        self.MODES = {name: partial(self._make_screen, name) for name in SCREEN_NAMES}
        # The first screen is Textual's default mode, built when the app composes:
        # not an empty default screen first and a switch_mode later, which holds
        # every paint back 50 ms (delay_update) and parses the stylesheet again.
        self.DEFAULT_MODE = screen  # type: ignore[misc]
        super().__init__()
        self.store = store
        #: The file as opened in a thread (core.opening): the tally's first counts.
        self.opening = opening
        self.start_screen = screen
        self.mouse = mouse
        self._seen_version = store.data_version()
        self.presence = Presence(store)
        #: Set when SIGHUP or SIGTERM asked the app to go.
        self.stopped_by_signal: int | None = None
        self._on_terminal = False
        #: Every message shown, oldest first (ctrl+l lists them; one is on screen).
        self.said: deque[Said] = deque(maxlen=MESSAGES_KEPT)
        #: Rounds whose time-up notice this app has shown (see notice_time_up).
        self._time_up_noticed: set[tuple[object, ...]] = set()
        #: When the header's countdown was last worked out (update_header).
        self._clock: datetime | None = None
        # Before the first screen is styled (it is built when the app composes).
        self.theme = "textual-dark"

    # ------------------------------------------------------------------ screens
    def _make_screen(self, name: str) -> Screen[None]:
        screen = load_screen_class(name)(self.store)  # type: ignore[call-arg]
        # Textual 8.2 refreshes the whole stylesheet (parses every rule again, then
        # restyles every node) for each new screen whose CSS count differs from the
        # app's, which a new screen's always does: at start-up, a full parse for
        # nothing. When the stylesheet's variables are the app's already, there is
        # nothing for that refresh to change. (A theme change still refreshes.)
        if self.stylesheet._variables == self.get_css_variables():
            screen._css_update_count = self._css_update_count
        # Its CSS file read here: Textual would add it when the screen is shown and
        # then parse every rule again; read now, only the new file is parsed.
        for path in screen.css_path:
            if not self.stylesheet.has_source(str(path), ""):
                self.stylesheet.read(path)
        return screen

    def on_mount(self) -> None:
        if self.current_mode != self.start_screen:
            self.switch_mode(self.start_screen)
        self.set_interval(POLL_SECONDS, self.poll_for_changes)
        self.set_interval(PRESENCE_HEARTBEAT, self.announce_presence)
        self.set_interval(1.0, self.update_header)
        self.update_header()
        # Said once the first frame is out: the presence row is a commit (an fsync),
        # which nobody waits for.
        self.call_after_refresh(self.announce_presence)
        self._exit_on_signals()
        #: Running on a real terminal (not headless): watched in case it goes away.
        self._on_terminal = not self.is_headless and terminal_alive()
        if self.store.read_only_reason:
            self.notify(self.store.read_only_reason, severity="warning", markup=False, timeout=10)
        self.set_timer(GC_RESUME_SECONDS, resume_collecting)

    def _exit_on_signals(self) -> None:
        """SIGHUP (the terminal or the SSH connection went) and SIGTERM end the app the
        way Ctrl+Q does: the terminal is restored and the presence row goes at once."""
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self.exit_on_signal, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (some test runners): the default handlers stay

    def exit_on_signal(self, signum: int) -> None:
        self.stopped_by_signal = signum
        # First, while the file is surely reachable: nobody should see us after this.
        self.presence.leave()
        self.exit(return_code=128 + signum)

    def action_show(self, name: str) -> None:
        if name in SCREENS_BY_NAME and self.current_mode != name:
            self.switch_mode(name)
            self.call_after_refresh(self.announce_presence)

    def action_help(self) -> None:
        """What this screen's words mean, and every key of it and of the app."""
        if isinstance(self.screen, ModalScreen):
            return
        from facilitator.screens.help import HelpScreen

        self.push_screen(HelpScreen(list(self.BINDINGS), self.screen, getattr(self.screen, "HELP", "")))

    def action_report(self) -> None:
        """The session's report, as `facilitator report` prints it."""
        if isinstance(self.screen, ModalScreen):
            return
        from facilitator.screens.report import report_text

        path = Path(self.store.path)
        self.notify("Building the report...", timeout=2)
        self.run_worker(lambda: report_text(path), name="the report", thread=True,
                        group="report", exit_on_error=False)

    def on_worker_state_changed(self, event: "Worker.StateChanged") -> None:
        """The report's worker: its text becomes the report box (a failure goes
        to the one worker-failure path)."""
        from textual.worker import WorkerState

        worker = event.worker
        if worker.group != "report":
            return
        if worker.state == WorkerState.SUCCESS and isinstance(worker.result, str):
            from facilitator.screens.report import ReportScreen

            self.clear_notifications()
            self.push_screen(ReportScreen(worker.result))
        elif worker.state == WorkerState.ERROR and worker.error is not None:
            from facilitator.widgets.failures import WorkerFailed

            self.on_worker_failed(WorkerFailed("the report", worker.error))

    # ------------------------------------------------------------------ messages
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """At most one message on screen: a newer one replaces the older (3-5 toasts
        used to cover half of an 80x24 screen); all of them are kept for ctrl+l."""
        shown = f"{title}: {message}" if title else str(message)
        if markup:  # kept as the reader saw it, without the markup
            from rich.errors import MarkupError
            from rich.text import Text

            try:
                shown = Text.from_markup(shown).plain
            except MarkupError:
                pass
        self.said.append(Said(datetime.now().strftime("%H:%M:%S"), severity, shown))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        # notify() posts a message: the older toasts are cleared when the newer
        # one arrives, else several sent in one go would all still show.
        self._notifications.clear()
        super()._on_notify(event)

    def action_messages(self) -> None:
        """Every message shown this session, newest first."""
        if isinstance(self.screen, ModalScreen):
            return
        from facilitator.screens.messages import MessagesScreen

        self.push_screen(MessagesScreen(self.said))

    def action_export(self) -> None:
        """Every format (CSV, Gephi, GraphML, JSON, xlsx, the report) next to the session file."""
        from facilitator.screens.export import start_export

        start_export(self, Path(self.store.path))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): the screens, every action of every screen
        (another screen's action switches to it first), every action of the app
        (help, messages, export, report, a new round ...), and nothing of
        Textual's own (copy text, focus next, theme, screenshot)."""
        from facilitator.screens.help import added_bindings, key_names

        seen: set[str] = set()

        def once(command: SystemCommand) -> Iterable[SystemCommand]:
            if command.title not in seen:
                seen.add(command.title)
                yield command

        for name in SCREEN_NAMES:
            yield from once(SystemCommand(f"Go to {name}", f"Show the {name} screen",
                                          partial(self.action_show, name)))
        read_only = self.store.read_only  # offer only what works there
        if hasattr(screen, "action_round") and not read_only:
            yield from once(SystemCommand(
                "New round", "Start the next round (keep the groups, open space or a"
                " suggestion) or end this one, for everyone", screen.action_round))
        for title, help_text, action in app_actions(type(self)):
            yield from once(SystemCommand(title, help_text,
                                          partial(self.call_later, self.run_action, action)))
        here = self.current_mode
        for name in SCREEN_NAMES:
            bindings = screen_bindings(load_screen_class(name))
            if name == here:
                bindings += added_bindings(screen)  # bound at run time (tally states)
            writes = getattr(load_screen_class(name), "writes", None)
            for binding in bindings:
                if read_only and writes is not None and writes(binding.action):
                    continue
                keys = key_names(binding.key)
                if name == here and not isinstance(screen, ModalScreen):
                    # This screen's own actions by their plain name; they run here.
                    yield from once(SystemCommand(
                        binding.description, f"Key {keys}",
                        partial(self.call_later, self.run_action, binding.action, screen)))
                    continue
                yield from once(SystemCommand(
                    f"{name.capitalize()}: {binding.description}",
                    f"Key {keys} on the {name} screen",
                    partial(self.run_on_screen, name, binding.action)))
        yield from once(SystemCommand("Quit", "Leave the app (ctrl+q)", self.action_quit))

    def run_on_screen(self, name: str, action: str) -> None:
        """A palette command of another screen: show that screen, then run it there."""
        self.action_show(name)

        async def run() -> None:
            await self.run_action(action, self.screen)

        self.call_after_refresh(run)

    # ------------------------------------------------------------- live refresh
    def poll_for_changes(self) -> None:
        """PRAGMA data_version changes when another process commits (~7 µs a call)."""
        if self._on_terminal and not terminal_alive():
            # The terminal went away and no SIGHUP reached us (it was not our
            # controlling terminal): leave as if it had.
            self.exit_on_signal(signal.SIGHUP)
            return
        try:
            version = self.store.data_version()
        except sqlite3.Error:  # the file vanished or went bad: keep running
            return
        if version != self._seen_version:
            self._seen_version = version
            self.data_changed()

    def data_changed(self) -> None:
        """Refresh what is visible (skipped under a modal: ScreenResume catches up)."""
        from facilitator.screens.base import SessionScreen

        screen = self.screen
        # Not before the screen is mounted (a mode being switched to): its on_mount
        # reads the file itself; refreshing it earlier found its widgets missing.
        if isinstance(screen, SessionScreen) and screen.is_mounted:
            try:
                screen.refresh_data()
            except SessionError as error:  # the file went bad under us: say so, keep running
                self.notify(str(error), severity="error", markup=False)
            except NoMatches:
                # Its widgets are coming or going (a screen switch, the app closing
                # between a poll's timer firing and its run): the screen's own mount,
                # or the next poll, reads the file.
                pass
        self.update_header(tick=False)

    # ------------------------------------------------------------ messages up
    def on_written(self, message: Written) -> None:
        """A screen wrote: refresh from the file, as after anyone's commit (or only
        the header, when the screen read the file back itself: after the frame that
        shows the keystroke, which it would otherwise wait for; a turn never changes
        the header, a round's start or end shows there one frame later)."""
        if message.refreshed:
            self.call_after_refresh(self.update_header, False)
        else:
            self.data_changed()

    def on_suggestions_wanted(self, message: object) -> None:
        """The round dialog's s with nothing prepared: the groups screen's suggestions."""
        self.action_show("groups")
        self.call_after_refresh(self._open_suggestions)

    def _open_suggestions(self) -> None:
        show = getattr(self.screen, "show_suggestions", None)
        if show is not None:
            show()

    def on_shown(self, message: object) -> None:
        self.call_after_refresh(self.update_header)
        self.call_after_refresh(self.check_size)

    def on_worker_failed(self, message: "WorkerFailed") -> None:
        """The one place a failed worker becomes a sentence; the app keeps running."""
        error = message.error
        if isinstance(error, SessionError):
            text = str(error)
        else:
            text = (f"Something went wrong in {message.name} ({type(error).__name__}: {error});"
                    " the session file is unchanged and the app keeps running.")
        self.notify(text, severity="error", markup=False, timeout=8)

    def announce_presence(self) -> None:
        try:
            self.presence.heartbeat(self.current_mode or self.start_screen)
        except SessionError:
            pass  # presence is a courtesy; never interrupt the facilitator for it
        self.update_header()

    def update_header(self, tick: bool = True) -> None:
        """The header's line, and the app's one timer: the round's time left (or
        over) is computed here once a second from the file's round, for the header
        only, so no two counters on screen can disagree.

        tick=False (after a change in the file): the clock stays at the last
        second's tick. Otherwise a keystroke's refresh could move the countdown a
        frame after the rest of what the keystroke changed, a second repaint for
        nothing; the next tick moves it anyway."""
        from facilitator.widgets.session_header import SessionHeader

        if not self.is_running:
            return
        if tick or self._clock is None:
            self._clock = datetime.now(timezone.utc)
        info = session_info(self.store)
        round_ = current_round(self.store)
        round_text, overtime = "", False
        if round_ is not None:
            left = remaining_seconds(round_, self._clock)
            overtime = left is not None and left < 0
            state = "ended" if round_.ended_at else format_remaining(left) or "running"
            round_text = f"{round_.name} {state}"
            if overtime:
                self.notice_time_up(round_)
        present = self.presence.others()
        # Two processes under one name cannot be told apart in `logged_by`.
        shared = any(who == self.store.identity for who, _ in present)
        for header in self.screen.query(SessionHeader):
            header.show(info.title, self.current_mode or "", round_text, list(present),
                        self.store.identity, self.store.read_only, overtime,
                        shared_identity=shared)

    def notice_time_up(self, round_: Round) -> None:
        """Once per round (and per planned length: a round given more time can run
        over again), the same sentence in every co-facilitator's app, derived from
        the file's round: its start and its planned minutes."""
        key = time_up_key(round_)
        if key in self._time_up_noticed:
            return
        self._time_up_noticed.add(key)
        minutes = f"{round_.planned_minutes:g}"
        self.notify(f"Time is up for {round_.name} ({minutes} min planned). The round goes on"
                    " until someone ends it or starts the next (ctrl+r, or o on groups).",
                    title="Timer", severity="warning", timeout=10, markup=False)

    def on_resize(self, event: events.Resize) -> None:
        # This handler runs before App._on_resize stores the new size, so
        # self.size is still the old one here: use the event's.
        self.check_size(event.size)

    def check_size(self, size: Size | None = None) -> None:
        size = size or self.size
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        self.screen.set_class(small, "too-small")

    def on_unmount(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.remove_signal_handler(signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
        try:
            self.presence.close()
        finally:
            self.store.close()


#: App actions the palette does not list on their own (the screens and Quit are
#: listed their own way).
UNLISTED_ACTIONS = {"show", "quit"}
#: Keys that only mean something while typing into a line: not palette commands.
TYPING_KEYS = {"enter", "escape", "backspace", "tab"}


def app_actions(app_class: type[App[None]]) -> list[tuple[str, str, str]]:
    """(title, help, action) of every action the facilitator app defines (not
    Textual's): a binding's description names it, else its docstring's first line.
    An action added by any feature (export, report ...) shows up by itself."""
    from facilitator.screens.help import key_names, ours

    described = {b.action: b for b in app_class.BINDINGS if isinstance(b, Binding)}
    found = []
    for klass in app_class.__mro__:
        if not ours(klass):
            continue
        for attr, member in vars(klass).items():
            name = attr.removeprefix("action_")
            if not attr.startswith("action_") or name in UNLISTED_ACTIONS or not callable(member):
                continue
            doc = (member.__doc__ or "").strip().splitlines()
            binding = described.get(name)
            title = binding.description if binding else name.replace("_", " ").capitalize()
            keys = f" ({key_names(binding.key)})" if binding else ""
            found.append((title, (doc[0] if doc else title) + keys, name))
    return found


def screen_bindings(screen_class: type[Screen[None]]) -> list[Binding]:
    """The bindings a facilitator screen declares (not Textual's own), described,
    and not keys that only edit a line being typed."""
    from facilitator.screens.help import ours

    found = []
    for klass in reversed(screen_class.__mro__):
        if not ours(klass):
            continue
        for binding in vars(klass).get("BINDINGS", []):
            if (isinstance(binding, Binding) and binding.description
                    and not set(binding.key.split(",")) & TYPING_KEYS):
                found.append(binding)
    return found


def make_app(path: str | Path, *, identity: str | None = None, read_only: bool = False,
             screen: str = "roster", mouse: bool = True,
             opening: "Opening | None" = None) -> FacilitatorApp:
    """Open the session file and build the app, exactly as users get it (with
    `opening`: the file opened already, in a thread, with the same arguments)."""
    if screen not in SCREENS_BY_NAME:
        raise SessionError(f"There is no {screen!r} screen; choose one of {', '.join(SCREEN_NAMES)}.")
    if opening is not None:
        return FacilitatorApp(opening.store(), screen=screen, mouse=mouse, opening=opening)
    store = SessionStore.open(path, identity=identity, read_only=read_only)
    return FacilitatorApp(store, screen=screen, mouse=mouse)

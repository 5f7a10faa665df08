"""The Textual app: screens, global keys, live refresh and presence.

Built by one factory, make_app, used by the CLI and the tests alike."""

from __future__ import annotations

import asyncio
import importlib
import signal
import sqlite3
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from facilitator.widgets.failures import WorkerFailed

from facilitator.core.screens import SCREEN_NAMES
from facilitator.models.presence import PRESENCE_HEARTBEAT, Presence
from facilitator.models.rounds import current_round, format_remaining, remaining_seconds
from facilitator.models.session import session_info
from facilitator.models.store import SessionError, SessionStore

#: Every screen, in key order: name -> "module:Class". Loaded lazily, so start-up
#: pays only for the first screen.
SCREENS_BY_NAME: dict[str, str] = {
    name: f"facilitator.screens.{name}:{name.capitalize()}Screen" for name in SCREEN_NAMES
}
POLL_SECONDS = 0.25
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
        Binding("ctrl+o", "export", "Export the session next to its file", id="export", show=False),
    ]

    def get_driver_class(self) -> Any:
        """Textual's driver, with pasted text kept whole (widgets/terminal_input.py)."""
        from facilitator.widgets.terminal_input import driver_class

        return driver_class(super().get_driver_class())

    def __init__(self, store: SessionStore, *, screen: str = "roster", mouse: bool = True):
        self.MODES = {name: partial(self._make_screen, name) for name in SCREEN_NAMES}
        super().__init__()
        self.store = store
        self.start_screen = screen
        self.mouse = mouse
        self._seen_version = store.data_version()
        self.presence = Presence(store)
        #: Set when SIGHUP or SIGTERM asked the app to go.
        self.stopped_by_signal: int | None = None
        self._on_terminal = False

    # ------------------------------------------------------------------ screens
    def _make_screen(self, name: str) -> Screen[None]:
        return load_screen_class(name)(self.store)  # type: ignore[call-arg]

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.switch_mode(self.start_screen)
        self.set_interval(POLL_SECONDS, self.poll_for_changes)
        self.set_interval(PRESENCE_HEARTBEAT, self.announce_presence)
        self.set_interval(1.0, self.update_header)
        self.announce_presence()
        self._exit_on_signals()
        #: Running on a real terminal (not headless): watched in case it goes away.
        self._on_terminal = not self.is_headless and terminal_alive()
        if self.store.read_only_reason:
            self.notify(self.store.read_only_reason, severity="warning", markup=False, timeout=10)

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
        if isinstance(self.screen, ModalScreen):
            return
        from facilitator.screens.help import HelpScreen

        self.push_screen(HelpScreen(list(self.BINDINGS), self.screen, getattr(self.screen, "HELP", "")))

    def action_export(self) -> None:
        from facilitator.screens.export import start_export

        start_export(self, Path(self.store.path))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for name in SCREEN_NAMES:
            yield SystemCommand(f"Go to {name}", f"Show the {name} screen",
                                partial(self.action_show, name))
        yield SystemCommand("Help", "Every key of this screen and the app", self.action_help)
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is self or not binding.description:
                continue
            yield SystemCommand(
                binding.description, f"Key: {binding.key}",
                partial(self.call_later, self.run_action, binding.action, active.node))
        yield from super().get_system_commands(screen)

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
        self.update_header()

    # ------------------------------------------------------------ messages up
    def on_written(self, message: object) -> None:
        """A screen wrote: refresh from the file, as after anyone's commit."""
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

    def update_header(self) -> None:
        from facilitator.widgets.session_header import SessionHeader

        if not self.is_running:
            return
        info = session_info(self.store)
        round_ = current_round(self.store)
        round_text, overtime = "", False
        if round_ is not None:
            left = remaining_seconds(round_)
            overtime = left is not None and left < 0
            state = "ended" if round_.ended_at else format_remaining(left) or "running"
            round_text = f"{round_.name} {state}"
        present = self.presence.others()
        others = [f"{who} ({screen})" if screen else who for who, screen in present]
        # Two processes under one name cannot be told apart in `logged_by`.
        shared = any(who == self.store.identity for who, _ in present)
        for header in self.screen.query(SessionHeader):
            header.show(info.title, self.current_mode or "", round_text, others,
                        self.store.identity, self.store.read_only, overtime,
                        shared_identity=shared)

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


def terminal_alive() -> bool:
    """Whether standard input is still a terminal that answers (not hung up)."""
    import termios

    try:
        termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        return False
    return True


def make_app(path: str | Path, *, identity: str | None = None, read_only: bool = False,
             screen: str = "roster", mouse: bool = True) -> FacilitatorApp:
    """Open the session file and build the app, exactly as users get it."""
    if screen not in SCREENS_BY_NAME:
        raise SessionError(f"There is no {screen!r} screen; choose one of {', '.join(SCREEN_NAMES)}.")
    store = SessionStore.open(path, identity=identity, read_only=read_only)
    return FacilitatorApp(store, screen=screen, mouse=mouse)

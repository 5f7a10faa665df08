"""The base of every screen: access to the session, and a refresh hook the app
calls when the file changes (here or in another process)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from facilitator.models.store import SessionError

if TYPE_CHECKING:
    from facilitator.app import FacilitatorApp
    from facilitator.models.store import SessionStore


class SessionScreen(Screen[None]):
    """A screen that shows part of the session and refreshes when it changes.

    The base mounts the session header (title, round, timer, who else is here),
    the footer and the "terminal too small" notice: compose only the body, and
    do not yield Header or Footer yourself."""

    #: The name used by `--screen`, the presence table and the header.
    SCREEN_NAME = ""

    def __init__(self) -> None:
        super().__init__()
        #: (what, how to undo it), newest last; see remember_undo / action_undo.
        self.undo_stack: list[tuple[str, Callable[[], object]]] = []

    @property
    def facilitator(self) -> "FacilitatorApp":
        from facilitator.app import FacilitatorApp

        app = self.app
        assert isinstance(app, FacilitatorApp)
        return app

    @property
    def store(self) -> "SessionStore":
        return self.facilitator.store

    def refresh_data(self) -> None:
        """Re-read what this screen shows from the store. Called on mount, when the
        screen comes back, and whenever the session file changed. Keep it cheap:
        indexed queries, no reload of the whole log."""

    def on_mount(self) -> None:
        # Every screen gets the session header, the footer and the "too small"
        # notice, so screens only compose their own body.
        from textual.widgets import Footer, Static

        from facilitator.widgets.session_header import SessionHeader

        if not self.query(SessionHeader):
            self.mount(SessionHeader(), before=0 if self.children else None)
        if not self.query(Footer):
            self.mount(Footer())
        if not self.query("#too-small"):
            self.mount(Static("Terminal too small: facilitator needs at least 80x24.",
                              id="too-small"))
        self.refresh_data()
        self.call_after_refresh(self.facilitator.update_header)
        self.call_after_refresh(self.facilitator.check_size)

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.call_after_refresh(self.facilitator.check_size)

    def written(self) -> None:
        """Call after this process wrote to the file: PRAGMA data_version does not
        change for our own commits, so the app refreshes explicitly."""
        self.facilitator.data_changed()

    def refuse_if_read_only(self) -> bool:
        """True (after saying so at once) when the session is read-only: call it
        before opening anything that would write, not after the user filled it in."""
        if self.store.read_only:
            self.hint("This session is open read-only; nothing can be changed.", error=True)
        return self.store.read_only

    def remember_undo(self, what: str, undo: Callable[[], object]) -> None:
        """Push an undo step; `what` completes the sentence "Undid ...", and the step
        may return a further sentence to show."""
        self.undo_stack.append((what, undo))

    def action_undo(self) -> None:
        """Undo this screen's last change (session screens bind it to ctrl+z)."""
        if not self.undo_stack:
            self.hint(f"Nothing to undo on the {self.SCREEN_NAME} screen.")
            return
        what, undo = self.undo_stack.pop()
        try:
            said = undo()
        except SessionError as error:
            self.hint(str(error), error=True)
            return
        # An undo step may return one more sentence to say (e.g. what stayed).
        self.hint(f"Undid {what}. {said}" if isinstance(said, str) and said else f"Undid {what}.")
        self.written()

    def hint(self, message: str, *, error: bool = False) -> None:
        """A short, unobtrusive message (no modal). User text is never markup."""
        self.app.notify(message, severity="error" if error else "information",
                        timeout=3, markup=False)

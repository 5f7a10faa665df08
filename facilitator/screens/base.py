"""The base of every screen: access to the session, and a refresh hook the app
calls when the file changes (here or in another process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from facilitator.app import FacilitatorApp
    from facilitator.models.store import SessionStore


class SessionScreen(Screen[None]):
    """A screen that shows part of the session and refreshes when it changes."""

    #: The name used by `--screen`, the presence table and the header.
    SCREEN_NAME = ""

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
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def written(self) -> None:
        """Call after this process wrote to the file: PRAGMA data_version does not
        change for our own commits, so the app refreshes explicitly."""
        self.facilitator.data_changed()

    def hint(self, message: str, *, error: bool = False) -> None:
        """A short, unobtrusive message (no modal). User text is never markup."""
        self.app.notify(message, severity="error" if error else "information",
                        timeout=3, markup=False)

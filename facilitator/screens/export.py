"""Exporting from the app: every format for people and tools, into a new folder next
to the session file, with a progress bar, then one sentence saying where the files
went. The export reads the file on its own read-only connection in a worker, so
the room's screens keep refreshing; Escape cancels it (nothing is left behind)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from facilitator.core.exporting import APP_FORMATS, Exported, export_session
from facilitator.models.store import SessionError, SessionStore
from facilitator.models.text import shown
from facilitator.widgets.failures import forward_worker_failure



def export_folder(session: Path, at: datetime | None = None) -> Path:
    """<session folder>/<name>-export-YYYY-MM-DD-HHMM, never one that exists."""
    stamp = (at or datetime.now()).strftime("%Y-%m-%d-%H%M")
    base = session.parent / f"{session.stem}-export-{stamp}"
    folder, number = base, 1
    while folder.exists():
        number += 1
        folder = base.with_name(f"{base.name}-{number}")
    return folder


class Cancelled(SessionError):
    """Escape during an export: nothing was written."""


class ExportScreen(ModalScreen[None]):
    """The export under way, then where its files are."""

    BINDINGS = [Binding("escape,enter", "close", "Close (cancels a running export)",
                        id="export.close")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 72; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    ExportScreen ProgressBar { margin: 1 0; }
    ExportScreen .hint { color: $text-muted; }
    """

    def __init__(self, session: Path, folder: Path) -> None:
        super().__init__()
        self.session = session
        self.folder = folder
        self.cancel = threading.Event()
        #: The export's outcome: None while it runs.
        self.result: Exported | None = None
        self.running = True
        self._shown = -1

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(shown(f"Exporting to {self.folder}"), id="export-what", markup=False)
            yield ProgressBar(total=100, show_eta=False, id="export-progress")
            yield Static("Reading the session…", id="export-status", markup=False)
            yield Static("Escape cancels", classes="hint", id="export-hint", markup=False)

    def on_mount(self) -> None:
        self.run_worker(self._export, name="the export", group="export", thread=True,
                        exit_on_error=False)

    def _export(self) -> Exported:
        def progress(fraction: float, _what: str) -> None:
            if self.cancel.is_set():
                raise Cancelled("The export was cancelled; nothing was written.")
            percent = int(fraction * 100)
            if percent != self._shown:  # at most a hundred updates, whatever the size
                self._shown = percent
                self.app.call_from_thread(self.show_progress, percent)

        with SessionStore.open(self.session, read_only=True) as store:
            return export_session(store, self.folder, APP_FORMATS, progress=progress)

    def show_progress(self, percent: int) -> None:
        self.query_one(ProgressBar).update(progress=percent)
        self.query_one("#export-status", Static).update(f"Writing the files… {percent}%")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            self.running = False
            self.result = event.worker.result
            sentence = self.result.sentence() if self.result else "Done."
            self.query_one(ProgressBar).update(progress=100)
            self.query_one("#export-status", Static).update(shown(sentence))
            self.query_one("#export-hint", Static).update("Enter or Escape closes")
            self.app.notify(sentence, markup=False, timeout=10)
        elif event.state == WorkerState.ERROR:
            self.running = False
            error = event.worker.error
            text = str(error) if isinstance(error, SessionError) else "The export failed."
            self.query_one("#export-status", Static).update(shown(text))
            self.query_one("#export-hint", Static).update("Enter or Escape closes")
            if not isinstance(error, Cancelled):
                forward_worker_failure(self, event)  # the app's one failure sentence

    def action_close(self) -> None:
        if self.running:
            self.cancel.set()  # the worker stops at its next chunk and removes its files
        self.dismiss()


def start_export(app: App[object], session: Path) -> None:
    """The app's export key: a new folder next to the session file (screens take the
    app as a plain App: they never import facilitator.app)."""
    if isinstance(app.screen, ModalScreen):
        return
    app.push_screen(ExportScreen(session, export_folder(session)))

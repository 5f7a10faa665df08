"""The report in the app: what `facilitator report PATH` prints, read on its own
read-only connection in a worker (the network figures take a moment), then shown
in a scrolling box. Read-only sessions can see it too."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def report_text(path: Path) -> str:
    """The report as `facilitator report` prints it (called in a worker thread)."""
    from facilitator.core.report import build_report, render_text
    from facilitator.models.store import SessionStore

    with SessionStore.open(path, read_only=True) as store:
        return render_text(build_report(store))


class ReportScreen(ModalScreen[None]):
    """Escape or q closes it; arrows and Page Up/Down scroll."""

    BINDINGS = [Binding("escape,q", "close", "Close report", id="report.close")]
    DEFAULT_CSS = """
    ReportScreen { align: center middle; }
    ReportScreen > VerticalScroll {
        width: 100%; height: 100%; border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-body"):
            yield Static("Report (as `facilitator report` prints it; Escape closes)",
                         classes="hint", markup=False)
            yield Static(self.text, markup=False)

    def on_mount(self) -> None:
        self.query_one("#report-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

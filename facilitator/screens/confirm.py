"""A one-key confirmation for changes that reach everyone in the room (a round
starting or ending): y or Enter confirms, n or Escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question; dismisses with True (confirmed) or False."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; height: auto; border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen .hint { color: $text-muted; }
    """

    def __init__(self, question: str, yes: str = "confirms") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(f"y or Enter {self.yes} · n or Escape cancels", classes="hint",
                         markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

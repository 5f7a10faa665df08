"""One-key questions for changes that reach everyone in the room.

ConfirmScreen: y or Enter confirms, n or Escape cancels. ChoiceScreen (the round
dialog): one key per way forward (k keep the groups, o open space, s suggested
groups, e end only), y or Enter for the default one, n or Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; max-width: 100%; height: auto; border: round $warning; background: $surface;
    padding: 0 1;
}}
{name} .hint {{ color: $text-muted; }}
"""


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question; dismisses with True (confirmed) or False."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = CSS.format(name="ConfirmScreen")

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


class ChoiceScreen(ModalScreen[str | None]):
    """Ask one question with a key per answer; dismisses with the key chosen
    (y and Enter stand for `default`), or None (n, Escape)."""

    BINDINGS = [
        Binding("n,escape", "cancel", "Cancel", id="choice.cancel"),
    ]
    DEFAULT_CSS = CSS.format(name="ChoiceScreen") + """
    ChoiceScreen .choice { height: auto; }
    ChoiceScreen #confirm-question { margin-bottom: 1; }
    ChoiceScreen .choice-key { width: 4; }
    ChoiceScreen .choice-label { width: 1fr; }
    """

    def __init__(self, question: str, choices: Sequence[tuple[str, str]], default: str) -> None:
        super().__init__()
        self.question = question
        self.choices = dict(choices)
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question", markup=False)
            for key, label in self.choices.items():
                # A hanging indent: a label that wraps stays right of its key.
                with Horizontal(classes="choice"):
                    yield Static(Text(f" {key} ", style="bold reverse" if key == self.default
                                      else "bold"), classes="choice-key")
                    yield Static(label, classes="choice-label", markup=False)
            yield Static(f"y or Enter: {self.default} · n or Escape cancels", classes="hint",
                         markup=False)

    def on_key(self, event: events.Key) -> None:
        key = event.character if event.character in self.choices else None
        if event.key in ("y", "enter"):
            key = self.default
        if key is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(key)

    def action_cancel(self) -> None:
        self.dismiss(None)

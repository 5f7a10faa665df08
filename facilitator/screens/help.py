"""The help screen: every key of the app and of the screen you came from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


KEY_NAMES = {"question_mark": "?", "space": "Space", "escape": "Escape", "enter": "Enter",
             "tab": "Tab", "slash": "/", "full_stop": ".", "minus": "-", "plus": "+",
             "left_square_bracket": "[", "right_square_bracket": "]"}


def _describe(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys, description = binding.key, binding.description
        else:
            keys, description = binding[0], binding[2] if len(binding) > 2 else binding[1]
        if description:
            shown = ", ".join(KEY_NAMES.get(k, k.replace("ctrl+", "Ctrl+")) for k in keys.split(","))
            rows.append((shown, description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys; Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, app_bindings: list[BindingType], screen: Screen[object] | None,
                 extra: str = "") -> None:
        super().__init__()
        self.app_bindings = app_bindings
        self.origin = screen
        self.extra = extra

    def compose(self) -> ComposeResult:
        table = Text()

        def add_row(keys: str, description: str) -> None:
            if keys and not description:
                table.append(f"{keys}\n", style="bold underline")
            else:
                table.append(f"  {keys:<22}", style="bold")
                table.append(f"{description}\n")

        if self.origin is not None:
            name = getattr(self.origin, "SCREEN_NAME", "") or "this screen"
            add_row(f"On the {name} screen", "")
            for keys, description in _describe(list(type(self.origin).BINDINGS)):
                add_row(keys, description)
            add_row("", "")
        add_row("Everywhere", "")
        for keys, description in _describe(self.app_bindings):
            add_row(keys, description)
        add_row("Ctrl+P", "Command palette: every action by name")
        with VerticalScroll():
            yield Static(table)
            if self.extra:
                # A paragraph hard-wrapped in the source (88 columns) wrapped again
                # raggedly in a 76-column box: let the box wrap each paragraph.
                paragraphs = (" ".join(p.split()) for p in self.extra.split("\n\n"))
                yield Static("\n\n".join(paragraphs), markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)

"""Small pickers of the goals screen: which essential topics a goal addresses
(toggle with Enter, each toggle is written at once and can be undone), and which
topic a challenge is about."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.models.goals import Essential


class TopicPicker(ModalScreen[int | None]):
    """Choose topics. With toggle set, Enter links/unlinks the highlighted topic and
    the picker stays open (Escape closes); otherwise Enter picks one and closes."""

    BINDINGS = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = """
    TopicPicker { align: center middle; }
    TopicPicker > Vertical {
        width: 60; height: auto; max-height: 20; border: round $primary;
        background: $surface; padding: 0 1;
    }
    TopicPicker OptionList { height: auto; max-height: 14; }
    TopicPicker #picker-error { color: $error; height: auto; }
    """

    def __init__(self, title: str, topics: list[Essential], *, checked: set[int] | None = None,
                 neglected: set[int] | None = None,
                 toggle: Callable[[int, bool], str | None] | None = None) -> None:
        super().__init__()
        self.picker_title = title
        self.topics = topics
        self.checked = set(checked or ())
        self.neglected = set(neglected or ())
        self.toggle = toggle

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.picker_title))
            yield OptionList(*self._options(), id="picker-topics")
            hint = ("Enter links or unlinks the topic, Escape closes." if self.toggle
                    else "Enter chooses, Escape cancels.")
            yield Static(hint + "  ! = no group covers it", classes="hint")
            yield Static("", id="picker-error", markup=False)

    def _options(self) -> list[Option]:
        options = []
        for topic in self.topics:
            box = ("[x] " if topic.id in self.checked else "[ ] ") if self.toggle else ""
            flag = "! " if topic.id in self.neglected else "  "
            options.append(Option(Content.assemble(box, (flag, "$error bold"), topic.name),
                                  id=str(topic.id)))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        topic_id = int(event.option.id or 0)
        if self.toggle is None:
            self.dismiss(topic_id)
            return
        link = topic_id not in self.checked
        refused = self.toggle(topic_id, link)
        if refused:
            self.query_one("#picker-error", Static).update(refused)
            return
        (self.checked.add if link else self.checked.discard)(topic_id)
        if link:
            self.neglected.discard(topic_id)  # a linked topic is covered now
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.set_options(self._options())
        options.highlighted = keep

    def action_close(self) -> None:
        self.dismiss(None)


class GoalHistoryView(ModalScreen[None]):
    """A goal's edits, oldest first: when, by whom, in which round, old -> new."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("h", "close", "Close", show=False)]
    DEFAULT_CSS = """
    GoalHistoryView { align: center middle; }
    GoalHistoryView > Vertical {
        width: 76; height: auto; max-height: 20; border: round $primary;
        background: $surface; padding: 0 1;
    }
    GoalHistoryView #history-lines { height: auto; max-height: 15; overflow-y: auto; }
    """

    def __init__(self, title: str, lines: list[Content]) -> None:
        super().__init__()
        self.history_title = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.history_title))
            body = Content("\n").join(self.lines) if self.lines else Content("No edits yet.")
            yield Static(body, id="history-lines")
            yield Static("Escape closes.", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

"""A text panel that costs what changed: the side panels, bar and prompt of the tally
screen, and the network's side panel, are Panels."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from facilitator.widgets.relayout import lay_out_again


class Panel(Widget):
    """Styled text (never markup), drawn line by line from strips made once per
    text and width. It redraws only when its text changed, and asks for a new
    layout only when its number of lines changed: a keystroke repaints, not
    reflows. The compositor draws every widget under the rectangle around what
    changed, so unchanged panels are asked for their lines after most keystrokes:
    they hand back the strips they keep (as a Static, each was made again)."""

    DEFAULT_CSS = """
    Panel { height: auto; }
    """

    def __init__(self, content: str | Text = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown = content if isinstance(content, Text) else Text(content)
        #: The text cut into lines for a width: (width, lines).
        self._wrapped: tuple[int, list[Text]] = (-1, [])
        self._strips: dict[tuple[int, int], Strip] = {}

    def show_text(self, text: Text) -> None:
        if text == self._shown:
            return
        width = self.size.width
        before = len(self._lines(width)) if width > 0 else -1
        self._shown = text
        self._wrapped = (-1, [])
        self._strips.clear()
        if width <= 0 or len(self._lines(width)) != before:
            lay_out_again(self)
        else:
            self.refresh()

    def wait(self) -> None:
        """While the session's log is still being read: say so, show no figure."""
        self.show_text(Text("…", style="dim"))

    def render(self) -> Text:
        """The whole text (for reading out and for tests; drawn by render_line)."""
        return self._shown

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a class or the theme changed: styles baked into strips

    def _lines(self, width: int) -> list[Text]:
        """The text as drawn at this width: wrapped, or cut with an ellipsis when the
        text says no_wrap (one line per newline)."""
        if self._wrapped[0] != width:
            lines = list(self._shown.wrap(self.app.console, max(1, width)))
            self._wrapped = (width, lines or [Text()])
        return self._wrapped[1]

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self._lines(width))

    def get_content_width(self, container: object, viewport: object) -> int:
        return max((line.cell_len for line in self._shown.split("\n")), default=0)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (y, width)
        strip = self._strips.get(key)
        if strip is None:
            lines = self._lines(width)
            if y >= len(lines):
                strip = Strip.blank(width, self.rich_style)
            else:
                strip = text_strip(self, lines[y], width)
            self._strips[key] = strip
        return strip


def text_strip(widget: Widget, line: Text, width: int) -> Strip:
    """One line of styled text as a strip of exactly `width` cells, on the widget's
    own style: what the line-API widgets here keep and hand back."""
    base = widget.rich_style
    return Strip(Segment.apply_style(line.render(widget.app.console), base)).adjust_cell_length(
        width, base)

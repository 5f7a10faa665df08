"""The footer of every screen: the screen's keys on one line, in their order, while
they fit whole (the rest are in help, ?, and the palette), and the palette's key
at the right edge.

One widget that draws a line of text, not Textual's Footer (a widget per key, each
restyled when it mounts, and all of them built again whenever the bindings
change: about a third of a second of every launch and every screen switch with
this app's thirty-odd keys). It looks the same: key in the accent colour, then
what it does; a key that does nothing just now (read-only) dimmed. A click on a
key presses it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class ShownKey:
    """A key on the footer line and the cells it takes."""

    key: str
    description: str
    enabled: bool
    start: int
    end: int


def footer_bindings(screen: Screen[object]) -> list[tuple[Binding, bool]]:
    """The bindings the footer offers, in order: shown ones, one per action (as
    Textual's footer does), without the palette key (drawn apart)."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    seen: set[str] = set()
    offered = []
    for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
        if not binding.show or key == palette or binding.action in seen:
            continue
        seen.add(binding.action)
        offered.append((binding, enabled))
    return offered


class SessionFooter(Widget):
    """The keys of the screen, as many as fit whole, and the palette key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--palette"}
    DEFAULT_CSS = """
    SessionFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        #: The keys drawn on the last render, with their cells (clicks, tests).
        self.shown: list[ShownKey] = []
        self._palette: ShownKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        dim = Style(dim=True)
        palette = self._palette_text()
        edge = width - (palette.cell_len if palette is not None else 0)
        line = Text(no_wrap=True, overflow="crop", end="")
        shown: list[ShownKey] = []
        for binding, enabled in footer_bindings(self.screen):
            key = f" {self.app.get_key_display(binding)} "
            description = f"{binding.description} " if binding.description else ""
            piece = Text.assemble((key, key_style), (description, description_style))
            if not enabled:
                piece.stylize(dim)
            start = line.cell_len
            if start + piece.cell_len > edge:
                break  # a key that does not fit whole is not shown at all
            line.append_text(piece)
            shown.append(ShownKey(binding.key, binding.description, enabled, start,
                                  line.cell_len))
        self.shown = shown
        if palette is not None:
            line.append(" " * max(0, edge - line.cell_len))
            line.append_text(palette)
        return line

    def _palette_text(self) -> Text | None:
        """The palette key, as Textual's footer draws it at the right edge."""
        self._palette = None
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        entry = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if entry is None:
            return None
        _node, binding, enabled, _tooltip = entry
        text = Text.assemble(("▏", self.get_component_rich_style("footer--palette")),
                             (self.app.get_key_display(binding),
                              self.get_component_rich_style("footer--key")),
                             (f" {binding.description} ",
                              self.get_component_rich_style("footer--description")))
        start = self.size.width - text.cell_len
        self._palette = ShownKey(binding.key, binding.description, enabled, start,
                                 self.size.width)
        return text

    def on_click(self, event: events.Click) -> None:
        for shown in [*self.shown, *([self._palette] if self._palette else [])]:
            if shown.start <= event.x < shown.end:
                event.stop()
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return

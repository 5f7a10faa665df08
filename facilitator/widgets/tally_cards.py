"""Participant cards of the tally screen: code, name, counts, talk share bar.

One widget draws every card (no widget per person), and makes a card only when it
comes into view: at 80x24 about ten of two hundred. A card holds what it draws (the
share as a whole percent, the bar in cells), and the lines of a row of cards are kept
by the cards in it, so after a keystroke only the rows whose cards changed are made
again: a turn remakes the speaker's and the addressee's, not two hundred."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from facilitator.widgets.relayout import lay_out_again

CARD_WIDTH = 19
GAP = 1
CARD_LINES = 4  # plus one blank line between rows of cards
BAR_WIDTH = 10


class Card(NamedTuple):
    """What one participant's card shows (a tuple: one is made per person shown
    after every keystroke, and compared with the one drawn)."""

    code: str
    name: str
    spoke: int
    addressed: int
    percent: int  # share of the speaking among the people shown, as shown: 0..100
    filled: int  # bar cells, 0..BAR_WIDTH: share relative to the biggest voice
    kinds: str  # "a2 n1": non-turn kinds by codebook key
    silent: bool  # has not spoken this round
    speaking: bool  # the previous speaker: the next code typed addresses them


class TallyCards(Widget):
    """A grid of cards that fits its width; height follows the number of cards."""

    COMPONENT_CLASSES = {
        "tally-cards--code",
        "tally-cards--silent",
        "tally-cards--speaking",
        "tally-cards--bar",
        "tally-cards--muted",
    }
    DEFAULT_CSS = """
    TallyCards { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = 0
        self.empty_text = "Nobody present here."
        self._card_at: Callable[[int], Card] = no_card
        self._made: dict[int, Card] = {}
        #: What is drawn at each place since the cards were last drawn whole.
        self._drawn: dict[int, Card] = {}
        self._strips: dict[Card, list[Strip]] = {}
        #: Whole lines of a row of cards, by the row's cards and the width: the
        #: compositor asks again for lines that did not change, around those that did.
        self._lines: dict[tuple[tuple[Card, ...], int, int], Strip] = {}
        self._style_map: dict[str, Style] | None = None

    def show(self, count: int, card_at: Callable[[int], Card],
             empty_text: str = "Nobody present here.") -> None:
        """count cards, card i made by card_at(i) when it comes into view (a card
        off screen is never made). A new layout only when the number of cards (so
        the height) changes; otherwise only the cards in view that changed repaint,
        and lines whose cards did not change keep their strips."""
        layout = count != self.count
        redraw = layout or empty_text != self.empty_text or not count
        self.count, self._card_at, self._made = count, card_at, {}
        self.empty_text = empty_text
        if len(self._strips) > 4 * max(count, 16):
            self._strips.clear()
        if len(self._lines) > 4 * CARD_LINES * max(count, 16):
            self._lines.clear()
        width = self.size.width
        if redraw or not width:
            self._drawn.clear()
            if layout:
                lay_out_again(self)
            else:
                self.refresh()
        else:  # the cards drawn are the ones that can be in view
            per_row = self.columns(width)
            changed = [self.card_region(i, per_row) for i, card in self._drawn.items()
                       if self.card(i) != card]
            if changed:
                self.refresh(*changed)

    @staticmethod
    def card_region(index: int, per_row: int) -> Region:
        """Where card `index` is drawn, in the widget's own coordinates."""
        row, column = divmod(index, per_row)
        return Region(column * (CARD_WIDTH + GAP), row * (CARD_LINES + 1), CARD_WIDTH, CARD_LINES)

    def card(self, index: int) -> Card:
        card = self._made.get(index)
        if card is None:
            card = self._made[index] = self._card_at(index)
        return card

    @property
    def cards(self) -> list[Card]:
        """Every card (made now where not yet in view): for tests and reading out."""
        return [self.card(i) for i in range(self.count)]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # the theme changed: styles baked into strips are stale
        self._lines.clear()
        self._drawn.clear()
        self._style_map = None

    def columns(self, width: int) -> int:
        return max(1, (width + GAP) // (CARD_WIDTH + GAP))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if not self.count:
            return 1
        rows = -(-self.count // self.columns(width))
        return rows * (CARD_LINES + 1) - 1

    def _styles(self) -> dict[str, Style]:
        """The card styles, worked out once per theme (every line drawn needs them)."""
        if self._style_map is None:
            self._style_map = self._work_out_styles()
        return self._style_map

    def _work_out_styles(self) -> dict[str, Style]:
        base = self.rich_style
        return {name: base + self.get_component_rich_style(f"tally-cards--{name}")
                for name in ("code", "silent", "speaking", "bar", "muted")} | {"base": base}

    def _card_strips(self, card: Card, styles: dict[str, Style]) -> list[Strip]:
        """The four lines of one card, as strips of exactly CARD_WIDTH cells."""
        base, muted = styles["base"], styles["muted"]
        if card.speaking:
            marker, mark = "▸", styles["speaking"]
        elif card.silent:
            marker, mark = "!", styles["silent"]
        else:
            marker, mark = " ", styles["code"]
        name_room = CARD_WIDTH - 2 - len(card.code)
        name = card.name  # user text: plain segments, never markup
        if cell_len(name) > name_room:
            name = set_cell_size(name, name_room - 1) + "…"
        filled = max(0, min(BAR_WIDTH, card.filled))
        lines = [
            [Segment(marker, mark), Segment(card.code, mark if marker != " " else styles["code"]),
             Segment(" " + name, base)],
            [Segment(f" {card.spoke} spoke · {card.addressed} addr", base)],
            [Segment(" ", base), Segment("█" * filled, styles["bar"]),
             Segment("░" * (BAR_WIDTH - filled), muted), Segment(f" {card.percent:3d}%", base)],
            [Segment(f" {card.kinds}" if card.kinds else " ·", muted)],
        ]
        return [Strip(line).adjust_cell_length(CARD_WIDTH, base) for line in lines]

    def render_line(self, y: int) -> Strip:
        """Only the lines in view are drawn; cards that did not change reuse their strips."""
        width = self.size.width
        styles = self._styles()
        if not self.count:
            text = self.empty_text if y == 0 else ""
            return Strip([Segment(text, styles["base"])]).adjust_cell_length(width, styles["base"])
        per_row = self.columns(width)
        row, line = divmod(y, CARD_LINES + 1)
        first = row * per_row
        row_cards = tuple(self.card(i) for i in range(first, min(self.count, first + per_row)))
        self._drawn.update(zip(range(first, first + len(row_cards)), row_cards))
        if line >= CARD_LINES or not row_cards:
            return Strip.blank(width, styles["base"])
        key = (row_cards, line, width)
        joined = self._lines.get(key)
        if joined is None:
            joined = self._lines[key] = self._join(row_cards, line, width, styles)
        return joined

    def _join(self, row_cards: tuple[Card, ...], line: int, width: int,
              styles: dict[str, Style]) -> Strip:
        parts: list[Strip] = []
        for column, card in enumerate(row_cards):
            if column:
                parts.append(Strip([Segment(" " * GAP, styles["base"])]))
            strips = self._strips.get(card)
            if strips is None:
                strips = self._strips[card] = self._card_strips(card, styles)
            parts.append(strips[line])
        return Strip.join(parts).adjust_cell_length(width, styles["base"])

    def text(self) -> str:
        """Every card as plain text, as the terminal shows it (all rows, not only
        those in view): for tests and for reading out."""
        width = self.size.width or 80
        height = self.get_content_height(None, None, width)
        return "\n".join(self.render_line(y).text.rstrip() for y in range(height))


def no_card(index: int) -> Card:
    """The card maker when there are no cards."""
    raise IndexError(index)

"""Participant cards of the tally screen: code, name, counts, talk share bar.

One widget draws every card (no widget per person). A card holds what it draws
(the share as a whole percent, the bar in cells), so after a keystroke only the
cards whose text moved are repainted: a turn repaints the speaker's card and the
few whose percent changed, not two hundred."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

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
        self.cards: list[Card] = []
        self.empty_text = "Nobody present here."
        self._strips: dict[Card, list[Strip]] = {}
        self._style_map: dict[str, Style] | None = None

    def show(self, cards: list[Card], empty_text: str = "Nobody present here.") -> None:
        if cards == self.cards and empty_text == self.empty_text:
            return
        # A new layout only when the number of cards (so the height) changes; with
        # the same cards in the same places, only the cards that changed repaint.
        layout = len(cards) != len(self.cards)
        changed = ([] if layout or empty_text != self.empty_text or not cards
                   else [i for i, (old, new) in enumerate(zip(self.cards, cards)) if old != new])
        self.cards = cards
        self.empty_text = empty_text
        kept = set(cards)
        self._strips = {card: strips for card, strips in self._strips.items() if card in kept}
        width = self.size.width
        if changed and width:
            per_row = self.columns(width)
            self.refresh(*(self.card_region(i, per_row) for i in changed))
        else:
            self.refresh(layout=layout)

    @staticmethod
    def card_region(index: int, per_row: int) -> Region:
        """Where card `index` is drawn, in the widget's own coordinates."""
        row, column = divmod(index, per_row)
        return Region(column * (CARD_WIDTH + GAP), row * (CARD_LINES + 1), CARD_WIDTH, CARD_LINES)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # the theme changed: styles baked into strips are stale
        self._style_map = None

    def columns(self, width: int) -> int:
        return max(1, (width + GAP) // (CARD_WIDTH + GAP))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if not self.cards:
            return 1
        rows = -(-len(self.cards) // self.columns(width))
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
        if not self.cards:
            text = self.empty_text if y == 0 else ""
            return Strip([Segment(text, styles["base"])]).adjust_cell_length(width, styles["base"])
        per_row = self.columns(width)
        row, line = divmod(y, CARD_LINES + 1)
        row_cards = self.cards[row * per_row:(row + 1) * per_row]
        if line >= CARD_LINES or not row_cards:
            return Strip.blank(width, styles["base"])
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

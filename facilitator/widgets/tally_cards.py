"""Participant cards of the tally screen: code, name, counts, talk share bar.

One widget draws every card (no widget per person), so a keystroke redraws one
region, not forty."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

CARD_WIDTH = 19
GAP = 1
CARD_LINES = 4  # plus one blank line between rows of cards
BAR_WIDTH = 10


@dataclass(frozen=True)
class Card:
    """What one participant's card shows."""

    code: str
    name: str
    spoke: int
    addressed: int
    share: float  # of the speaking among the people shown, 0..1
    bar: float  # share relative to the biggest voice, 0..1 (so bars are readable)
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

    def show(self, cards: list[Card], empty_text: str = "Nobody present here.") -> None:
        self.cards = cards
        self.empty_text = empty_text
        self.refresh(layout=True)

    def columns(self, width: int) -> int:
        return max(1, (width + GAP) // (CARD_WIDTH + GAP))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if not self.cards:
            return 1
        rows = -(-len(self.cards) // self.columns(width))
        return rows * (CARD_LINES + 1) - 1

    def _card_lines(self, card: Card) -> list[Text]:
        code_style = self.get_component_rich_style("tally-cards--code")
        muted = self.get_component_rich_style("tally-cards--muted")
        if card.speaking:
            marker, mark_style = "▸", self.get_component_rich_style("tally-cards--speaking")
        elif card.silent:
            marker, mark_style = "!", self.get_component_rich_style("tally-cards--silent")
        else:
            marker, mark_style = " ", muted
        first = Text(no_wrap=True, overflow="ellipsis")
        first.append(marker, style=mark_style)
        first.append(card.code, style=mark_style + code_style if card.speaking or card.silent
                     else code_style)
        first.append(" ")
        first.append(card.name)  # user text: appended as plain text, never markup
        counts = Text(f" {card.spoke} spoke · {card.addressed} addr", no_wrap=True)
        filled = round(card.bar * BAR_WIDTH)
        bar = Text(" ")
        bar.append("█" * filled, style=self.get_component_rich_style("tally-cards--bar"))
        bar.append("░" * (BAR_WIDTH - filled), style=muted)
        bar.append(f" {card.share:4.0%}")
        kinds = Text(f" {card.kinds}" if card.kinds else " ·", style=muted, no_wrap=True)
        lines = [first, counts, bar, kinds]
        for line in lines:
            line.truncate(CARD_WIDTH, overflow="ellipsis", pad=True)
        return lines

    def render(self) -> RenderableType:
        if not self.cards:
            return Text(self.empty_text)
        per_row = self.columns(self.size.width)
        out = Text(no_wrap=True, overflow="crop")
        for start in range(0, len(self.cards), per_row):
            row = [self._card_lines(c) for c in self.cards[start:start + per_row]]
            if start:
                out.append("\n\n")
            for index in range(CARD_LINES):
                if index:
                    out.append("\n")
                for column, card_lines in enumerate(row):
                    if column:
                        out.append(" " * GAP)
                    out.append_text(card_lines[index])
        return out

"""The coverage matrix: one line per group, one column per essential topic.

An OptionList, so scrolling, the row highlight and the mouse come for free; left and
right move a column cursor over the topics. Marks carry the meaning without colour
('!' neglected topic or group covering none, '●' covered, '·' not, '?' open challenge,
'✓' answered); theme variables add colour where the terminal has it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitator.analysis.coverage import (
    ANSWERED_CHALLENGE,
    COVERED,
    NEGLECT,
    OPEN_CHALLENGE,
    Coverage,
)

GROUP_WIDTH = 20
GOALS_WIDTH = 7


@dataclass(frozen=True)
class MatrixRow:
    """What the matrix needs to know about a group besides its cells."""

    group_id: int
    name: str
    goal_count: int


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


MIN_TOPIC_WIDTH = 8


def topic_room(total_width: int) -> int:
    return total_width - GROUP_WIDTH - GOALS_WIDTH - 2


def topic_width(total_width: int, topics: int) -> int:
    """Width of one topic column, so the matrix fits the terminal (at least 5)."""
    if topics == 0:
        return 0
    return max(MIN_TOPIC_WIDTH, min(14, topic_room(total_width) // topics))


class CoverageMatrix(OptionList):
    """Groups x essential topics. Highlighted row = selected group; the column cursor
    picks a topic (for challenges)."""

    BINDINGS = [
        Binding("left", "column(-1)", "Topic left", show=False),
        Binding("right", "column(1)", "Topic right", show=False),
    ]

    class ColumnChanged(Message):
        """The topic under the column cursor changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.coverage: Coverage | None = None
        self.rows: list[MatrixRow] = []
        self.column = 0
        """Index of the topic under the column cursor."""
        self.first = 0
        """First topic shown, when there are more topics than fit the width."""

    # ------------------------------------------------------------------ data
    def show(self, coverage: Coverage, rows: list[MatrixRow], keep_group: int | None) -> None:
        """Redraw from new data, keeping the selected group where it still is."""
        self.coverage = coverage
        self.rows = rows
        if coverage.essentials:
            self.column = min(self.column, len(coverage.essentials) - 1)
        self._redraw(keep_group)

    def visible(self) -> list[int]:
        """Indexes of the topics shown: all that fit, always including the cursor's."""
        if self.coverage is None:
            return []
        count = len(self.coverage.essentials)
        fit = max(1, topic_room(self.size.width or 80) // MIN_TOPIC_WIDTH)
        if count <= fit:
            return list(range(count))
        self.first = min(max(self.first, self.column - fit + 1), self.column, count - fit)
        return list(range(self.first, self.first + fit))

    def _redraw(self, keep_group: int | None) -> None:
        if self.coverage is None:
            return
        width = topic_width(self.size.width or 80, len(self.visible()))
        options = [Option(self._line(row, width), id=str(row.group_id)) for row in self.rows]
        self.set_options(options)
        if not options:
            return
        index = next((i for i, r in enumerate(self.rows) if r.group_id == keep_group), 0)
        self.highlighted = index

    def header(self) -> Content:
        """The line above the matrix: topic names, '!' on those no group covers."""
        if self.coverage is None:
            return Content("")
        shown = self.visible()
        width = topic_width(self.size.width or 80, len(shown))
        more = "‹" if shown and shown[0] > 0 else ""
        parts: list[str | tuple[str, str]] = [
            _fit("Group", GROUP_WIDTH - 2).ljust(GROUP_WIDTH - 1) + (more or " ")]
        for index in shown:
            topic = self.coverage.essentials[index]
            neglected = self.coverage.is_neglected(topic.id)
            label = _fit((NEGLECT if neglected else "") + topic.name, width - 1).ljust(width)
            style = "$error bold" if neglected else "bold"
            if index == self.column:
                style += " underline"
            parts.append((label, style))
        if shown and shown[-1] < len(self.coverage.essentials) - 1:
            parts.append(("› ", "bold"))
        parts.append(("goals", "bold"))
        return Content.assemble(*parts)

    def _line(self, row: MatrixRow, width: int) -> Content:
        assert self.coverage is not None
        none = row.group_id in self.coverage.groups_covering_none
        name = _fit((NEGLECT + " " if none else "") + row.name, GROUP_WIDTH - 1)
        parts: list[str | tuple[str, str]] = [(name.ljust(GROUP_WIDTH), "$warning bold" if none else "")]
        for index in self.visible():
            topic = self.coverage.essentials[index]
            cell = self.coverage.cell(row.group_id, topic.id)
            mark = cell.mark
            if cell.open_challenges:
                style = "$warning bold"
            elif cell.covered:
                style = "$success"
            elif self.coverage.is_neglected(topic.id):
                style = "$error"
            else:
                style = "$text-muted"
            if index == self.column:
                style += " underline"
            parts.append(((" " + mark).ljust(width), style))
        open_, answered = self.coverage.untopical.get(row.group_id, ((), ()))
        extra = OPEN_CHALLENGE if open_ else (ANSWERED_CHALLENGE if answered else "")
        parts.append(f"{row.goal_count}{extra}")
        return Content.assemble(*parts)

    # ------------------------------------------------------------------ keys
    def action_column(self, step: int) -> None:
        if self.coverage is None or not self.coverage.essentials:
            return
        self.column = (self.column + step) % len(self.coverage.essentials)
        keep = self.selected_group()
        self._redraw(keep)
        self.post_message(self.ColumnChanged())

    def on_resize(self) -> None:
        self._redraw(self.selected_group())
        self.post_message(self.ColumnChanged())

    def selected_group(self) -> int | None:
        if self.highlighted is None or not self.rows:
            return None
        return self.rows[min(self.highlighted, len(self.rows) - 1)].group_id

    def selected_topic(self) -> int | None:
        if self.coverage is None or not self.coverage.essentials:
            return None
        return self.coverage.essentials[self.column].id


# The legend under the matrix, shared with the help text.
LEGEND = (f"{COVERED} covered  · not  {OPEN_CHALLENGE} open challenge  "
          f"{ANSWERED_CHALLENGE} answered  {NEGLECT} nobody / none")

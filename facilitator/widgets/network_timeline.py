"""The network screen's timeline bar: where the replay is in the log, and the replay
itself (scrub, step, play, back to live).

The bar owns its state: the cursor (entries shown; None = live), whether it plays,
its timer. The screen tells it the length of the log (`show`) and hears where it
went (`TimelineBar.Moved`); the cursor rules are a small textual-free class
(`Replay`) that a test drives without an app."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

REPLAY_SECONDS = 0.15
REPLAY_FRAMES = 60


@dataclass
class Replay:
    """Where the replay is: `cursor` entries shown (None = live, everything)."""

    cursor: int | None = None
    playing: bool = False

    def shown(self, total: int) -> int:
        return total if self.cursor is None else min(self.cursor, total)

    def step(self, total: int, delta: int) -> None:
        """Move by delta entries; stepping forward past the end goes live."""
        current = total if self.cursor is None else self.cursor
        target = max(0, min(total, current + delta))
        self.cursor = None if target >= total and delta > 0 else target

    def scrub(self, total: int, direction: int) -> None:
        """Move by a twentieth of the log."""
        self.step(total, direction * max(1, total // 20))

    def start(self) -> None:
        """Play from the start when live, else from where it is."""
        if self.cursor is None:
            self.cursor = 0
        self.playing = True

    def tick(self, total: int) -> None:
        """One frame of the replay: about sixty frames for the whole log, then live."""
        current = self.cursor or 0
        if current >= total:
            self.playing = False
            self.cursor = None
        else:
            self.cursor = min(total, current + max(1, total // REPLAY_FRAMES))

    def live(self) -> None:
        self.playing = False
        self.cursor = None


class TimelineBar(Static):
    """A bar, the count and the time reached; plays the replay on its own timer."""

    @dataclass
    class Moved(Message):
        """The replay moved (or stopped, or went live): draw up to `cursor`."""

        cursor: int | None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.replay = Replay()
        #: Entries the screen's filter selects (the timeline's length).
        self.total = 0
        self.at: str | None = None
        self._timer: Timer | None = None

    @property
    def cursor(self) -> int | None:
        """Entries shown; None = live."""
        return self.replay.cursor

    @property
    def playing(self) -> bool:
        return self.replay.playing

    # ------------------------------------------------------------ attributes down
    def show(self, total: int, at: str | None) -> None:
        """The log's length for the screen's filter and the time the picture reached."""
        self.total, self.at = total, at
        self._paint()

    def on_resize(self) -> None:
        self._paint()  # the bar's length follows the width

    # ------------------------------------------------------------ what the keys do
    def step(self, delta: int) -> None:
        self.replay.step(self.total, delta)
        self._moved()

    def scrub(self, direction: int) -> None:
        self.replay.scrub(self.total, direction)
        self._moved()

    def toggle_play(self) -> None:
        """Play (from the start when live), or pause where it is."""
        if self.replay.playing:
            self._stop_timer()
            self.replay.playing = False
        else:
            self.replay.start()
            self._timer = self.set_interval(REPLAY_SECONDS, self.tick)
        self._moved()

    def tick(self) -> None:
        """One replay frame (the timer calls it; tests may too)."""
        self.replay.tick(self.total)
        if not self.replay.playing:
            self._stop_timer()
        self._moved()

    def go_live(self, *, quiet: bool = False) -> None:
        """Stop and show everything; quiet: the screen redraws anyway."""
        self._stop_timer()
        self.replay.live()
        if quiet:
            self._paint()
        else:
            self._moved()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _moved(self) -> None:
        self._paint()
        self.post_message(self.Moved(self.replay.cursor))

    # ------------------------------------------------------------ drawing
    def _paint(self) -> None:
        replay, total = self.replay, self.total
        shown = replay.shown(total)
        live, playing = replay.cursor is None, replay.playing
        width = max(10, self.size.width - 34)
        filled = 0 if total == 0 else round(width * shown / total)
        line = Text(no_wrap=True, overflow="ellipsis")
        state = "live" if live else ("playing" if playing else "paused")
        line.append(f"{'▶' if playing else ('●' if live else '❚❚')} {state:7} ", style="bold")
        line.append("━" * filled, style="bold")
        line.append("─" * (width - filled), style="dim")
        at = self.at
        clock = at[11:16] if at and len(at) >= 16 else "--:--"
        line.append(f" {shown}/{total} {clock}")
        self.update(line, layout=False)  # one fixed line: no need to lay the screen out again

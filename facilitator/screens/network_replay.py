"""The network screen's timeline keys: scrub, step, replay the session's growth,
back to live. A mixin, so the screen module stays about one thing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

REPLAY_SECONDS = 0.15
REPLAY_FRAMES = 60


class ReplayKeys:
    """Needs from the screen: live (LiveNetwork), data, filter, cursor (entries shown,
    None = live), playing, _timer, redraw() and set_interval()."""

    live: Any
    data: Any
    filter: Any
    cursor: int | None
    playing: bool
    _timer: Any

    if TYPE_CHECKING:  # provided by the screen (declared here for type checkers only)
        def redraw(self, grow: bool = False) -> None: ...
        def set_interval(self, interval: float, callback: Any) -> Any: ...

    def _total(self) -> int:
        return self.live.total(self.filter) if self.data else 0

    def action_scrub(self, direction: int) -> None:
        total = self._total()
        self.action_step(direction * max(1, total // 20))

    def action_step(self, delta: int) -> None:
        total = self._total()
        current = total if self.cursor is None else self.cursor
        target = max(0, min(total, current + delta))
        self.cursor = None if target >= total and delta > 0 else target
        self.redraw()

    def action_play(self) -> None:
        if self.playing:
            self._stop()
            self.redraw()
            return
        if self.cursor is None:
            self.cursor = 0
        self.playing = True
        self._timer = self.set_interval(REPLAY_SECONDS, self._replay_tick)
        self.redraw()

    def _replay_tick(self) -> None:
        total = self._total()
        current = self.cursor or 0
        if current >= total:
            self._stop()
            self.cursor = None
        else:
            self.cursor = min(total, current + max(1, total // REPLAY_FRAMES))
        self.redraw()

    def _stop(self) -> None:
        self.playing = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_live(self) -> None:
        self._stop()
        self.cursor = None
        self.redraw()

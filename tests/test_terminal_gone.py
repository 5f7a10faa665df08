"""An app whose terminal goes away ends, even when no SIGHUP reaches it (the
terminal was not its controlling terminal): it must not linger at full CPU."""

from __future__ import annotations

import os
import pty
import subprocess
import time
from pathlib import Path

from conftest import facilitator_command


def test_an_app_whose_terminal_vanishes_without_a_hangup_ends(small_session: Path) -> None:
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    # start_new_session without taking the pty as controlling terminal: closing the
    # master sends no SIGHUP to the app.
    app = subprocess.Popen([*facilitator_command(), "open", str(small_session), "--as", "ana"],
                           stdin=slave, stdout=slave, stderr=slave, env=env,
                           start_new_session=True)
    os.close(slave)
    try:
        started = time.monotonic()
        seen = b""
        while b"Roster" not in seen and time.monotonic() - started < 20:
            try:
                seen += os.read(master, 65536)
            except BlockingIOError:
                time.sleep(0.05)
        assert b"Roster" in seen or b"roster" in seen, "the app never painted"
        os.close(master)
        assert app.wait(timeout=10) == 129  # as after a hang-up
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


class _StuckWriter:
    """Textual's writer thread as the app found it when the terminal went away: its
    queue full, and nobody taking from it any more."""

    def __init__(self, alive: bool) -> None:
        import queue

        self._queue: queue.Queue[str | None] = queue.Queue(1)
        self._queue.put("a frame nobody reads")
        self.alive = alive

    def is_alive(self) -> bool:
        return self.alive


def test_output_for_a_terminal_that_is_gone_never_blocks_the_app(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app hung for good in its driver's close() (and ignored SIGTERM there):
    Textual waits without a limit for room in an output queue nobody empties."""
    from facilitator.widgets import terminal_input
    from facilitator.widgets.terminal_input import _put_while_terminal_alive

    started = time.monotonic()
    assert not _put_while_terminal_alive(_StuckWriter(alive=False), None)
    monkeypatch.setattr(terminal_input, "terminal_alive", lambda: False)
    assert not _put_while_terminal_alive(_StuckWriter(alive=True), "\x1b[?1049l")
    assert time.monotonic() - started < 5
    writer = _StuckWriter(alive=True)
    writer._queue.get()
    assert _put_while_terminal_alive(writer, "text") and writer._queue.get() == "text"

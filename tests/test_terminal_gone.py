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

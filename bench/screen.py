"""Timing what a person sees, in tmux: a private tmux server, windows of 80x24 (the
size the app must work at), and the screen read with capture-pane as fast as tmux
answers (a few milliseconds), so a figure is the time until the terminal shows it."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

WIDTH, HEIGHT = 80, 24


class Terminal:
    """One private tmux server; `start(command)` opens a window running it."""

    def __init__(self) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"fac-bench-{uuid.uuid4().hex[:8]}"
        self.windows = 0
        # A window that stays, so closing the measured ones never ends the server.
        self._tmux("new-session", "-d", "-s", "b", "-n", "keep", "-x", str(WIDTH),
                   "-y", str(HEIGHT), "sleep 86400")

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True).stdout

    def start(self, command: str) -> tuple[str, float]:
        """Open a window running command; its name and when it was started."""
        name = f"w{self.windows}"
        self.windows += 1
        started = time.perf_counter()
        self._tmux("new-window", "-d", "-t", "b", "-n", name, command)
        return name, started

    def screen(self, window: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", f"b:{window}")

    def keys(self, window: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", f"b:{window}", *keys)

    def wait(self, window: str, found: Callable[[str], bool], seconds: float = 60.0) -> float:
        """When found(screen) first held (perf_counter), or raise after `seconds`."""
        deadline = time.perf_counter() + seconds
        while True:
            text = self.screen(window)
            now = time.perf_counter()
            if found(text):
                return now
            if now > deadline:
                raise TimeoutError(f"the screen never showed what was awaited:\n{text}")
            time.sleep(0.002)

    def key_to_change(self, window: str, key: str, seconds: float = 30.0,
                      settle: Callable[[str], bool] | None = None) -> float:
        """Seconds from sending a key to the screen differing from before."""
        before = self.screen(window)
        started = time.perf_counter()
        self.keys(window, key)
        changed = self.wait(window, lambda text: text != before and (settle is None or settle(text)),
                            seconds)
        return changed - started

    def pid(self, window: str) -> int | None:
        text = self._tmux("display-message", "-p", "-t", f"b:{window}", "#{pane_pid}").strip()
        return int(text) if text.isdigit() else None

    def kill(self, window: str) -> None:
        """End the program as a person would (ctrl+q), then close the window; a process
        still there after that is ended by its pid, so none lingers to load the machine
        for the next figures."""
        import os
        import signal

        pid = self.pid(window)
        self.keys(window, "C-q")
        deadline = time.perf_counter() + 5
        while pid is not None and time.perf_counter() < deadline and _alive(pid):
            time.sleep(0.05)
        self._tmux("kill-window", "-t", f"b:{window}")
        if pid is not None and _alive(pid):
            os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        for line in self._tmux("list-panes", "-a", "-F", "#{window_name} #{pane_pid}").splitlines():
            name, _, pid = line.partition(" ")
            if name != "keep" and pid.isdigit() and _alive(int(pid)):
                self.kill(name)
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by tmux) is gone for our purpose
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def has(*patterns: str) -> Callable[[str], bool]:
    """A screen test: every regular expression is found on the screen."""
    compiled = [re.compile(p) for p in patterns]
    return lambda text: all(c.search(text) for c in compiled)

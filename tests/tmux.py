"""Drive the installed `facilitator` in a private tmux server, as a person would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable


class Tmux:
    """One private tmux server; each window is a terminal of width x height."""

    def __init__(self, width: int = 100, height: int = 30) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed (.ci/run installs it with apt-get)")
        self.socket = f"fac-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.windows: list[str] = []

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True).stdout

    def start(self, command: str) -> str:
        name = f"w{len(self.windows)}"
        if not self.windows:
            self._tmux("new-session", "-d", "-s", "t", "-n", name, "-x", str(self.width),
                       "-y", str(self.height), command)
        else:
            self._tmux("new-window", "-t", "t", "-n", name, command)
            self._tmux("resize-window", "-t", f"t:{name}", "-x", str(self.width), "-y", str(self.height))
        self.windows.append(name)
        return name

    def keys(self, window: str, *keys: str, literal: bool = False) -> None:
        args = ["send-keys", "-t", f"t:{window}"]
        if literal:
            args.append("-l")
        self._tmux(*args, *keys)

    def screen(self, window: str) -> str:
        """What the window shows; empty once the program in it has exited."""
        try:
            return self._tmux("capture-pane", "-p", "-t", f"t:{window}")
        except subprocess.CalledProcessError:
            return ""

    def wait_for(self, window: str, found: Callable[[str], bool], seconds: float = 10.0) -> str:
        """The screen once found(screen) holds, or the last screen after the wait."""
        deadline = time.monotonic() + seconds
        text = self.screen(window)
        while not found(text) and time.monotonic() < deadline:
            time.sleep(0.1)
            text = self.screen(window)
        return text

    def display(self, window: str, fmt: str) -> str:
        """A tmux format of the window's pane, e.g. '#{alternate_on}' or '#{pane_pid}'."""
        return self._tmux("display-message", "-p", "-t", f"t:{window}", fmt).strip()

    def resize(self, window: str, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", f"t:{window}", "-x", str(width), "-y", str(height))

    def kill_window(self, window: str) -> None:
        """Close the window's terminal, as closing a terminal emulator does."""
        self._tmux("kill-window", "-t", f"t:{window}")

    def close(self) -> None:
        """Kill the server, then any program of its panes that outlived its terminal
        (each pane leads its own process group). Such a straggler is a bug of the app
        (see the stop notes); a test run must not leave it behind at full CPU."""
        listed = subprocess.run(["tmux", "-L", self.socket, "list-panes", "-a", "-F", "#{pane_pid}"],
                                capture_output=True, text=True)
        groups = [int(p) for p in listed.stdout.split() if p.isdigit()]
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        deadline = time.monotonic() + 3
        while groups and time.monotonic() < deadline:
            groups = [g for g in groups if _group_alive(g)]
            time.sleep(0.1)
        for group in groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except OSError:
        return False
    return True

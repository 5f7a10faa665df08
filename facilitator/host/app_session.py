"""One SSH session bridged to one app process on a pseudo-terminal of its own.

The pty is the app's controlling terminal (see child.py), sized and typed like the
client's. Bytes go both ways unchanged; a window change becomes TIOCSWINSZ (the kernel
sends the app SIGWINCH); when the client goes the app gets SIGHUP, exits cleanly and
takes its presence row with it; when the app exits its status goes to the client."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import asyncssh

from facilitator.models.text import visible

if TYPE_CHECKING:
    from facilitator.host.server import HostConnection

#: How long an app has after SIGHUP before it is killed.
HANGUP_GRACE_SECONDS = 5.0


@dataclass(eq=False)  # held in a set: identity, not value
class Served:
    """One app process serving one client."""

    who: str
    peer: str
    read_only: bool
    process: subprocess.Popen[bytes]
    started: float = field(default_factory=time.monotonic)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def _set_size(fd: int, width: int, height: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", max(height, 1), max(width, 1), 0, 0))


def hang_up(process: subprocess.Popen[bytes]) -> None:
    """SIGHUP to the app's whole process group (it leads its own session)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGHUP)
        except ProcessLookupError:
            pass


class AppSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One SSH session channel, bridged to one app process on its own pty."""

    def __init__(self, connection: HostConnection) -> None:
        self.connection = connection
        self.host = connection.host
        self.chan: Any = None
        self.term = ""
        self.size = (80, 24)
        self.has_pty = False
        self.master: int | None = None
        self.served: Served | None = None
        self.reading = False
        self.pidfd: int | None = None

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: object) -> bool:
        self.has_pty = True
        self.term = term_type
        if term_size[0] and term_size[1]:
            self.size = (term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True  # the "shell" is the app

    def exec_requested(self, command: str) -> bool:
        self.host.log(f"refused {self.connection.who} from {self.connection.peer}: "
                      f"command {visible(command)!r}")
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        self.host.log(f"refused {self.connection.who} from {self.connection.peer}: "
                      f"subsystem {visible(subsystem)!r}")
        return False

    def session_started(self) -> None:
        if not self.has_pty:
            self.chan.write(b"facilitator host serves the app, which needs a terminal: "
                            b"connect with ssh -t.\r\n")
            self.chan.exit(1)
            return
        connection = self.connection
        allowed = connection.allowed
        assert allowed is not None  # asyncssh opens sessions only after authentication
        who = connection.who
        master, slave = os.openpty()
        _set_size(slave, *self.size)
        client_env = dict(self.chan.get_environment())
        try:
            process = subprocess.Popen(
                self.host.app_command(who, allowed.read_only), stdin=slave, stdout=slave,
                stderr=slave, start_new_session=True, close_fds=True,
                env=self.host.app_environment(self.term, client_env))
        except OSError as error:
            os.close(master)
            os.close(slave)
            self.host.log(f"could not start the app for {who}: {error}")
            self.chan.write(b"The app could not be started on the host.\r\n")
            self.chan.exit(1)
            return
        os.close(slave)
        os.set_blocking(master, False)
        self.master = master
        self.served = Served(who, connection.peer, allowed.read_only, process)
        self.host.served.add(self.served)
        mode = "read-only" if allowed.read_only else "can write"
        self.host.log(f"{who} connected from {connection.peer} ({mode}, key {allowed.fingerprint})")
        self._resume_reading()
        self._watch_exit(process)

    # ------------------------------------------------------------ app -> client
    def _resume_reading(self) -> None:
        if self.master is not None and not self.reading:
            asyncio.get_running_loop().add_reader(self.master, self._pty_readable)
            self.reading = True

    def _pause_reading(self) -> None:
        if self.master is not None and self.reading:
            asyncio.get_running_loop().remove_reader(self.master)
            self.reading = False

    def _pty_readable(self) -> None:
        assert self.master is not None
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every holder of the pty's other side has gone
            data = b""
        if not data:
            self._pause_reading()
            return
        self._send(data)

    def _send(self, data: bytes) -> bool:
        try:
            self.chan.write(data)
            return True
        except (OSError, asyncssh.Error):  # the client has gone; SIGHUP follows
            return False

    def pause_writing(self) -> None:
        # The client is slow or frozen: stop reading the pty, so the app, not the
        # host's memory, waits (the keepalive drops a client that never comes back).
        self._pause_reading()

    def resume_writing(self) -> None:
        self._resume_reading()

    # ------------------------------------------------------------ client -> app
    def data_received(self, data: bytes, datatype: object) -> None:
        if self.master is None:
            return
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.master, view)
            except BlockingIOError:
                time.sleep(0.005)  # the app reads its input soon; a paste waits briefly
                continue
            except OSError:
                return
            view = view[written:]

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        self.size = (width, height)
        if self.master is not None:
            _set_size(self.master, width, height)  # the kernel sends the app SIGWINCH

    def eof_received(self) -> bool:
        return False  # close the channel; connection_lost hangs the app up

    def connection_lost(self, exc: Exception | None) -> None:
        if self.served is not None:
            # Keep reading (and dropping) what the app writes, so that an app that
            # was blocked on a full pty (a frozen client) can restore the terminal
            # and exit on SIGHUP instead of hanging until it is killed.
            self._resume_reading()
            hang_up(self.served.process)
            asyncio.get_running_loop().call_later(HANGUP_GRACE_SECONDS, self._kill_if_alive)

    def _kill_if_alive(self) -> None:
        if self.served is not None and self.served.process.poll() is None:
            self.host.log(f"{self.served.who}'s app did not exit after SIGHUP; killed")
            self.served.process.kill()

    # ------------------------------------------------------------ the app ends
    def _watch_exit(self, process: subprocess.Popen[bytes]) -> None:
        loop = asyncio.get_running_loop()
        try:
            self.pidfd = os.pidfd_open(process.pid)
        except (AttributeError, OSError):  # no pidfd (old kernel): a thread waits
            future = loop.run_in_executor(None, process.wait)
            future.add_done_callback(lambda _: self._app_exited())
            return
        loop.add_reader(self.pidfd, self._app_exited)

    def _app_exited(self) -> None:
        loop = asyncio.get_running_loop()
        if self.pidfd is not None:
            loop.remove_reader(self.pidfd)
            os.close(self.pidfd)
            self.pidfd = None
        served = self.served
        if served is None:
            return
        code = served.process.wait()
        self._drain()
        self._pause_reading()
        if self.master is not None:
            os.close(self.master)
            self.master = None
        self.host.served.discard(served)
        self.host.log(f"{served.who} left after {_duration(time.monotonic() - served.started)}"
                      f" (from {served.peer})")
        try:
            self.chan.exit(code if code >= 0 else 128 - code)
        except (OSError, asyncssh.Error):
            pass  # the client went first

    def _drain(self) -> None:
        """The app's last bytes (restoring the terminal) still reach the client."""
        while self.master is not None:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data or not self._send(data):
                return

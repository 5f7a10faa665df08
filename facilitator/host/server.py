"""The SSH server of `facilitator host`: public keys in, the app out, nothing else.

One connection, one app: each accepted session gets a `facilitator open` process on a
pseudo-terminal of its own, which is that process's controlling terminal, sized and
typed like the client's. Bytes go both ways unchanged; a window change becomes
TIOCSWINSZ (the kernel sends SIGWINCH); when the client goes, the app gets SIGHUP,
exits cleanly and takes its presence row with it. Everything else an SSH client can
ask for (passwords, keyboard-interactive, exec, subsystems, port/agent/X11
forwarding) is refused, and each refusal is a log line."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from facilitator.host.keys import AllowedKey, KeyRing, identity_for
from facilitator.models.text import visible

#: A frozen or vanished client is dropped after about KEEPALIVE_SECONDS * KEEPALIVE_COUNT
#: (then its app gets SIGHUP), well inside the 10 s in which presence must be true.
KEEPALIVE_SECONDS = 3
KEEPALIVE_COUNT = 2
#: How long an app has after SIGHUP before it is killed.
HANGUP_GRACE_SECONDS = 5.0
LOGIN_TIMEOUT_SECONDS = 30
#: Environment a client may pass to its app (ssh SendEnv); nothing that could change
#: what the process runs (PATH, LD_*, PYTHON*) is ever taken from a client.
CLIENT_ENV = ("COLORTERM", "NO_COLOR", "LANG", "LC_ALL", "LC_CTYPE")


@dataclass
class HostConfig:
    """What `facilitator host` was asked to serve."""

    session: Path
    keys: KeyRing
    screen: str = "roster"
    bind: str = "127.0.0.1"
    port: int = 2222
    log: Callable[[str], None] = print


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


class Host:
    """The running host: its config, and the apps it serves now."""

    def __init__(self, config: HostConfig) -> None:
        self.config = config
        self.served: set[Served] = set()  # type: ignore[misc]
        self.connections: set[asyncssh.SSHServerConnection] = set()

    def log(self, text: str) -> None:
        self.config.log(f"{time.strftime('%H:%M:%S')}  {text}")

    def app_command(self, who: str, read_only: bool) -> list[str]:
        command = [sys.executable, "-m", "facilitator.host.child", "open",
                   str(self.config.session), f"--as={who}", f"--screen={self.config.screen}"]
        if read_only:
            command.append("--read-only")
        return command

    def app_environment(self, term: str, client_env: dict[str, str]) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(("SSH_", "TMUX")) and name not in (
                   "FACILITATOR_AS", "LINES", "COLUMNS", "TERM", "COLORTERM", "NO_COLOR")}
        env["TERM"] = term or "xterm-256color"
        for name in CLIENT_ENV:
            if name in client_env:
                env[name] = client_env[name]
        return env

    async def stop(self) -> None:
        """Hang up every app, wait for them briefly, then close the connections."""
        for served in list(self.served):
            _hang_up(served.process)
        # Each app leaves self.served when its exit has been handled (status sent to
        # its client), so wait on that, not on the processes themselves.
        deadline = time.monotonic() + HANGUP_GRACE_SECONDS
        while self.served and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for served in list(self.served):
            if served.process.poll() is None:
                self.log(f"{served.who}'s app did not exit after SIGHUP; killed")
                served.process.kill()
                served.process.wait()
        await asyncio.sleep(0.1)  # let the last exit statuses go out
        for conn in list(self.connections):
            conn.close()


def _hang_up(process: subprocess.Popen[bytes]) -> None:
    """SIGHUP to the app's whole process group (it leads its own session)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGHUP)
        except ProcessLookupError:
            pass


class HostConnection(asyncssh.SSHServer):
    """One client connection: authentication by listed public key only."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.username = ""
        self.allowed: AllowedKey | None = None
        self.refused_keys: set[str] = set()

    @property
    def who(self) -> str:
        return identity_for(self.allowed, self.username) if self.allowed else visible(self.username)

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.host.connections.add(conn)
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.host.connections.discard(self.conn)
        if self.allowed is None:
            tried = ", ".join(sorted(self.refused_keys)) or "no listed key offered"
            self.host.log(f"refused {self.peer} (user {visible(self.username) or '?'}): {tried}")

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return True  # every connection must authenticate

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        allowed = self.host.config.keys.find(key)
        if allowed is None:
            self.refused_keys.add(f"key {key.get_fingerprint()} is not listed")
            return False
        self.allowed = allowed
        return True

    def session_requested(self) -> "AppSession":
        return AppSession(self)

    # Forwarding of any kind: refused (asyncssh's defaults refuse too; these say so).
    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str,
                             orig_port: int) -> bool:
        self.host.log(f"refused {self.who} from {self.peer}: forwarding to "
                      f"{visible(dest_host)}:{dest_port}")
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                        "facilitator host serves the app only; no forwarding")

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        self.host.log(f"refused {self.who} from {self.peer}: remote forwarding of port {listen_port}")
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        self.host.log(f"refused {self.who} from {self.peer}: forwarding to a socket")
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        self.host.log(f"refused {self.who} from {self.peer}: forwarding from a socket")
        return False


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
            _hang_up(self.served.process)
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


def host_address(bind: str) -> str:
    """What a co-facilitator types after the @."""
    return socket.gethostname() if bind in ("0.0.0.0", "::", "") else bind


async def serve(config: HostConfig, host_key: asyncssh.SSHKey,
                ready: Callable[[int], None] | None = None) -> None:
    """Serve until SIGINT or SIGTERM; then hang up every app and return."""
    host = Host(config)
    server = await asyncssh.create_server(
        lambda: HostConnection(host), config.bind, config.port,
        server_host_keys=[host_key], encoding=None, line_editor=False, allow_pty=True,
        agent_forwarding=False, x11_forwarding=False, login_timeout=LOGIN_TIMEOUT_SECONDS,
        keepalive_interval=KEEPALIVE_SECONDS, keepalive_count_max=KEEPALIVE_COUNT,
        gss_host=None)
    port = server.sockets[0].getsockname()[1]
    if ready is not None:
        ready(port)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        count = len(host.served)
        server.close()
        await host.stop()
        await server.wait_closed()
        host.log(f"stopped; {count} app{'s' if count != 1 else ''} hung up")

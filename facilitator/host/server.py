"""The SSH server of `facilitator host`: public keys in, the app out, nothing else.

Who gets in and what they may ask for is decided here: a listed public key, and a
session with a terminal, which app_session.py bridges to an app process of its own.
Everything else an SSH client can ask for (passwords, keyboard-interactive, exec,
subsystems, port/agent/X11 forwarding) is refused, and each refusal is a log line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from facilitator.host.app_session import HANGUP_GRACE_SECONDS, AppSession, Served, hang_up
from facilitator.host.keys import AllowedKey, KeyRing, identity_for
from facilitator.models.text import visible

#: A frozen or vanished client is dropped after about KEEPALIVE_SECONDS * KEEPALIVE_COUNT
#: (then its app gets SIGHUP), well inside the 10 s in which presence must be true.
KEEPALIVE_SECONDS = 3
KEEPALIVE_COUNT = 2
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


class Host:
    """The running host: its config, and the apps it serves now."""

    def __init__(self, config: HostConfig) -> None:
        self.config = config
        self.served: set[Served] = set()
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
            hang_up(served.process)
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

    def session_requested(self) -> AppSession:
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

"""`facilitator host` through a real OpenSSH client in tmux on 127.0.0.1, as a
co-facilitator would use it: a listed key gets the app and logs under its comment,
a read-only key cannot write, everything else is refused."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import facilitator_command
from tests.tmux import Tmux

SSH = shutil.which("ssh")
SSH_KEYGEN = shutil.which("ssh-keygen")
pytestmark = pytest.mark.skipif(
    SSH is None or SSH_KEYGEN is None,
    reason="the OpenSSH client is not installed (.ci/run installs openssh-client)")


class RunningHost:
    """`facilitator host` in the background; its log lines collected as they come."""

    def __init__(self, session: Path, keys: Path, screen: str = "tally") -> None:
        self.process = subprocess.Popen(
            [*facilitator_command(), "host", str(session), "--port", "0",
             "--authorized-keys", str(keys / "writers"), "--read-only-keys",
             str(keys / "observers"), "--screen", screen],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.port = 0
        self.fingerprint = ""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if match := re.search(r"fingerprint (SHA256:\S+)", line):
                self.fingerprint = match.group(1)
            if match := re.search(r"ssh -p (\d+) NAME@127\.0\.0\.1", line):
                self.port = int(match.group(1))
                break
        assert self.port, "\n".join(self.lines)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_log(self, text: str, seconds: float = 10.0) -> str:
        deadline = time.monotonic() + seconds
        while text not in self.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.log()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C
        code = self.process.wait(timeout=15)
        self._reader.join(timeout=5)
        return code


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    """Keys of sam (may write), obs (read-only) and eve (not listed)."""
    folder = tmp_path / "keys"
    folder.mkdir()
    for name in ("sam", "obs", "eve"):
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", name,
                        "-f", str(folder / name)], check=True)
    shutil.copy(folder / "sam.pub", folder / "writers")
    shutil.copy(folder / "obs.pub", folder / "observers")
    return folder


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    terminal = Tmux(100, 30)
    yield terminal
    terminal.close()


@pytest.fixture
def host(small_session: Path, keys: Path) -> Iterator[RunningHost]:
    running = RunningHost(small_session, keys)
    yield running
    running.stop()


def known_hosts(session: Path, port: int, folder: Path) -> Path:
    """The host's public key as a client that trusts it keeps it."""
    import asyncssh

    key = asyncssh.read_private_key(str(session.with_name(session.name + ".host_key")))
    path = folder / "known_hosts"
    path.write_text(f"[127.0.0.1]:{port} {key.export_public_key().decode().strip()}\n")
    return path


def ssh_args(host: RunningHost, keys: Path, key: str | None, session: Path) -> list[str]:
    """An OpenSSH client that reads no config, trusts only the host's key and offers
    only the given key (no agent)."""
    args = [SSH or "ssh", "-F", "/dev/null", "-p", str(host.port),
            "-o", f"UserKnownHostsFile={known_hosts(session, host.port, keys)}",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "ConnectTimeout=10"]
    if key:
        args += ["-i", str(keys / key)]
    return args


def logged(path: Path) -> list[tuple[str, str | None, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT s.code, t.code, i.logged_by FROM interactions i"
            " JOIN participants s ON s.id = i.source_id"
            " LEFT JOIN participants t ON t.id = i.target_id ORDER BY i.id").fetchall()


def present(path: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT who, screen, pid FROM presence ORDER BY who").fetchall()


def header(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


def test_a_co_facilitator_over_ssh_logs_under_the_key_comment_and_the_room_sees_it(
        small_session: Path, keys: Path, host: RunningHost, tmux: Tmux) -> None:
    exe = facilitator_command()[0]
    ana = tmux.start(f"{exe} open {small_session} --screen tally --as ana")
    command = " ".join(ssh_args(host, keys, "sam", small_session))
    sam = tmux.start(f"{command} -t whoever@127.0.0.1")
    screen = tmux.wait_for(sam, lambda s: "Observing" in s and "you: sam" in s, seconds=15)
    assert "you: sam" in header(screen), screen  # the key's comment, not the user name
    assert "sam connected from 127.0.0.1" in host.wait_for_log("sam connected")

    tmux.keys(sam, "al", literal=True)
    tmux.keys(sam, "bs", literal=True)
    screen = tmux.wait_for(sam, lambda s: "Bob S. spoke to Ana L." in s, seconds=5)
    assert "Bob S. spoke to Ana L." in screen, screen
    assert logged(small_session) == [("al", None, "sam"), ("bs", "al", "sam")]
    other = tmux.wait_for(ana, lambda s: "Bob S. spoke to Ana L." in s
                          and "with: sam (tally)" in s, seconds=8)
    assert "Bob S. spoke to Ana L." in other and "with: sam (tally)" in header(other), other

    # The app process has the pty as its controlling terminal, with the client's TERM.
    (pid,) = [pid for who, _, pid in present(small_session) if who == "sam"]
    tty = subprocess.run(["ps", "-o", "tty=", "-p", str(pid)], capture_output=True,
                         text=True).stdout.strip()
    assert tty.startswith("pts/"), tty
    client_term = tmux._tmux("show-options", "-gv", "default-terminal").strip()
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert f"TERM={client_term}".encode() in environ

    # A resize of the client's window re-lays out the app over SSH.
    tmux.resize(sam, 130, 36)
    screen = tmux.wait_for(sam, lambda s: max(len(line.rstrip()) for line in s.splitlines()) > 100
                           and len(s.splitlines()) >= 35 and "Observing" in s, seconds=5)
    assert max(len(line.rstrip()) for line in screen.splitlines()) > 100, screen

    # The co-facilitator's terminal closes: their app gets SIGHUP and leaves at once.
    tmux.kill_window(sam)
    screen = tmux.wait_for(ana, lambda s: "sam" not in header(s), seconds=4)
    assert "sam" not in header(screen), screen
    assert [who for who, *_ in present(small_session)] == ["ana"]
    assert "sam left after" in host.wait_for_log("sam left after")
    deadline = time.monotonic() + 15  # a loaded CI machine is slow to tear down
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def test_a_read_only_key_sees_the_session_but_cannot_write(
        small_session: Path, keys: Path, host: RunningHost, tmux: Tmux) -> None:
    exe = facilitator_command()[0]
    ana = tmux.start(f"{exe} open {small_session} --screen tally --as ana")
    command = " ".join(ssh_args(host, keys, "obs", small_session))
    obs = tmux.start(f"{command} -t o@127.0.0.1; echo SSH-EXIT=$?; sleep 30")
    screen = tmux.wait_for(obs, lambda s: "Observing" in s and "you: obs" in s, seconds=15)
    assert "you: obs (read-only)" in header(screen), screen
    tmux.keys(obs, "al", literal=True)
    screen = tmux.wait_for(obs, lambda s: "read-only" in s.split("\n", 1)[1], seconds=5)
    assert "read-only" in screen.split("\n", 1)[1], screen
    assert logged(small_session) == []
    # The observer is present in the facilitator's header, marked read-only.
    screen = tmux.wait_for(ana, lambda s: "obs (tally, read-only)" in s, seconds=8)
    assert "with: obs (tally, read-only)" in header(screen), screen

    # Ctrl-C on the host ends the observer's app and connection cleanly.
    assert host.stop() == 0
    screen = tmux.wait_for(obs, lambda s: "SSH-EXIT=" in s, seconds=10)
    assert "SSH-EXIT=" in screen, screen
    assert tmux.display(obs, "#{alternate_on}") == "0"
    assert "stopped; 1 app hung up" in host.log()
    screen = tmux.wait_for(ana, lambda s: "obs" not in header(s), seconds=4)
    assert "obs" not in header(screen), screen


def test_anything_but_a_listed_key_with_a_terminal_is_refused(
        small_session: Path, keys: Path, host: RunningHost, tmp_path: Path) -> None:
    def ssh(key: str | None, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*ssh_args(host, keys, key, small_session), *args],
                              capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)

    unlisted = ssh("eve", "-tt", "x@127.0.0.1")
    assert unlisted.returncode == 255 and "Permission denied (publickey)" in unlisted.stderr
    password = ssh(None, "-o", "PubkeyAuthentication=no", "-o",
                   "PreferredAuthentications=password,keyboard-interactive", "x@127.0.0.1")
    assert password.returncode == 255 and "Permission denied (publickey)" in password.stderr
    command = ssh("sam", "x@127.0.0.1", "cat", "/etc/passwd")
    assert command.returncode == 255 and "root:" not in command.stdout
    assert "exec request failed" in command.stderr
    forward = ssh("sam", "-W", "127.0.0.1:22", "x@127.0.0.1")
    assert forward.returncode == 255 and "administratively prohibited" in forward.stderr
    sftp = ssh("sam", "-s", "x@127.0.0.1", "sftp")
    assert sftp.returncode == 255 and "subsystem request failed" in sftp.stderr
    no_terminal = ssh("sam", "-T", "x@127.0.0.1")
    assert no_terminal.returncode == 1 and "needs a terminal" in no_terminal.stdout

    log = host.wait_for_log("subsystem 'sftp'")
    assert re.search(r"refused 127\.0\.0\.1:\d+ \(user x\): key SHA256:\S+ is not listed", log)
    assert re.search(r"refused 127\.0\.0\.1:\d+ \(user x\): no listed key offered", log)
    assert "refused sam from 127.0.0.1" in log and "command 'cat /etc/passwd'" in log
    assert "forwarding to 127.0.0.1:22" in log
    assert logged(small_session) == [] and present(small_session) == []

    # The host key persists beside the session: a restarted host is the same host,
    # so a client that trusted it once still does (StrictHostKeyChecking=yes).
    key_file = small_session.with_name(small_session.name + ".host_key")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    fingerprint = host.fingerprint
    host.stop()
    again = RunningHost(small_session, keys)
    try:
        assert again.fingerprint == fingerprint
        trusted = subprocess.run([*ssh_args(again, keys, "sam", small_session), "x@127.0.0.1",
                                  "true"], capture_output=True, text=True, timeout=30,
                                 stdin=subprocess.DEVNULL)
        assert "exec request failed" in trusted.stderr, trusted.stderr  # got past the host key
    finally:
        again.stop()


def test_host_refuses_to_start_without_any_key(small_session: Path, tmp_path: Path) -> None:
    empty = tmp_path / "nobody"
    empty.write_text("# nobody yet\nnot a key\n")
    result = subprocess.run([*facilitator_command(), "host", str(small_session),
                             "--authorized-keys", str(empty)], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1
    assert "line 2 of" in result.stderr and "No public key is listed" in result.stderr
    assert "Traceback" not in result.stderr
    missing = subprocess.run([*facilitator_command(), "host", str(small_session),
                              "--authorized-keys", str(tmp_path / "absent")],
                             capture_output=True, text=True, timeout=30)
    assert missing.returncode == 1 and "There is no keys file at" in missing.stderr


def test_a_frozen_ssh_client_drops_out_within_10_s(
        small_session: Path, keys: Path, host: RunningHost, tmux: Tmux) -> None:
    exe = facilitator_command()[0]
    ana = tmux.start(f"{exe} open {small_session} --as ana")
    command = " ".join(ssh_args(host, keys, "sam", small_session))
    sam = tmux.start(f"{command} -t x@127.0.0.1; sleep 30")
    screen = tmux.wait_for(ana, lambda s: "with: sam" in header(s), seconds=15)
    assert "with: sam" in header(screen), screen
    shell = tmux.display(sam, "#{pane_pid}")
    (client,) = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    frozen_at = time.monotonic()
    os.kill(int(client), signal.SIGSTOP)  # a laptop lid closed, a network gone quiet
    try:
        screen = tmux.wait_for(ana, lambda s: "sam" not in header(s), seconds=12)
        assert "sam" not in header(screen), screen
        assert time.monotonic() - frozen_at < 10
        # The SSH keepalive gives up on the client, and its app is hung up.
        assert "sam left after" in host.wait_for_log("sam left after", seconds=8)
        assert [who for who, *_ in present(small_session)] == ["ana"]
    finally:
        os.kill(int(client), signal.SIGCONT)

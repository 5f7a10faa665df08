"""The first thing a served app process runs: take its pseudo-terminal as the
controlling terminal, then become `facilitator open`.

The host starts this in a new session (setsid) with the pty on fds 0-2. Making the
pty the controlling terminal here, rather than in a preexec_fn of the host, keeps the
host's fork free of Python code (preexec_fn is unsafe once threads exist). With a
controlling terminal, the kernel sends SIGHUP to the app when the host closes the pty,
and SIGWINCH when the client's window changes size."""

from __future__ import annotations

import fcntl
import sys
import termios


def main() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    from facilitator.cli import cli

    cli(args=sys.argv[1:], prog_name="facilitator")


if __name__ == "__main__":
    main()

"""Co-facilitation commands: host (serve the app over SSH) and share (a Unix group)."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.commands.common import reports_errors, session_path
from facilitator.core.screens import SCREEN_NAMES
from facilitator.models.store import SessionError


@click.command()
@session_path
@click.option("--port", type=click.IntRange(0, 65535), default=2222, show_default=True,
              help="The TCP port to listen on (0: any free port, printed).")
@click.option("--bind", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="The address to listen on; 0.0.0.0 lets in other machines.")
@click.option("--authorized-keys", type=click.Path(dir_okay=False), metavar="FILE",
              help="Public keys that get the app (default: ~/.ssh/authorized_keys).")
@click.option("--read-only-keys", type=click.Path(dir_okay=False), metavar="FILE",
              help="Public keys that get the app read-only.")
@click.option("--screen", type=click.Choice(SCREEN_NAMES), default="roster", show_default=True,
              help="The screen each co-facilitator starts on.")
@reports_errors
def host(path: str, port: int, bind: str, authorized_keys: str | None,
         read_only_keys: str | None, screen: str) -> None:
    """Serve this session to co-facilitators over SSH, and nothing else.

    An embedded SSH server: each listed public key gets its own app on this session
    (its entries logged under the key's comment), keys in --read-only-keys get it
    read-only; passwords, commands, file transfer and forwarding are refused. The
    host key is kept beside the session (PATH.host_key). Ctrl-C stops the host and
    ends every app it serves.

    \b
    Example:
        facilitator host sessions/day.db --bind 0.0.0.0 --read-only-keys observers.pub
        ssh -p 2222 sam@laptop        # on the co-facilitator's machine
    """
    import asyncio

    from facilitator.host.keys import KeyRing, load_host_key
    from facilitator.host.server import HostConfig, host_address, serve
    from facilitator.models.store import SessionStore

    session = Path(path)
    with SessionStore.open(session) as store:  # refuse a bad file before listening
        writable = not store.read_only
    default_keys = Path.home() / ".ssh" / "authorized_keys"
    writers = Path(authorized_keys) if authorized_keys else (
        default_keys if default_keys.exists() or not read_only_keys else None)
    keys = KeyRing(writers, Path(read_only_keys) if read_only_keys else None)
    listed = keys.load()  # a missing or unreadable keys file: one sentence, exit 1
    for problem in keys.problems():
        click.echo(f"facilitator: {problem}.", err=True)
    if not listed:
        raise SessionError("No public key is listed, so nobody could connect; add "
                           "co-facilitators' keys to the --authorized-keys file.")
    host_key, made = load_host_key(session)
    config = HostConfig(session=session, keys=keys, screen=screen, bind=bind, port=port,
                        log=lambda line: click.echo(line))

    def ready(actual_port: int) -> None:
        writers_count = sum(not k.read_only for k in listed)
        click.echo(f"Serving {session} on {bind}:{actual_port} to {writers_count} key"
                   f"{'s' if writers_count != 1 else ''} that can write and "
                   f"{len(listed) - writers_count} read-only.")
        if not writable:
            click.echo("You may not write this file, so every co-facilitator gets it read-only.")
        click.echo(f"Host key {'made now' if made else 'kept'} in {session.name}.host_key; "
                   f"fingerprint {host_key.get_fingerprint()} (ED25519).")
        click.echo(f"Co-facilitators connect with:  ssh -p {actual_port} NAME@{host_address(bind)}")
        click.echo("(NAME is used only for a key without a comment; Ctrl-C stops the host.)")

    try:
        asyncio.run(serve(config, host_key, ready))
    except OSError as error:
        if error.errno in (98, 48):  # EADDRINUSE (Linux, macOS)
            raise SessionError(f"Port {port} on {bind} is in use; choose another with --port.") from None
        raise


@click.command()
@session_path
@click.argument("group")
@reports_errors
def share(path: str, group: str) -> None:
    """Let a Unix group of co-facilitators open and change a session file.

    New session files are private to their owner (mode 0600, -wal and -shm too);
    this gives the file to GROUP, read and write (0660), and says what the folder
    needs so that SQLite can create -wal and -shm beside it for them.

    \b
    Example:
        facilitator share sessions/day.db facilitators
    """
    from facilitator.models.sharing import share_with_group

    advice = share_with_group(Path(path), group)
    click.echo(f"{path} is now readable and writable by group {group}.")
    for sentence in advice:
        click.echo(sentence)


COMMANDS = [host, share]

"""`facilitator void` and `facilitator restore`: take back, or bring back, any entry."""

from __future__ import annotations

import click

from facilitator.commands.common import as_option, open_store, plain, reports_errors, session_path


class EntryNumber(click.ParamType):
    """An entry's number as `facilitator log` printed it: 12 or #12."""

    name = "ENTRY_ID"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        text = str(value).strip().lstrip("#")
        if not text.isdigit() or int(text) < 1:
            self.fail(f"{value!r} is not an entry number; give it as `facilitator log` printed"
                      " it, e.g. 12 or #12.", param, ctx)
        return int(text)


@click.command()
@session_path
@click.argument("entry_id", metavar="ENTRY_ID", type=EntryNumber())
@as_option
@reports_errors
def void(path: str, entry_id: int, identity: str | None) -> None:
    """Undo one entry, however far back: it stays in the log, marked void with who
    and when, and stops counting in the tallies, the network and the report (in
    every open app at once). ENTRY_ID is the number `facilitator log` printed, or
    the one the tally screen shows.

    \b
    Example:
        facilitator void sessions/demo.db 17
    """
    from facilitator.core.entries import void_entry

    with open_store(path, identity) as store:
        said, _ = void_entry(store, entry_id)
    click.echo(plain(said) + f" Bring it back with: facilitator restore {plain(path)} {entry_id}")


@click.command()
@session_path
@click.argument("entry_id", metavar="ENTRY_ID", type=EntryNumber())
@as_option
@reports_errors
def restore(path: str, entry_id: int, identity: str | None) -> None:
    """Bring back an entry that was undone: it counts again, and the file says who
    brought it back and when.

    \b
    Example:
        facilitator restore sessions/demo.db 17
    """
    from facilitator.core.entries import restore_entry

    with open_store(path, identity) as store:
        said, _ = restore_entry(store, entry_id)
    click.echo(plain(said))

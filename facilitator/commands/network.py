"""`facilitator network`: the sociogram as text, then what it means."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable

import click

from facilitator.commands.common import plain, reports_errors, session_path
from facilitator.models.store import NeedsUpgrade, SessionStore

#: What `facilitator network` imports after counting the log.
NETWORK_MODULES = ("facilitator.core.report_network", "facilitator.analysis.network_view",
                   "facilitator.analysis.sociogram", "networkx", "numpy")
#: Group colours for a terminal (the 16-colour palette); cycled past six groups.
GROUP_COLOURS = ("cyan", "green", "yellow", "magenta", "blue", "red")


def _colour_line(line: str, roles: list[str], groups: list[int | None]) -> str:
    out = []
    for ch, role, group in zip(line, roles, groups):
        if group is not None and role in ("node", "focus", "ego"):
            out.append(click.style(ch, fg=GROUP_COLOURS[group % len(GROUP_COLOURS)], bold=True))
        elif role == "isolate":
            out.append(click.style(ch, fg="red", bold=True))
        elif role.startswith("arrow"):
            out.append(click.style(ch, bold=True))
        elif role.startswith("edge"):
            out.append(click.style(ch, dim=True))
        else:
            out.append(ch)
    return "".join(out).rstrip()


@click.command()
@session_path
@click.option("--width", "-w", type=click.IntRange(20, 400), default=None,
              help="Width of the picture in characters (default: the terminal's, at most 160).")
@click.option("--height", "height", type=click.IntRange(6, 200), default=30, show_default=True,
              help="Height of the picture in lines.")
@click.option("--round", "-r", "round_text", metavar="R", help="Only this round (name or number, or 'between rounds').")
@click.option("--kind", "-k", "kind_text", metavar="K", help="Only this kind of interaction.")
@click.option("--group", "-g", "group_text", metavar="G", help="Only this group (its name).")
@click.option("--focus", "-f", "focus_text", metavar="NAME", help="Highlight one person's ties.")
@reports_errors
def network(path: str, width: int | None, height: int, round_text: str | None,
            kind_text: str | None, group_text: str | None, focus_text: str | None) -> None:
    """Draw who talks with whom, then say what it means.

    Prints the sociogram as plain text (colours only on a terminal), a legend, and
    findings naming isolates, hubs, brokers, clusters and introductions to make.
    The layout is stored in the session file, so everyone sees the same picture.

    \b
    Example:
        facilitator network sessions/demo.db --width 100 --height 30
        facilitator network sessions/demo.db --round 2 --kind ask
    """
    from facilitator.core.report_counts import count_ahead

    if width is None:
        width = min(160, shutil.get_terminal_size((100, 30)).columns)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    # Read-only unless a layout must be stored (then `writer`): opening to write
    # checks the whole file first (PRAGMA quick_check, 0.5 s at a million entries).
    writer: Callable[[], SessionStore] | None = lambda: SessionStore.open(path)
    try:
        store = SessionStore.open(path, read_only=True)
    except NeedsUpgrade:
        store, writer = SessionStore.open(path), None  # migrated forward, as opening to write does
    with store:
        # The whole session's ties are always counted (the layout follows them):
        # what the picture needs is imported while SQLite counts.
        count_ahead(store, NETWORK_MODULES)
        from facilitator.analysis.sociogram import LEGEND, group_legend
        from facilitator.core.report_network import counted_picture

        # Without colour, groups are told apart by the shape of the marks.
        shown = counted_picture(store, width, height, round_text=round_text,
                                kind_text=kind_text, group_text=group_text,
                                focus_text=focus_text, group_marks=not colour,
                                writer=writer)
    picture = shown.picture
    for line, roles, groups in zip(picture.lines, picture.roles, picture.groups):
        click.echo(_colour_line(line, roles, groups) if colour else line.rstrip(), color=colour)
    click.echo("Legend: " + LEGEND)
    keys = group_legend([g.name for g in shown.groups], not colour)
    if keys:
        click.echo("Groups: " + "  ".join(
            (click.style(mark, fg=GROUP_COLOURS[i % len(GROUP_COLOURS)], bold=True) if colour
             else mark) + plain(name) for mark, name, i in keys), color=colour)
    click.echo("")
    for sentence in shown.findings:
        click.echo("- " + plain(sentence))

"""The `facilitator` command: a click group assembled from facilitator/commands/.

Thin: each command parses, calls the core, prints. Exit codes: 0 done, 1 the
operation failed (one sentence why), 2 usage.

The group is lazy: a command's module is imported only when that command runs (or
when help lists it), so `facilitator log` pays for what logging needs and not for
the goals, network or SSH host code. Features register a command with one line in
COMMANDS: its name and "module:attribute"."""

from __future__ import annotations

import importlib

import click

from facilitator import __version__

#: Every command: its name -> "module:attribute" of its click command. One line each.
COMMANDS: dict[str, str] = {
    "new": "facilitator.commands.session:new",
    "open": "facilitator.commands.session:open_",
    "demo": "facilitator.commands.session:demo",
    "ls": "facilitator.commands.session:ls",
    "roster": "facilitator.commands.session:roster",
    "log": "facilitator.commands.session:log",
    "import": "facilitator.commands.exchange:import_",
    "report": "facilitator.commands.exchange:report",
    "export": "facilitator.commands.exchange:export",
    "goals": "facilitator.commands.goals:goals_command",
    "challenge": "facilitator.commands.goals:challenge_command",
    "answer": "facilitator.commands.goals:answer_command",
    "groups": "facilitator.commands.groups:groups",
    "network": "facilitator.commands.network:network",
    "host": "facilitator.commands.host:host",
    "share": "facilitator.commands.host:share",
}


def load_command(target: str) -> click.Command:
    """The click command that "module:attribute" names (imports its module)."""
    module_name, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


class LazyCommands(dict):  # type: ignore[type-arg]
    """The group's commands by name, each imported on first access: iterating over
    the names imports nothing; reading a command (help, running it) imports its module."""

    def __getitem__(self, name: str) -> click.Command:
        value = super().__getitem__(name)
        if isinstance(value, str):
            value = load_command(value)
            super().__setitem__(name, value)  # imported once
        return value

    def get(self, name: str, default: object = None) -> click.Command | None:  # type: ignore[override]
        return self[name] if name in self else default  # type: ignore[return-value]

    def items(self) -> list[tuple[str, click.Command]]:  # type: ignore[override]
        return [(name, self[name]) for name in self]

    def values(self) -> list[click.Command]:  # type: ignore[override]
        return [self[name] for name in self]


@click.group(commands=LazyCommands(COMMANDS),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="facilitator")
def cli() -> None:
    """facilitator: watch and catalyse the social network of a live session.

    One SQLite file per session; several co-facilitators can open it at once.

    \b
    Example:
        facilitator demo
        facilitator new --title "Unworkshop" --template sessions/templates/unworkshop.yaml
    """


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

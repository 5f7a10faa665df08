"""The `facilitator` command: a click group assembled from facilitator/commands/.

Thin: each command parses, calls the core, prints. Exit codes: 0 done, 1 the
operation failed (one sentence why), 2 usage."""

from __future__ import annotations

import click

from facilitator import __version__
from facilitator.commands import session as session_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="facilitator")
def cli() -> None:
    """facilitator: watch and catalyse the social network of a live session.

    One SQLite file per session; several co-facilitators can open it at once.

    \b
    Example:
        facilitator demo
        facilitator new --title "Unworkshop" --template sessions/templates/unworkshop.yaml
    """


for command in session_commands.COMMANDS:
    cli.add_command(command)

# Features register their commands below, one line each.
from facilitator.commands.goals import COMMANDS as GOALS_COMMANDS  # noqa: E402
for command in GOALS_COMMANDS: cli.add_command(command)  # noqa: E701
from facilitator.commands.groups import groups as groups_command  # noqa: E402
cli.add_command(groups_command)
from facilitator.commands.network import network as network_command  # noqa: E402
cli.add_command(network_command)
from facilitator.commands.host import COMMANDS as HOST_COMMANDS  # noqa: E402
for command in HOST_COMMANDS: cli.add_command(command)  # noqa: E701
from facilitator.commands.exchange import COMMANDS as EXCHANGE_COMMANDS  # noqa: E402
for command in EXCHANGE_COMMANDS: cli.add_command(command)  # noqa: E701


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

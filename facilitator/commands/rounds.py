"""`facilitator round`: start the next round for everyone, the way the round key
does (keep the groups, open space, or the groups suggested for it), or end the
running one; without an option, say what is running and what it would offer."""

from __future__ import annotations

import click

from facilitator.commands.common import as_option, open_store, plain, reports_errors, session_path

WAYS = {"keep": "k", "open-space": "o", "suggested": "s", "end": "e"}


@click.command(name="round")
@session_path
@click.option("--keep", "way", flag_value="keep",
              help="Start the next round with the groups of this one (their present people"
                   " and unfinished goals, as the groups agreed).")
@click.option("--open-space", "way", flag_value="open-space",
              help="Start the next round in open space: nobody grouped.")
@click.option("--suggested", "way", flag_value="suggested",
              help="Start the next round with the groups made for it (see `facilitator groups"
                   " --apply`).")
@click.option("--end", "way", flag_value="end", help="End the running round only.")
@as_option
@reports_errors
def round_(path: str, way: str | None, identity: str | None) -> None:
    """Start the next round for everyone, or end the running one.

    Without an option: what is running and the ways the next round can open.

    \b
    Example:
        facilitator round sessions/demo.db
        facilitator round sessions/demo.db --keep
    """
    from facilitator.core.rounds import END, SUGGEST, round_step, take_round_step
    from facilitator.models.store import SessionError
    from facilitator.models.rounds import current_round, format_remaining, remaining_seconds

    with open_store(path, identity, read_only=way is None) as store:
        step = round_step(store)
        if way is None:
            current = current_round(store)
            if current is None:
                click.echo("No round has started yet.")
            else:
                state = ("ended" if current.ended_at else
                         format_remaining(remaining_seconds(current)) or "running")
                click.echo(plain(f"{current.name}: {state}."))
            options = {v: k for k, v in WAYS.items()}
            for choice in step.choices:
                label = choice.label
                if choice.key == SUGGEST and step.suggest_first:
                    label = ("needs groups made for the next round first: facilitator groups"
                             " PATH --form new-ties --size N --apply")
                click.echo(plain(f"  --{options[choice.key]}: {label}"))
            return
        key = WAYS[way]
        if key == END and not step.ends:
            raise SessionError("No round is running; nothing was ended.")
        said, _change = take_round_step(store, step, key)
    click.echo(plain(said))

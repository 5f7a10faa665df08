"""`facilitator groups`: suggest a grouping for the next round, and apply it."""

from __future__ import annotations

import json

import click

from facilitator.commands.common import as_option, open_store, plain, reports_errors, session_path
from facilitator.models.store import SessionError, SessionStore


def _parse_pairs(store: SessionStore, values: tuple[str, ...], option: str) -> list[tuple[int, int]]:
    from facilitator.models.group_input import read_pair

    usage = f"{option} takes two people separated by a comma, e.g. {option} al,bs."
    return [read_pair(store, value, usage) for value in values]


@click.command(name="groups")
@session_path
@click.option("--form", "method", required=True, type=click.Choice(["random", "mixed", "new-ties"]),
              help="random; mixed (diverse on the --by tags); new-ties (people who have not met).")
@click.option("--size", type=click.IntRange(1, 100), required=True, help="People per group, about.")
@click.option("--by", "by", multiple=True, metavar="TAG", help="A tag to mix on (repeatable).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same proposal.")
@click.option("--min", "min_size", type=click.IntRange(1, 100), help="Smallest group (default: the session's).")
@click.option("--max", "max_size", type=click.IntRange(1, 100), help="Largest group (default: the session's).")
@click.option("--together", multiple=True, metavar="A,B",
              help="Keep these two in one group (names or codes; repeatable).")
@click.option("--apart", multiple=True, metavar="A,B",
              help="Keep these two in different groups (repeatable).")
@click.option("--save-rules", is_flag=True,
              help="Remember the --together/--apart pairs in the session for later proposals.")
@click.option("--apply", "apply_", is_flag=True,
              help="Make the proposal the next round's groups (a planned round, else a new one).")
@click.option("--json", "as_json", is_flag=True, help="Print groups and quality as JSON.")
@as_option
@reports_errors
def groups(path: str, method: str, size: int, by: tuple[str, ...], seed: int,
           min_size: int | None, max_size: int | None, together: tuple[str, ...],
           apart: tuple[str, ...], save_rules: bool, apply_: bool, as_json: bool,
           identity: str | None) -> None:
    """Suggest groups for the next round and show their quality figures.

    Absent people are left out. new-ties uses the groups of earlier rounds and
    the interaction log; every proposal keeps the keep-together and keep-apart
    pairs (given here or saved in the session). Nothing is written without --apply.

    \b
    Example:
        facilitator groups sessions/demo.db --form new-ties --size 4 --seed 7
        facilitator groups sessions/demo.db --form mixed --size 5 --by organisation --apply
    """
    from facilitator.core.group_plans import (
        KEEP_APART,
        KEEP_TOGETHER,
        apply_groups,
        propose,
        set_pair_rule,
    )
    from facilitator.models.roster import participants
    from facilitator.models.rounds import get_round

    with open_store(path, identity=identity, read_only=not (apply_ or save_rules)) as store:
        keep = _parse_pairs(store, together, "--together")
        away = _parse_pairs(store, apart, "--apart")
        if min_size is not None and max_size is not None and min_size > max_size:
            raise SessionError(f"--min {min_size} is larger than --max {max_size}.")
        known_tags = {k for p in participants(store) for k in p.tags}
        for tag in by:
            if tag not in known_tags:
                raise SessionError(f"No participant has the tag {tag!r}; known tags: "
                                   f"{', '.join(sorted(known_tags)) or 'none'}.")
        proposal = propose(store, method, size, by=by, seed=seed, together=keep, apart=away,
                           min_size=min_size, max_size=max_size)
        if not proposal.groups:
            raise SessionError("Nobody is present, so there is no one to group.")
        if save_rules:
            for a, b in keep:
                set_pair_rule(store, KEEP_TOGETHER, a, b)
            for a, b in away:
                set_pair_rule(store, KEEP_APART, a, b)
        names = {p.id: p.name for p in participants(store)}
        applied_round = None
        if apply_:
            applied = apply_groups(store, proposal.groups, method)
            applied_round = get_round(store, applied.round_id).name
        member_names = [[names[i] for i in group] for group in proposal.groups]
        if as_json:
            out = {"method": method, "seed": seed, "groups": member_names,
                   "quality": proposal.quality.as_dict(), "applied_to": applied_round}
            click.echo(json.dumps(out, indent=2, ensure_ascii=False))
            return
        for index, members in enumerate(member_names, 1):
            click.echo(plain(f"Group {index}: {', '.join(members)}"))
        q = proposal.quality
        click.echo(f"{method}, seed {seed}: sizes {' '.join(map(str, q.sizes))};"
                   f" {q.new_pairs} new pairs, {q.repeat_pairs} repeated,"
                   f" {q.interacted_pairs} already interacted (of {q.pairs}).")
        if q.tag_diversity:
            click.echo("Tag diversity: " + plain(", ".join(
                f"{k} {v:.0%}" for k, v in q.tag_diversity.items())))
        for note in q.notes:
            click.echo(note)
        if applied_round:
            click.echo(plain(f"Applied as the groups of {applied_round}."))
        else:
            click.echo("Nothing was written; add --apply to use these groups.")


COMMANDS = [groups]

"""`facilitator goals`, `facilitator challenge`, `facilitator answer`: record a
group's goals in its own words, challenge a group about an essential topic, and
note the group's answer."""

from __future__ import annotations

import json
from typing import Any

import click

from facilitator.commands.common import as_option, open_store, plain, reports_errors, session_path
from facilitator.models.challenges import answer_challenge, get_challenge, raise_challenge
from facilitator.models.goals import add_goal, find_essential, group_named
from facilitator.models.groups import get_group
from facilitator.models.store import SessionStore


def goals_overview(store: SessionStore) -> dict[str, Any]:
    """goals, coverage, neglected, challenges: the same keys as the report."""
    from facilitator.core.report_goals import goals_section

    overview: dict[str, Any] = {}
    goals_section(store, overview)
    return overview


def _print_overview(overview: dict[str, Any], only_group: int | None) -> None:
    challenges = overview["challenges"]
    if not overview["goals"]:
        # Say so rather than print nothing, which reads like a failure.
        click.echo("No groups yet, so no goals: form groups on the groups screen (2)"
                   " or with `facilitator groups`.")
    current_round: object = object()
    for entry in overview["goals"]:
        if only_group is not None and entry["group_id"] != only_group:
            continue
        if entry["round"] != current_round:
            current_round = entry["round"]
            click.echo(plain(current_round or "No round"))
        click.echo(f"  {plain(entry['group'])} (group {entry['group_id']})")
        if not entry["goals"]:
            click.echo("    no goals recorded yet")
        for goal in entry["goals"]:
            covers = f"  covers: {', '.join(goal['covers'])}" if goal["covers"] else ""
            click.echo(plain(f"    goal {goal['id']} [{goal['status']}] {goal['text']}{covers}"))
            if goal["progress"]:
                click.echo(plain(f"      progress: {goal['progress']}"))
        for challenge in challenges:
            if challenge["group_id"] != entry["group_id"]:
                continue
            about = f" about {challenge['topic']}" if challenge["topic"] else ""
            click.echo(plain(f"    challenge {challenge['id']} [{challenge['status']}]{about}:"
                             f" {challenge['text']}"))
            if challenge["answer"]:
                click.echo(plain(f"      answer: {challenge['answer']}"))
    if only_group is None:
        for topic, groups in overview["coverage"].items():
            names = ", ".join(g["group"] for g in groups) or "! no group"
            click.echo(plain(f"{topic}: {names}"))


@click.command("goals")
@session_path
@click.option("--group", "group_name", metavar="NAME",
              help="The group (a group of the current round wins; a group id also works).")
@click.option("--add", "text", metavar="TEXT", help="Record a goal, in the group's own words.")
@click.option("--covers", multiple=True, metavar="TOPIC",
              help="An essential topic the goal addresses (repeat for several).")
@click.option("--set-by", metavar="WHO", help="Who stated it: the group or its reporter.")
@click.option("--list", "list_", is_flag=True, help="Show every group's goals and challenges.")
@click.option("--json", "as_json", is_flag=True, help="With --list: print JSON.")
@as_option
@reports_errors
def goals_command(path: str, group_name: str | None, text: str | None, covers: tuple[str, ...],
                  set_by: str | None, list_: bool, as_json: bool, identity: str | None) -> None:
    """Record a group's goal as the group states it, or list the goals.

    \b
    Examples:
        facilitator goals sessions/demo.db --group "Tide pools" --add "Map who we ask" --covers Safety
        facilitator goals sessions/demo.db --list --json
    """
    if bool(text) == list_:
        raise click.UsageError("Give either --add TEXT (with --group) or --list.")
    if text is not None and not group_name:
        raise click.UsageError("--add needs --group NAME.")
    if covers and text is None:
        raise click.UsageError("--covers goes with --add.")
    with open_store(path, identity=identity, read_only=list_) as store:
        group_id = group_named(store, group_name) if group_name else None
        if list_:
            overview = goals_overview(store)
            if as_json:
                if group_id is not None:
                    overview["goals"] = [g for g in overview["goals"] if g["group_id"] == group_id]
                click.echo(json.dumps(overview, indent=2, ensure_ascii=False))
            else:
                _print_overview(overview, group_id)
            return
        assert group_id is not None and text is not None
        # Resolve every topic before writing, so a typo records nothing.
        topics = [find_essential(store, name) for name in covers]
        goal_id = add_goal(store, group_id, text, set_by, [t.id for t in topics])
        about = f" (covers {', '.join(t.name for t in topics)})" if topics else ""
        click.echo(plain(f"Goal {goal_id} recorded for {get_group(store, group_id).name}{about}."))


@click.command("challenge")
@session_path
@click.option("--group", "group_name", required=True, metavar="NAME", help="The group challenged.")
@click.option("--topic", required=True, metavar="TOPIC", help="The essential topic it is about.")
@click.option("--text", required=True, metavar="TEXT", help="The challenge, in one sentence.")
@as_option
@reports_errors
def challenge_command(path: str, group_name: str, topic: str, text: str,
                      identity: str | None) -> None:
    """Challenge a group to account for an essential topic it seems to neglect.

    The challenge stays open until the group's answer is recorded with
    `facilitator answer`.

    \b
    Example:
        facilitator challenge sessions/demo.db --group "Tide pools" --topic Safety \\
            --text "How will you keep people safe on the rocks?"
    """
    with open_store(path, identity=identity) as store:
        group_id = group_named(store, group_name)
        essential = find_essential(store, topic)
        challenge_id = raise_challenge(store, group_id, essential.id, text)
        click.echo(plain(f"Challenge {challenge_id} raised to {get_group(store, group_id).name}"
                         f" about {essential.name}; record the answer with"
                         f" `facilitator answer {path} {challenge_id} --text ...`."))


@click.command("answer")
@session_path
@click.argument("challenge_id", type=int)
@click.option("--text", required=True, metavar="TEXT", help="The group's answer, in its own words.")
@as_option
@reports_errors
def answer_command(path: str, challenge_id: int, text: str, identity: str | None) -> None:
    """Record a group's answer to a challenge, in the group's own words.

    \b
    Example:
        facilitator answer sessions/demo.db 1 --text "We agreed on a buddy system."
    """
    with open_store(path, identity=identity) as store:
        answer_challenge(store, challenge_id, text)
        challenge = get_challenge(store, challenge_id)
        click.echo(plain(f"Answer recorded for challenge {challenge_id}"
                         f" ({get_group(store, challenge.group_id).name})."))


COMMANDS = [goals_command, challenge_command, answer_command]

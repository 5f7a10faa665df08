"""Every command is documented in the README and has help (after sqlite-utils)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from facilitator.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_command_is_in_the_readme() -> None:
    for name in cli.commands:
        assert f"`facilitator {name}" in README, f"README does not document `facilitator {name}`"


def test_every_command_has_help_text() -> None:
    for name, command in cli.commands.items():
        assert command.help and len(command.help) > 30, name
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


def test_quick_start_is_the_two_make_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.split("```")[1].splitlines() if line.strip() and not line.startswith("sh")]
    assert commands == ["make demo", "make test"]

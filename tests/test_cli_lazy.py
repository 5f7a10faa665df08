"""The `facilitator` command imports only what the command typed needs, and still
lists and documents every command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import heavy_modules_after
from facilitator.cli import COMMANDS, cli


def test_help_lists_every_command_with_its_summary() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines()
              if line.strip()]
    assert listed == sorted(COMMANDS)
    assert "Log one interaction" in result.output


def test_each_mapping_names_the_command_it_loads() -> None:
    for name in COMMANDS:
        assert cli.commands[name].name == name


def test_logging_imports_neither_the_app_nor_other_commands(small_session: Path) -> None:
    result, loaded = heavy_modules_after(
        ["log", str(small_session), "al", "bs"],
        ("textual", "rich", "networkx", "yaml", "sqlite_utils", "facilitator.commands.goals",
         "facilitator.commands.network", "facilitator.commands.host", "facilitator.core.report"))
    assert result.returncode == 0, result.stderr
    assert "Logged #1: Ana Lopez" in result.stdout
    assert loaded == ""


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["lgo"])
    assert result.exit_code == 2
    assert "No such command 'lgo'" in result.output

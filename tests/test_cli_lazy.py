"""The `facilitator` command imports only what the command typed needs, and still
lists and documents every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

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
    code = ("import sys; from facilitator.cli import cli\n"
            "try:\n"
            f"    cli(['log', {str(small_session)!r}, 'al', 'bs'])\n"
            "except SystemExit as end:\n"
            "    assert not end.code, end.code\n"
            "heavy = ('textual', 'rich', 'networkx', 'yaml', 'sqlite_utils',\n"
            "         'facilitator.commands.goals', 'facilitator.commands.network',\n"
            "         'facilitator.commands.host', 'facilitator.core.report')\n"
            "print('heavy:' + ','.join(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Logged #1: Ana Lopez" in result.stdout
    assert result.stdout.splitlines()[-1] == "heavy:"


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["lgo"])
    assert result.exit_code == 2
    assert "No such command 'lgo'" in result.output

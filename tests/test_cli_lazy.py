"""The `facilitator` command imports only what the command typed needs, and still
lists and documents every command."""

from __future__ import annotations

import os
import subprocess
import sys
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


#: Run `facilitator open` up to the app's making, in a fresh interpreter: the app
#: is replaced by one that prints how many frames a second Textual then allows.
FRAME_RATE_PROBE = """
import sys, types
from facilitator.cli import cli
app = types.ModuleType("facilitator.app")
def make_app(*args, **kwargs):
    import textual.constants
    print("fps:", textual.constants.MAX_FPS)
    raise SystemExit(0)
app.make_app = make_app
sys.modules["facilitator.app"] = app
cli(["open", sys.argv[1], "--screen", "tally"])
"""


def test_the_app_draws_up_to_120_frames_a_second_unless_the_user_chose(
        small_session: Path) -> None:
    """At Textual's 60, a keystroke just after a co-facilitator's entry was drawn
    waited for the next 1/60 s slot. The rate is set before Textual loads, so
    nothing on the way to the app may import Textual first."""
    for chosen, expected in ((None, "fps: 120"), ("30", "fps: 30")):
        env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
        if chosen:
            env["TEXTUAL_FPS"] = chosen
        done = subprocess.run([sys.executable, "-c", FRAME_RATE_PROBE, str(small_session)],
                              capture_output=True, text=True, env=env, timeout=60)
        assert expected in done.stdout.splitlines(), done.stdout + done.stderr

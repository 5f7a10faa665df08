"""The layers hold: imports point downwards only (import-linter contracts in
.importlinter, each exception with its reason), and the headless core (models/,
analysis/, core/, export/) never imports the UI, not even indirectly at run time."""

from __future__ import annotations

import configparser
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import facilitator.analysis
import facilitator.core
import facilitator.export
import facilitator.models

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = REPO / ".importlinter"

CORE_MODULES = sorted(
    f"{package.__name__}.{info.name}"
    for package in (facilitator.models, facilitator.analysis, facilitator.core,
                    facilitator.export)
    for info in pkgutil.iter_modules(package.__path__)
)


def lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(script), "--no-cache", "--config", str(config)], cwd=REPO,
                          capture_output=True, text=True)


def test_import_contracts_hold() -> None:
    result = lint_imports(CONTRACTS)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "0 broken" in output


def test_each_listed_exception_is_a_real_import_the_contracts_would_refuse(
        tmp_path: Path) -> None:
    """Without its exceptions, the contracts break on exactly those imports: the
    contracts are live, and every exception is still needed (lint-imports also
    refuses an exception that matches nothing)."""
    parser = configparser.ConfigParser()
    parser.read(CONTRACTS)
    listed = set()
    for section in parser.sections():
        if parser.has_option(section, "ignore_imports"):
            listed |= {line.strip() for line in parser.get(section, "ignore_imports").splitlines()
                       if line.strip() and not line.strip().startswith("#")}
            parser.remove_option(section, "ignore_imports")
    assert listed, "no exceptions listed: drop this test"
    bare = tmp_path / "contracts.ini"
    with open(bare, "w") as handle:
        parser.write(handle)
    result = lint_imports(bare)
    output = re.sub(r"\s*\n\s*", " ", result.stdout)  # lint-imports wraps long lines
    assert result.returncode == 1, output
    broken = set(re.findall(r"-\s+(facilitator[\w.]+ -> facilitator[\w.]+) \(l\.", output))
    assert broken == listed


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual_or_rich(module: str) -> None:
    code = (f"import sys, {module}; "
            "bad = [m for m in ('textual', 'rich') if m in sys.modules]; print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def test_app_start_does_not_import_networkx() -> None:
    code = ("import sys, facilitator.app, facilitator.cli, facilitator.screens.roster; "
            "print('networkx' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

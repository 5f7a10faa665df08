"""The headless core never imports the UI (models/, analysis/, export/)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import facilitator.analysis
import facilitator.export
import facilitator.models

CORE_MODULES = sorted(
    f"{package.__name__}.{info.name}"
    for package in (facilitator.models, facilitator.analysis, facilitator.export)
    for info in pkgutil.iter_modules(package.__path__)
)


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

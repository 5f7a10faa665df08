"""Shared fixtures: small real session files, isolated from the user's home."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from facilitator.models.demo import build_demo
from facilitator.models.roster import add_participant
from facilitator.models.session import create_session
from facilitator.models.store import SessionStore

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "sessions" / "templates"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's config or writes into their home."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FACILITATOR_AS", "tester")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def empty_session(tmp_path: Path) -> Path:
    """A new session file with the default codebook and nobody in it."""
    path = tmp_path / "empty.db"
    create_session(path, "Empty test session").close()
    return path


@pytest.fixture
def small_session(tmp_path: Path) -> Path:
    """Four participants: Ana Lopez (al), Bob Smith (bs), Cleo Diaz (cd), Dev Patel (dp)."""
    path = tmp_path / "small.db"
    with create_session(path, "Small test session") as store:
        for name in ("Ana Lopez", "Bob Smith", "Cleo Diaz", "Dev Patel"):
            add_participant(store, name, {"organisation": "Org " + name[0]})
    return path


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path).close()
    return path


@pytest.fixture
def demo_session(_demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo session (built once per test run)."""
    path = tmp_path / "demo.db"
    with SessionStore.open(_demo_master) as store:
        # Checkpoint so the copy holds everything without the -wal file.
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(_demo_master, path)
    return path


def facilitator_command() -> list[str]:
    """The installed console script, as a user runs it."""
    script = shutil.which("facilitator", path=str(Path(os.sys.executable).parent)) or shutil.which(
        "facilitator")
    assert script, "the facilitator command is not installed (run make test)"
    return [script]


def heavy_modules_after(args: list[str], heavy: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Run the CLI with `args` in a fresh interpreter; its result and which of the
    `heavy` modules it had imported by the end (a command imports what it needs)."""
    import subprocess
    import sys

    code = ("import sys; from facilitator.cli import cli\n"
            "try:\n"
            f"    cli({args!r})\n"
            "except SystemExit as end:\n"
            "    assert not end.code, end.code\n"
            f"heavy = {heavy!r}\n"
            "print('heavy:' + ','.join(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = result.stdout.splitlines()[-1].removeprefix("heavy:") if result.stdout else None
    return result, loaded

"""A few SVG snapshots of what a facilitator sees (pytest-textual-snapshot).

The sessions here have no running round and fixed names, so nothing on screen
depends on the clock. Update with: .venv/bin/pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.models.roster import add_participant, set_present
from facilitator.models.session import create_session

SIZE = (80, 24)


@pytest.fixture
def snapshot_session(tmp_path: Path) -> Path:
    path = tmp_path / "snap.db"
    with create_session(path, "Snapshot circle") as store:
        for name, tags in [("Ada Byron", {"role": "host"}), ("Grace Hopper", {"role": "speaker"}),
                           ("[bold]Alan[/bold]", {}), ("Katherine Johnson", {"org": "NASA"})]:
            add_participant(store, name, tags)
        set_present(store, 4, False)
    return path


def test_roster_snapshot(snap_compare, snapshot_session: Path) -> None:
    assert snap_compare(make_app(snapshot_session, identity="ana"), terminal_size=SIZE)


def test_help_snapshot(snap_compare, snapshot_session: Path) -> None:
    assert snap_compare(make_app(snapshot_session, identity="ana"), press=["question_mark"],
                        terminal_size=SIZE)


def test_too_small_snapshot(snap_compare, snapshot_session: Path) -> None:
    assert snap_compare(make_app(snapshot_session, identity="ana"), terminal_size=(60, 20))

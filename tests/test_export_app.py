"""Exporting from the app (Pilot): one key, a progress bar, files next to the
session file, and a sentence saying where they went."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import ProgressBar, Static

from facilitator.app import make_app


def status(app: object) -> str:
    return str(app.screen.query_one("#export-status", Static).render())  # type: ignore[attr-defined]


async def wait_for_export(app, pilot) -> None:  # type: ignore[no-untyped-def]
    from facilitator.screens.export import ExportScreen

    screen = app.screen
    assert isinstance(screen, ExportScreen)
    for _ in range(400):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not screen.running:
            return
    raise AssertionError("the export did not finish")


async def test_the_export_key_writes_next_to_the_session_file_and_says_where(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import facilitator.export.tables as tables
    from facilitator.screens.export import ExportScreen

    monkeypatch.setattr(tables, "CHUNK", 25)  # a "large" session: many steps of progress
    seen: list[int] = []
    original = ExportScreen.show_progress

    def record(self, percent: int) -> None:  # type: ignore[no-untyped-def]
        seen.append(percent)
        original(self, percent)

    monkeypatch.setattr(ExportScreen, "show_progress", record)
    app = make_app(demo_session, identity="ana", screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_for_export(app, pilot)
        folders = [p for p in demo_session.parent.iterdir() if p.name.startswith("demo-export-")]
        assert len(folders) == 1
        folder = folders[0]
        assert status(app) == f"Wrote 18 files to {folder}."
        assert app.screen.query_one(ProgressBar).progress == 100
        for name in ("interactions.csv", "participants.csv", "gephi/nodes.csv", "network.graphml",
                     "session.xlsx", "report.md", "report.html"):
            assert (folder / name).is_file(), name
        assert not [p for p in folder.rglob(".*part-*")]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert any(f"to {folder}" in n.message for n in app._notifications)
    assert len(seen) > 5 and seen == sorted(seen)  # the bar moved along the way


async def test_escape_cancels_and_leaves_nothing(demo_session: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import facilitator.export.tables as tables
    from facilitator.screens.export import ExportScreen

    monkeypatch.setattr(tables, "CHUNK", 5)
    # Cancel as soon as the first rows are written, as a facilitator pressing Escape.
    original = ExportScreen.show_progress

    def press_escape(self, percent: int) -> None:  # type: ignore[no-untyped-def]
        original(self, percent)
        self.cancel.set()

    monkeypatch.setattr(ExportScreen, "show_progress", press_escape)
    app = make_app(demo_session, identity="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_for_export(app, pilot)
        assert status(app) == "The export was cancelled; nothing was written."
    assert not [p for p in demo_session.parent.iterdir() if p.name.startswith("demo-export-")]


async def test_a_failed_export_is_one_sentence_and_the_app_keeps_running(
        demo_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import facilitator.screens.export as export_screen

    blocker = demo_session.parent / "blocker"
    blocker.write_text("a file where the folder would go")
    monkeypatch.setattr(export_screen, "export_folder", lambda session: blocker / "out")
    app = make_app(demo_session, identity="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_for_export(app, pilot)
        assert status(app).endswith("nothing was exported.")
        assert "Traceback" not in status(app)
        await pilot.press("escape")
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "groups"

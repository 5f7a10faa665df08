"""Opening a session for the app while the app's own code is still loading.

`facilitator open` spends its first few hundred milliseconds importing Textual and
the screens: Python work, on one core. Opening the file (its checks, PRAGMA
quick_check) and counting the tally's first scopes are SQLite's work, which runs
without Python's lock: started in a thread before those imports, they are done, on
the other core, by the time the app composes its first screen. So a long session's
first frame can show its counts at once.

Nothing here decides anything new: the store is opened by SessionStore.open as
always (its refusals reach the command as before), and the counts are
core.tally_start.count_ahead, which the tally screen takes only if they are ready
(otherwise it paints first and counts when they are)."""

from __future__ import annotations

import gc
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.models.store import SessionStore

if TYPE_CHECKING:
    from facilitator.core.tally_start import CountedStart


class Opening:
    """A session file being opened (and its tally counted) in a thread."""

    def __init__(self, path: str | Path, *, identity: str | None = None,
                 read_only: bool = False, count: bool = False) -> None:
        self._store: Future[SessionStore] = Future()
        #: The tally's first scopes counted ahead (None when not asked for).
        self.counted: Future[CountedStart | None] = Future()
        threading.Thread(target=self._run, args=(path, identity, read_only, count),
                         name="facilitator-opening", daemon=True).start()

    def _run(self, path: str | Path, identity: str | None, read_only: bool, count: bool) -> None:
        try:
            store = SessionStore.open(path, identity=identity, read_only=read_only)
        except BaseException as error:  # raised again where store() is called
            self._store.set_exception(error)
            self.counted.set_result(None)
            return
        self._store.set_result(store)
        if not count:
            self.counted.set_result(None)
            return
        try:
            # Imported here, in the thread: the command starts it before any import.
            from facilitator.core.tally_start import count_ahead

            reader = store.reader()  # its own connection: the UI thread has the store's
            try:
                self.counted.set_result(count_ahead(reader))
            finally:
                reader.close()
        except Exception as error:  # the screen counts on its own connection instead
            self.counted.set_exception(error)

    def store(self) -> SessionStore:
        """The open store, once the thread has opened it (or its refusal, raised)."""
        return self._store.result()

    def counted_if_ready(self) -> CountedStart | None:
        """The counts made ahead, if they are done and went well; None otherwise."""
        if not self.counted.done() or self.counted.exception() is not None:
            return None
        return self.counted.result()


def pause_collecting() -> None:
    """Python's cycle collector paused while the app starts: start-up makes a few
    hundred thousand objects that live as long as the app (modules, styles,
    widgets, the tally's counts), and collecting repeatedly walked them all, about
    a tenth of a launch (a single full collection took 58 ms before the first frame)."""
    global _collecting_paused
    _collecting_paused = True
    gc.disable()


def resume_collecting() -> None:
    """After start-up (the app's first frames): what start-up made is set aside for
    good (gc.freeze: never walked again) and collecting resumes. Does nothing
    unless pause_collecting paused it."""
    global _collecting_paused
    if _collecting_paused and not gc.isenabled():
        gc.freeze()
        gc.enable()
    _collecting_paused = False


_collecting_paused = False

"""The base of every screen: the session it is given, the one way a screen writes
(refuse when read-only, turn a SessionError into a hint, remember the undo,
refresh), undo that respects co-facilitators, and a refresh hook the app calls
when the file changes (here or in another process).

Attributes down, messages up: the app hands each screen its store; a screen tells
the app what happened with messages (Written, Shown) and never imports it."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.screen import Screen
from textual.binding import ActiveBinding
from textual.worker import Worker

from facilitator.core.changes import Change
from facilitator.models.store import READ_ONLY, SessionError, SessionStore, StillLocked
from facilitator.models.text import shown
from facilitator.widgets.failures import WorkerFailed, forward_worker_failure

__all__ = ["SessionScreen", "Shown", "SuggestionsWanted", "WorkerFailed", "Written",
           "forward_worker_failure"]

#: How long a write from a screen waits for another process's lock before it is kept
#: as pending (the screen goes on; the write is tried again until it commits).
PENDING_AFTER_MS = 400
#: How often pending writes are tried again.
PENDING_RETRY_SECONDS = 0.5


class Written(Message):
    """This process wrote to the file. PRAGMA data_version does not change for our
    own commits, so the app refreshes what is visible, as after anyone's
    (refreshed: the screen has read the file back itself already; only the header
    is left)."""

    def __init__(self, refreshed: bool = False) -> None:
        super().__init__()
        self.refreshed = refreshed


class Shown(Message):
    """A screen was mounted or came back: the app redraws the header and checks
    the terminal's size."""


class SuggestionsWanted(Message):
    """The facilitator wants to see suggested groups for the next round before
    starting it: the app shows the groups screen with its suggestions."""


class SessionScreen(Screen[None]):
    """A screen that shows part of the session and refreshes when it changes.

    The base mounts the session header (title, round, timer, who else is here),
    the footer and the "terminal too small" notice: compose only the body, and
    do not yield Header or Footer yourself."""

    #: The name used by `--screen`, the presence table and the header.
    SCREEN_NAME = ""
    #: Actions that write (a name, or a whole action with its parameters): a
    #: read-only session's footer and palette do not offer them. Screens add theirs.
    WRITES: frozenset[str] = frozenset({"undo", "redo", "round"})

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        #: The open session, handed down by the app.
        self.store = store
        #: Changes this screen made, newest last (ctrl+z takes back the last).
        self.undo_stack: list[Change] = []
        #: Changes undone here, newest last (ctrl+y makes the last again).
        self.redo_stack: list[Change] = []
        #: Writes kept while another process holds the file's lock, oldest first;
        #: each is tried again until it commits (later writes wait behind them).
        self.pending: list[tuple[Callable[[], Change | str | None], str,
                                 Callable[[SessionError], None] | None]] = []

    @classmethod
    def writes(cls, action: str) -> bool:
        """Whether this action would write to the file (see WRITES)."""
        return action in cls.WRITES or action.split("(")[0] in cls.WRITES

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys offered now (footer, palette): in a read-only session only
        what works there; a key that writes still says why it cannot."""
        found = super().active_bindings
        if not self.store.read_only:
            return found
        return {key: active for key, active in found.items()
                if not (active.node is self and self.writes(active.binding.action))}

    def refresh_data(self) -> None:
        """Re-read what this screen shows from the store. Called on mount, when the
        screen comes back, and whenever the session file changed (here or in
        another process). Keep it cheap: indexed queries, no reload of the log."""

    def on_mount(self) -> None:
        # Every screen gets the session header, the footer and the "too small"
        # notice, so screens only compose their own body.
        from textual.widgets import Static

        from facilitator.widgets.footer import SessionFooter
        from facilitator.widgets.session_header import SessionHeader

        if not self.query(SessionHeader):
            self.mount(SessionHeader(), before=0 if self.children else None)
        if not self.query(SessionFooter):
            self.mount(SessionFooter())
        if not self.query("#too-small"):
            self.mount(Static("Terminal too small: facilitator needs at least 80x24.",
                              id="too-small"))
        self.refresh_data()
        self.post_message(Shown())

    def on_screen_resume(self) -> None:
        self.refresh_data()
        self.post_message(Shown())

    def _compositor_refresh(self) -> None:
        """Textual 8.2 renders the whole screen after each layout while the app
        starts, then drops it unseen (App._display ignores updates while a batch
        is open): twice at start-up, a full render of every card and panel each
        time. Here, while a batch is open, the screen is only marked for a repaint,
        which Textual does as soon as the batch ends. (Look at this again on any
        Textual upgrade: the tmux launch tests would show a screen left blank.)"""
        if self.app._batch_count and not self.app.is_inline:
            self._repaint_required = True
            return
        super()._compositor_refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_worker_failure(self, event)

    # ------------------------------------------------------------------ writing
    def written(self, *, refreshed: bool = False) -> None:
        """Call after this process wrote to the file: the app refreshes the visible
        screen from the file, exactly as after another process's commit (refreshed:
        this screen has just done that itself)."""
        self.post_message(Written(refreshed))

    def refuse_if_read_only(self) -> bool:
        """True (after saying so at once) when the session is read-only: call it
        before opening anything that would write, not after the user filled it in."""
        if self.store.read_only:
            self.hint(READ_ONLY, error=True)
        return self.store.read_only

    def write(self, change: Callable[[], Change | str | None], *, done: str = "",
              on_error: Callable[[SessionError], None] | None = None) -> bool:
        """The one way a screen writes. Refuses at once when read-only; runs
        `change`; a SessionError becomes a hint (or goes to on_error); a returned
        Change is remembered for ctrl+z; says `done` (or the returned sentence);
        refreshes from the file. While another process holds the file's lock the
        write is kept as pending (said on screen) and tried again until it commits,
        later writes behind it. Returns True when the write happened or is pending."""
        if self.refuse_if_read_only():
            return False
        if self.pending:  # in order: behind the writes already waiting
            self.pending.append((change, done, on_error))
            self._say_pending()
            return True
        return self._write_now(change, done, on_error)

    def _write_now(self, change: Callable[[], Change | str | None], done: str,
                   on_error: Callable[[SessionError], None] | None) -> bool:
        try:
            with self.store.waiting_at_most(PENDING_AFTER_MS):
                result = change()
        except StillLocked:
            # Kept, not dropped: the screen goes on and the write is tried again.
            self.pending.append((change, done, on_error))
            self._say_pending()
            self.set_timer(PENDING_RETRY_SECONDS, self._retry_pending)
            return True
        except SessionError as error:
            if on_error is not None:
                on_error(error)
            else:
                self.hint(str(error), error=True)
            return False
        self._wrote(result, done)
        return True

    def _wrote(self, result: Change | str | None, done: str) -> None:
        if isinstance(result, Change):
            self.remember(result)
        elif isinstance(result, str) and result and not done:
            done = result
        if done:
            self.hint(done)
        self.written()

    def on_unmount(self) -> None:
        """The app is closing: pending writes get one last, patient try (the store's
        full busy timeout and retries) rather than being dropped."""
        while self.pending:
            change, _, _ = self.pending.pop(0)
            try:
                change()
            except SessionError:
                pass  # still locked or refused: nothing more can be done here

    def _say_pending(self) -> None:
        count = len(self.pending)
        self.app.notify(shown(f"{self.store.path.name} is locked by another process: "
                              f"{count} {'change' if count == 1 else 'changes'} pending, kept and "
                              "written as soon as it is free."),
                        severity="warning", timeout=PENDING_RETRY_SECONDS * 4, markup=False)

    def _retry_pending(self) -> None:
        """Try the pending writes again, oldest first; stop at one still locked."""
        while self.pending:
            change, done, _ = self.pending[0]
            try:
                with self.store.waiting_at_most(PENDING_AFTER_MS):
                    result = change()
            except StillLocked:
                self._say_pending()
                self.set_timer(PENDING_RETRY_SECONDS, self._retry_pending)
                return
            except SessionError as error:  # refused now for another reason: say so
                self.pending.pop(0)
                self.hint(str(error), error=True)
                continue
            self.pending.pop(0)
            self._wrote(result, done or "The pending change is written.")

    def remember(self, change: Change) -> None:
        """Push an undo step (a new change clears what could be redone)."""
        self.undo_stack.append(change)
        self.redo_stack.clear()

    def action_undo(self) -> None:
        """Undo this screen's last change, unless someone changed the same thing
        since (then one sentence says who, and nothing is written)."""
        if self.store.read_only:
            self.hint(READ_ONLY, error=True)
            return
        if not self.undo_stack:
            self.hint(f"Nothing to undo on the {self.SCREEN_NAME} screen.")
            return
        change = self.undo_stack.pop()

        def undo() -> str:
            said = change.undo()
            if change.redo is not None:
                self.redo_stack.append(change)
            return f"Undid {change.what}. {said}" if said else f"Undid {change.what}."

        self.write(undo)

    def action_redo(self) -> None:
        """Make the last undone change again (where it can be redone)."""
        if self.store.read_only:
            self.hint(READ_ONLY, error=True)
            return
        if not self.redo_stack:
            self.hint(f"Nothing to redo on the {self.SCREEN_NAME} screen.")
            return
        change = self.redo_stack.pop()
        assert change.redo is not None

        def redo() -> str:
            again = change.redo()  # type: ignore[misc]
            self.undo_stack.append(again)
            return f"Redid {change.what}."

        self.write(redo)

    # ------------------------------------------------------------------ rounds
    def action_round(self) -> None:
        """Start or end a round for everyone, after a one-key choice: end it (e),
        start the next keeping the groups (k), in open space (o) or with suggested
        groups (s). An undoable step like any other."""
        if self.refuse_if_read_only():
            return
        # Imported when a round is changed, not at launch (with the carrying of
        # goals it needs, a few milliseconds before every first frame).
        from facilitator.core.rounds import SUGGEST, round_step, take_round_step
        from facilitator.screens.confirm import ChoiceScreen

        step = round_step(self.store)

        def answered(key: str | None) -> None:
            if key is None:
                self.hint("Nothing changed: the round goes on as it was.")
                return
            if key == SUGGEST and step.suggest_first:
                self.post_message(SuggestionsWanted())
                return

            def take() -> Change | str | None:
                said, change = take_round_step(self.store, step, key)
                if change is not None:
                    self.remember(change)
                self.round_changed()
                return said

            self.write(take)

        self.app.push_screen(ChoiceScreen(step.question,
                                          [(c.key, c.label) for c in step.choices],
                                          step.default), answered)

    def round_changed(self) -> None:
        """Called after this screen started or ended a round (before the refresh)."""

    def hint(self, message: str, *, error: bool = False) -> None:
        """A short, unobtrusive message (no modal). User text is never markup, and
        goes through the one rendering rule (models.text.shown)."""
        self.app.notify(shown(message), severity="error" if error else "information",
                        timeout=3, markup=False)


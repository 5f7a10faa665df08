"""One line of typed input that owns what it collects, for the groups and goals
screens: a key opens it for a purpose ("move", "topic", a goal of group 3), Enter
hands the text back in an `EntryLine.Entered` message, Escape drops it.

Why not a plain Input: keys that arrive together (a fast typist, or SSH, where
`j mr 2 Enter` is one read) are forwarded by the app to whatever is focused at
the moment the app looks at each key, and a screen's ordinary bindings run only
after the key has travelled back up. So a line opened by an ordinary binding is
opened after the letters typed into it went elsewhere, and a line closed by its
own Enter is closed after the next keys went into it. Here the screen opens and
closes the line from priority bindings, which the app runs in the order the keys
came, and the line changes focus at that very moment; what it was typed so far
is settled by markers posted into the line's own queue, behind the keys it was
sent (`_Open`, `_Seal`, `_Drop`), so each key is handled in order by the right
receiver. The line also runs its own editing keys (backspace, arrows) itself
rather than letting them travel up and be read against whatever has focus by
then."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input


#: Keys that move the highlight or the focus on a screen with an entry line.
NAVIGATION_KEYS = ("up", "down", "left", "right", "tab", "shift+tab", "pageup", "pagedown")


def in_order_bindings() -> list[Binding]:
    """Priority bindings running the navigation keys as soon as the app reads
    them (action `in_order`, see run_in_order): otherwise a key that opens the
    line right after `down` reads the highlight from before the down."""
    return [Binding(key, f"in_order('{key}')", show=False, priority=True,
                    system=True) for key in NAVIGATION_KEYS]


async def run_in_order(app: object, key: str) -> bool:
    """Run `key` as the focused widget and its parents bind it, now, from the
    app's own key order. (Textual has no public call for the binding chain.)"""
    return bool(await app._check_bindings(key))  # type: ignore[attr-defined]


class EntryLine(Input):
    """A line opened for one purpose at a time; posts Entered or Cancelled."""

    @dataclass
    class Entered(Message):
        """Enter was pressed: `text` as typed, for `purpose` (as given to open)."""

        line: "EntryLine"
        purpose: object
        text: str

    @dataclass
    class Cancelled(Message):
        """Escape dropped the line (for `purpose`)."""

        line: "EntryLine"
        purpose: object

    @dataclass
    class _Open(Message, bubble=False):
        purpose: object
        value: str
        select: bool

    class _Seal(Message, bubble=False):
        pass

    class _Drop(Message, bubble=False):
        pass

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, select_on_focus=False)
        #: As the app routes keys: True from open() until seal() or cancel().
        self.accepting = False
        #: As the line has handled its keys: what the text being typed is for.
        self.purpose: object = None
        self._came_from: Widget | None = None

    # ------------------------------------------------------------------ called by the screen
    # These run while the app handles a key (from a priority binding), so the keys
    # after it go to the right receiver.
    def open(self, purpose: object, value: str = "", *, select: bool = True) -> None:
        """Open the line for `purpose`, prefilled with `value` (selected, so typing
        replaces it, unless select is False). Keys from now on go into the line."""
        if not self.accepting:
            focused = self.screen.focused
            self._came_from = focused if focused is not self else self._came_from
        self.accepting = True
        self.display = True
        self.post_message(self._Open(purpose, value, select))
        self.screen.set_focus(self)

    def seal(self, then: object = None) -> None:
        """Enter: what was typed so far is entered. With `then`, the line stays
        open for another entry of that purpose (the next goal); else it closes
        and the keys from now on go back where they went before it opened."""
        self.post_message(self._Seal())
        if then is not None:
            self.post_message(self._Open(then, "", True))
            return
        self._close()

    def cancel(self) -> None:
        """Escape: what was typed is dropped and the line closes."""
        self.post_message(self._Drop())
        self._close()

    def _close(self) -> None:
        self.accepting = False
        self.display = False
        back = self._came_from
        if back is not None and back.is_attached and back.focusable:
            self.screen.set_focus(back)
        else:
            self.screen.set_focus(None)

    # ------------------------------------------------------------------ in the line's queue
    @on(_Open)
    def _opened(self, message: _Open) -> None:
        message.stop()
        self.purpose = message.purpose
        self.value = message.value
        if message.select and message.value:
            self.select_all()
        else:
            self.cursor_position = len(self.value)

    @on(_Seal)
    def _sealed(self, message: _Seal) -> None:
        message.stop()
        purpose, text = self.purpose, self.value
        self.purpose, self.value = None, ""
        self.post_message(self.Entered(self, purpose, text))

    @on(_Drop)
    def _dropped(self, message: _Drop) -> None:
        message.stop()
        purpose, self.purpose, self.value = self.purpose, None, ""
        self.post_message(self.Cancelled(self, purpose))

    def _on_paste(self, event: events.Paste) -> None:
        # Kept whole and in order: a line is one line, so a pasted text's lines are
        # joined by spaces (Input keeps only the first) and tabs become spaces.
        text = " ".join(event.text.replace("\t", " ").splitlines())
        if text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.stop()
        event.prevent_default()  # not Input's own paste as well

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            await super()._on_key(event)
            return
        # Editing keys are run here, in order, not read later against whatever has
        # focus by then. Enter and Escape belong to the screen (see the module doc).
        if event.key in ("tab", "shift+tab"):
            event.stop()  # the line keeps the keys until Enter or Escape
            event.prevent_default()
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.action in ("submit",):
                continue
            event.stop()
            event.prevent_default()
            await self.run_action(binding.action)
            return

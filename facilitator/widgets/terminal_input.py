"""Pasted text arrives whole and in order, with control characters made visible.

Textual's input parser ends a bracketed paste at the first ESC inside it: what
follows the ESC is read as an escape sequence, then sent as separate key presses
(ESC itself as `^`), and only at the end of the paste does the text from before
the ESC arrive as the Paste event. So a paste of `ab<ESC>[31mcd<BEL>` reached a
field as `^[31mcd` (BEL dropped, a key without a character) followed by `ab`.

The fix sits where the damage happens, before the parser: inside a bracketed
paste (between ESC [ 200 ~ and ESC [ 201 ~) every control character but tab and
the line breaks becomes its visible picture (models.text.visible: ESC -> ␛), so
the parser sees no ESC until the paste's real end, and every field gets one
Paste event holding the text exactly as pasted, shown harmlessly."""

from __future__ import annotations

import queue
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser
from textual.driver import Driver

from facilitator.models.text import visible

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
KEEP = {"\t", "\n", "\r"}


def paste_visible(text: str) -> str:
    """Control characters as pictures, tab and line breaks kept (a field decides)."""
    if text.isprintable():
        return text
    return "".join(ch if ch in KEEP else visible(ch) for ch in text)


def _partial(tail: str, marker: str) -> int:
    """How many characters at the end of `tail` begin `marker` (a marker cut in two
    by the terminal's reads)."""
    for size in range(min(len(tail), len(marker) - 1), 0, -1):
        if marker.startswith(tail[-size:]):
            return size
    return 0


class PasteFilter:
    """A stream transform for the parser's input: tracks whether a bracketed paste
    is open and makes the control characters inside it visible. Outside a paste
    nothing is changed or held back (a lone Escape key is not delayed)."""

    def __init__(self) -> None:
        self.in_paste = False
        self._recent = ""  # the last characters passed on outside a paste
        self._held = ""    # inside a paste: what may be the start of its end marker

    def __call__(self, data: str) -> str:
        if not data:
            held, self._held = self._held, ""
            return paste_visible(held)
        out: list[str] = []
        data = self._held + data
        self._held = ""
        at = 0
        while at < len(data):
            if not self.in_paste:
                seen = self._recent + data[at:]
                found = seen.find(PASTE_START)
                if found < 0:
                    out.append(data[at:])
                    self._recent = seen[-(len(PASTE_START) - 1):]
                    break
                end = found + len(PASTE_START) - len(self._recent) + at
                out.append(data[at:end])
                at, self.in_paste, self._recent = end, True, ""
            else:
                found = data.find(PASTE_END, at)
                if found < 0:
                    keep = _partial(data[at:], PASTE_END)
                    out.append(paste_visible(data[at:len(data) - keep]))
                    self._held = data[len(data) - keep:]
                    break
                out.append(paste_visible(data[at:found]))
                out.append(PASTE_END)
                at, self.in_paste = found + len(PASTE_END), False
        return "".join(out)


class PasteKeepingParser(XTermParser):
    """XTermParser fed through a PasteFilter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._paste_filter = PasteFilter()

    def feed(self, data: str) -> Iterable[Any]:
        if not data:  # end of input: what was held goes first
            held = self._paste_filter("")
            if held:
                yield from super().feed(held)
            yield from super().feed(data)
            return
        filtered = self._paste_filter(data)
        if filtered:
            yield from super().feed(filtered)


def driver_class(base: type[Driver]) -> type[Driver]:
    """The app's driver: Textual's own, reading input through PasteKeepingParser,
    and bytes that are not UTF-8 (a Latin-1 terminal, a pasted binary) read as U+FFFD
    instead of ending the app with a UnicodeDecodeError in its input thread (on Linux
    and macOS terminals; any other driver, e.g. headless, unchanged)."""
    from textual.drivers import linux_driver

    if not issubclass(base, linux_driver.LinuxDriver):
        return base

    class PasteKeepingDriver(base):  # type: ignore[valid-type, misc]
        def run_input_thread(self) -> None:
            # Textual 8.2's LinuxDriver.run_input_thread, with our parser and a
            # forgiving decoder (the two things it does not let a subclass choose).
            import os
            import selectors
            from codecs import getincrementaldecoder

            from textual._loop import loop_last
            from textual._parser import ParseError

            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            fileno = self.fileno
            parser = PasteKeepingParser(self._debug)
            feed, tick = parser.feed, parser.tick
            decode = getincrementaldecoder("utf-8")(errors="replace").decode

            def process_selector_events(selector_events: list[Any], final: bool = False) -> None:
                for last, (_key, mask) in loop_last(selector_events):
                    if mask & selectors.EVENT_READ:
                        unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                        if not unicode_data:
                            break
                        for event in feed(unicode_data):
                            self.process_message(event)
                for event in tick():
                    self.process_message(event)

            try:
                while not self.exit_event.is_set():
                    process_selector_events(selector.select(0.1))
                selector.unregister(self.fileno)
                process_selector_events(selector.select(0.1), final=True)
            finally:
                selector.close()
                try:
                    for _ in feed(""):
                        pass
                except (EOFError, ParseError):
                    pass

        # Textual's output goes through a writer thread and a queue of 30 writes, and
        # its write() and close() wait for room in that queue without a limit. When the
        # terminal goes away (a closed window, a dropped SSH connection), nothing may
        # ever take from the queue again: the app then hung in close() at exit, or in
        # write() mid-frame, blocked in a lock where even SIGTERM could not end it.
        # Here both wait a bounded time, and give up once the terminal is gone (what
        # was acknowledged is committed already; run_app then leaves at once).
        def write(self, data: str) -> None:
            writer = self._writer_thread
            assert writer is not None, "Driver must be in application mode"
            _put_while_terminal_alive(writer, data)

        def close(self) -> None:
            writer = self._writer_thread
            if writer is None:
                return
            if _put_while_terminal_alive(writer, None):
                writer.join(timeout=WRITER_SECONDS)

    return PasteKeepingDriver


#: How long a write waits for room in the output queue before it checks whether
#: the terminal is still there.
WRITER_SECONDS = 0.5


def _put_while_terminal_alive(writer: Any, data: str | None) -> bool:
    """Queue `data` for Textual's writer thread, waiting while the terminal answers;
    False when it is gone (the data is dropped: nobody would read it)."""
    while True:
        try:
            writer._queue.put(data, timeout=WRITER_SECONDS)
            return True
        except queue.Full:
            if not writer.is_alive() or not terminal_alive():
                return False


def terminal_alive() -> bool:
    """Whether standard input is still a terminal that answers (not hung up)."""
    import sys
    import termios

    try:
        termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        return False
    return True

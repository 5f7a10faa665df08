"""The header on every screen: session title, current round with the one timer
of the app, and who else is connected."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

#: The title never gets narrower than this while something else can give way.
MIN_TITLE = 12


class SessionHeader(Static):
    """One line; every part of it comes from the file, so co-facilitators agree."""

    DEFAULT_CSS = """
    SessionHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    _shown = ""
    _last: tuple[object, ...] | None = None

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last[:7], shared_identity=self._last[7])  # type: ignore[arg-type]

    def show(self, title: str, screen: str, round_text: str, others: list[tuple[str, str]],
             me: str, read_only: bool, overtime: bool, *, shared_identity: bool = False) -> None:
        """Redraw from plain values; user text is never markup. others: (who, their
        screen) of every other process. shared_identity: another process works under
        the same name, so their entries and ours look alike."""
        self._last = (title, screen, round_text, others, me, read_only, overtime, shared_identity)
        width = self.content_size.width
        # What gives way at 80 columns, in order: the others' screens, then the
        # title (down to MIN_TITLE); every co-facilitator's name stays (a dropped
        # name hides who else is logging), and so does [screen], which tools and
        # people look for.
        variants = [self._line(screen, round_text, others, me, read_only, overtime,
                               shared_identity, with_screens, True)
                    for with_screens in (True, False)]
        line = variants[-1]
        for candidate in variants:
            if not width or candidate.cell_len + MIN_TITLE <= width:
                line = candidate
                break
        title_text = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
        if width:
            title_text.truncate(max(MIN_TITLE, width - line.cell_len), overflow="ellipsis")
        line = title_text + line
        # Called on every write and every second: repaint only when the text
        # changed, and never re-layout the screen for a one-line header.
        if line.plain != self._shown:
            self._shown = line.plain
            self.update(line, layout=False)

    @staticmethod
    def _line(screen: str, round_text: str, others: list[tuple[str, str]], me: str,
              read_only: bool, overtime: bool, shared_identity: bool, with_screens: bool,
              with_mode: bool) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if with_mode:
            line.append(f"  [{screen}]")
        if round_text:
            line.append("  ")
            line.append(round_text, style="reverse" if overtime else "")
        line.append("  you: ")
        line.append(me)
        if read_only:
            line.append(" (read-only)")
        if shared_identity:
            line.append(" (name open twice: use --as)", style="reverse")
        if others:
            line.append("  with: ")
            line.append(", ".join(f"{who} ({where})" if where and with_screens else who
                                  for who, where in others))
        return line

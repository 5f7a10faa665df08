"""Asking Textual for a new layout when a widget's height changed, so that it is
always taken.

Textual 8.2 keeps each widget's size (its box model) keyed by a count that
`refresh(layout=True)` moves only when no layout is pending for the widget. A
second request that arrives after a layout pass has measured the widget, but before
the widget handled its first request, leaves the count where it was: the next
layout reuses the old size. A panel that grew from its one-line "…" to its first
figures stayed one line tall that way. Clearing the pending flag first makes every
request move the count. This depends on Textual's internals (checked on 8.2)."""

from __future__ import annotations

from textual.widget import Widget


def lay_out_again(widget: Widget) -> None:
    """refresh(layout=True), taken even when a layout is already pending."""
    widget._layout_required = False
    widget.refresh(layout=True)

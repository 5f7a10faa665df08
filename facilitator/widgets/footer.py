"""The footer of every screen: Textual's, except that a key that does not fit in
whole is not shown at all. At 80 columns the last key used to be cut mid-word
("^r Start/e", "5 Ne"); the keys that do not fit are in help (?) and the palette."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class SessionFooter(Footer):
    """Shows the keys in their order while they fit whole, then no more."""

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        for key in self.query(FooterKey):
            key.display = True
        self.call_after_refresh(self.fit_keys)

    def fit_keys(self) -> None:
        """Hide every key from the first that would be cut at the right edge (or
        under the palette hint docked there)."""
        palette = self.query(".-command-palette")
        edge = palette.first().region.x if palette else self.region.right
        cut = False
        for key in self.query(FooterKey):
            if key.has_class("-command-palette"):
                continue
            cut = cut or key.region.right > edge
            if cut and key.display:
                key.display = False

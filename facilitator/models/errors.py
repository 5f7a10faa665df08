"""The one exception a user sees as a sentence. Its own module so that the text
rules (models.text) and the store (models.store) can both use it: the store cleans
identities with the text rules, and the text rules raise it."""

from __future__ import annotations


class SessionError(Exception):
    """A problem a user can act on; its message is one plain sentence."""

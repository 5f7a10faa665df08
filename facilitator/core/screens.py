"""The screens of the app, by name, in key order (1-5): one list for `--screen`,
the presence table, the header and the app's keys."""

from __future__ import annotations

SCREEN_NAMES: tuple[str, ...] = ("roster", "groups", "goals", "tally", "network")

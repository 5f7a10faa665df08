"""Plurals and possessives for sentences shown to facilitators: "1 group",
"2 groups", "the households' goals" (never "1 groups" or "households's")."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """The word for `count` things: plural("group", 2) -> "groups"."""
    return one if count == 1 else (many or f"{one}s")


def count_of(count: int, one: str, many: str | None = None) -> str:
    """'1 group', '3 groups', '1 person', '2 people' (with many='people')."""
    return f"{count} {plural(count, one, many)}"


def possessive(name: str) -> str:
    """"Ana's", "the households'" (a name ending in s takes an apostrophe only)."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"

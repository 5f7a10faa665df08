"""Typing into a small form (the roster's name, code and tags), as a state
machine that knows nothing of the terminal: each key, in the order it came,
either edits the field it was typed in, moves to another field, or ends the
form. The form widget holds one and shows it; a test drives it in microseconds.

Because one object takes every key in order, a burst such as
`a n a Tab a l Enter` (one read over SSH) fills "ana" and "al" into the fields
they were typed in, whatever the terminal and the screen are doing meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, field

#: What a key can end the form with.
SUBMIT, CANCEL = "submit", "cancel"


@dataclass
class Fields:
    """Named one-line fields, one of them current, each with its cursor."""

    names: tuple[str, ...]
    values: list[str] = field(default_factory=list)
    current: int = 0
    cursors: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.values = list(self.values) + [""] * (len(self.names) - len(self.values))
        self.cursors = [len(v) for v in self.values]

    @classmethod
    def of(cls, **values: str) -> "Fields":
        return cls(tuple(values), list(values.values()))

    def value(self, name: str) -> str:
        return self.values[self.names.index(name)]

    def feed(self, key: str, character: str | None = None) -> str | None:
        """Take one key (Textual's key name and its character, if printable).
        Returns SUBMIT or CANCEL when the key ends the form, else None."""
        if key == "enter":
            return SUBMIT
        if key == "escape":
            return CANCEL
        i = self.current
        text, at = self.values[i], self.cursors[i]
        if key in ("tab", "down"):
            self.current = (i + 1) % len(self.names)
        elif key in ("shift+tab", "up"):
            self.current = (i - 1) % len(self.names)
        elif key == "backspace":
            if at:
                self.values[i], self.cursors[i] = text[:at - 1] + text[at:], at - 1
        elif key == "delete":
            self.values[i] = text[:at] + text[at + 1:]
        elif key == "left":
            self.cursors[i] = max(0, at - 1)
        elif key == "right":
            self.cursors[i] = min(len(text), at + 1)
        elif key in ("home", "ctrl+a"):
            self.cursors[i] = 0
        elif key in ("end", "ctrl+e"):
            self.cursors[i] = len(text)
        elif key == "ctrl+u":
            self.values[i], self.cursors[i] = text[at:], 0
        elif character is not None and character.isprintable() and len(character) == 1:
            self.values[i], self.cursors[i] = text[:at] + character + text[at:], at + 1
        return None

    def paste(self, text: str) -> None:
        """A paste goes into the current field, whole and in order (its lines joined
        by spaces: a field is one line)."""
        line = " ".join(text.splitlines())
        for character in line:
            self.feed(character, character)

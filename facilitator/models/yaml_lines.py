"""Safe YAML loading that remembers line numbers, so every problem in a template
or roster can be reported with its file and line.

Bounded: the file's size is checked before it is read (models.text.read_text_file),
aliases are refused (an alias bomb would otherwise expand without end), nesting is
limited to MAX_DEPTH, and a scalar that cannot be a value (an integer of thousands of
digits, a timestamp out of range) is refused; each refusal names file, line and limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from facilitator.models.errors import SessionError
from facilitator.models.text import MAX_FILE_BYTES, read_text_file, visible

#: How deep mappings and lists may nest (a template needs four levels).
MAX_DEPTH = 20
#: How many nodes (values, keys, lists, mappings) one file may hold.
MAX_NODES = 200_000
#: The longest scalar read (the longest text a session keeps is 2,000 characters).
MAX_SCALAR_CHARS = 10_000


class Mapping(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class Sequence(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]


SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
             ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader's composer with no aliases, a depth limit and a node limit."""

    label = ""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise SessionError(f"{self.label} line {line}: YAML aliases (*{visible(str(event.anchor))}) "
                               "are not allowed; write the value out.")
        if getattr(event, "anchor", None) is not None:
            raise SessionError(f"{self.label} line {line}: YAML anchors (&{visible(str(event.anchor))}) "
                               "are not allowed; write the value out.")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise SessionError(f"{self.label} line {line}: more than {MAX_NODES:,} values; "
                               "that is the limit.")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise SessionError(f"{self.label} line {line}: a value of {len(event.value):,} characters; "
                               f"the limit is {MAX_SCALAR_CHARS:,}.")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise SessionError(f"{self.label} line {line}: nested more than {MAX_DEPTH} levels "
                                   "deep; that is the limit.")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _scalar(node: yaml.Node, label: str) -> Any:
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # a date in a text (a round named by its time) stays as written
    try:
        return yaml.SafeLoader(" ").construct_object(node)  # plain scalars only: safe
    except (ValueError, OverflowError, ArithmeticError):
        raise SessionError(f"{label} line {node.start_mark.line + 1}: {visible(str(node.value))[:40]!r} "
                           "is out of range (not a usable number, date or time).") from None


def _build(node: yaml.Node, label: str) -> Any:
    if node.tag not in SAFE_TAGS:
        raise SessionError(f"{label} line {node.start_mark.line + 1}: malformed YAML "
                           f"(the tag {visible(node.tag)!r} is not allowed).")
    if isinstance(node, yaml.MappingNode):
        out = Mapping()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node, label)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise SessionError(f"{label} line {key_node.start_mark.line + 1}: a key must be plain text.")
            key = str(key)
            if key in out:
                raise SessionError(f"{label} line {key_node.start_mark.line + 1}: "
                                   f"{visible(key)!r} is given twice.")
            out[key] = _build(value_node, label)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(_build(item, label) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    return _scalar(node, label)


def load_yaml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """The file's data with line numbers, or SessionError naming file and line."""
    label = visible(path.name)
    text = read_text_file(path, max_bytes=max_bytes)
    try:
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[:error.position].count("\n") + 1
        raise SessionError(f"{label} line {line}: the control character U+{error.character:04X} is "
                           "not allowed in YAML (write it as an escape in double quotes).") from None
    loader.label = label
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f" line {mark.line + 1}" if mark else ""
        raise SessionError(f"{label}{line}: malformed YAML ({visible(str(error.problem))}).") from None
    except yaml.YAMLError as error:
        raise SessionError(f"{label}: malformed YAML ({visible(str(error))}).") from None
    except RecursionError:  # a safety net under MAX_DEPTH
        raise SessionError(f"{label}: nested too deeply; the limit is {MAX_DEPTH} levels.") from None
    finally:
        loader.dispose()
    if node is None:
        return None
    try:
        return _build(node, label)
    except yaml.YAMLError as error:
        raise SessionError(f"{label}: malformed YAML ({error}).") from None


def line_of(container: Any, key: str | int, fallback: int = 0) -> int:
    if isinstance(container, Mapping):
        return container.key_lines.get(str(key), container.line)
    if isinstance(container, Sequence) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", fallback)

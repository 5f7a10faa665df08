"""Safe YAML loading that remembers line numbers, so every problem in a template
or roster can be reported with its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from facilitator.models.store import SessionError
from facilitator.models.text import read_text_file


class Mapping(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class Sequence(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]


SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
             ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


def _build(node: yaml.Node, label: str) -> Any:
    if node.tag not in SAFE_TAGS:
        raise SessionError(f"{label} line {node.start_mark.line + 1}: malformed YAML "
                           f"(the tag {node.tag!r} is not allowed).")
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
                raise SessionError(f"{label} line {key_node.start_mark.line + 1}: {key!r} is given twice.")
            out[key] = _build(value_node, label)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(_build(item, label) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    return yaml.SafeLoader(" ").construct_object(node)  # plain scalars only: safe


def load_yaml(path: Path) -> Any:
    """The file's data with line numbers, or SessionError naming file and line."""
    label = path.name
    try:
        text = read_text_file(path)
    except OSError as error:
        raise SessionError(f"{path} cannot be read: {error.strerror}.") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f" line {mark.line + 1}" if mark else ""
        raise SessionError(f"{label}{line}: malformed YAML ({error.problem}).") from None
    except yaml.YAMLError as error:
        raise SessionError(f"{label}: malformed YAML ({error}).") from None
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

"""Session templates in YAML: title, codebook, essential topics, rounds, group
sizes and an optional roster. Loaded with yaml.safe_load semantics only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.models.codebook import DEFAULT_CODEBOOK
from facilitator.models.records import Kind
from facilitator.models.roster_import import RosterEntry, roster_from_yaml_data
from facilitator.models.store import SessionError
from facilitator.models.text import clean_text, problems_error, visible
from facilitator.models.yaml_lines import Mapping, line_of, load_yaml

TEMPLATE_KEYS = {"title", "description", "codebook", "essentials", "rounds", "group_size", "roster"}
KIND_KEYS = {"name", "key", "label", "directed", "scope", "turn"}
#: The largest group a template may ask for (and the largest number it may hold).
MAX_GROUP_SIZE = 500
#: Length limits of template texts, as the session keeps them.
LIMITS = {"title": 200, "description": 2000, "kind": 40, "label": 60, "essential": 120,
          "round": 120}


@dataclass(frozen=True)
class PlannedRound:
    name: str
    minutes: float | None


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    description: str = ""
    codebook: tuple[Kind, ...] = DEFAULT_CODEBOOK
    essentials: tuple[tuple[str, str], ...] = ()
    rounds: tuple[PlannedRound, ...] = ()
    group_min: int = 3
    group_max: int = 6
    roster: tuple[RosterEntry, ...] = field(default=())


def _text(value: Any, what: str = "", limit: int = 2000, where: str = "",
          problems: list[str] | None = None) -> str | None:
    """A template text by the one text rule (models.text.clean_text): blanks collapsed,
    control codes made visible, at most `limit` characters; a text too long is a
    problem naming `where` (file and line), and None."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        try:
            return clean_text(value, what or "a text", max_length=limit, required=False) or None
        except SessionError as error:
            if problems is not None:
                problems.append(f"{where}: {error}")
            return None
    return None


def load_template(path: str | Path) -> Template:
    """Read and check a template; SessionError names the file and line of a problem."""
    path = Path(path)
    label = visible(path.name)
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise SessionError(f"{label}: a template is a YAML mapping with at least a title.")
    problems: list[str] = []
    for key in sorted(set(data) - TEMPLATE_KEYS):
        problems.append(f"{label} line {line_of(data, key)}: unknown key {key!r} "
                        f"(known: {', '.join(sorted(TEMPLATE_KEYS))}).")
    before = len(problems)
    title = _text(data.get("title"), "the title", LIMITS["title"],
                  f"{label} line {line_of(data, 'title', 1)}", problems)
    description = _text(data.get("description"), "the description", LIMITS["description"],
                        f"{label} line {line_of(data, 'description', 1)}", problems) or ""
    if not title and len(problems) == before:
        problems.append(f"{label} line {line_of(data, 'title', 1)}: the template needs a title.")
    kinds = _codebook(data.get("codebook"), data, label, problems) if "codebook" in data else DEFAULT_CODEBOOK
    essentials = _essentials(data.get("essentials") or [], label, problems)
    planned = _rounds(data.get("rounds") or [], label, problems)
    group_min, group_max = _group_size(data, label, problems)
    roster: list[RosterEntry] = []
    if data.get("roster"):
        roster = roster_from_yaml_data(data["roster"], label, problems)
    if problems:
        raise problems_error(problems, "nothing was changed")
    return Template(path.stem, title or "", description, tuple(kinds),
                    tuple(essentials), tuple(planned), group_min, group_max, tuple(roster))


def _codebook(items: Any, parent: Mapping, label: str, problems: list[str]) -> tuple[Kind, ...]:
    if not isinstance(items, list) or not items:
        problems.append(f"{label} line {line_of(parent, 'codebook')}: the codebook must be a non-empty list.")
        return DEFAULT_CODEBOOK
    kinds: list[Kind] = []
    names: set[str] = set()
    keys: set[str] = set()
    for index, item in enumerate(items):
        line = line_of(items, index)
        if not isinstance(item, Mapping):
            problems.append(f"{label} line {line}: a kind is a mapping with name and key.")
            continue
        for key in sorted(set(item) - KIND_KEYS):
            problems.append(f"{label} line {line_of(item, key)}: unknown key {key!r} in a kind.")
        where = f"{label} line {line}"
        name, key = _text(item.get("name"), "a kind's name", LIMITS["kind"], where, problems), \
            _text(item.get("key"), "a kind's key", 1, where)
        typed_key = str(item.get("key", ""))
        if not name or not key or len(key) != 1 or not typed_key.isprintable() or key.isspace():
            problems.append(f"{label} line {line}: a kind needs a name and a one-character key.")
            continue
        scope = item.get("scope", "pair")
        if scope not in ("pair", "group"):
            problems.append(f"{label} line {line_of(item, 'scope')}: scope is 'pair' or 'group'.")
            continue
        if name in names or key in keys:
            problems.append(f"{label} line {line}: the kind {name!r} or its key {key!r} is used twice.")
            continue
        names.add(name)
        keys.add(key)
        kinds.append(Kind(name, key, _text(item.get("label"), "a kind's label", LIMITS["label"],
                                           f"{label} line {line_of(item, 'label')}", problems) or name,
                          bool(item.get("directed", scope == "pair")), scope,
                          bool(item.get("turn", False))))
    if kinds and not any(k.scope == "pair" for k in kinds):
        problems.append(f"{label} line {line_of(parent, 'codebook')}: the codebook needs at least"
                        " one kind between people (scope: pair), for speaking turns.")
    return tuple(kinds)


def _essentials(items: Any, label: str, problems: list[str]) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        problems.append(f"{label} line {line_of(items, 0, 1)}: essentials must be a list.")
        return []
    out: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        line = line_of(items, index)
        where = f"{label} line {line}"
        before = len(problems)
        if isinstance(item, Mapping):
            name = _text(item.get("name"), "an essential topic's name", LIMITS["essential"], where, problems)
            description = _text(item.get("description"), "the topic's description",
                                LIMITS["description"], where, problems) or ""
        else:
            name, description = _text(item, "an essential topic's name", LIMITS["essential"],
                                      where, problems), ""
        if len(problems) > before:
            continue
        if not name:
            problems.append(f"{label} line {line}: an essential topic needs a name.")
        elif any(name.lower() == n.lower() for n, _ in out):
            problems.append(f"{label} line {line}: the essential {name!r} is listed twice.")
        else:
            out.append((name, description))
    return out


def _rounds(items: Any, label: str, problems: list[str]) -> list[PlannedRound]:
    if not isinstance(items, list):
        problems.append(f"{label} line {line_of(items, 0, 1)}: rounds must be a list.")
        return []
    out: list[PlannedRound] = []
    for index, item in enumerate(items):
        line = line_of(items, index)
        where = f"{label} line {line}"
        before = len(problems)
        if isinstance(item, Mapping):
            name, minutes = _text(item.get("name"), "a round's name", LIMITS["round"], where,
                                  problems), item.get("minutes")
        else:
            name, minutes = _text(item, "a round's name", LIMITS["round"], where, problems), None
        if len(problems) > before:
            continue
        if not name:
            problems.append(f"{label} line {line}: a round needs a name.")
            continue
        if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, (int, float))
                                    or not 0 < minutes <= 24 * 60):
            problems.append(f"{label} line {line}: minutes must be a number between 1 and 1440.")
            continue
        out.append(PlannedRound(name, float(minutes) if minutes is not None else None))
    return out


def _group_size(data: Mapping, label: str, problems: list[str]) -> tuple[int, int]:
    size = data.get("group_size")
    if size is None:
        return 3, 6
    line = line_of(data, "group_size")
    if not isinstance(size, Mapping) or set(size) - {"min", "max"}:
        problems.append(f"{label} line {line}: group_size is a mapping with min and max.")
        return 3, 6
    low, high = size.get("min", 2), size.get("max", 8)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)) \
            or not 1 <= low <= high <= MAX_GROUP_SIZE:
        problems.append(f"{label} line {line}: group_size needs whole numbers with "
                        f"1 <= min <= max <= {MAX_GROUP_SIZE}.")
        return 3, 6
    return low, high
